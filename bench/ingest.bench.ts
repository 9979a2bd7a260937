// `npm run bench:ingest`: Causeway's import of OTLP JSON lines against DuckDB's own read_ndjson +
// UNNEST flattening of the same file, measured in the same run on the same machine, two ways: the
// flattening alone (duckdb_otlp_flatten.sql: 12 columns, attributes as OTLP wrote them), and the
// flattening into the table Causeway's import writes (duckdb_otlp_equivalent.sql), which the run
// checks against the table Causeway wrote. Causeway's import also derives the call pairs, events
// and edges analysis reads; DuckDB's paths do not.
//   BENCH_SPANS=1000000 (default) sets the size; the target is Causeway >= 2x DuckDB.
//   BENCH_BASELINE=0 runs only Causeway's default import, for memory on a big file
//   (BENCH_SPANS=13000000 is about 5 GB; the target is a peak RSS under 1.5 GB).
// With the baselines, the run ends with the least time any import like Causeway's could take here,
// from what no such import skips (printLowerBound), beside the time the target asks for.
// Each import also prints its CPU time (all threads): on a shared machine other load stretches
// wall times, CPU time much less.
// The Causeway side is bundled the way the product is: one file, with the OTLP parsing worker
// emitted beside it as its own bundle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error the esbuild plugin is plain JavaScript, shared with scripts/build.mjs
import { nodeBundle } from '../scripts/esbuild-raw.mjs';
// DuckDB as the product loads it (main/store/duckdb.ts): DuckDB's own paths get the same allocator setting
import { DuckDBInstance } from '../main/store/duckdb.js';
import { writeOtlpSpans } from './otlpFixture.js';
import otlpSpansCtes from './duckdb_otlp_spans.sql?raw';
import flattenSql from './duckdb_otlp_flatten.sql?raw';
import equivalentSql from './duckdb_otlp_equivalent.sql?raw';
import spanTableSummarySql from './span_table_summary.sql?raw';

const spanCount = Number(process.env.BENCH_SPANS ?? 1_000_000);
const repo = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-'));
const file = join(dir, 'spans.jsonl');
// inside the repository, so that the bundle finds node_modules
const buildDir = mkdtempSync(join(repo, '.tmp-run-bench-'));

try {
  await build({
    entryPoints: { ingestChild: join(repo, 'bench', 'ingestChild.ts'), conversionChild: join(repo, 'bench', 'conversionChild.ts'), otlpWorker: join(repo, 'ingest', 'parallel', 'otlpWorker.ts') },
    outdir: buildDir,
    outExtension: { '.js': '.mjs' },
    ...nodeBundle,
    format: 'esm',
  });
  const bytes = await writeOtlpSpans(file, spanCount);
  console.log(`fixture: ${spanCount.toLocaleString('en')} spans of OTLP JSON lines, ${(bytes / 1e6).toFixed(0)} MB`);

  const compare = process.env.BENCH_BASELINE !== '0';
  const quoted = sqlText(file);
  /** Runs one of DuckDB's paths into a file of its own; returns its rate in spans/s. */
  const duckdbPath = async (label: string, sql: string, table: string, dbFile: string): Promise<number> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const instance = await DuckDBInstance.create(join(dir, dbFile));
    const connection = await instance.connect();
    await connection.run(sql.replace('OTLP_SPANS_CTES', otlpSpansCtes.replace(/^--.*\n/gm, '').trim()).replace('$path', quoted));
    const rows = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
    const ms = performance.now() - started;
    const cpuUsed = cpuSeconds(cpu);
    connection.closeSync();
    instance.closeSync();
    if (rows !== spanCount) throw new Error(`${label.trim()} gave ${rows} spans, expected ${spanCount}`);
    const rate = spanCount / (ms / 1000);
    console.log(`${label} ${(ms / 1000).toFixed(1)} s, ${Math.round(rate).toLocaleString('en')} spans/s, CPU ${cpuUsed.toFixed(1)} s`);
    return rate;
  };
  const baselines: { name: string; rate: number }[] = [];
  if (compare) {
    baselines.push({ name: 'duckdb', rate: await duckdbPath('duckdb read_ndjson + UNNEST:                 ', flattenSql, 'flat_spans', 'duckdb-sql.duckdb') });
    baselines.push({ name: "duckdb into causeway's table", rate: await duckdbPath("duckdb read_ndjson + UNNEST, Causeway's table:", equivalentSql, 'spans', 'duckdb-equivalent.duckdb') });
  }

  const ingest = (parallel: '0' | undefined) => {
    const env = parallel === undefined ? process.env : { ...process.env, CAUSEWAY_PARALLEL_INGEST: parallel };
    const child = execFileSync(process.execPath, [join(buildDir, 'ingestChild.mjs'), join(dir, `causeway-${parallel ?? 'default'}.duckdb`), file], { encoding: 'utf8', maxBuffer: 1 << 20, env });
    return JSON.parse(child.trim().split('\n').pop()!) as { ms: number; cpuMs: number; derivationMs: number; spans: number; failed: number; maxRssMb: number; maxHeapMb: number };
  };
  const runs = compare
    ? ([
        ['causeway ingest (default, worker threads): ', undefined],
        ['causeway ingest (CAUSEWAY_PARALLEL_INGEST=0):', '0'],
      ] as const)
    : ([['causeway ingest (default):', undefined]] as const);
  let defaultDerivationMs = 0;
  for (const [label, parallel] of runs) {
    const causeway = ingest(parallel);
    if (parallel === undefined) defaultDerivationMs = causeway.derivationMs;
    if (causeway.spans !== spanCount) throw new Error(`${label.trim()} imported ${causeway.spans} spans, expected ${spanCount}`);
    const rate = spanCount / (causeway.ms / 1000);
    const ratio = baselines.map((baseline) => `, ${(rate / baseline.rate).toFixed(2)}x ${baseline.name}`).join('') + (compare ? ' (target >= 2x)' : '');
    console.log(
      `${label} ${(causeway.ms / 1000).toFixed(1)} s (derivation ${(causeway.derivationMs / 1000).toFixed(1)} s), ${Math.round(rate).toLocaleString('en')} spans/s, CPU ${(causeway.cpuMs / 1000).toFixed(1)} s, peak RSS ${causeway.maxRssMb.toFixed(0)} MB (JS heap ${causeway.maxHeapMb.toFixed(0)} MB)${ratio}`,
    );
  }
  if (compare) {
    await checkSameTable(join(dir, 'duckdb-equivalent.duckdb'), join(dir, 'causeway-default.duckdb'));
    await printLowerBound(Math.max(...baselines.map((baseline) => baseline.rate)), defaultDerivationMs);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
}

