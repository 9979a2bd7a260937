// `npm run bench:ingest`: Causeway's import of OTLP JSON lines against DuckDB's own read_ndjson +
// UNNEST flattening of the same file, measured in the same run on the same machine.
//   BENCH_SPANS=1000000 (default) sets the size; the target is Causeway >= 2x DuckDB.
//   BENCH_BASELINE=0 runs only Causeway's default import, for memory on a big file
//   (BENCH_SPANS=13000000 is about 5 GB; the target is a peak RSS under 1.5 GB).
// Each import also prints its CPU time (all threads): on a shared machine other load stretches
// wall times, CPU time much less.
// The Causeway side is bundled the way the product is: one file, with the OTLP parsing worker
// emitted beside it as its own bundle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { build } from 'esbuild';
// @ts-expect-error the esbuild plugin is plain JavaScript, shared with scripts/build.mjs
import { nodeBundle } from '../scripts/esbuild-raw.mjs';
import { writeOtlpSpans } from './otlpFixture.js';
import flattenSql from './duckdb_otlp_flatten.sql?raw';

const spanCount = Number(process.env.BENCH_SPANS ?? 1_000_000);
const repo = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-'));
const file = join(dir, 'spans.jsonl');
// inside the repository, so that the bundle finds node_modules
const buildDir = mkdtempSync(join(repo, '.tmp-run-bench-'));

try {
  await build({
    entryPoints: { ingestChild: join(repo, 'bench', 'ingestChild.ts'), otlpWorker: join(repo, 'ingest', 'parallel', 'otlpWorker.ts') },
    outdir: buildDir,
    outExtension: { '.js': '.mjs' },
    ...nodeBundle,
    format: 'esm',
  });
  const bytes = await writeOtlpSpans(file, spanCount);
  console.log(`fixture: ${spanCount.toLocaleString('en')} spans of OTLP JSON lines, ${(bytes / 1e6).toFixed(0)} MB`);

  const compare = process.env.BENCH_BASELINE !== '0';
  let sqlRate: number | null = null;
  if (compare) {
    const sqlStarted = performance.now();
    const sqlCpu = process.cpuUsage();
    const instance = await DuckDBInstance.create(join(dir, 'duckdb-sql.duckdb'));
    const connection = await instance.connect();
    await connection.run(flattenSql.replace('$path', `'${file.replaceAll("'", "''")}'`));
    const sqlRows = Number((await connection.runAndReadAll('SELECT count(*) FROM flat_spans')).getRows()[0]![0]);
    const sqlMs = performance.now() - sqlStarted;
    const { user, system } = process.cpuUsage(sqlCpu);
    connection.closeSync();
    instance.closeSync();
    if (sqlRows !== spanCount) throw new Error(`duckdb flattened ${sqlRows} spans, expected ${spanCount}`);
    sqlRate = spanCount / (sqlMs / 1000);
    console.log(`duckdb read_ndjson + UNNEST:                ${(sqlMs / 1000).toFixed(1)} s, ${Math.round(sqlRate).toLocaleString('en')} spans/s, CPU ${((user + system) / 1e6).toFixed(1)} s`);
  }

  const ingest = (parallel: '0' | undefined) => {
    const env = parallel === undefined ? process.env : { ...process.env, CAUSEWAY_PARALLEL_INGEST: parallel };
    const child = execFileSync(process.execPath, [join(buildDir, 'ingestChild.mjs'), join(dir, `causeway-${parallel ?? 'default'}.duckdb`), file], { encoding: 'utf8', maxBuffer: 1 << 20, env });
    return JSON.parse(child.trim().split('\n').pop()!) as { ms: number; cpuMs: number; spans: number; failed: number; maxRssMb: number; maxHeapMb: number };
  };
  const runs = compare
    ? ([
        ['causeway ingest (default, worker threads): ', undefined],
        ['causeway ingest (CAUSEWAY_PARALLEL_INGEST=0):', '0'],
      ] as const)
    : ([['causeway ingest (default):', undefined]] as const);
  for (const [label, parallel] of runs) {
    const causeway = ingest(parallel);
    if (causeway.spans !== spanCount) throw new Error(`${label.trim()} imported ${causeway.spans} spans, expected ${spanCount}`);
    const rate = spanCount / (causeway.ms / 1000);
    const ratio = sqlRate === null ? '' : `, ratio to duckdb ${(rate / sqlRate).toFixed(2)}x (target >= 2x)`;
    console.log(
      `${label} ${(causeway.ms / 1000).toFixed(1)} s, ${Math.round(rate).toLocaleString('en')} spans/s, CPU ${(causeway.cpuMs / 1000).toFixed(1)} s, peak RSS ${causeway.maxRssMb.toFixed(0)} MB (JS heap ${causeway.maxHeapMb.toFixed(0)} MB)${ratio}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
}
