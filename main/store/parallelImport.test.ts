import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFile, planImport, type PlannedFile } from '../../ingest/index.js';
import { parseTraceLinesInParallel } from '../../ingest/parallel/otlpWorkerPool.js';
import { currentSpanColumnsSink, withoutSpanColumnsSink } from '../../ingest/parallel/spanColumns.js';
import { writeDemoIncident } from '../demo/index.js';
import { TelemetryStore } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Small chunks, so that even small files are parsed on worker threads, in several chunks. */
const CHUNK_BYTES = 16_384;

type Import = 'sequential' | 'store parallel path' | 'small worker chunks';

/** Everything one import left in the store, sorted, without the source id that differs per store. */
async function importedTables(file: PlannedFile, how: Import, chunkBytes = CHUNK_BYTES): Promise<{ spans: unknown[]; events: unknown[]; errors: unknown }> {
  const store = await TelemetryStore.open(join(dir, `${Math.random().toString(36).slice(2)}.duckdb`));
  try {
    const outcome = await store.importSource({ path: file.path, bytes: { sha256: `${how}-${file.path}`, size: file.size }, format: 'otlp-traces' }, (sink) => {
      if (how === 'sequential') return withoutSpanColumnsSink(() => parseFile(file, sink));
      if (how === 'store parallel path') return parseFile(file, sink);
      return parseTraceLinesInParallel(file.open(), sink, currentSpanColumnsSink()!, { chunkBytes, workers: 2 }).then((parallel) => {
        expect(parallel).toBe(true);
      });
    });
    return await store.withRead(async (reader) => ({
      spans: await reader.all('SELECT * EXCLUDE (source_id) FROM spans ORDER BY ALL'),
      events: await reader.all('SELECT * EXCLUDE (source_id) FROM span_events ORDER BY ALL'),
      errors: outcome.issues,
    }));
  } finally {
    store.close();
  }
}

async function expectSameAsSequential(file: PlannedFile, chunkBytes = CHUNK_BYTES): Promise<void> {
  const sequential = await importedTables(file, 'sequential');
  expect(sequential.spans.length).toBeGreaterThan(0);
  expect(await importedTables(file, 'store parallel path')).toEqual(sequential);
  expect(await importedTables(file, 'small worker chunks', chunkBytes)).toEqual(sequential);
}

async function plannedTraces(paths: string[]): Promise<PlannedFile[]> {
  const planned = await planImport(paths);
  return planned.filter((file) => file.format?.id === 'otlp-traces');
}

