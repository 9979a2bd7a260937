import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TelemetryStore } from './store/store.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Runs the CLI from source the way the benchmarks do (bundled with its .sql files). */
function causeway(...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/run-ts.mjs', 'main/cli.ts', ...args], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('causeway ingest --timezone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-cli-tz-'));
  const logPath = join(dir, 'app.log');
  writeFileSync(logPath, '2021-08-07 19:10:41.655 INFO started\n2021-08-07T19:10:42Z ERROR failed\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads zone-less times in the zone given and records it with the source', async () => {
    const db = join(dir, 'zoned.duckdb');
    const run = causeway('ingest', logPath, '--db', db, '--timezone', '+08:00', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).totals.logs).toBe(2);
    const store = await TelemetryStore.open(db);
    try {
      const logs = await store.withRead((r) => r.all<{ ts: string }>("SELECT strftime(make_timestamp(ts_ns // 1000), '%Y-%m-%dT%H:%M:%S') AS ts FROM logs ORDER BY source_line"));
      expect(logs.map((row) => row.ts)).toEqual(['2021-08-07T11:10:41', '2021-08-07T19:10:42']);
      const sources = await store.withRead((r) => r.all<{ timezone: string }>('SELECT timezone FROM sources'));
      expect(sources).toEqual([{ timezone: '+08:00' }]);
    } finally {
      store.close();
    }
  }, 120_000);

  it('says which zone it read zone-less times in', () => {
    const run = causeway('ingest', logPath, '--db', join(dir, 'told.duckdb'), '--timezone', 'Asia/Shanghai');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Times written without an offset were read as Asia/Shanghai.');
  }, 120_000);

  it('refuses a zone it cannot read as a usage error, before creating the workspace', () => {
    const db = join(dir, 'refused.duckdb');
    const run = causeway('ingest', logPath, '--db', db, '--timezone', 'Europe/Atlantis');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--timezone: unknown time zone "Europe/Atlantis"');
    expect(existsSync(db)).toBe(false);
  }, 120_000);
});
