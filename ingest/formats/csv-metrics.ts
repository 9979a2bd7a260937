import { CsvHeader, csvRows, headerKey, readHeader, sampleDataLines, splitCsvLine } from '../csv.js';
import { metricPointBatcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { normalizeService, podToService, toNs } from '../normalize.js';
import type { Attributes, MetricType, Sink } from '../records.js';
import { UTC } from '../timezone.js';

/**
 * Metrics exported as CSV, in two shapes:
 * - long: one point per row (timestamp, metric name, value, and labels either as a Prometheus /
 *   JSON label string or as one column per label);
 * - wide: a time column and one column per series. A column named `<service>_<metric>` (as RCD's
 *   Sock Shop exports write `carts_cpu`) splits into service and metric when the file's columns share
 *   metric suffixes across services; otherwise each column is a metric of the row's service column,
 *   or of the pod the file is named after (Nezha's `<pod>_metric.csv`).
 */

const TIME = ['timestamp', 'time', 'ts', 'datetime', 'date', '@timestamp', 'TimeUnixNano', 'time_unix_nano', 'Timestamp'];
const TIME_KEYS = new Set(TIME.map(headerKey));
const METRIC = ['metric', 'metric_name', 'name', '__name__', 'series'];
const VALUE = ['value', 'val', 'sample', 'metric_value'];
const LABELS = ['labels', 'tags', 'attributes', 'dimensions'];
const TYPE = ['type', 'metric_type', 'kind'];
const SERVICE_COLUMNS = ['ServiceName', 'service', 'service_name', 'svc', 'app'];
const POD_COLUMNS = ['PodName', 'pod', 'pod_name'];
/** Labels that name the service, best first; `job` is last because scrape jobs are often shared. */
const SERVICE_LABELS = ['service', 'service_name', 'service.name', 'app', 'app_kubernetes_io_name', 'application'];
const POD_LABELS = ['pod', 'pod_name', 'k8s_pod_name', 'kubernetes_pod_name'];
const CONTAINER_LABELS = ['container', 'container_name'];

function metricTypeOf(name: string, declared?: string): MetricType {
  const type = declared?.trim().toLowerCase();
  if (type === 'counter' || type === 'sum') return 'counter';
  if (type === 'histogram' || type === 'summary' || type === 'gauge') return type;
  if (/_bucket$/.test(name)) return 'histogram';
  if (/(_total|_count|_sum)$/.test(name)) return 'counter';
  return 'gauge';
}

/** `{a="b",c="d"}` (Prometheus), `{"a":"b"}` (JSON) or `a=b;c=d` label strings to a map. */
export function parseLabels(text: string): Attributes | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '{}') return {};
  if (trimmed.startsWith('{"')) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
    } catch {
      return null;
    }
  }
  const body = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : trimmed;
  const labels: Attributes = {};
  const pair = /\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,;"][^,;]*|))\s*[,;]?/y;
  let index = 0;
  while (index < body.length) {
    pair.lastIndex = index;
    const match = pair.exec(body);
    if (!match || match[0].length === 0) return null;
    labels[match[1]!] = match[2] !== undefined ? match[2].replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch)) : match[3]!.trim();
    index = pair.lastIndex;
  }
  return labels;
}

function serviceFromLabels(labels: Attributes): string | null {
  for (const key of SERVICE_LABELS) if (labels[key]) return normalizeService(labels[key]!);
  for (const key of POD_LABELS) if (labels[key]) return podToService(labels[key]!);
  for (const key of CONTAINER_LABELS) if (labels[key] && labels[key] !== 'POD') return normalizeService(labels[key]!);
  return labels['job'] ? normalizeService(labels['job']) : null;
}

/** The service a wide file belongs to by name: `payment-7d9f8c6b5-x2k4z_metric.csv` -> `payment`. */
function serviceFromFileName(path: string): string | null {
  const stem = (path.split(/[\\/]/).at(-1) ?? '').replace(/\.csv$/i, '').replace(/[_-]?metrics?$/i, '');
  const service = podToService(stem);
  return service !== stem ? service : null;
}

