/**
 * Helpers shared by the text log formats: the timestamp a line starts with (in the layouts common
 * loggers and system daemons write), its level word, the trace context it carries, and the service a
 * log file belongs to judging by its path.
 */
import { epochToNs, isPlausibleNs, podToService } from './normalize.js';
import type { Attributes, Severity } from './records.js';
import { UTC, type TimeZone } from './timezone.js';

export type LeadingTime =
  /** `end` is where the timestamp (and its brackets) ends in the line. */
  | { kind: 'time'; tsNs: bigint; end: number }
  /** The line starts with a time of day and a date without a year (syslog, glog) and no year was known. */
  | { kind: 'no-year'; end: number };

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

/**
 * UTC nanoseconds of calendar fields read in `zone`, or at the offset the line itself wrote (minutes
 * east of UTC), which wins.
 */
function civilToNs(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string, zone: TimeZone, writtenOffsetMinutes?: number): bigint | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const ms = writtenOffsetMinutes === undefined ? zone.wallToUtcMs(wallMs) : wallMs - writtenOffsetMinutes * 60_000;
  if (Number.isNaN(ms)) return null;
  const ns = BigInt(ms) * 1_000_000n + BigInt((fraction + '000000000').slice(0, 9));
  return isPlausibleNs(ns) ? ns : null;
}

/** The offset a written zone names, in minutes east of UTC; undefined when the line wrote none. */
function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (!zone) return undefined;
  const match = /([+-])(\d{2}):?(\d{2})/.exec(zone);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

// Each layout is anchored at the start of the line (after an optional RFC 5424 "<pri>1 " prefix).
const ISO_LAYOUT =
  /^\[?(\d{4})[-/.](\d{2})[-/.](\d{2})[T _-](\d{2})[:.](\d{2})[:.](\d{2})(?:[.,:](\d{1,9}))?(\s?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})(?![\w:]))?\]?/;
/** loghub BGL / Thunderbird: alert label, epoch seconds, then a dotted date. */
const LABEL_EPOCH_LAYOUT = /^(\S+) (\d{10}) \d{4}\.\d{2}\.\d{2} /;
/** A log file name prefix before an ISO time (OpenStack's `nova-api.log.1.2017-05-16_13:53:08 2017-...`). */
const FILE_PREFIX_LAYOUT = /^\S+\.log\S* (?=\d{4}-\d{2}-\d{2})/;
/** Spark / log4j `yy/MM/dd HH:mm:ss`. */
const SHORT_YEAR_LAYOUT = /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/;
/** HDFS `yyMMdd HHmmss`. */
const COMPACT_LAYOUT = /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})(?= )/;
/** Apache error log `[Sun Dec 04 04:47:44 2005]` and ctime-like `Sun Dec 04 04:47:44 2005`. */
const CTIME_LAYOUT = /^\[?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\d{4})\]?/i;
/** Apache access / common log `[10/Oct/2000:13:55:36 -0700]`. */
const CLF_LAYOUT = /^\[(\d{2})\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\]/i;
/** BSD syslog `Dec 10 06:55:46` (no year). */
const SYSLOG_LAYOUT = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?= )/i;
/** glog `I0517 15:04:22.619632` (no year). */
const GLOG_LAYOUT = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?= )/;
/** A line that starts with epoch seconds or milliseconds. */
const EPOCH_LAYOUT = /^(\d{10}|\d{13})(?:\.(\d{1,9}))?(?=[\s,|\]])/;
const SYSLOG_PRIORITY = /^<\d{1,3}>(?:1 )?/;

/**
 * The timestamp a log line starts with, in UTC nanoseconds. Times without a zone are wall-clock
 * times in `zone`. Layouts without a year (syslog, glog) use `year` when given, else report `no-year`.
 */
export function leadingTimestamp(line: string, year?: number, zone: TimeZone = UTC): LeadingTime | null {
  const priority = SYSLOG_PRIORITY.exec(line);
  const skip = priority ? priority[0].length : FILE_PREFIX_LAYOUT.exec(line)?.[0].length ?? 0;
  const text = skip ? line.slice(skip) : line;
  const found = timestampAtStart(text, year, zone);
  return found ? { ...found, end: found.end + skip } : null;
}

