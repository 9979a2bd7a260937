/**
 * Imports every public-corpus and sample-incident file of H2's formats (Jaeger, Zipkin, CSV spans /
 * logs / metrics, Envoy access, logfmt, plain text) through the real reader and detector, and checks
 * the records against counts this test derives from the files itself.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, HEAD_CHARS } from './detect.js';
import type { TelemetryFormat } from './format.js';
import { collectingSink, type CollectingSink } from './formats/more-formats.testkit.js';
import { decodedHead, fileSource, formatInput, memorySource, type StoredSource } from './read.js';

const shared = fileURLToPath(new URL('../../shared/', import.meta.url));
const corpus = join(shared, 'corpus');
const scenarios = join(shared, 'scenarios');

const checked: Record<string, number> = {};
afterAll(() => {
  if (Object.keys(checked).length > 0) console.log('corpus-more: files checked per format', checked);
});

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function read(path: string): string {
  return readFileSync(path, 'utf8').replace(/^\uFEFF/, '').replace(/\r/g, '');
}

function dataLines(path: string): string[] {
  return read(path)
    .split('\n')
    .filter((line) => line.trim().length > 0);
}

/** Detects like the importer does, asserts the expected format, and parses through the real reader. */
async function importAs(expected: string, source: StoredSource): Promise<CollectingSink> {
  const head = await decodedHead(source, HEAD_CHARS);
  const { format } = detectFormat(head, source.path);
  expect(format?.id, `${source.path} detected as`).toBe(expected);
  const sink = collectingSink();
  await (format as TelemetryFormat).parse(formatInput(source), sink);
  checked[expected] = (checked[expected] ?? 0) + 1;
  return sink;
}

const importFile = (expected: string, path: string) => importAs(expected, fileSource(path, null));

/** Files of one format in the scenario manifests: `{signal: {format, dir, files}}`. */
function scenarioFiles(manifestFormat: string, signal: 'traces' | 'logs' | 'metrics'): string[] {
  if (!existsSync(scenarios)) return [];
  return readdirSync(scenarios).flatMap((name) => {
    const manifestPath = join(scenarios, name, 'manifest.json');
    if (!existsSync(manifestPath)) return [];
    const manifest = JSON.parse(read(manifestPath)) as Record<string, { format?: string; dir?: string; files?: string[] }>;
    const entry = manifest[signal];
    if (entry?.format !== manifestFormat) return [];
    return (entry.files ?? []).map((file) => join(scenarios, name, 'telemetry', entry.dir ?? signal, file));
  });
}

type Json = Record<string, unknown>;
const PLAUSIBLE_US = 631_152_000_000_000; // 1990 in µs

function jaegerSpans(doc: unknown): Json[] {
  if (Array.isArray(doc)) return doc.flatMap((item) => (item && typeof item === 'object' && Array.isArray((item as Json).spans) ? ((item as Json).spans as Json[]) : [item as Json]));
  const object = doc as Json;
  if (Array.isArray(object.data)) return object.data.flatMap((trace) => (trace as Json).spans as Json[]);
  if (object.data && typeof object.data === 'object') return (object.data as Json).spans as Json[];
  if (Array.isArray(object.spans)) return object.spans as Json[];
  return [object];
}

function jaegerTagIsError(span: Json): boolean {
  // UI JSON writes `value`; the domain model writes typed `vStr` / `vBool` fields.
  const tags = (span.tags as { key: string; value?: unknown; vStr?: unknown; vBool?: unknown }[] | undefined) ?? [];
  return tags.some((tag) => {
    const value = String(tag.value ?? tag.vStr ?? tag.vBool);
    return (tag.key === 'error' && value === 'true') || (tag.key === 'otel.status_code' && value === 'ERROR');
  });
}

