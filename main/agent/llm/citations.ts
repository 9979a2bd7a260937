import type { Citation, RootCause } from '../../api/contract.js';
import type { StoreReader } from '../../store/store.js';
import spanExistsSql from './sql/span_exists.sql?raw';
import traceExistsSql from './sql/trace_exists.sql?raw';
import logExistsSql from './sql/log_exists.sql?raw';
import metricExistsSql from './sql/metric_exists.sql?raw';
import eventExistsSql from './sql/event_exists.sql?raw';

/** An answer naming more references than this is not checked beyond them. */
const MAX_CITATIONS = 50;

const ID = '[0-9A-Za-z_-]+';
const REFERENCE = new RegExp(
  [
    `(?<![\\w/])span:(?<spanTrace>${ID})/(?<spanId>${ID})`,
    `(?<![\\w/])trace:(?<trace>${ID})`,
    `(?<![\\w/])log:(?<source>\\d+):(?<line>\\d+)`,
    `(?<![\\w/])series:(?<metric>[A-Za-z_][\\w:.]*)(?<labels>\\{[^}\\s]*\\})?`,
    `(?<![\\w/])event:(?<kind>[a-z_]+):(?<service>[^:\\s\`'"]+):(?<ts>\\d+)`,
  ].join('|'),
  'g',
);

interface Candidate {
  citation: Citation;
  check: (reader: StoreReader) => Promise<boolean>;
}

/**
 * The evidence references an answer cites, in order of first mention, keeping only those that
 * name a record that exists: a model that invents a span id gets no citation for it.
 */
export async function validCitations(reader: StoreReader, answer: string): Promise<Citation[]> {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const match of answer.matchAll(REFERENCE)) {
    const ref = match[0];
    if (seen.has(ref) || candidates.length >= MAX_CITATIONS) continue;
    seen.add(ref);
    const candidate = candidateOf(ref, match.groups ?? {});
    if (candidate) candidates.push(candidate);
  }
  const kept: Citation[] = [];
  for (const candidate of candidates) if (await candidate.check(reader)) kept.push(candidate.citation);
  return kept;
}

const exists = async (reader: StoreReader, sql: string, params: Parameters<StoreReader['all']>[1]) => ((await reader.all<{ n: number }>(sql, params))[0]?.n ?? 0) > 0;

function candidateOf(ref: string, g: Record<string, string | undefined>): Candidate | null {
  if (g.spanTrace && g.spanId) {
    const params = { trace_id: g.spanTrace, span_id: g.spanId };
    return { citation: { kind: 'span', ref }, check: (r) => exists(r, spanExistsSql, params) };
  }
  if (g.trace) {
    const params = { trace_id: g.trace };
    return { citation: { kind: 'trace', ref }, check: (r) => exists(r, traceExistsSql, params) };
  }
  if (g.source && g.line) {
    const params = { source_id: Number(g.source), line: Number(g.line) };
    return { citation: { kind: 'log', ref }, check: (r) => exists(r, logExistsSql, params) };
  }
  if (g.metric) {
    const params = { name: g.metric };
    return { citation: { kind: 'series', ref }, check: (r) => exists(r, metricExistsSql, params) };
  }
  if (g.kind && g.service && g.ts) {
    const params = { kind: g.kind, service: g.service, ts_ns: BigInt(g.ts) };
    return { citation: { kind: 'event', ref }, check: (r) => exists(r, eventExistsSql, params) };
  }
  return null;
}

/** The highest-ranked candidate the answer names by its service, as the tool ranked it. */
export function namedRootCause(answer: string, ranked: readonly RootCause[]): Pick<RootCause, 'service' | 'kind'> | null {
  const text = answer.toLowerCase();
  const named = ranked.find((cause) => mentions(text, cause.service.toLowerCase()));
  return named ? { service: named.service, kind: named.kind } : null;
}

function mentions(text: string, name: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return false;
    const before = text[at - 1];
    const after = text[at + name.length];
    if (!isNameChar(before) && !isNameChar(after)) return true;
    from = at + 1;
  }
}

function isNameChar(char: string | undefined): boolean {
  return char !== undefined && /[\w-]/.test(char);
}
