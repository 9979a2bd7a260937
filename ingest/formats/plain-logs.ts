import { logBatcher } from '../batcher.js';
import { type FormatInput, type TelemetryFormat, byContentThenName } from '../format.js';
import { keyValuesOf, leadingTimestamp, levelOf, nsToYear, serviceFromPath, traceContextOf, yearFromPath, type LeadingTime } from '../logline.js';
import { normalizeService } from '../normalize.js';
import { parseAccessLine } from './envoy-access.js';
import type { Attributes, LogRecord, Sink } from '../records.js';
import { UTC } from '../timezone.js';

/**
 * Plain text logs: Go log, glog, zap console, logback / log4j (Kafka's server.log), syslog, Apache,
 * PostgreSQL (durations kept as attributes), JVM unified GC logs (pause times), the loghub system
 * logs and Java logs with SkyWalking context, and Envoy / Istio access lines among a proxy's own
 * log lines (kept with their access-log fields). A record starts at a line that begins with a timestamp; lines
 * that do not (stack traces, wrapped messages) continue the record before them.
 *
 * Go's GODEBUG=gctrace lines carry no wall time, only seconds since the process started
 * (`gc 12 @35.540s ...`). They are standalone records; their time is the process start (bounded by
 * the timestamped lines around them) plus that offset, and `time_source` says so.
 */

const GO_GCTRACE = /^gc (\d+) @(\d+(?:\.\d+)?)s (\d+)%: ([\d.]+)\+([\d.]+)\+([\d.]+) ms clock.*?(\d+)->(\d+)->(\d+) MB/;
const JVM_GC_PAUSE = /\bGC\(\d+\) Pause\b.*?(\d+(?:\.\d+)?)ms\s*$/;
/** PostgreSQL's log_min_duration_statement line: `LOG:  duration: 1234.567 ms  statement: ...` (two spaces are PostgreSQL's). */
const POSTGRES_DURATION = /\b[A-Z]+\d?: {2}duration: (\d+(?:\.\d+)?) ms\b/;
/** Continuation lines kept per record: beyond this a runaway record is cut, not the file. */
const MAX_CONTINUATION_LINES = 2000;
const SAMPLE_LINES = 40;
/** The header glog writes at the top of each file; its creation date gives the year its lines lack. */
const GLOG_HEADER = /^(?:Log file created at: (\d{4})\/\d{2}\/\d{2}|Running on machine: |Running duration \(h:mm:ss\): |Log line format: )/;
/** Kubernetes CRI log files (containerd, CRI-O): `<RFC3339Nano> stdout F <line>`, `P` for a partial line. */
const CRI_PREFIX = /^ (stdout|stderr) ([FP]) ?/;
/** Lines that carry on a record when each arrives with its own runtime timestamp (CRI logs). */
const CONTINUATION = /^(\s|at |Caused by|\.\.\. \d+ more|goroutine \d+|[\w$.]+(Exception|Error)(:|$))/;
/**
 * Envoy / Istio access lines among the proxy's own log lines (an istio-proxy container's log):
 * `[<start time>] "<request>" <status> ...`, or a JSON access record. A cheap look before the parse.
 */
const ACCESS_LINE_HINT = /^(?:(?:[A-Za-z_-]+ )?\[\d{4}-\d{2}-\d{2}[T ][^\]]*\] "|\{.*"response_code")/;
const ID_KEYS = ['trace_id', 'span_id', 'traceId', 'spanId', 'trace.id', 'span.id', 'traceID', 'spanID'];

interface OpenRecord {
  tsNs: bigint | null;
  /** stdout / stderr, when the container runtime's prefix said. */
  stream: string | null;
  /** Where the first line's timestamp ends. */
  afterTime: number;
  firstLine: number;
  lines: string[];
  truncated: boolean;
}

function seconds(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt((fraction + '000000000').slice(0, 9));
}

