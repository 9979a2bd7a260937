import type { EvidenceRef } from '../../main/api/contract.js';

export type ParsedRef =
  | { kind: 'span'; traceId: string; spanId: string }
  | { kind: 'trace'; traceId: string }
  | { kind: 'log'; sourceId: number; line: number }
  | { kind: 'series'; name: string; labels: Record<string, string> }
  | { kind: 'event'; eventKind: string; service: string; tsNs: string };

const LABEL = /([A-Za-z_][\w.]*)="((?:[^"\\]|\\.)*)"/g;

/** Reads an evidence reference (see ARCHITECTURE.md); null when it is not one. */
export function parseRef(ref: EvidenceRef): ParsedRef | null {
  const colon = ref.indexOf(':');
  if (colon <= 0) return null;
  const scheme = ref.slice(0, colon);
  const rest = ref.slice(colon + 1);
  if (!rest) return null;
  switch (scheme) {
    case 'span': {
      const slash = rest.indexOf('/');
      if (slash <= 0 || slash === rest.length - 1) return null;
      return { kind: 'span', traceId: rest.slice(0, slash), spanId: rest.slice(slash + 1) };
    }
    case 'trace':
      return { kind: 'trace', traceId: rest };
    case 'log': {
      const match = /^(\d+):(\d+)$/.exec(rest);
      if (!match) return null;
      return { kind: 'log', sourceId: Number(match[1]), line: Number(match[2]) };
    }
    case 'series': {
      const brace = rest.indexOf('{');
      if (brace < 0) return { kind: 'series', name: rest, labels: {} };
      if (!rest.endsWith('}') || brace === 0) return null;
      const labels: Record<string, string> = {};
      for (const match of rest.slice(brace + 1, -1).matchAll(LABEL)) labels[match[1] ?? ''] = (match[2] ?? '').replace(/\\(.)/g, '$1');
      return { kind: 'series', name: rest.slice(0, brace), labels };
    }
    case 'event': {
      const first = rest.indexOf(':');
      const last = rest.lastIndexOf(':');
      if (first <= 0 || last === first) return null;
      const tsNs = rest.slice(last + 1);
      if (!/^\d+$/.test(tsNs)) return null;
      return { kind: 'event', eventKind: rest.slice(0, first), service: rest.slice(first + 1, last), tsNs };
    }
    default:
      return null;
  }
}

/** An ISO timestamp (milliseconds) for a nanosecond epoch string, without losing it to float rounding first. */
export function nsToIso(tsNs: string): string {
  return new Date(Number(BigInt(tsNs) / 1_000_000n)).toISOString();
}

const ID_HEAD = 8;
const SERIES_MAX = 48;

/** A reference short enough to sit in a sentence: long ids cut to their first characters. */
export function shortRef(ref: EvidenceRef): string {
  const parsed = parseRef(ref);
  const cut = (id: string) => (id.length > ID_HEAD + 2 ? `${id.slice(0, ID_HEAD)}…` : id);
  if (!parsed) return ref;
  switch (parsed.kind) {
    case 'span':
      return `span ${cut(parsed.traceId)}/${cut(parsed.spanId)}`;
    case 'trace':
      return `trace ${cut(parsed.traceId)}`;
    case 'series': {
      const text = ref.slice('series:'.length);
      return text.length > SERIES_MAX ? `${text.slice(0, SERIES_MAX - 1)}…` : text;
    }
    default:
      return ref;
  }
}
