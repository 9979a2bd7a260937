import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportProgress } from './contract.js';
import { createRcaService } from './service.js';

describe('importPaths with a time zone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-import-tz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads zone-less times in the zone, records it, and keeps the import id', async () => {
    const logPath = join(dir, 'app.log');
    writeFileSync(logPath, '2021-08-07 19:10:41.655 INFO started\n2021-08-07 19:10:42.000 ERROR failed\n');
    const progress: ImportProgress[] = [];
    const service = await createRcaService({
      dbPath: join(dir, 'zoned.duckdb'),
      onEvent: (event, payload) => {
        if (event === 'importProgress') progress.push(payload as ImportProgress);
      },
    });
    try {
      const report = await service.importPaths([logPath], { import_id: 'zoned', timezone: 'Asia/Shanghai' });
      expect(report.totals.logs).toBe(2);
      expect(progress.every((event) => event.import_id === 'zoned')).toBe(true);
      const workspace = await service.getWorkspace();
      expect(workspace.time_range).toEqual({ from: '2021-08-07T11:10:41.655Z', to: '2021-08-07T11:10:42.000Z' });
      expect(workspace.sources.map((source) => source.timezone)).toEqual(['Asia/Shanghai']);
    } finally {
      service.close();
    }
  });

  it('refuses an unknown zone before importing anything', async () => {
    const logPath = join(dir, 'other.log');
    writeFileSync(logPath, '2021-08-07 19:10:41.655 INFO started\n');
    const service = await createRcaService({ dbPath: join(dir, 'refused.duckdb') });
    try {
      await expect(service.importPaths([logPath], { timezone: 'Asia/Atlantis' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('unknown time zone "Asia/Atlantis"') });
      expect((await service.getWorkspace()).sources).toEqual([]);
    } finally {
      service.close();
    }
  });
});