/** A path as an SQL string literal. */
function sqlText(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** CPU seconds since `since`, on every thread of this process. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
}

/**
 * Prints what the target asks of this machine beside what no import of this file into this
 * table can skip, each measured here in this run: parsing every line's JSON, handing DuckDB the
 * table's columns and DuckDB storing them, and Causeway's derivation, which starts once every span
 * is in. Counting only those, with both steps spread perfectly over every core, gives the least time
 * any import like Causeway's could take here; counting Causeway's conversion too (what its workers
 * do beside JSON.parse, bench/conversionChild.ts), the least time its design could take.
 */
async function printLowerBound(bestBaselineRate: number, derivationMs: number): Promise<void> {
  const { parseCpu, workerCpu } = JSON.parse(execFileSync(process.execPath, [join(buildDir, 'conversionChild.mjs'), file], { encoding: 'utf8' })) as { parseCpu: number; workerCpu: number };
  const conversionCpu = Math.max(0, workerCpu - parseCpu);

  const csv = join(dir, 'spans.csv');
  const quotedCsv = sqlText(csv);
  const instance = await DuckDBInstance.create(join(dir, 'lower-bound.duckdb'));
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH ${sqlText(join(dir, 'causeway-default.duckdb'))} AS causeway (READ_ONLY)`);
    await connection.run(`COPY causeway.spans TO ${quotedCsv} (HEADER)`);
    // JSON columns as the texts they are stored as: COPY would otherwise validate every JSON text, which the import does not
    await connection.run('CREATE TABLE spans AS SELECT * REPLACE (attributes::VARCHAR AS attributes, resource::VARCHAR AS resource) FROM causeway.spans LIMIT 0');
    await connection.run('DETACH causeway');
    const started = performance.now();
    const since = process.cpuUsage();
    await connection.run(`COPY spans FROM ${quotedCsv} (HEADER)`);
    const loadCpu = cpuSeconds(since);
    const loadSeconds = (performance.now() - started) / 1000;
    const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM spans')).getRows()[0]![0]);
    if (rows !== spanCount) throw new Error(`DuckDB's bulk load of the spans table gave ${rows} rows, expected ${spanCount}`);

    const cores = availableParallelism();
    const derivation = derivationMs / 1000;
    const least = (cpu: number[]) => {
      const seconds = cpu.reduce((sum, each) => sum + each, 0) / cores + derivation;
      return `(${cpu.map((each) => each.toFixed(1)).join(' + ')}) / ${cores} + ${derivation.toFixed(1)} = ${seconds.toFixed(1)} s (${(spanCount / seconds / bestBaselineRate).toFixed(2)}x duckdb)`;
    };
    console.log(`2x DuckDB's faster path: ${spanCount.toLocaleString('en')} spans in ${(spanCount / (2 * bestBaselineRate)).toFixed(1)} s or less. What no import of this file into this table skips here:`);
    console.log(`  JSON.parse of every line, one thread:                      CPU ${parseCpu.toFixed(1)} s`);
    console.log(`  DuckDB's bulk load of the finished table (COPY FROM CSV):  ${loadSeconds.toFixed(1)} s, CPU ${loadCpu.toFixed(1)} s`);
    console.log(`  Causeway's derivation, once every span is in:              ${derivation.toFixed(1)} s`);
    console.log(`  least time on ${cores} cores, conversion free:           ${least([parseCpu, loadCpu])}`);
    console.log(`  with Causeway's conversion (CPU ${conversionCpu.toFixed(1)} s, one thread): ${least([parseCpu, conversionCpu, loadCpu])}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Fails the run unless DuckDB's equivalent path wrote the spans table Causeway's import wrote. */
async function checkSameTable(duckdbFile: string, causewayFile: string): Promise<void> {
  const instance = await DuckDBInstance.create(duckdbFile);
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH ${sqlText(causewayFile)} AS causeway (READ_ONLY)`);
    const summary = async (table: string) => (await connection.runAndReadAll(spanTableSummarySql.replace('TABLE_NAME', table))).getRowObjectsJson()[0];
    const [theirs, ours] = [JSON.stringify(await summary('main.spans')), JSON.stringify(await summary('causeway.spans'))];
    if (theirs !== ours) throw new Error(`DuckDB's equivalent path wrote another table than Causeway's import:\n  duckdb   ${theirs}\n  causeway ${ours}`);
    console.log(`DuckDB's path into Causeway's table and Causeway's import wrote the same spans table: ${ours}`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
