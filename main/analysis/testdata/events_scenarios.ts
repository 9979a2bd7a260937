/** Loads a sample incident from ../shared/scenarios into an in-memory store, as `causeway ingest` would. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseFile, planImport } from '../../../ingest/index.js';
import { TelemetryStore } from '../../store/store.js';

export const SCENARIOS_DIR = fileURLToPath(new URL('../../../../shared/scenarios/', import.meta.url));
export const scenariosPresent = existsSync(SCENARIOS_DIR);

export async function loadScenario(name: string): Promise<TelemetryStore> {
  const store = await TelemetryStore.open(':memory:');
  for (const file of await planImport([`${SCENARIOS_DIR}${name}/telemetry`])) {
    if (!file.format) continue;
    await store.importSource({ path: file.path, bytes: { sha256: file.sha256, size: file.size }, format: file.format.id }, (sink) => parseFile(file, sink));
  }
  return store;
}
