import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FORMATS, MAX_ISSUES_PER_FILE, parseFile, planImport, type PlannedFile } from './index.js';
import { collectingSink, fixturePath } from './testdata/collect.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'causeway-plan-'));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function importAll(planned: PlannedFile[]) {
  const { sink, collected } = collectingSink();
  for (const file of planned) await parseFile(file, sink);
  return collected;
}

function spanCount(jsonl: string): number {
  let count = 0;
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    const request = JSON.parse(line) as { resourceSpans: Array<Record<string, Array<{ spans: unknown[] }>>> };
    for (const resource of request.resourceSpans) for (const scope of resource.scopeSpans ?? resource.instrumentationLibrarySpans ?? []) count += scope.spans.length;
  }
  return count;
}

const tracesText = readFileSync(fixturePath('otlp-traces-collector.jsonl'), 'utf8');

describe('planImport', () => {
  it('walks a folder recursively in name order, skipping hidden files and folders', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs', 'deep'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    copyFileSync(fixturePath('zap.jsonl'), join(dir, 'logs', 'deep', 'app.jsonl'));
    copyFileSync(fixturePath('otlp-traces-collector.jsonl'), join(dir, 'traces.jsonl'));
    copyFileSync(fixturePath('metrics.prom'), join(dir, 'a-metrics.prom'));
    writeFileSync(join(dir, '.DS_Store'), 'junk');
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main');
    const planned = await planImport([dir]);
    expect(planned.map((file) => file.path)).toEqual([join(dir, 'a-metrics.prom'), join(dir, 'logs', 'deep', 'app.jsonl'), join(dir, 'traces.jsonl')]);
    expect(planned.map((file) => file.format?.id)).toEqual(['prometheus-text', 'json-logs', 'otlp-traces']);
    expect(planned.every((file) => file.problem === null)).toBe(true);
    const collected = await importAll(planned);
    expect(collected.spans).toHaveLength(spanCount(tracesText));
    expect(collected.logs).toHaveLength(readFileSync(fixturePath('zap.jsonl'), 'utf8').split('\n').filter((line) => line.trim()).length);
  });

  it('plans a file named twice once, and survives a folder that links to itself', async () => {
    const dir = tempDir();
    copyFileSync(fixturePath('zap.jsonl'), join(dir, 'app.jsonl'));
    symlinkSync(dir, join(dir, 'loop'));
    const planned = await planImport([dir, join(dir, 'app.jsonl')]);
    expect(planned.map((file) => file.path)).toEqual([join(dir, 'app.jsonl')]);
  });

  it('reads .gz files, with size and sha256 of the compressed bytes', async () => {
    const dir = tempDir();
    const compressed = gzipSync(Buffer.from(tracesText));
    const path = join(dir, 'otel-traces.jsonl.gz');
    writeFileSync(path, compressed);
    const [file] = await planImport([path]);
    expect(file).toMatchObject({ path, size: compressed.length, problem: null });
    expect(await file!.sha256).toBe(sha256(compressed));
    expect(file!.format?.id).toBe('otlp-traces');
    const progress: number[] = [];
    const { sink, collected } = collectingSink();
    await parseFile(file!, sink, (done) => progress.push(done));
    expect(collected.spans).toHaveLength(spanCount(tracesText));
    expect(progress.at(-1)).toBe(compressed.length);
  });

  it('expands .zip members, including gzipped ones, and skips hidden members', async () => {
    const dir = tempDir();
    const zap = readFileSync(fixturePath('zap.jsonl'));
    const archive = zipSync({
      'export/traces.jsonl': Buffer.from(tracesText),
      'export/logs/app.jsonl.gz': gzipSync(zap),
      'export/metrics.json': readFileSync(fixturePath('prometheus-query-range.json')),
      '__MACOSX/export/._traces.jsonl': Buffer.from('junk'),
      'export/.hidden.json': Buffer.from('{}'),
    });
    const path = join(dir, 'incident.zip');
    writeFileSync(path, archive);
    const planned = await planImport([path]);
    expect(planned.map((file) => [file.path, file.format?.id])).toEqual([
      [`${path}/export/traces.jsonl`, 'otlp-traces'],
      [`${path}/export/logs/app.jsonl.gz`, 'json-logs'],
      [`${path}/export/metrics.json`, 'prometheus-query'],
    ]);
    expect(await planned[0]!.sha256).toBe(sha256(Buffer.from(tracesText)));
    const collected = await importAll(planned);
    expect(collected.spans).toHaveLength(spanCount(tracesText));
    expect(collected.logs.length).toBeGreaterThan(0);
    expect(collected.points.length).toBeGreaterThan(0);
    // members are read again from the archive on every open
    expect((await importAll(planned)).spans).toHaveLength(spanCount(tracesText));
  });

  it('says why a file cannot be imported instead of failing the plan', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'blank.log'), '\n\n  \n');
    writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    writeFileSync(join(dir, 'notes.txt'), 'The database was slow on Tuesday.\n');
    writeFileSync(join(dir, 'broken.zip'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    const planned = await planImport([dir, join(dir, 'missing.json')]);
    const problems = Object.fromEntries(planned.map((file) => [file.path.slice(dir.length + 1), file.problem]));
    expect(problems['empty.json']).toMatch(/empty/);
    expect(problems['blank.log']).toMatch(/empty/);
    expect(problems['image.png']).toMatch(/binary/);
    expect(problems['notes.txt']).toMatch(/unknown format/);
    for (const format of FORMATS) expect(problems['notes.txt']).toContain(format.label);
    expect(problems['broken.zip']).toMatch(/zip/);
    expect(problems['missing.json']).toMatch(/unreadable.*ENOENT/);
    expect(planned.every((file) => file.format === null)).toBe(true);
  });
});

