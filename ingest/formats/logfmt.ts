import { logBatcher } from '../batcher.js';
import { type FormatInput, type TelemetryFormat, byContentThenName } from '../format.js';
import { serviceFromPath } from '../logline.js';
import { normalizeService, normalizeSeverity, podToService, toNs } from '../normalize.js';
import type { Attributes, Sink } from '../records.js';
import { UTC } from '../timezone.js';

/** logfmt lines (`ts=... level=info msg="..." key=value`), as Go's logrus, go-kit and slog's text handler write them. */

const TIME_KEYS = ['time', 'ts', 't', 'timestamp', '@timestamp', 'date'];
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'loglevel'];
const MESSAGE_KEYS = ['msg', 'message', 'body'];
const SERVICE_KEYS = ['service', 'svc', 'app', 'service.name', 'service_name', 'component'];
const POD_KEYS = ['pod', 'pod_name', 'k8s.pod.name'];
const TRACE_KEYS = ['trace_id', 'traceid', 'traceId', 'trace.id', 'traceID'];
const SPAN_KEYS = ['span_id', 'spanid', 'spanId', 'span.id', 'spanID'];
const SAMPLE_LINES = 40;

/** The key/value pairs of one logfmt line, or null when the line is not logfmt. */
export function parseLogfmt(line: string): Map<string, string> | null {
  const pairs = new Map<string, string>();
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line[i] === ' ') i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line[i] !== '=' && line[i] !== ' ' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    if (key.length === 0) return null;
    if (line[i] !== '=') {
      if (line[i] === '"') return null;
      pairs.set(key, 'true');
      continue;
    }
    i++;
    if (line[i] === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const ch = line[i]!;
        if (ch === '\\' && i + 1 < n) {
          const next = line[i + 1]!;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          i += 2;
        } else if (ch === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      if (!closed) return null;
      pairs.set(key, value);
    } else {
      const valueStart = i;
      while (i < n && line[i] !== ' ') i++;
      pairs.set(key, line.slice(valueStart, i));
    }
  }
  return pairs;
}

function take(pairs: Map<string, string>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = pairs.get(key);
    if (value !== undefined) {
      pairs.delete(key);
      return value;
    }
  }
  return undefined;
}

function looksLikeLogfmt(line: string): boolean {
  if (!/^[\w.@-]+=/.test(line)) return false;
  const pairs = parseLogfmt(line);
  if (!pairs) return false;
  return pairs.size >= 3 || [...TIME_KEYS, ...LEVEL_KEYS, ...MESSAGE_KEYS].some((key) => pairs.has(key));
}

function detectByContent(head: string): number {
  const lines = head.split('\n');
  if (lines.length > 1) lines.pop();
  const sample = lines.filter((line) => line.trim().length > 0).slice(0, SAMPLE_LINES);
  if (sample.length === 0) return 0;
  const share = sample.filter(looksLikeLogfmt).length / sample.length;
  return share >= 0.5 ? 0.5 + 0.4 * share : 0;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const fileService = serviceFromPath(input.path);
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  for await (const { text, line } of input.lines()) {
    if (text.trim().length === 0) continue;
    const pairs = parseLogfmt(text.trim());
    if (!pairs || pairs.size === 0) {
      sink.issue({ line, message: 'not a logfmt line (unbalanced quotes or no key=value pairs); skipped' });
      continue;
    }
    const timeText = take(pairs, TIME_KEYS);
    const tsNs = timeText === undefined ? null : toNs(timeText, zone);
    if (tsNs === null) {
      sink.issue({ line, message: `${timeText === undefined ? 'no time key (time, ts, t)' : `unreadable time "${timeText}"`}; skipped` });
      continue;
    }
    const level = take(pairs, LEVEL_KEYS);
    const message = take(pairs, MESSAGE_KEYS) ?? text.trim();
    const service = take(pairs, SERVICE_KEYS);
    const pod = pairs.get(POD_KEYS.find((key) => pairs.has(key)) ?? '');
    const traceId = take(pairs, TRACE_KEYS) ?? null;
    const spanId = take(pairs, SPAN_KEYS) ?? null;
    const attributes: Attributes = Object.fromEntries(pairs);
    await batch.add({
      tsNs,
      service: service ? normalizeService(service) : pod ? podToService(pod) : fileService,
      severity: (level === undefined ? null : normalizeSeverity(level)) ?? 'INFO',
      body: message,
      traceId: traceId || null,
      spanId: spanId || null,
      attributes,
      sourceLine: line,
    });
  }
  await batch.flush();
}

const detect = byContentThenName(detectByContent, /logfmt/i);

export const logfmt: TelemetryFormat = {
  id: 'logfmt',
  label: 'logfmt logs',
  signal: 'logs',
  detect,
  parse,
};