function isNumeric(value: string): boolean {
  const v = value.trim();
  return v !== '' && (Number.isFinite(Number(v)) || /^[+-]?(nan|inf|infinity)$/i.test(v));
}

function detect(head: string, path: string): number {
  const read = readHeader(head);
  if (!read) return 0;
  const { header, delimiter } = read;
  const rows = sampleDataLines(head, 10).map((line) => splitCsvLine(line, delimiter).fields);
  if (rows.length === 0) return 0;
  const time = header.find(...TIME);
  if (time === undefined || !rows.some((row) => toNs(row[time] ?? '') !== null)) return 0;
  const metric = header.find(...METRIC);
  const value = header.find(...VALUE);
  if (metric !== undefined && value !== undefined) return rows.filter((row) => isNumeric(row[value] ?? '')).length / rows.length >= 0.7 ? 0.9 : 0.4;
  // time-like and service columns hold text by nature; the rest decide whether this is a metrics table
  const labelled = new Set([header.find(...SERVICE_COLUMNS), header.find(...POD_COLUMNS)]);
  const others = header.names.map((_, i) => i).filter((i) => !TIME_KEYS.has(headerKey(header.names[i]!)) && !labelled.has(i));
  const numeric = others.filter((i) => rows.every((row) => isNumeric(row[i] ?? '')));
  if (numeric.length === 0 || numeric.length / others.length < 0.6) return 0;
  // A telling file name adds a hundredth, which only breaks ties between formats.
  return /metric/i.test(path) ? 0.76 : 0.75;
}

interface WideColumn {
  index: number;
  metric: string;
  service: string | null;
}

/**
 * Splits `<service>_<metric>` columns when at least two services share a metric suffix and most
 * columns follow the pattern; otherwise columns are metric names as they stand.
 */
