import { metricPointBatcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { epochToNs } from '../normalize.js';
import { hasModifiedTime, headLines } from '../read.js';
import type { Attributes, MetricType, Sink } from '../records.js';
import { inferMetricType, sampleValue, serviceFromLabels } from './prometheus-query.js';

interface Sample {
  name: string;
  labels: Attributes;
  value: string;
  timestamp: string | null;
}

/**
 * One sample line of the text exposition format or OpenMetrics:
 * `name{label="value",...} value [timestamp] [# exemplar]`, including the quoted-name form
 * `{"name", label="value"} value` of Prometheus 3. Returns an error message when malformed.
 */
export function parseSampleLine(line: string): Sample | string {
  let index = 0;
  const length = line.length;
  while (index < length && line[index] !== '{' && line[index] !== ' ' && line[index] !== '\t') index += 1;
  let name = line.slice(0, index);
  const labels: Attributes = {};
  if (line[index] === '{') {
    index += 1;
    for (;;) {
      while (index < length && (line[index] === ' ' || line[index] === ',')) index += 1;
      if (index >= length) return 'unterminated label set';
      if (line[index] === '}') {
        index += 1;
        break;
      }
      let key: string;
      if (line[index] === '"') {
        const quoted = readQuoted(line, index);
        if (typeof quoted === 'string') return quoted;
        key = quoted.value;
        index = quoted.end;
      } else {
        const start = index;
        while (index < length && line[index] !== '=' && line[index] !== ' ' && line[index] !== '}' && line[index] !== ',') index += 1;
        key = line.slice(start, index);
      }
      while (line[index] === ' ') index += 1;
      if (line[index] !== '=') {
        if (name === '' && key) {
          name = key;
          continue;
        }
        return `label ${JSON.stringify(key)} has no value`;
      }
      index += 1;
      while (line[index] === ' ') index += 1;
      if (line[index] !== '"') return `label ${JSON.stringify(key)}: value is not quoted`;
      const quoted = readQuoted(line, index);
      if (typeof quoted === 'string') return quoted;
      labels[key] = quoted.value;
      index = quoted.end;
    }
  }
  if (!name) return 'sample without a metric name';
  const rest = line.slice(index).split('#', 1)[0]!.trim().split(/\s+/);
  const value = rest[0];
  if (!value) return `sample ${name} has no value`;
  return { name, labels, value, timestamp: rest[1] ?? null };
}

function readQuoted(line: string, start: number): { value: string; end: number } | string {
  let value = '';
  for (let index = start + 1; index < line.length; index += 1) {
    const char = line[index]!;
    if (char === '\\') {
      const next = line[index + 1];
      value += next === 'n' ? '\n' : (next ?? '');
      index += 1;
    } else if (char === '"') {
      return { value, end: index + 1 };
    } else {
      value += char;
    }
  }
  return 'unterminated quoted string';
}

const TYPE_BY_DECLARATION: Record<string, MetricType> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  gaugehistogram: 'histogram',
  summary: 'summary',
};

const FAMILY_SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_gcount', '_gsum', '_info'];

function familyOf(name: string, types: Map<string, string>): string | null {
  if (types.has(name)) return name;
  for (const suffix of FAMILY_SUFFIXES) {
    if (name.endsWith(suffix) && types.has(name.slice(0, -suffix.length))) return name.slice(0, -suffix.length);
  }
  return null;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  // Samples without a timestamp were scraped at one moment the file does not record: the file's
  // modification time is the closest witness, and the import time ("now") is used only when the
  // file has none (e.g. it came from a stream).
  const scrapeNs = (hasModifiedTime(input) ? input.modifiedNs : null) ?? BigInt(Date.now()) * 1_000_000n;
  const types = new Map<string, string>();
  const batch = metricPointBatcher(sink);
  for await (const { text, line } of input.lines()) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const declaration = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(trimmed);
      if (declaration) types.set(declaration[1]!.replace(/^"|"$/g, ''), declaration[2]!.toLowerCase());
      continue;
    }
    const sample = parseSampleLine(trimmed);
    if (typeof sample === 'string') {
      sink.issue({ line, message: `malformed sample: ${sample}` });
      continue;
    }
    const family = familyOf(sample.name, types);
    const declared = family ? types.get(family) : undefined;
    // OpenMetrics' _created samples are creation times, not measurements
    if (sample.name.endsWith('_created') && declared && declared !== 'gauge' && family !== sample.name) continue;
    const value = sampleValue(sample.value);
    if (value === null) {
      if (!/^[+-]?(NaN|Inf)$/i.test(sample.value)) sink.issue({ line, message: `sample ${sample.name}: value ${JSON.stringify(sample.value)} is not a number` });
      continue;
    }
    let tsNs = scrapeNs;
    if (sample.timestamp !== null) {
      const parsed = epochToNs(sample.timestamp);
      if (parsed === null) {
        sink.issue({ line, message: `sample ${sample.name}: timestamp ${sample.timestamp} is not plausible; sample skipped` });
        continue;
      }
      tsNs = parsed;
    }
    const metricType = (declared && TYPE_BY_DECLARATION[declared]) || inferMetricType(sample.name, sample.labels);
    await batch.add({ tsNs, name: sample.name, service: serviceFromLabels(sample.labels), labels: sample.labels, value, metricType, sourceLine: line });
  }
  await batch.flush();
}

const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?\s+[-+]?(\d[\d.eE+-]*|NaN|Inf)(\s+-?\d+(\.\d+)?)?(\s+#.*)?$/;

function detect(head: string, path: string): number {
  const lines = headLines(head, 40);
  if (lines.length === 0) return 0;
  const named = /\.(prom|om)(\.txt)?$|metrics/i.test(path) ? 0.01 : 0;
  const declarations = lines.filter((line) => /^#\s*(HELP|TYPE)\s+\S+/.test(line)).length;
  const samples = lines.filter((line) => SAMPLE.test(line)).length;
  const comments = lines.filter((line) => line.startsWith('#')).length;
  if (samples === 0) return 0;
  if (declarations > 0 && samples + comments === lines.length) return 0.95 + named;
  if (declarations > 0) return 0.8 + named;
  if (samples / lines.length >= 0.9 && samples >= 3) return 0.6 + named;
  return 0;
}

export const prometheusText: TelemetryFormat = {
  id: 'prometheus-text',
  label: 'Prometheus text exposition / OpenMetrics',
  signal: 'metrics',
  detect,
  parse,
};
