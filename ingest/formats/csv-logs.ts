import { CsvHeader, csvRows, readHeader, sampleDataLines, splitCsvLine } from '../csv.js';
import { logBatcher } from '../batcher.js';
import { type FormatInput, type TelemetryFormat, byContentThenName } from '../format.js';
import { leadingTimestamp, levelOf, serviceFromPath, traceContextOf } from '../logline.js';
import { normalizeService, normalizeSeverity, podToService, toNs } from '../normalize.js';
import type { Attributes, Severity, Sink } from '../records.js';
import { UTC, type TimeZone } from '../timezone.js';

/**
 * Logs exported as CSV: one row per line with a time column and a message column, optionally level,
 * service or pod, and trace / span ids. Covers collector dumps that keep the container runtime's JSON
 * line as the message (`{"log":"...","stream":"stdout","time":"..."}`, as in Nezha), dataset tables
 * such as `datetime,service,message`, and log-parser outputs with separate Date and Time columns.
 */

/** Time columns, most precise first: the first one that reads as a full timestamp wins for each row. */
const TIME = ['TimeUnixNano', 'time_unix_nano', 'timestamp', 'time', 'datetime', '@timestamp', 'ts', 'date'];
const MESSAGE = ['Log', 'message', 'msg', 'body', 'content', 'line', 'text', 'log_message'];
const LEVEL = ['level', 'severity', 'log_level', 'lvl', 'loglevel', 'severity_text'];
const SERVICE = ['service', 'ServiceName', 'service_name', 'app', 'application'];
const POD = ['PodName', 'pod', 'pod_name', 'k8s_pod_name'];
const TRACE = ['TraceID', 'trace_id', 'traceId'];
const SPAN = ['SpanID', 'span_id', 'spanId'];
const CONTEXT = ['SW_CTX', 'trace_context', 'traceparent'];
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$|^\d{6}$/;

interface Columns {
  times: number[];
  /** Log-parser outputs split date and time of day into two columns. */
  dateAndTime?: [number, number];
  message: number;
  level?: number;
  service?: number;
  pod?: number;
  trace?: number;
  span?: number;
  context?: number;
}

function columnsOf(header: CsvHeader): Columns | null {
  const message = header.find(...MESSAGE);
  if (message === undefined) return null;
  const times = TIME.map((name) => header.find(name)).filter((i): i is number => i !== undefined);
  const date = header.find('date');
  const timeOfDay = header.find('time');
  const unique = [...new Set(times)];
  if (unique.length === 0) return null;
  return {
    times: unique,
    dateAndTime: date !== undefined && timeOfDay !== undefined ? [date, timeOfDay] : undefined,
    message,
    level: header.find(...LEVEL),
    service: header.find(...SERVICE),
    pod: header.find(...POD),
    trace: header.find(...TRACE),
    span: header.find(...SPAN),
    context: header.find(...CONTEXT),
  };
}

function detectByContent(head: string): number {
  const read = readHeader(head);
  if (!read) return 0;
  const columns = columnsOf(read.header);
  if (!columns) return 0;
  const width = read.header.names.length;
  const rows = sampleDataLines(head, 5).map((line) => splitCsvLine(line, read.delimiter).fields);
  // Messages may hold newlines, so a sampled physical line can be short; one full row is enough.
  return rows.some((fields) => fields.length === width) ? 0.9 : 0.6;
}

interface Unwrapped {
  text: string;
  severity: Severity | null;
  tsNs: bigint | null;
  attributes: Attributes;
}

/** Container runtime JSON lines and JSON application logs inside them, down to the message. */
function unwrap(message: string, zone: TimeZone): Unwrapped {
  const attributes: Attributes = {};
  let text = message;
  let severity: Severity | null = null;
  let tsNs: bigint | null = null;
  for (let depth = 0; depth < 2 && text.trimStart().startsWith('{'); depth++) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      break;
    }
    if (typeof value !== 'object' || value === null) break;
    const record = value as Record<string, unknown>;
    const inner = record.log ?? record.message ?? record.msg;
    if (typeof inner !== 'string') break;
    const level = record.severity ?? record.level ?? record.lvl;
    severity ??= normalizeSeverity(level);
    tsNs ??= toNs(record.time ?? record.timestamp ?? record.ts, zone);
    if (typeof record.stream === 'string') attributes['stream'] = record.stream;
    if (typeof record.name === 'string') attributes['logger'] = record.name;
    text = inner.replace(/\n$/, '');
  }
  return { text, severity, tsNs, attributes };
}