function wideColumns(header: CsvHeader, valueColumns: number[]): WideColumn[] {
  const split = valueColumns.map((index) => {
    const match = /^([A-Za-z0-9-]+?)_(.+)$/.exec(header.names[index]!);
    return { index, prefix: match?.[1], suffix: match?.[2] };
  });
  const servicesBySuffix = new Map<string, Set<string>>();
  for (const { prefix, suffix } of split) {
    if (!prefix || !suffix) continue;
    const services = servicesBySuffix.get(suffix) ?? new Set<string>();
    services.add(prefix);
    servicesBySuffix.set(suffix, services);
  }
  const shared = [...servicesBySuffix.values()].some((services) => services.size >= 2);
  const patterned = split.filter((column) => column.prefix).length / Math.max(1, split.length) >= 0.8;
  return split.map(({ index, prefix, suffix }) =>
    shared && patterned && prefix && suffix ? { index, metric: suffix, service: normalizeService(prefix) } : { index, metric: header.names[index]!, service: null },
  );
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  let header: CsvHeader | null = null;
  let mode: 'long' | 'wide' | null = null;
  let time = -1;
  let metric = -1;
  let value = -1;
  let labelsColumn: number | undefined;
  let typeColumn: number | undefined;
  let labelColumns: number[] = [];
  let serviceColumn: number | undefined;
  let podColumn: number | undefined;
  let wide: WideColumn[] = [];
  let textColumns: number[] = [];
  const fileService = serviceFromFileName(input.path);
  const batch = metricPointBatcher(sink);
  const zone = input.timezone ?? UTC;
  const rows = csvRows(input.lines(), (line) => sink.issue({ line, message: 'quoted field never closes; row skipped' }));
  for await (const { fields, line } of rows) {
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    if (!header) {
      header = new CsvHeader(fields);
      const t = header.find(...TIME);
      if (t === undefined) {
        sink.issue({ line, message: 'no time column (timestamp, time, ts, datetime)' });
        return;
      }
      time = t;
      const m = header.find(...METRIC);
      const v = header.find(...VALUE);
      if (m !== undefined && v !== undefined) {
        mode = 'long';
        metric = m;
        value = v;
        labelsColumn = header.find(...LABELS);
        typeColumn = header.find(...TYPE);
        const taken = new Set([time, metric, value, labelsColumn, typeColumn]);
        labelColumns = header.names.map((_, i) => i).filter((i) => !taken.has(i));
      } else {
        mode = 'wide';
        serviceColumn = header.find(...SERVICE_COLUMNS);
        podColumn = header.find(...POD_COLUMNS);
      }
      continue;
    }
    if (fields.length !== header.names.length) {
      sink.issue({ line, message: `${fields.length} fields where the header has ${header.names.length}; row skipped` });
      continue;
    }
    if (mode === 'wide' && wide.length === 0 && textColumns.length === 0) {
      // The first data row decides which columns hold numbers (series) and which hold text (labels).
      const timeLike = new Set(header.names.map((_, i) => i).filter((i) => TIME_KEYS.has(headerKey(header!.names[i]!))));
      // a column without a name cannot be a series
      const candidates = header.names.map((_, i) => i).filter((i) => !timeLike.has(i) && i !== serviceColumn && i !== podColumn && header!.names[i] !== '');
      const numeric = candidates.filter((i) => isNumeric(fields[i]!) || fields[i]!.trim() === '');
      textColumns = candidates.filter((i) => !numeric.includes(i));
      wide = wideColumns(header, numeric);
    }
    const tsNs = toNs(fields[time]!.trim(), zone);
    if (tsNs === null) {
      sink.issue({ line, message: `unreadable time "${fields[time]}"; row skipped` });
      continue;
    }
    if (mode === 'long') {
      const raw = fields[value]!.trim();
      const number = Number(raw);
      if (raw === '' || /^nan$/i.test(raw)) continue;
      if (Number.isNaN(number)) {
        sink.issue({ line, message: `value "${raw}" is not a number; row skipped` });
        continue;
      }
      const labels: Attributes = {};
      if (labelsColumn !== undefined) {
        const parsed = parseLabels(fields[labelsColumn]!);
        if (parsed === null) {
          sink.issue({ line, message: `unreadable labels "${fields[labelsColumn]}"; row skipped` });
          continue;
        }
        Object.assign(labels, parsed);
      }
      for (const i of labelColumns) {
        const labelValue = fields[i]!.trim();
        if (labelValue !== '') labels[header.names[i]!] ??= labelValue;
      }
      const name = fields[metric]!.trim();
      if (name === '') {
        sink.issue({ line, message: 'no metric name; row skipped' });
        continue;
      }
      await batch.add({
        tsNs,
        name,
        service: serviceFromLabels(labels),
        labels,
        value: number,
        metricType: metricTypeOf(name, typeColumn === undefined ? undefined : fields[typeColumn]),
        sourceLine: line,
      });
      continue;
    }
    const rowLabels: Attributes = {};
    for (const i of textColumns) if (fields[i]!.trim() !== '') rowLabels[header.names[i]!] = fields[i]!.trim();
    const pod = podColumn === undefined ? '' : fields[podColumn]!.trim();
    if (pod) rowLabels['pod'] = pod;
    const rowService = serviceColumn !== undefined && fields[serviceColumn]!.trim() ? normalizeService(fields[serviceColumn]!) : pod ? podToService(pod) : fileService;
    for (const column of wide) {
      const raw = fields[column.index]!.trim();
      if (raw === '' || /^[+-]?nan$/i.test(raw)) continue;
      const number = Number(raw);
      if (Number.isNaN(number)) {
        sink.issue({ line, message: `${header.names[column.index]} value "${raw}" is not a number; skipped` });
        continue;
      }
      await batch.add({
        tsNs,
        name: column.metric,
        service: column.service ?? rowService,
        labels: rowLabels,
        value: number,
        metricType: metricTypeOf(column.metric),
        sourceLine: line,
      });
    }
  }
  await batch.flush();
}

export const csvMetrics: TelemetryFormat = {
  id: 'csv-metrics',
  label: 'CSV metrics',
  signal: 'metrics',
  detect,
  parse,
};