describe('parallel OTLP traces import', () => {
  // The worker-thread path is the default; these tests take it whatever CAUSEWAY_PARALLEL_INGEST says.
  const previous = process.env.CAUSEWAY_PARALLEL_INGEST;
  beforeAll(() => {
    process.env.CAUSEWAY_PARALLEL_INGEST = '1';
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.CAUSEWAY_PARALLEL_INGEST;
    else process.env.CAUSEWAY_PARALLEL_INGEST = previous;
  });

  it('stores the same rows and problems as the sequential parser for the sample collector export', async () => {
    const [file] = await plannedTraces([new URL('../../ingest/testdata/otlp-traces-collector.jsonl', import.meta.url).pathname]);
    await expectSameAsSequential(file!);
  });

  it('stores the same rows as the sequential parser for the demo incident traces', async () => {
    const demo = await writeDemoIncident(join(dir, 'demo'));
    const files = await plannedTraces(demo.files);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) await expectSameAsSequential(file, 16 * CHUNK_BYTES);
  }, 60_000);

  it('stores texts with control characters, empty texts, lone surrogates and huge attributes as the sequential parser does', async () => {
    const span = (id: string, name: string, attributes: string) =>
      `{"traceId":"${'cd'.repeat(16)}","spanId":"${id}","name":${name},"kind":2,"startTimeUnixNano":"1726841320885000000","endTimeUnixNano":"1726841321385000000","attributes":[${attributes}],"events":[{"timeUnixNano":"1726841320985000000","name":${name}}],"status":{"code":2,"message":${name}}}`;
    const text = (key: string, value: string) => `{"key":"${key}","value":{"stringValue":${value}}}`;
    const request = (service: string, spans: string[]) => `{"resourceSpans":[{"resource":{"attributes":[${text('service.name', service)}]},"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`;
    // each line fills a worker chunk of its own
    const padding = text('padding', JSON.stringify('p'.repeat(CHUNK_BYTES)));
    const lines = [
      request('"tabs\\tand\\nlines"', [span('00f067aa0ba902b1', '"a\\u0001quote\\u001fdelimiter\\r\\n"', `${text('peer.service', '"x\\u0001"')},${padding}`)]),
      request('"plain"', [span('00f067aa0ba902b2', '""', `${text('empty', '""')},${padding}`)]),
      request('"plain"', [span('00f067aa0ba902b3', '"lone"', `${text('broken', '"\\ud800"')},${padding}`)]),
      request('"plain"', [span('00f067aa0ba902b4', '"huge"', text('statement', JSON.stringify('x'.repeat(2_500_000))))]),
      request('"plain"', [span('00f067aa0ba902b5', '"after"', text('ok', '"1"'))]),
    ];
    const path = join(dir, 'awkward.otlp.jsonl');
    writeFileSync(path, lines.join('\n'));
    const [file] = await plannedTraces([path]);
    const sequential = await importedTables(file!, 'sequential');
    expect(sequential.spans).toHaveLength(lines.length);
    expect(await importedTables(file!, 'small worker chunks')).toEqual(sequential);
  }, 60_000);

  const plainSpan = (id: string, name: string) =>
    `{"traceId":"${'ef'.repeat(16)}","spanId":"${id}","name":${JSON.stringify(name)},"kind":2,"startTimeUnixNano":"1726841320885000000","endTimeUnixNano":"1726841321385000000"}`;
  const plainRequest = (service: string, spans: string[]) =>
    `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":${JSON.stringify(service)}}}]},"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`;
  /** Enough requests, with a bad line among them, to fill several small chunks. */
  const manyLines = (name: (index: number) => string): string[] =>
    Array.from({ length: 400 }, (_, index) => (index === 150 ? '{"resourceSpans": [' : plainRequest(`svc-${index % 7}`, [plainSpan((index + 1).toString(16).padStart(16, '0'), name(index))])));

  it('reads CRLF line ends and a BOM as the sequential parser does', async () => {
    const path = join(dir, 'crlf.otlp.jsonl');
    writeFileSync(path, `\uFEFF${manyLines((index) => `op ${index}`).join('\r\n')}\r\n\r\n`);
    const [file] = await plannedTraces([path]);
    const sequential = await importedTables(file!, 'sequential');
    expect(sequential.spans).toHaveLength(399);
    expect(sequential.errors).toEqual([expect.objectContaining({ line: 151 })]);
    expect(await importedTables(file!, 'small worker chunks')).toEqual(sequential);
  });

  it('reads a gzip-compressed file as the sequential parser does', async () => {
    const path = join(dir, 'compressed.otlp.jsonl.gz');
    writeFileSync(path, gzipSync(manyLines((index) => `op ${index}`).join('\n')));
    const [file] = await plannedTraces([path]);
    const sequential = await importedTables(file!, 'sequential');
    expect(sequential.spans).toHaveLength(399);
    expect(await importedTables(file!, 'small worker chunks')).toEqual(sequential);
  });

  it('keeps multi-byte characters whole where a chunk would end inside one, and lines longer than a chunk', async () => {
    const text = manyLines((index) => (index === 300 ? `長い${'延迟€😀'.repeat(CHUNK_BYTES)}` : `延迟 ${index} ${'€😀'.repeat(20)}`)).join('\n');
    // leading blanks, which both parsers trim, shift the text until a chunk's nominal end falls inside a character
    const insideCharacter = (bytes: Buffer) => (bytes[CHUNK_BYTES]! & 0xc0) === 0x80;
    const shift = Array.from({ length: 500 }, (_, blanks) => blanks).find((blanks) => insideCharacter(Buffer.from(' '.repeat(blanks) + text)));
    expect(shift).toBeDefined();
    const bytes = Buffer.from(' '.repeat(shift!) + text);
    const path = join(dir, 'multibyte.otlp.jsonl');
    writeFileSync(path, bytes);
    const [file] = await plannedTraces([path]);
    const sequential = await importedTables(file!, 'sequential');
    expect(sequential.spans).toHaveLength(399);
    expect(sequential.errors).toEqual([expect.objectContaining({ line: 151 })]);
    expect(await importedTables(file!, 'small worker chunks')).toEqual(sequential);
  }, 60_000);

  it('reports bad lines at their line numbers, in order, as the sequential parser does', async () => {
    const span = (id: string, start: string) =>
      `{"traceId":"${'ab'.repeat(16)}","spanId":"${id}","name":"GET /x","kind":3,"startTimeUnixNano":"${start}","endTimeUnixNano":"1726841321385000000","events":[{"timeUnixNano":"1726841320985000000","name":"retry","attributes":[{"key":"n","value":{"intValue":"2"}}]}],"status":{"code":2,"message":"boom"}}`;
    const request = (spans: string[]) => `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"Edge-Proxy"}}]},"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`;
    const path = join(dir, 'mixed.otlp.jsonl');
    writeFileSync(
      path,
      [request([span('00f067aa0ba902b7', '1726841320885000000')]), '', '{"resourceSpans": [', '{"other":1}', request([span('00f067aa0ba902b8', '0'), span('00f067aa0ba902b9', '1726841320885000001')]), request([])].join('\n'),
    );
    const [file] = await plannedTraces([path]);
    const sequential = await importedTables(file!, 'sequential');
    expect((sequential.errors as { line: number }[]).map((issue) => issue.line)).toEqual([3, 4, 5]);
    expect(await importedTables(file!, 'small worker chunks')).toEqual(sequential);
  });
});