function timestampAtStart(text: string, year: number | undefined, zone: TimeZone): LeadingTime | null {
  const first = text.charCodeAt(0);
  const startsWithDigit = first >= 48 && first <= 57;
  if (startsWithDigit || text[0] === '[') {
    const iso = ISO_LAYOUT.exec(text);
    if (iso) {
      const [whole, y, mo, d, h, mi, s, fraction = '', written] = iso;
      const tsNs = civilToNs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), fraction, zone, zoneOffsetMinutes(written));
      if (tsNs !== null) return { kind: 'time', tsNs, end: whole.length };
    }
  }
  if (startsWithDigit) {
    const short = SHORT_YEAR_LAYOUT.exec(text);
    if (short) {
      const [whole, y, mo, d, h, mi, s, fraction = ''] = short;
      const tsNs = civilToNs(2000 + Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), fraction, zone);
      if (tsNs !== null) return { kind: 'time', tsNs, end: whole.length };
    }
    const compact = COMPACT_LAYOUT.exec(text);
    if (compact) {
      const [whole, y, mo, d, h, mi, s] = compact;
      const tsNs = civilToNs(2000 + Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), '', zone);
      if (tsNs !== null) return { kind: 'time', tsNs, end: whole.length };
    }
    const epoch = EPOCH_LAYOUT.exec(text);
    if (epoch) {
      const tsNs = epochToNs(epoch[2] ? `${epoch[1]}.${epoch[2]}` : epoch[1]!);
      if (tsNs !== null) return { kind: 'time', tsNs, end: epoch[0].length };
    }
  }
  const labelled = LABEL_EPOCH_LAYOUT.exec(text);
  if (labelled) {
    const tsNs = epochToNs(labelled[2]!);
    if (tsNs !== null) return { kind: 'time', tsNs, end: labelled[0].length - 1 };
  }
  const ctime = CTIME_LAYOUT.exec(text);
  if (ctime) {
    const [whole, mon, d, h, mi, s, fraction = '', y] = ctime;
    const tsNs = civilToNs(Number(y), MONTHS[mon!.toLowerCase()]!, Number(d), Number(h), Number(mi), Number(s), fraction, zone);
    if (tsNs !== null) return { kind: 'time', tsNs, end: whole.length };
  }
  const clf = CLF_LAYOUT.exec(text);
  if (clf) {
    const [whole, d, mon, y, h, mi, s, written] = clf;
    const tsNs = civilToNs(Number(y), MONTHS[mon!.toLowerCase()]!, Number(d), Number(h), Number(mi), Number(s), '', zone, zoneOffsetMinutes(written));
    if (tsNs !== null) return { kind: 'time', tsNs, end: whole.length };
  }
  const syslog = SYSLOG_LAYOUT.exec(text);
  if (syslog) {
    const [whole, mon, d, h, mi, s, fraction = ''] = syslog;
    return yearless(year, MONTHS[mon!.toLowerCase()]!, Number(d), Number(h), Number(mi), Number(s), fraction, whole.length, zone);
  }
  const glog = GLOG_LAYOUT.exec(text);
  if (glog) {
    const [whole, , mo, d, h, mi, s, fraction = ''] = glog;
    return yearless(year, Number(mo), Number(d), Number(h), Number(mi), Number(s), fraction, whole.length, zone);
  }
  return null;
}

function yearless(year: number | undefined, month: number, day: number, hour: number, minute: number, second: number, fraction: string, end: number, zone: TimeZone): LeadingTime | null {
  if (year === undefined) return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? { kind: 'no-year', end } : null;
  const tsNs = civilToNs(year, month, day, hour, minute, second, fraction, zone);
  return tsNs === null ? null : { kind: 'time', tsNs, end };
}

/** A four-digit year named in a file path (`raw_log2021-07-29.log`, `/var/log/2023/`), for year-less layouts. */
export function yearFromPath(path: string): number | undefined {
  // A year followed by a month (2021-07, 2021_07, 20210729), or a folder named by a year; a bare
  // number such as a port (app-2048.log) is not a year.
  const match = /(?:^|[^\d])((?:19|20)\d{2})(?:[-_.]?(?:0[1-9]|1[0-2])(?:\d{2})?(?!\d)|(?=[\\/]))/.exec(path);
  return match ? Number(match[1]) : undefined;
}

export function nsToYear(ns: bigint): number {
  return new Date(Number(ns / 1_000_000n)).getUTCFullYear();
}