describe('parseFile', () => {
  it('reports a malformed line with its number and loads the rest of the file', async () => {
    const dir = tempDir();
    const lines = tracesText.trim().split('\n');
    const path = join(dir, 'partly-broken.jsonl');
    writeFileSync(path, [lines[0], lines[1]!.slice(0, 100), lines[2]].join('\n'));
    const [file] = await planImport([path]);
    const { sink, collected } = collectingSink();
    await parseFile(file!, sink);
    expect(collected.issues).toEqual([{ line: 2, message: expect.stringMatching(/malformed JSON/) }]);
    expect(collected.spans).toHaveLength(spanCount([lines[0], lines[2]].join('\n')));
  });

  it('turns an unimportable file into an issue, not an exception', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello\n');
    const [file] = await planImport([join(dir, 'notes.txt')]);
    const { sink, collected } = collectingSink();
    await parseFile(file!, sink);
    expect(collected.issues).toEqual([{ line: 0, message: file!.problem }]);
  });

  it('reports corrupt compressed data as an issue and keeps what was read', async () => {
    const dir = tempDir();
    const body = Buffer.from(tracesText.repeat(50));
    const compressed = gzipSync(body);
    const path = join(dir, 'cut.jsonl.gz');
    writeFileSync(path, compressed.subarray(0, Math.floor(compressed.length * 0.8)));
    const [file] = await planImport([path]);
    const { sink, collected } = collectingSink();
    await parseFile(file!, sink);
    expect(collected.issues.at(-1)).toMatchObject({ line: 0, message: expect.stringMatching(/corrupt|unexpected end/i) });
  });

  it('throws when the file disappears between planning and parsing', async () => {
    const dir = tempDir();
    const path = join(dir, 'gone.jsonl');
    writeFileSync(path, tracesText);
    const [file] = await planImport([path]);
    rmSync(path);
    const { sink } = collectingSink();
    await expect(parseFile(file!, sink)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('passes sink failures through', async () => {
    const [file] = await planImport([fixturePath('zap.jsonl')]);
    const failure = new Error('disk full');
    const sink = { spans: () => undefined, logs: () => Promise.reject(failure), metricPoints: () => undefined, issue: () => undefined };
    await expect(parseFile(file!, sink)).rejects.toBe(failure);
  });

  it('lists at most MAX_ISSUES_PER_FILE issues and counts the rest', async () => {
    const dir = tempDir();
    const path = join(dir, 'noisy.jsonl');
    const good = '{"level":"info","ts":1726841320.5,"msg":"ok"}';
    writeFileSync(path, [good, ...Array.from({ length: MAX_ISSUES_PER_FILE + 10 }, () => '{"level":"info","msg":"no time"}')].join('\n'));
    const [file] = await planImport([path]);
    const { sink, collected } = collectingSink();
    await parseFile(file!, sink);
    expect(collected.logs).toHaveLength(1);
    expect(collected.issues).toHaveLength(MAX_ISSUES_PER_FILE + 1);
    expect(collected.issues.at(-1)!.message).toMatch(/^10 more/);
  });
});
