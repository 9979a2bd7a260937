import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, TelemetryStore } from './store.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-tz-'));
  dirs.push(dir);
  return join(dir, 'w.duckdb');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const noRecords = async (): Promise<void> => undefined;

async function zones(store: TelemetryStore): Promise<Record<string, string | null>> {
  const rows = await store.withRead((r) => r.all<{ path: string; timezone: string | null }>('SELECT path, timezone FROM sources ORDER BY source_id'));
  return Object.fromEntries(rows.map((row) => [row.path, row.timezone]));
}

describe('the zone a source was read in', () => {
  it('is recorded with the source, UTC when the import named none', async () => {
    const store = await TelemetryStore.open(tempDb());
    await store.importSource({ path: 'app.log', bytes: new TextEncoder().encode('a'), format: 'plain-logs', timezone: 'Asia/Shanghai' }, noRecords);
    await store.importSource({ path: 'b.log', bytes: new TextEncoder().encode('b'), format: 'plain-logs' }, noRecords);
    expect(await zones(store)).toEqual({ 'app.log': 'Asia/Shanghai', 'b.log': 'UTC' });
    store.close();
  });

  it('replaces a file read in one zone when it is imported again in another, and adds nothing in the same zone', async () => {
    const store = await TelemetryStore.open(tempDb());
    const bytes = new TextEncoder().encode('2021-08-07 19:10:41 started');
    const oneLog = (zoneHour: number) => async (sink: Parameters<Parameters<TelemetryStore['importSource']>[1]>[0]) => {
      await sink.logs([{ tsNs: BigInt(Date.UTC(2021, 7, 7, zoneHour, 10, 41)) * 1_000_000n, service: 'app', severity: 'INFO', body: 'started', traceId: null, spanId: null, attributes: {}, sourceLine: 1 }]);
    };
    await store.importSource({ path: 'app.log', bytes, format: 'plain-logs' }, oneLog(19));
    const again = await store.importSource({ path: 'app.log', bytes, format: 'plain-logs' }, oneLog(19));
    expect(again.duplicate).toBe(true);
    const corrected = await store.importSource({ path: 'app.log', bytes, format: 'plain-logs', timezone: '+08:00' }, oneLog(11));
    expect(corrected.duplicate).toBe(false);
    const rows = await store.withRead((r) => r.all<{ timezone: string; hour: number }>('SELECT s.timezone, hour(make_timestamp(l.ts_ns // 1000)) AS hour FROM logs l JOIN sources s USING (source_id)'));
    expect(rows).toEqual([{ timezone: '+08:00', hour: 11 }]);
    store.close();
  });

  it('reads UTC for sources imported before the zone was recorded', async () => {
    const path = tempDb();
    const old = await TelemetryStore.open(path);
    await old.importSource({ path: 'old.log', bytes: new TextEncoder().encode('old'), format: 'plain-logs' }, noRecords);
    await old.withWrite(async (w) => {
      // as schema 2 left a workspace: without what later schemas add
      await w.run('ALTER TABLE sources DROP COLUMN timezone');
      await w.run('DROP TABLE derivation');
      await w.run('DROP TABLE kindless_entries');
      await w.run('DELETE FROM schema_version WHERE version >= 3');
    });
    old.close();
    const upgraded = await TelemetryStore.open(path);
    const [version] = await upgraded.withRead((r) => r.all<{ v: number }>('SELECT max(version) AS v FROM schema_version'));
    expect(version!.v).toBe(SCHEMA_VERSION);
    expect(await zones(upgraded)).toEqual({ 'old.log': 'UTC' });
    upgraded.close();
  });
});