describe.skipIf(!existsSync(shared))('H2 formats on the corpus and the sample incidents', () => {
  it('jaeger: every Jaeger-shaped file, with spans and errors counted from the JSON', async () => {
    const candidates = [...walk(join(corpus, 'jaeger')), ...walk(join(corpus, 'jaeger-ui')), ...walk(join(corpus, 'jaeger-analytics-java')), ...scenarioFiles('jaeger', 'traces')];
    const files = candidates.filter((path) => path.endsWith('.json') && /"(spanID|operationName)"/.test(read(path).slice(0, 4096)));
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const path of files) {
      const spans = jaegerSpans(JSON.parse(read(path)));
      const dated = spans.filter((span) => typeof span.startTime === 'string' || (typeof span.startTime === 'number' && span.startTime > PLAUSIBLE_US));
      const sink = await importFile('jaeger', path);
      expect(sink.spanRecords.length, path).toBe(dated.length);
      expect(sink.issues.length, path).toBe(spans.length - dated.length);
      expect(sink.spanRecords.filter((span) => span.statusCode === 2).length, path).toBe(dated.filter(jaegerTagIsError).length);
      expect(new Set(sink.spanRecords.map((span) => span.traceId)).size, path).toBe(new Set(dated.map((span) => String(span.traceID ?? span.traceId))).size);
    }
  });

  it('zipkin: every file, with spans, timestamps and error tags counted from the JSON', async () => {
    const files = [...walk(join(corpus, 'zipkin')).filter((path) => path.endsWith('.json')), ...scenarioFiles('zipkin', 'traces')];
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const path of files) {
      const doc = JSON.parse(read(path)) as unknown;
      const spans = (Array.isArray(doc) ? doc.flat() : [doc]) as Json[];
      const dated = spans.filter((span) => typeof span.timestamp === 'number');
      const sink = await importFile('zipkin', path);
      expect(sink.spanRecords.length, path).toBe(dated.length);
      expect(sink.issues.length, path).toBe(spans.length - dated.length);
      const errors = dated.filter((span) => span.tags !== undefined && 'error' in (span.tags as Json)).length;
      expect(sink.spanRecords.filter((span) => span.statusCode === 2).length, path).toBe(errors);
      const remote = dated.filter((span) => (span.remoteEndpoint as Json | undefined)?.serviceName).length;
      expect(sink.spanRecords.filter((span) => span.peerService !== null).length, path).toBeGreaterThanOrEqual(remote);
    }
  });

  it('csv-spans: Nezha and DeepTraLog span tables, one span per row', async () => {
    const files = [...walk(join(corpus, 'nezha')).filter((path) => path.endsWith('_trace.csv')), ...walk(join(corpus, 'deeptralog-trainticket')).filter((path) => /SpanData.*\.csv$/.test(path))];
    expect(files.length).toBe(9);
    for (const path of files) {
      const [header, ...rows] = dataLines(path);
      const columns = header!.split(',');
      const traceColumn = columns.findIndex((name) => /^trace_?id$/i.test(name));
      const errorColumn = columns.indexOf('IsError');
      const sink = await importFile('csv-spans', path);
      expect(sink.spanRecords.length, path).toBe(rows.length);
      expect(sink.issues, path).toEqual([]);
      expect(new Set(sink.spanRecords.map((span) => span.traceId)).size, path).toBe(new Set(rows.map((row) => row.split(',')[traceColumn])).size);
      if (errorColumn >= 0) {
        const errors = rows.filter((row) => row.split(',').at(errorColumn - columns.length) === 'True').length;
        expect(sink.spanRecords.filter((span) => span.statusCode === 2).length, path).toBe(errors);
      }
      for (const span of sink.spanRecords) expect(span.endNs >= span.startNs, `${path}:${span.sourceLine}`).toBe(true);
    }
  });

  it('csv-logs: Nezha container logs and log-parser tables, one record per row', async () => {
    const files = [...walk(join(corpus, 'nezha')).filter((path) => path.endsWith('_log.csv')), ...walk(corpus).filter((path) => path.endsWith('_structured.csv'))];
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const path of files) {
      const rows = dataLines(path).length - 1;
      const sink = await importFile('csv-logs', path);
      expect(sink.logRecords.length, path).toBe(rows);
      expect(sink.issues, path).toEqual([]);
      if (path.endsWith('_log.csv')) expect(sink.logRecords.every((record) => record.traceId !== null), path).toBe(true);
    }
  });

  it('csv-logs: GAIA run tables inside their zip; rows without a time of day are reported, not dated', async () => {
    const zipPath = join(corpus, 'gaia', 'MicroSS', 'run', 'run.zip');
    if (!existsSync(zipPath)) return;
    const members = unzipSync(readFileSync(zipPath), { filter: (file) => file.name.endsWith('.csv') });
    expect(Object.keys(members)).toHaveLength(2);
    for (const [name, bytes] of Object.entries(members)) {
      const text = new TextDecoder().decode(bytes);
      // Each row starts at a line holding the date column; messages that start with a full timestamp can be dated.
      const rowStarts = text.split('\n').filter((line) => /^(\d+,)?\d{4}-\d{2}-\d{2},[^,]*,/.test(line));
      const dated = rowStarts.filter((line) => /^(\d+,)?\d{4}-\d{2}-\d{2},[^,]*,"?\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(line)).length;
      const empty = rowStarts.filter((line) => /,$/.test(line)).length;
      const sink = await importAs('csv-logs', memorySource(`run.zip/${name}`, null, async () => bytes));
      expect(sink.logRecords.length, name).toBe(dated);
      expect(sink.issues.length, name).toBe(rowStarts.length - dated - empty);
      expect(sink.issues.length / rowStarts.length, name).toBeLessThan(0.02);
    }
  });

  it('csv-metrics: wide RCD and Nezha tables, one point per numeric cell', async () => {
    const files = [...walk(join(corpus, 'rcd-sockshop')).filter((path) => path.endsWith('.csv')), ...walk(join(corpus, 'nezha')).filter((path) => /_metric\.csv$|front_service\.csv$/.test(path))];
    expect(files.length).toBe(20);
    const nonSeries = new Set(['time', 'Time', 'TimeStamp', 'PodName', 'ServiceName']);
    for (const path of files) {
      const [header, ...rows] = dataLines(path).map((line) => line.split(','));
      const series = header!.map((name, i) => (nonSeries.has(name) ? -1 : i)).filter((i) => i >= 0);
      let cells = 0;
      for (const row of rows) for (const i of series) if (row[i] !== '' && Number.isFinite(Number(row[i]))) cells++;
      const sink = await importFile('csv-metrics', path);
      expect(sink.points.length, path).toBe(cells);
      expect(sink.issues, path).toEqual([]);
      expect(sink.points.every((point) => point.service !== null), path).toBe(true);
    }
  });

  it('csv-metrics: the sample incidents\' long metric tables', async () => {
    const files = scenarioFiles('csv', 'metrics');
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) {
      const [header, ...rows] = dataLines(path);
      expect(header).toMatch(/metric/);
      const sink = await importFile('csv-metrics', path);
      expect(sink.points.length, path).toBe(rows.length);
      expect(sink.issues, path).toEqual([]);
      const metrics = new Set(rows.map((row) => row.split(',')[1]));
      expect(new Set(sink.points.map((point) => point.name)), path).toEqual(metrics);
      expect(sink.points.every((point) => point.service !== null), path).toBe(true);
    }
  });

  it('logfmt: the sample incidents and lnav, one record per line', async () => {
    const files = [...scenarioFiles('logfmt', 'logs'), join(corpus, 'lnav', 'test', 'logfile_logfmt.0')].filter(existsSync);
    expect(files.length).toBeGreaterThan(1);
    for (const path of files) {
      const lines = dataLines(path);
      const sink = await importFile('logfmt', path);
      expect(sink.logRecords.length, path).toBe(lines.length);
      expect(sink.issues, path).toEqual([]);
      const errors = lines.filter((line) => /\blevel=error\b/.test(line)).length;
      expect(sink.logRecords.filter((record) => record.severity === 'ERROR').length, path).toBe(errors);
      const traced = lines.filter((line) => /\btrace_id=\w/.test(line)).length;
      expect(sink.logRecords.filter((record) => record.traceId !== null).length, path).toBe(traced);
    }
  });

  it('envoy-access: the Envoy and Istio samples, one record per line, flags kept', async () => {
    const files = walk(join(corpus, 'elastic-integrations')).filter((path) => path.endsWith('.log'));
    expect(files.length).toBe(3);
    for (const path of files) {
      const lines = dataLines(path);
      const sink = await importFile('envoy-access', path);
      expect(sink.logRecords.length, path).toBe(lines.length);
      expect(sink.issues, path).toEqual([]);
      const flagged = lines.filter((line) => /" \d{1,3} (UH|UF|NR|DC|DPE|UF,URX) |"response_flags":"(?!-)/.test(line.replace(/\\"/g, '"'))).length;
      expect(sink.logRecords.filter((record) => record.attributes['response_flags'] !== undefined).length, path).toBe(flagged);
    }
  });

  it('plain-logs: the sample incidents, every line accounted for and no issue', async () => {
    const files = scenarioFiles('plain', 'logs');
    expect(files.length).toBeGreaterThan(50);
    for (const path of files) {
      const lines = dataLines(path);
      const starts = lines.filter((line) => /^(\[?\d{4}[-/]\d{2}[-/]\d{2}[T ]|gc \d+ @)/.test(line)).length;
      const sink = await importFile('plain-logs', path);
      expect(sink.logRecords.length, path).toBe(starts);
      expect(sink.issues, path).toEqual([]);
      expect(sink.logRecords.reduce((sum, record) => sum + record.body.split('\n').length, 0), path).toBe(lines.length);
      // Files sit at logs/<service>/<pod>.log.
      const service = path.split('/').at(-2);
      expect(new Set(sink.logRecords.map((record) => record.service)), path).toEqual(new Set([service]));
    }
  });

  it('plain-logs: loghub 2k samples, one event per line, year-less lines reported', async () => {
    const files = walk(join(corpus, 'loghub')).filter((path) => path.endsWith('_2k.log'));
    expect(files.length).toBe(10);
    for (const path of files) {
      const lines = dataLines(path);
      const yearless = lines.filter((line) => /^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} /.test(line)).length;
      const sink = await importFile('plain-logs', path);
      expect(sink.logRecords.length + sink.issues.length, path).toBe(lines.length);
      expect(sink.issues.length, path).toBe(yearless);
    }
  });

  it('plain-logs: DeepTraLog Java logs carry SkyWalking trace context', async () => {
    const files = walk(join(corpus, 'deeptralog-trainticket')).filter((path) => /raw_log[^/]*\.log$/.test(path));
    expect(files.length).toBe(4);
    for (const path of files) {
      const lines = dataLines(path);
      const starts = lines.filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(line));
      const sink = await importFile('plain-logs', path);
      expect(sink.logRecords.length, path).toBe(starts.length);
      expect(sink.issues, path).toEqual([]);
      const withContext = starts.filter((line) => /\[SW_CTX:\[[^,\]]+,[^,\]]+,[0-9a-f]+\./.test(line)).length;
      expect(sink.logRecords.filter((record) => record.traceId !== null).length, path).toBe(withContext);
      const errors = starts.filter((line) => /\]\] \[[^\]]*\] ERROR /.test(line)).length;
      expect(sink.logRecords.filter((record) => record.severity === 'ERROR').length, path).toBe(errors);
    }
  });
});