function rowTime(fields: string[], columns: Columns, message: string, unwrappedNs: bigint | null, zone: TimeZone): bigint | null {
  for (const i of columns.times) {
    const value = fields[i]!.trim();
    if (value === '' || DATE_ONLY.test(value)) continue;
    const ns = toNs(value, zone);
    if (ns !== null) return ns;
  }
  if (columns.dateAndTime) {
    const [date, time] = columns.dateAndTime;
    const lead = leadingTimestamp(`${fields[date]!.trim()} ${fields[time]!.trim()} `, undefined, zone);
    if (lead?.kind === 'time') return lead.tsNs;
  }
  const lead = leadingTimestamp(message, undefined, zone);
  if (lead?.kind === 'time') return lead.tsNs;
  return unwrappedNs;
}

function meaningful(value: string | undefined): string | null {
  const v = value?.trim() ?? '';
  return v === '' || v === '-' || /^(null|none|n\/a)$/i.test(v) ? null : v;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  let header: CsvHeader | null = null;
  let columns: Columns | null = null;
  let used = new Set<number>();
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  const fileService = serviceFromPath(input.path);
  const rows = csvRows(input.lines(), (line) => sink.issue({ line, message: 'quoted field never closes; row skipped' }));
  for await (const { fields, line } of rows) {
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    if (!header) {
      header = new CsvHeader(fields);
      columns = columnsOf(header);
      if (!columns) {
        sink.issue({ line, message: 'header has no message and time columns' });
        return;
      }
      const c = columns;
      used = new Set([...c.times, c.message, c.level, c.service, c.pod, c.trace, c.span, c.context, ...(c.dateAndTime ?? [])].filter((i): i is number => i !== undefined));
      continue;
    }
    const c = columns!;
    if (fields.length !== header.names.length) {
      sink.issue({ line, message: `${fields.length} fields where the header has ${header.names.length}; row skipped` });
      continue;
    }
    if (fields[c.message]!.trim() === '') continue;
    const unwrapped = unwrap(fields[c.message]!, zone);
    const tsNs = rowTime(fields, c, unwrapped.text, unwrapped.tsNs, zone);
    if (tsNs === null) {
      sink.issue({ line, message: 'no readable time in the time columns or the message; row skipped' });
      continue;
    }
    const context = traceContextOf(c.context === undefined ? unwrapped.text : `${fields[c.context]} ${unwrapped.text}`);
    const serviceValue = meaningful(c.service === undefined ? undefined : fields[c.service]);
    const podValue = meaningful(c.pod === undefined ? undefined : fields[c.pod]);
    const attributes: Attributes = { ...unwrapped.attributes };
    header.names.forEach((name, i) => {
      if (used.has(i) || name === '') return;
      const value = meaningful(fields[i]);
      if (value !== null) attributes[name] = value;
    });
    if (podValue) attributes['k8s.pod.name'] = podValue;
    if (context.instance) attributes['service.instance.id'] = context.instance;
    const levelValue = c.level === undefined ? null : normalizeSeverity(fields[c.level]);
    await batch.add({
      tsNs,
      service: serviceValue ? normalizeService(serviceValue) : podValue ? podToService(podValue) : context.service ? normalizeService(context.service) : fileService,
      severity: levelValue ?? unwrapped.severity ?? levelOf(unwrapped.text) ?? 'INFO',
      body: unwrapped.text,
      traceId: meaningful(c.trace === undefined ? undefined : fields[c.trace]) ?? context.traceId,
      spanId: meaningful(c.span === undefined ? undefined : fields[c.span]) ?? context.spanId,
      attributes,
      sourceLine: line,
    });
  }
  await batch.flush();
}

const detect = byContentThenName(detectByContent, /log/i);

export const csvLogs: TelemetryFormat = {
  id: 'csv-logs',
  label: 'CSV logs',
  signal: 'logs',
  detect,
  parse,
};