const UPPER_LEVEL = /(?:^|[\s[|:(-])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT|PANIC|EMERG|ALERT)(?=$|[\s\]|:)-])/;
const BRACKETED_LEVEL = /\[(trace|debug|info|notice|warn|warning|error|err|fatal|critical|crit|panic|emerg|alert)\]/i;
const TABBED_LEVEL = /(?:^|\t)(trace|debug|info|warn|warning|error|dpanic|panic|fatal)\t/i;
const KEYED_LEVEL = /\b(?:level|lvl|severity)=["']?(\w+)/i;
const GLOG_LEVEL: Record<string, Severity> = { I: 'INFO', W: 'WARN', E: 'ERROR', F: 'FATAL' };
const WORD_SEVERITY: Record<string, Severity> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  NOTICE: 'INFO',
  WARN: 'WARN',
  WARNING: 'WARN',
  ERROR: 'ERROR',
  ERR: 'ERROR',
  SEVERE: 'ERROR',
  FATAL: 'FATAL',
  CRITICAL: 'FATAL',
  CRIT: 'FATAL',
  PANIC: 'FATAL',
  EMERG: 'FATAL',
  ALERT: 'FATAL',
  DPANIC: 'FATAL',
};

/** How far into the message a level word is looked for: levels sit near the start, words later are prose. */
const LEVEL_WINDOW = 160;

/**
 * The level a log line states, or null: an upper-case level word, a bracketed or tab-delimited one
 * (`[error]`, zap console `\tinfo\t`), `level=...`, or a glog letter. `line` is the whole line,
 * `afterTime` where its timestamp ended.
 */
export function levelOf(line: string, afterTime = 0): Severity | null {
  const glog = /^([IWEF])\d{4} /.exec(line);
  if (glog && afterTime > 0) return GLOG_LEVEL[glog[1]!]!;
  const rest = line.slice(afterTime);
  const context = /^\s*\[SW_CTX:.*?\]\]/.exec(rest);
  const window = rest.slice(context ? context[0].length : 0, (context ? context[0].length : 0) + LEVEL_WINDOW);
  const keyed = KEYED_LEVEL.exec(window);
  if (keyed) {
    const severity = WORD_SEVERITY[keyed[1]!.toUpperCase()];
    if (severity) return severity;
  }
  const candidates = [UPPER_LEVEL.exec(window), BRACKETED_LEVEL.exec(window), TABBED_LEVEL.exec(window)].filter((m): m is RegExpExecArray => m !== null);
  if (candidates.length === 0) return null;
  candidates.sort((a, b) => a.index - b.index);
  return WORD_SEVERITY[candidates[0]![1]!.toUpperCase()] ?? null;
}

export interface TraceContext {
  traceId: string | null;
  spanId: string | null;
  /** The service the context names (SkyWalking SW_CTX, Spring Sleuth `[svc,trace,span]`). */
  service: string | null;
  /** SkyWalking's service instance. */
  instance: string | null;
}