function detectByContent(head: string): number {
  const lines = head.split('\n');
  if (lines.length > 1) lines.pop();
  const sample = lines.filter((line) => line.trim().length > 0).slice(0, SAMPLE_LINES);
  if (sample.length === 0) return 0;
  const jsonLike = sample.filter((line) => /^\s*[{[]\s*"/.test(line)).length;
  if (jsonLike / sample.length > 0.5) return 0;
  const timed = sample.filter((line) => leadingTimestamp(line) !== null || GO_GCTRACE.test(line)).length;
  const share = timed / sample.length;
  // Stack traces can outnumber the timestamped lines in a head; a file that opens with a timestamp
  // and has a few more is plain text whatever its share.
  if (leadingTimestamp(sample[0]!) !== null && timed >= Math.min(2, sample.length)) return 0.55 + 0.15 * share;
  return share >= 0.5 ? 0.3 + 0.3 * share : 0;
}

/**
 * Estimates a process's start from gctrace offsets: every gctrace line lies between the timestamped
 * lines around it, which bounds the start from below (previous line) and above (next line).
 */
class ProcessClock {
  private startLowerNs: bigint | null = null;
  private lastElapsedNs = -1n;
  private pending: { elapsedNs: bigint; afterNs: bigint | null; line: number; text: string; attributes: Attributes }[] = [];

  constructor(private readonly lastTimedNs: () => bigint | null) {}

  add(elapsedNs: bigint, line: number, text: string, attributes: Attributes): void {
    if (elapsedNs < this.lastElapsedNs) this.startLowerNs = null; // the process restarted
    this.lastElapsedNs = elapsedNs;
    const afterNs = this.lastTimedNs();
    if (afterNs !== null) {
      const lower = afterNs - elapsedNs;
      if (this.startLowerNs === null || lower > this.startLowerNs) this.startLowerNs = lower;
    }
    this.pending.push({ elapsedNs, afterNs, line, text, attributes });
  }

  /** Dates the pending lines now that a timestamped line (or the end of the file) bounds them. */
  settle(beforeNs: bigint | null): { record: Omit<LogRecord, 'service'>; dated: boolean }[] {
    let startUpperNs: bigint | null = null;
    if (beforeNs !== null) {
      for (const entry of this.pending) {
        const upper = beforeNs - entry.elapsedNs;
        if (startUpperNs === null || upper < startUpperNs) startUpperNs = upper;
      }
    }
    const startNs = this.startLowerNs ?? startUpperNs;
    const settled = this.pending.map((entry) => {
      let tsNs = startNs === null ? null : startNs + entry.elapsedNs;
      if (tsNs !== null && entry.afterNs !== null && tsNs < entry.afterNs) tsNs = entry.afterNs;
      if (tsNs !== null && beforeNs !== null && tsNs > beforeNs) tsNs = beforeNs;
      return {
        dated: tsNs !== null,
        record: {
          tsNs: tsNs ?? 0n,
          severity: 'INFO' as const,
          body: entry.text,
          traceId: null,
          spanId: null,
          attributes: { ...entry.attributes, time_source: 'process_elapsed' },
          sourceLine: entry.line,
        },
      };
    });
    this.pending = [];
    return settled;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }
}

function gcAttributes(match: RegExpExecArray): Attributes {
  const [, cycle, , cpuPercent, sweepTermMs, concurrentMs, markTermMs, heapStart, heapEnd, heapLive] = match;
  return {
    'gc.cycle': cycle!,
    'gc.pause_ms': String(Math.round((Number(sweepTermMs) + Number(markTermMs)) * 1000) / 1000),
    'gc.concurrent_ms': concurrentMs!,
    'gc.cpu_percent': cpuPercent!,
    'gc.heap_start_mb': heapStart!,
    'gc.heap_end_mb': heapEnd!,
    'gc.heap_live_mb': heapLive!,
  };
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const fileService = serviceFromPath(input.path);
  let year = yearFromPath(input.path);
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  let open: OpenRecord | null = null;
  let lastTimedNs: bigint | null = null;
  /** The last container-runtime line was a partial one (`P`): the next one continues it. */
  let criPartial = false;
  // The year of the last dated line, for year-less layouts further down; its bounds spare a Date per line.
  let yearStartNs = 0n;
  let yearEndNs = 0n;
  const clock = new ProcessClock(() => lastTimedNs);

  const close = async (): Promise<void> => {
    if (!open) return;
    const record = open;
    open = null;
    if (record.tsNs === null) {
      sink.issue({ line: record.firstLine, message: 'timestamp has no year and the file names none; line skipped' });
      return;
    }
    const first = record.lines[0]!;
    const afterTime = record.afterTime;
    // A container runtime's prefix is not part of the line the program wrote.
    const written = record.stream === null ? first : first.slice(afterTime);
    const access = ACCESS_LINE_HINT.test(written) ? parseAccessLine(written, zone) : null;
    if (access) {
      if (record.stream) access.attributes['stream'] = record.stream;
      if (record.truncated) access.attributes['truncated'] = 'true';
      const context = traceContextOf(written);
      await batch.add({
        tsNs: access.tsNs,
        service: fileService,
        severity: access.severity,
        body: [written.trim(), ...record.lines.slice(1)].join('\n'),
        traceId: context.traceId,
        spanId: context.spanId,
        attributes: access.attributes,
        sourceLine: record.firstLine,
      });
      return;
    }
    const body = [first.slice(afterTime).replace(/^[\]\s|:-]+/, ''), ...record.lines.slice(1)].join('\n');
    const context = traceContextOf(first);
    const attributes: Attributes = keyValuesOf(first.slice(afterTime));
    // The ids already have their own fields.
    for (const key of ID_KEYS) if (attributes[key] === context.traceId || attributes[key] === context.spanId) delete attributes[key];
    if (context.instance) attributes['service.instance.id'] = context.instance;
    if (record.truncated) attributes['truncated'] = 'true';
    if (record.stream) attributes['stream'] = record.stream;
    const jvmPause = first.includes('GC(') ? JVM_GC_PAUSE.exec(first) : null;
    if (jvmPause) attributes['gc.pause_ms'] = jvmPause[1]!;
    const postgresDuration = first.includes(':  duration: ') ? POSTGRES_DURATION.exec(first) : null;
    if (postgresDuration) {
      attributes['db.system'] = 'postgresql';
      attributes['duration_ms'] = postgresDuration[1]!;
    }
    await batch.add({
      tsNs: record.tsNs,
      service: context.service ? normalizeService(context.service) : fileService,
      severity: levelOf(first, afterTime) ?? 'INFO',
      body,
      traceId: context.traceId,
      spanId: context.spanId,
      attributes,
      sourceLine: record.firstLine,
    });
  };

  const settleClock = async (beforeNs: bigint | null): Promise<void> => {
    if (!clock.hasPending) return;
    for (const { record, dated } of clock.settle(beforeNs)) {
      if (dated) await batch.add({ ...record, service: fileService });
      else sink.issue({ line: record.sourceLine, message: 'gctrace line has no timestamped line to date it by; skipped' });
    }
  };

  for await (const { text, line } of input.lines()) {
    if (text.trim().length === 0) continue;
    const lead: LeadingTime | null = leadingTimestamp(text, year, zone);
    if (lead) {
      let afterTime = lead.end;
      let stream: string | null = null;
      const cri = lead.kind === 'time' ? CRI_PREFIX.exec(text.slice(lead.end)) : null;
      if (cri) {
        const content = text.slice(lead.end + cri[0].length);
        const joinsPartial = criPartial;
        criPartial = cri[2] === 'P';
        if (open && (joinsPartial || (CONTINUATION.test(content) && leadingTimestamp(content, year, zone) === null))) {
          if (joinsPartial) open.lines[open.lines.length - 1] += content;
          else if (open.lines.length <= MAX_CONTINUATION_LINES) open.lines.push(content);
          else open.truncated = true;
          continue;
        }
        afterTime += cri[0].length;
        stream = cri[1]!;
      }
      await close();
      const tsNs = lead.kind === 'time' ? lead.tsNs : null;
      if (tsNs !== null) {
        await settleClock(tsNs);
        lastTimedNs = tsNs;
        if (tsNs < yearStartNs || tsNs >= yearEndNs) {
          // the year on the wall clock of the import's zone, which year-less lines are read in
          year = nsToYear(tsNs);
          const startOf = (wallYear: number) => BigInt(zone.wallToUtcMs(Date.UTC(wallYear, 0, 1))) * 1_000_000n;
          if (tsNs < startOf(year)) year -= 1;
          else if (tsNs >= startOf(year + 1)) year += 1;
          yearStartNs = startOf(year);
          yearEndNs = startOf(year + 1);
        }
      }
      open = { tsNs, stream, afterTime, firstLine: line, lines: [text], truncated: false };
      continue;
    }
    const header = open ? null : GLOG_HEADER.exec(text);
    if (header) {
      if (header[1]) year = Number(header[1]);
      continue;
    }
    const gc = GO_GCTRACE.exec(text);
    if (gc) {
      await close();
      clock.add(seconds(gc[2]!), line, text, gcAttributes(gc));
      continue;
    }
    if (open) {
      if (open.lines.length <= MAX_CONTINUATION_LINES) open.lines.push(text);
      else open.truncated = true;
    } else {
      sink.issue({ line, message: 'line does not start with a recognised timestamp and follows no timestamped line; skipped' });
    }
  }
  await close();
  await settleClock(null);
  await batch.flush();
}

const detect = byContentThenName(detectByContent, /\.(log|out|err|txt)(\.\d+)?$|[\\/]logs?[\\/]/i);

export const plainLogs: TelemetryFormat = {
  id: 'plain-logs',
  label: 'Plain text logs',
  signal: 'logs',
  detect,
  parse,
};
