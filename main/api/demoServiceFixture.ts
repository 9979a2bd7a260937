import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createRcaService, type RcaService } from './service.js';

/** For a test file: a service on a fresh workspace holding the built-in demo incident, and its folder. */
export function useDemoService(): { readonly service: RcaService; readonly dir: string } {
  let dir = '';
  let service: RcaService | null = null;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'causeway-demo-service-'));
    service = await createRcaService({ dbPath: join(dir, 'w.duckdb'), settingsPath: null });
    await service.loadDemo();
  }, 120_000);
  afterAll(() => {
    service?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get service() {
      if (!service) throw new Error('the demo service is ready only inside tests');
      return service;
    },
    get dir() {
      return dir;
    },
  };
}
