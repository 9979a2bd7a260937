import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { breakerTimelines } from './breakers.js';
import { deadlineFindings } from './deadlines.js';
import { rebuildDerived } from './index.js';
import { SCENARIOS_DIR, loadScenario, scenariosPresent } from './testdata/events_scenarios.js';

/** The answer key of a sample incident; read by this test only, never by product code. */
interface GroundTruth {
  root_cause_service: string;
  breakers_opened: { service: string; breaker: string; protects: string; opened_at: string; last_closed_at: string | null }[];
}

const groundTruth = (name: string): GroundTruth => JSON.parse(readFileSync(`${SCENARIOS_DIR}${name}/ground_truth.json`, 'utf8')) as GroundTruth;

const TOLERANCE_MS = 30_000;
const near = (actual: string | null | undefined, expected: string) =>
  actual !== null && actual !== undefined && Math.abs(Date.parse(actual) - Date.parse(expected)) <= TOLERANCE_MS;

describe.skipIf(!scenariosPresent)('breaker timelines on the sample incidents', () => {
  it.each(['gc_pause', 'dependency_down', 'red_herring'])('%s: every breaker the answer key opened, at the right time', async (name) => {
    const truth = groundTruth(name);
    const store = await loadScenario(name);
    try {
      await rebuildDerived(store);
      const timelines = await store.withRead((r) => breakerTimelines(r));
      for (const expected of truth.breakers_opened) {
        const timeline = timelines.find((t) => t.service === expected.service && t.breaker === expected.breaker);
        expect(timeline, `${expected.service}/${expected.breaker}`).toBeDefined();
        expect(timeline!.protects).toBe(expected.protects);
        expect(near(timeline!.first_opened_at, expected.opened_at), `opened ${timeline!.first_opened_at} vs ${expected.opened_at}`).toBe(true);
        if (expected.last_closed_at) {
          expect(near(timeline!.last_closed_at, expected.last_closed_at), `closed ${timeline!.last_closed_at} vs ${expected.last_closed_at}`).toBe(true);
        }
      }
    } finally {
      store.close();
    }
  });

  it('connection_pool_exhaustion: no breaker opened, none reported', async () => {
    const truth = groundTruth('connection_pool_exhaustion');
    expect(truth.breakers_opened).toEqual([]);
    const store = await loadScenario('connection_pool_exhaustion');
    try {
      await rebuildDerived(store);
      const timelines = await store.withRead((r) => breakerTimelines(r));
      expect(timelines.filter((t) => t.open_count > 0)).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe.skipIf(!scenariosPresent)('deadline findings on the sample incidents', () => {
  it.each([
    { name: 'missing_deadline_propagation', kind: 'orphan_work' },
    { name: 'misconfigured_timeout', kind: 'timeout_below_callee_p99' },
  ])('$name: a $kind finding points at the root-cause service', async ({ name, kind }) => {
    const truth = groundTruth(name);
    const store = await loadScenario(name);
    try {
      await rebuildDerived(store);
      const findings = await store.withRead((r) => deadlineFindings(r));
      const ofKind = findings.filter((f) => f.kind === kind);
      expect(ofKind.some((f) => f.callee === truth.root_cause_service || f.caller === truth.root_cause_service)).toBe(true);
    } finally {
      store.close();
    }
  });
});
