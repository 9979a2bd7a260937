import type { StoreReader, TelemetryStore } from '../store/store.js';
import { nsToIso } from './window.js';
import candidatesSql from './sql/changes_candidates.sql?raw';

/**
 * "What changed?" from the logs: deploys, versions, configuration, schema migrations, scaling.
 * Services log such lines all the time (a config watcher polling, a periodic refresh), so a line is
 * a change only when its shape (numbers masked, versions kept) is not one the service repeats on
 * both sides of the fault.
 */
export interface LoggedChange {
  /** ISO time of the first line with this text. */
  at: string;
  service: string | null;
  body: string;
  /** How many lines said the same, numbers aside (one per pod, usually). */
  lines: number;
  /** `log:<source>:<line>` of the first of them. */
  ref: string;
}

export interface ChangeQuery {
  /** When the fault began (ISO); changes are searched before and during it. */
  faultStart: string;
  /** When the fault ended (ISO). */
  faultEnd: string;
  /** Services to list first (the failure path). */
  services?: string[];
  limit?: number;
}

const CHANGE_PATTERN = [
  'deploy',
  'roll(ed|ing)?[ -]?(out|back)',
  'release',
  'hotfix',
  'upgrad',
  'downgrad',
  'migrat',
  '\\b(create|drop|alter)\\s+(unique\\s+)?(index|table)',
  'config(uration)?\\b.{0,40}\\b(appl|chang|updat|reload|set|modif)',
  '(appl|chang|updat|reload|set|modif)\\w*\\b.{0,40}\\bconfig',
  'feature[ _-]?flag',
  '\\bversion\\b',
  '\\bstart(ing|ed)?\\b.{0,80}\\bv?\\d+\\.\\d+\\.\\d+',
  'scal(ed|ing)\\s+(up|down|out|in|to)',
  '\\breplicas?\\b.{0,20}\\d',
].join('|');

const NOT_A_CHANGE_PATTERN = 'no changes?\\b|unchanged|up[ -]to[ -]date|nothing to (do|migrate)|already at version';

/** Before the fault, how far back a change can still be its trigger. */
const LOOKBACK_MS = 30 * 60_000;
/** A shape seen on this many separate minutes, before and after the fault began, is routine. */
const ROUTINE_OCCASIONS = 3;
const ROUTINE_MARGIN_MS = 5 * 60_000;
const MAX_CANDIDATES = 20_000;
const DEFAULT_LIMIT = 6;

/**
 * The line's shape: versions kept (they are the change), other numbers and ids masked. With
 * `keepValues`, a value assigned in the line ("timeout=40ms") is kept too: two lines that set
 * different values are two changes, while lines that differ only by a PID or a counter are one.
 */
export function lineShape(body: string, keepValues = false): string {
  return body
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '#')
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '#')
    .replace(/(\bv?\d+(?:\.\d+){2,}[\w.-]*)|(=\s*\d[\w.]*)|\d+/g, (digits: string, version?: string, assigned?: string) => version ?? (keepValues && assigned ? assigned : '#'));
}

interface Candidate {
  ts_ns: string;
  service: string | null;
  body: string;
  source_id: number;
  source_line: number;
}

function isRoutine(times: number[], faultStartMs: number): boolean {
  const occasions = new Set(times.map((t) => Math.floor(t / 60_000))).size;
  const before = times.some((t) => t < faultStartMs - ROUTINE_MARGIN_MS);
  const after = times.some((t) => t >= faultStartMs);
  return occasions >= ROUTINE_OCCASIONS && before && after;
}

export async function loggedChangesFrom(reader: StoreReader, q: ChangeQuery): Promise<LoggedChange[]> {
  const faultStartMs = Date.parse(q.faultStart);
  const faultEndMs = Date.parse(q.faultEnd);
  if (Number.isNaN(faultStartMs) || Number.isNaN(faultEndMs)) return [];
  const rows = await reader.all<Candidate>(candidatesSql, {
    change_pattern: CHANGE_PATTERN,
    not_a_change_pattern: NOT_A_CHANGE_PATTERN,
    limit: MAX_CANDIDATES,
  });

  const timesByShape = new Map<string, number[]>();
  const shapeKey = (row: Candidate) => `${row.service ?? ''}\u0000${lineShape(row.body)}`;
  for (const row of rows) {
    const key = shapeKey(row);
    const times = timesByShape.get(key) ?? [];
    times.push(Number(BigInt(row.ts_ns) / 1_000_000n));
    timesByShape.set(key, times);
  }

  const byText = new Map<string, LoggedChange & { atMs: number }>();
  for (const row of rows) {
    const atMs = Number(BigInt(row.ts_ns) / 1_000_000n);
    if (atMs < faultStartMs - LOOKBACK_MS || atMs > faultEndMs) continue;
    if (isRoutine(timesByShape.get(shapeKey(row)) ?? [], faultStartMs)) continue;
    const key = `${row.service ?? ''}\u0000${lineShape(row.body, true)}`;
    const seen = byText.get(key);
    if (seen) seen.lines += 1;
    else byText.set(key, { at: nsToIso(row.ts_ns), atMs, service: row.service, body: row.body, lines: 1, ref: `log:${row.source_id}:${row.source_line}` });
  }

  const onPath = new Set(q.services ?? []);
  const relevance = (c: { service: string | null; atMs: number }) => (c.service !== null && onPath.has(c.service) ? 0 : 1e15) + Math.abs(c.atMs - faultStartMs);
  return [...byText.values()]
    .sort((a, b) => relevance(a) - relevance(b))
    .slice(0, q.limit ?? DEFAULT_LIMIT)
    .sort((a, b) => a.atMs - b.atMs)
    .map((c) => ({ at: c.at, service: c.service, body: c.body, lines: c.lines, ref: c.ref }));
}

export async function loggedChanges(store: TelemetryStore, q: ChangeQuery): Promise<LoggedChange[]> {
  return store.withRead((reader) => loggedChangesFrom(reader, q));
}
