import { logBatcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { serviceFromPath, yearFromPath } from '../logline.js';
import { isoToNs } from '../normalize.js';
import type { Attributes, LogRecord, Severity, Sink } from '../records.js';
import { UTC, type TimeZone } from '../timezone.js';

/*
 * The Redis server log: `1:M 20 Sep 2024 14:08:40.885 * Ready to accept connections` (Redis 3 and
 * later: pid, role, date with its year, level mark) and `[1] 20 Sep 14:08:40.885 # ...` (Redis 2,
 * no year: the file's path must name one). Lines without the prefix (the start-up logo) continue the
 * record before them.
 */

const MODERN = /^(\d+):([XCSM]) (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([.\-*#]) ?/;
const LEGACY = /^\[(\d+)\] (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([.\-*#]) ?/;
const MONTHS: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };
const ROLES: Record<string, string> = { X: 'sentinel', C: 'child', S: 'replica', M: 'master' };
/** Redis's level marks: debug, verbose, notice, warning. */
const LEVELS: Record<string, Severity> = { '.': 'DEBUG', '-': 'DEBUG', '*': 'INFO', '#': 'WARN' };
const MAX_CONTINUATION_LINES = 200;

interface Prefix {
  tsNs: bigint | null;
  severity: Severity;
  attributes: Attributes;
  /** Where the message starts. */
  end: number;
}

function timeOf(year: string, month: string, day: string, hour: string, minute: string, second: string, fraction: string, zone: TimeZone): bigint | null {
  return isoToNs(`${year}-${MONTHS[month]}-${day.padStart(2, '0')}T${hour}:${minute}:${second}${fraction ? `.${fraction}` : ''}`, zone);
}

function prefixOf(line: string, pathYear: number | undefined, zone: TimeZone): Prefix | null {
  const modern = MODERN.exec(line);
  if (modern) {
    const [whole, pid, role, day, month, year, hour, minute, second, fraction = '', mark] = modern;
    return { tsNs: timeOf(year!, month!, day!, hour!, minute!, second!, fraction, zone), severity: LEVELS[mark!]!, attributes: { 'process.pid': pid!, 'redis.role': ROLES[role!]! }, end: whole.length };
  }
  const legacy = LEGACY.exec(line);
  if (legacy) {
    const [whole, pid, day, month, hour, minute, second, fraction = '', mark] = legacy;
    const tsNs = pathYear === undefined ? null : timeOf(String(pathYear), month!, day!, hour!, minute!, second!, fraction, zone);
    return { tsNs, severity: LEVELS[mark!]!, attributes: { 'process.pid': pid! }, end: whole.length };
  }
  return null;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const service = serviceFromPath(input.path) ?? 'redis';
  const pathYear = yearFromPath(input.path);
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  let open: LogRecord | null = null;
  let continued = 0;

  const close = async (): Promise<void> => {
    if (!open) return;
    await batch.add(open);
    open = null;
  };

  for await (const { text, line } of input.lines()) {
    if (text.trim() === '') continue;
    const prefix = prefixOf(text, pathYear, zone);
    if (prefix) {
      await close();
      if (prefix.tsNs === null) {
        const reason = text.startsWith('[') ? 'Redis 2 lines name no year and the file path names none' : 'impossible date';
        sink.issue({ line, message: `${reason}; line skipped` });
        continue;
      }
      open = { tsNs: prefix.tsNs, service, severity: prefix.severity, body: text.slice(prefix.end), traceId: null, spanId: null, attributes: prefix.attributes, sourceLine: line };
      continued = 0;
      continue;
    }
    if (open) {
      if (continued < MAX_CONTINUATION_LINES) open.body += `\n${text}`;
      continued += 1;
    } else {
      sink.issue({ line, message: 'not a Redis log line (pid:role date level) and follows none; skipped' });
    }
  }
  await close();
  await batch.flush();
}

function detect(head: string, path: string): number {
  const lines = head.split('\n');
  if (lines.length > 1) lines.pop();
  const sample = lines.filter((line) => line.trim() !== '').slice(0, 40);
  if (sample.length === 0) return 0;
  const matching = sample.filter((line) => MODERN.test(line) || LEGACY.test(line)).length;
  if (matching === 0 || matching / sample.length < 0.5) return 0;
  return /redis/i.test(path) ? 0.91 : 0.9;
}

export const redisLog: TelemetryFormat = {
  id: 'redis-log',
  label: 'Redis server log',
  signal: 'logs',
  detect,
  parse,
};
