import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planImport } from '../index.js';
import { parseTraceLinesInParallel } from './otlpWorkerPool.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The rows the parallel path stores are compared with the sequential parser's in main/store/parallelImport.test.ts.
describe('parseTraceLinesInParallel', () => {
  it('leaves a whole JSON document to the sequential parser', async () => {
    const path = join(dir, 'document.json');
    writeFileSync(path, '{\n  "resourceSpans": []\n}\n');
    const [file] = await planImport([path]);
    const sink = { spans: () => undefined, logs: () => undefined, metricPoints: () => undefined, issue: () => undefined };
    const columns = { spanColumns: () => expect.unreachable('a document has no lines to parse in parallel') };
    expect(await parseTraceLinesInParallel(file!.open(), sink, columns, { chunkBytes: 1 })).toBe(false);
  });
});
