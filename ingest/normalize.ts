import type { Attributes, Severity } from './records.js';
import { UTC, type TimeZone } from './timezone.js';

/**
 * Kubernetes names generated suffixes from this alphabet (no vowels, no 0, 1 or 3), which keeps
 * ordinary words such as "engine" or "service" from being mistaken for a pod hash.
 */
const K8S_HASH = '[bcdfghjklmnpqrstvwxz2456789]';
const DEPLOYMENT_POD = new RegExp(`^(.+?)-${K8S_HASH}{6,10}-${K8S_HASH}{5}$`);
const BARE_POD = new RegExp(`^(.+?)-${K8S_HASH}{5}$`);

/**
 * The service name as traces, logs and metrics should all call it: trimmed, and for a Kubernetes
 * pod name (`payment-7d9f8c6b5-x2k4z`) the workload name (`payment`).
 */
export function normalizeService(raw: string): string {
  const name = raw.trim();
  const deployment = DEPLOYMENT_POD.exec(name);
  if (deployment) return deployment[1]!;
  return name;
}

/** Like normalizeService, for a value known to be a pod name: also strips a lone 5-character suffix. */
export function podToService(pod: string): string {
  const name = normalizeService(pod);
  if (name !== pod.trim()) return name;
  const bare = BARE_POD.exec(name);
  return bare ? bare[1]! : name;
}

const NS_PER_MS = 1_000_000n;

/** Plausible telemetry lies between 1990 and 2100; anything else is reported, not stored. */
const MIN_NS = 631_152_000_000_000_000n;
const MAX_NS = 4_102_444_800_000_000_000n;

export function isPlausibleNs(ns: bigint): boolean {
  return ns >= MIN_NS && ns <= MAX_NS;
}

/**
 * Epoch numbers in seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude,
 * to UTC nanoseconds. Returns null for values that fit no unit in a plausible range.
 */
export function epochToNs(value: number | bigint | string): bigint | null {
  let text = typeof value === 'string' ? value.trim() : String(value);
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return null;
  if (/e/i.test(text)) {
    const number = Number(text);
    // toFixed writes 1e21 and above in exponent form again; such values are no time anyway
    if (!(Math.abs(number) < 1e21)) return null;
    text = number.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
  }
  if (text.includes('.')) {
    const [whole = '0', fraction = ''] = text.split('.');
    const digits = whole.replace('-', '').length;
    const exponent = digits <= 11 ? 9 : digits <= 14 ? 6 : digits <= 17 ? 3 : 0;
    const scaled = BigInt(whole + (fraction + '000000000').slice(0, exponent));
    return checked(scaled);
  }
  const int = BigInt(text);
  const digits = text.replace('-', '').length;
  const ns = digits <= 11 ? int * 1_000_000_000n : digits <= 14 ? int * NS_PER_MS : digits <= 17 ? int * 1000n : int;
  return checked(ns);
}

function checked(ns: bigint): bigint | null {
  return isPlausibleNs(ns) ? ns : null;
}

const ISO_LIKE = /^(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * ISO 8601 and its common log variants ("2024-09-20 14:08:40,885", "2024/09/20T14:08:40.885123Z")
 * to UTC nanoseconds. A time without a zone is taken as wall-clock time in `zone`.
 */
export function isoToNs(text: string, zone: TimeZone = UTC): bigint | null {
  const match = ISO_LIKE.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '00', fraction = '', written] = match;
  const offset = written === undefined || written.toUpperCase() === 'Z' || written.toUpperCase() === 'UTC' ? 'Z' : written.length === 5 ? `${written.slice(0, 3)}:${written.slice(3)}` : written;
  const parsed = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`);
  if (Number.isNaN(parsed)) return null;
  const ms = written === undefined ? zone.wallToUtcMs(parsed) : parsed;
  const fractionNs = BigInt((fraction + '000000000').slice(0, 9));
  return checked(BigInt(ms) * NS_PER_MS + fractionNs);
}

/**
 * Any timestamp a format may carry: epoch number in any unit, or an ISO-like string (taken as
 * wall-clock time in `zone` when it names no zone of its own).
 */
export function toNs(value: unknown, zone: TimeZone = UTC): bigint | null {
  if (typeof value === 'number' || typeof value === 'bigint') return epochToNs(value);
  if (typeof value !== 'string' || value.length === 0) return null;
  return epochToNs(value) ?? isoToNs(value, zone);
}

/** Flattens nested objects into dotted keys; arrays and scalars become strings. */
export function flattenAttributes(value: Record<string, unknown>, prefix = '', out: Attributes = {}): Attributes {
  for (const [key, item] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (item === null || item === undefined) continue;
    if (typeof item === 'object' && !Array.isArray(item)) {
      flattenAttributes(item as Record<string, unknown>, name, out);
    } else {
      out[name] = typeof item === 'string' ? item : JSON.stringify(item);
    }
  }
  return out;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  dbg: 'DEBUG',
  info: 'INFO',
  information: 'INFO',
  notice: 'INFO',
  i: 'INFO',
  warn: 'WARN',
  warning: 'WARN',
  w: 'WARN',
  error: 'ERROR',
  err: 'ERROR',
  e: 'ERROR',
  critical: 'FATAL',
  crit: 'FATAL',
  fatal: 'FATAL',
  panic: 'FATAL',
  dpanic: 'FATAL',
  emerg: 'FATAL',
  alert: 'FATAL',
  f: 'FATAL',
};

/** Level words of every common logger, and OTLP / syslog / pino / bunyan numbers, to one scale. */
export function normalizeSeverity(value: unknown): Severity | null {
  if (typeof value === 'number') {
    // pino and bunyan: 10 trace .. 60 fatal
    if (value >= 10 && value % 10 === 0 && value <= 60) return (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const)[value / 10 - 1]!;
    // OTLP SeverityNumber: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal
    if (value >= 1 && value <= 24) return (['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const)[Math.floor((value - 1) / 4)]!;
    return null;
  }
  if (typeof value !== 'string') return null;
  const word = value.trim().toLowerCase();
  return SEVERITY_WORDS[word] ?? (/^\d+$/.test(word) ? normalizeSeverity(Number(word)) : null);
}
