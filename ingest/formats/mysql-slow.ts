import { logBatcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { serviceFromPath } from '../logline.js';
import { epochToNs, isoToNs, isPlausibleNs } from '../normalize.js';
import type { Attributes, Sink } from '../records.js';
import { UTC, type TimeZone } from '../timezone.js';

/*
 * MySQL's slow query log (also MariaDB's and Percona Server's): each query is a block of `# ` header
 * lines (`# Time:`, `# User@Host:`, `# Query_time: 3.2  Lock_time: ...  Rows_examined: ...`) and the
 * statement after them. One log record per query, at the time the server wrote it (when it finished),
 * with db.system=mysql, query_time_ms, lock_time_ms, rows_sent and rows_examined as attributes.
 */

/** `# Time: 2024-09-20T14:08:40.885123Z` (5.7+) or `# Time: 240920 14:08:40` (5.6, MariaDB; server time, taken as UTC). */
const TIME_LINE = /^# Time: (.+)$/;
const OLD_TIME = /^(\d{2})(\d{2})(\d{2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const USER_HOST = /^# User@Host: (\S*?)\[[^\]]*\] @ *(\S*) *\[([^\]]*)\]/;
const HEADER_FIELD = /([A-Za-z_]+): +(\S+)/g;
const USE_SCHEMA = /^use ([^;\s]+);$/i;
const SET_TIMESTAMP = /^SET timestamp=(\d+);$/i;
/** What mysqld writes at the top of the file and each time it starts or the log is flushed. */
const SERVER_BANNER = /^(?:\S+, Version: .* started with:|Tcp port: \d+ {2}Unix socket: |Time {2,}Id Command {2,}Argument$)/;

const NAMED_FIELDS: Record<string, (value: string, attributes: Attributes) => void> = {
  query_time: (value, attributes) => milliseconds('query_time_ms', value, attributes),
  lock_time: (value, attributes) => milliseconds('lock_time_ms', value, attributes),
  rows_sent: (value, attributes) => count('rows_sent', value, attributes),
  rows_examined: (value, attributes) => count('rows_examined', value, attributes),
  rows_affected: (value, attributes) => count('rows_affected', value, attributes),
  schema: (value, attributes) => {
    attributes['db.name'] = value;
  },
};

function milliseconds(key: string, seconds: string, attributes: Attributes): void {
  const value = Number(seconds);
  if (Number.isFinite(value) && value >= 0) attributes[key] = String(Math.round(value * 1_000_000) / 1000);
}

function count(key: string, value: string, attributes: Attributes): void {
  if (/^\d+$/.test(value)) attributes[key] = value;
}

function timeOfLine(text: string, zone: TimeZone): bigint | null {
  const trimmed = text.trim();
  const old = OLD_TIME.exec(trimmed);
  if (!old) return isoToNs(trimmed, zone);
  const [, year, month, day, hour, minute, second, fraction = ''] = old;
  return isoToNs(`20${year}-${month}-${day}T${hour!.padStart(2, '0')}:${minute}:${second}${fraction ? `.${fraction}` : ''}`, zone);
}

interface Entry {
  firstLine: number;
  timeNs: bigint | null;
  startedNs: bigint | null;
  attributes: Attributes;
  statement: string[];
  hasQueryTime: boolean;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const service = serviceFromPath(input.path) ?? 'mysql';
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  let entry: Entry | null = null;
  /** 5.6 and MariaDB write `# Time:` only when the second changes: later queries share it. */
  let lastTimeNs: bigint | null = null;
  let schema: string | null = null;

  const close = async (): Promise<void> => {
    if (!entry) return;
    const done = entry;
    entry = null;
    if (!done.hasQueryTime) {
      sink.issue({ line: done.firstLine, message: 'slow query entry without a # Query_time line; skipped' });
      return;
    }
    const queryNs = Math.round(Number(done.attributes['query_time_ms'] ?? '0') * 1_000_000);
    const fromStart = done.startedNs === null ? null : done.startedNs + (Number.isFinite(queryNs) ? BigInt(queryNs) : 0n);
    const tsNs = done.timeNs ?? (fromStart !== null && isPlausibleNs(fromStart) ? fromStart : null) ?? lastTimeNs;
    if (tsNs === null) {
      sink.issue({ line: done.firstLine, message: 'slow query entry has no time (# Time or SET timestamp); skipped' });
      return;
    }
    if (done.attributes['db.name'] === undefined && schema !== null) done.attributes['db.name'] = schema;
    await batch.add({ tsNs, service, severity: 'INFO', body: done.statement.join('\n'), traceId: null, spanId: null, attributes: done.attributes, sourceLine: done.firstLine });
  };

  const open = (line: number): Entry => ({ firstLine: line, timeNs: null, startedNs: null, attributes: { 'db.system': 'mysql' }, statement: [], hasQueryTime: false });

  for await (const { text, line } of input.lines()) {
    if (text.trim() === '') continue;
    const time = TIME_LINE.exec(text);
    if (time) {
      await close();
      entry = open(line);
      const ns = timeOfLine(time[1]!, zone);
      if (ns === null) sink.issue({ line, message: `unreadable time "${time[1]}"` });
      entry.timeNs = ns;
      if (ns !== null) lastTimeNs = ns;
      continue;
    }
    if (text.startsWith('# User@Host:')) {
      // a block without its own # Time line starts here
      if (!entry || entry.statement.length > 0 || entry.attributes['db.user'] !== undefined) {
        await close();
        entry = open(line);
      }
      const user = USER_HOST.exec(text);
      if (user) {
        if (user[1]) entry.attributes['db.user'] = user[1];
        const address = user[3] || user[2];
        if (address) entry.attributes['client.address'] = address;
      }
      continue;
    }
    if (text.startsWith('# ') && !text.startsWith('# administrator command:')) {
      if (!entry || entry.statement.length > 0) {
        await close();
        entry = open(line);
      }
      for (const [, key, value] of text.matchAll(HEADER_FIELD)) {
        const name = key!.toLowerCase();
        if (name === 'query_time') entry.hasQueryTime = true;
        const named = NAMED_FIELDS[name];
        if (named) named(value!, entry.attributes);
        else entry.attributes[`mysql.${name}`] = value!;
      }
      continue;
    }
    if (SERVER_BANNER.test(text)) {
      await close();
      continue;
    }
    const use = USE_SCHEMA.exec(text.trim());
    if (use) {
      schema = use[1]!;
      if (entry) entry.attributes['db.name'] = schema;
      continue;
    }
    const started = SET_TIMESTAMP.exec(text.trim());
    if (started && entry) {
      entry.startedNs = epochToNs(started[1]!);
      continue;
    }
    if (!entry) {
      sink.issue({ line, message: 'statement outside any slow query entry (no # Query_time header before it); line skipped' });
      continue;
    }
    entry.statement.push(text);
  }
  await close();
  await batch.flush();
}

function detect(head: string, path: string): number {
  const queryTimes = head.match(/^# Query_time: [\d.]+ +Lock_time: /gm)?.length ?? 0;
  if (queryTimes === 0) return 0;
  const headers = /^# (?:User@Host|Time): /m.test(head);
  const score = headers ? 0.95 : 0.7;
  return /slow/i.test(path) ? score + 0.01 : score;
}

export const mysqlSlow: TelemetryFormat = {
  id: 'mysql-slow',
  label: 'MySQL / MariaDB slow query log',
  signal: 'logs',
  detect,
  parse,
};
