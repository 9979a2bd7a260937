import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile, planImport } from '../../ingest/index.js';
import { TelemetryStore } from '../store/store.js';
import { analyze, rebuildDerived } from './index.js';

/**
 * The sample incidents end to end: import each scenario's telemetry folder as a user would, rebuild
 * the derived tables, analyze without a window, and compare the top-ranked root cause with the
 * answer key (read here only, never by the product).
 */
const scenariosDir = fileURLToPath(new URL('../../../shared/scenarios/', import.meta.url));
const scenarios = existsSync(scenariosDir)
  ? readdirSync(scenariosDir).filter((name) => existsSync(`${scenariosDir}${name}/ground_truth.json`)).sort()
  : [];

interface GroundTruth {
  root_cause_service: string;
  root_cause_kind: string;
  fault_start: string;
  fault_end: string;
}

const FIVE_MINUTES_MS = 5 * 60_000;

describe.skipIf(scenarios.length === 0)('sample incidents (../shared/scenarios)', () => {
  it.each(scenarios)('%s: the ground-truth root cause ranks first', async (name) => {
    const truth = JSON.parse(readFileSync(`${scenariosDir}${name}/ground_truth.json`, 'utf8')) as GroundTruth;
    const store = await TelemetryStore.open(':memory:');
    try {
      for (const file of await planImport([`${scenariosDir}${name}/telemetry`])) {
        if (file.problem || !file.format) continue;
        await store.importSource({ path: file.path, bytes: { sha256: file.sha256, size: file.size }, format: file.format.id }, (sink) => parseFile(file, sink));
      }
      await rebuildDerived(store);
      const report = await analyze(store);
      const top = report.root_causes[0];
      expect({ service: top?.service, kind: top?.kind }).toEqual({ service: truth.root_cause_service, kind: truth.root_cause_kind });
      const startedMs = Date.parse(top!.started_at);
      expect(startedMs).toBeGreaterThanOrEqual(Date.parse(truth.fault_start) - FIVE_MINUTES_MS);
      expect(startedMs).toBeLessThanOrEqual(Date.parse(truth.fault_end));
      expect(top!.evidence.length).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  }, 120_000);
});