const SW_CTX = /\[SW_CTX:\s*\[([^,\]]*),([^,\]]*),([^,\]]*),([^,\]]*),(-?\d+)\]\]/;
const TRACEPARENT = /\b[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}\b/;
const SLEUTH = /\[([\w.-]+),([0-9a-f]{16,32}),([0-9a-f]{16})(?:,(?:true|false))?\]/;
const TRACE_KEY = /\b(?:trace[_.-]?id|traceid|x-b3-traceid)["']?\s*[=:]\s*["']?([0-9a-zA-Z][0-9a-zA-Z.-]{7,63})/i;
const SPAN_KEY = /\b(?:span[_.-]?id|x-b3-spanid)["']?\s*[=:]\s*["']?([0-9a-zA-Z][0-9a-zA-Z.-]{3,63})/i;

/** Values that mean "no trace" in the loggers that print a placeholder. */
function meaningfulId(id: string | undefined): string | null {
  if (!id) return null;
  const trimmed = id.trim();
  if (trimmed === '' || trimmed === '-' || /^(?:n\/a|null|none|undefined)$/i.test(trimmed) || /^0+$/.test(trimmed)) return null;
  return trimmed;
}

/**
 * Trace context carried in a log line: SkyWalking `[SW_CTX:[svc,instance,traceId,segmentId,spanId]]`
 * (span id becomes `segmentId.spanId`, as SkyWalking's span exports write it), W3C `traceparent`,
 * Spring Sleuth `[svc,traceId,spanId]`, and `trace_id=` / `traceId:` / `TraceID:` keys.
 */
export function traceContextOf(line: string): TraceContext {
  const sw = line.includes('SW_CTX') ? SW_CTX.exec(line) : null;
  if (sw) {
    const [, service, instance, traceId, segmentId, spanId] = sw;
    const segment = meaningfulId(segmentId);
    return {
      traceId: meaningfulId(traceId),
      spanId: segment ? `${segment}.${spanId}` : null,
      service: meaningfulId(service),
      instance: meaningfulId(instance),
    };
  }
  const sleuth = line.includes(',') ? SLEUTH.exec(line) : null;
  if (sleuth) return { traceId: sleuth[2]!, spanId: sleuth[3]!, service: sleuth[1]!, instance: null };
  const keyedTrace = meaningfulId(TRACE_KEY.exec(line)?.[1]);
  if (keyedTrace) return { traceId: keyedTrace, spanId: meaningfulId(SPAN_KEY.exec(line)?.[1]), service: null, instance: null };
  const parent = line.includes('-') ? TRACEPARENT.exec(line) : null;
  if (parent && meaningfulId(parent[1])) return { traceId: parent[1]!, spanId: parent[2]!, service: null, instance: null };
  return { traceId: null, spanId: null, service: null, instance: null };
}

/** Folder names that say where logs are kept, not whose they are. */
const GENERIC_FOLDERS = new Set(['', '.', '..', 'log', 'logs', 'telemetry', 'data', 'tmp', 'var', 'output', 'export', 'exports', 'raw', 'app', 'apps', 'containers', 'pods', 'files']);

/**
 * The service a log file belongs to by its path: a Kubernetes pod file name
 * (`logs/payment/payment-6jfdv2jws9-slzh5.log` -> `payment`), else the parent folder unless it is a
 * generic one such as `logs`. Null when the path does not say.
 */
export function serviceFromPath(path: string): string | null {
  const parts = path.split(/[\\/]/).filter((part) => part.length > 0);
  const file = parts.at(-1) ?? '';
  // kubelet's layouts: /var/log/containers/<pod>_<namespace>_<container>-<id>.log and
  // /var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log
  const containerFile = /^([a-z0-9.-]+)_[a-z0-9-]+_.+-[0-9a-f]{64}\.log$/.exec(file);
  if (containerFile) return podToService(containerFile[1]!);
  const podFolder = parts.map((part) => /^[a-z0-9-]+_([a-z0-9.-]+)_[0-9a-f-]{32,36}$/.exec(part)).find((match) => match !== null);
  if (podFolder) return podToService(podFolder[1]!);
  const stem = file.replace(/(\.(log|txt|out|err|gz|json|jsonl|csv|logfmt|\d+))+$/i, '');
  const pod = podToService(stem);
  if (pod !== stem) return pod;
  const folder = parts.at(-2) ?? '';
  return GENERIC_FOLDERS.has(folder.toLowerCase()) ? null : folder;
}


const KEY_VALUE = /(?:^|[\s,;(])([A-Za-z_][\w.-]{0,63})=("(?:[^"\\]|\\.)*"|[^\s,;)\]]+)/g;
const MAX_KEY_VALUES = 32;

/**
 * The `key=value` pairs a message carries (`peer=payments status=504 error="503 Service Unavailable"`),
 * and the fields of a trailing JSON object as zap's console encoder writes them, as attributes.
 */
export function keyValuesOf(message: string): Attributes {
  const out: Attributes = {};
  const jsonStart = message.search(/\t\{"|\s\{"[\w.]+":/);
  if (jsonStart >= 0 && message.trimEnd().endsWith('}')) {
    try {
      const fields = JSON.parse(message.slice(jsonStart).trim()) as Record<string, unknown>;
      for (const [key, value] of Object.entries(fields).slice(0, MAX_KEY_VALUES)) {
        out[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
      return out;
    } catch {
      // not JSON after all: fall through to key=value pairs
    }
  }
  let count = 0;
  for (const match of message.matchAll(KEY_VALUE)) {
    const [, key, raw] = match;
    out[key!] = raw!.startsWith('"') ? raw!.slice(1, -1).replace(/\\(.)/g, '$1') : raw!;
    if (++count >= MAX_KEY_VALUES) break;
  }
  return out;
}
