/**
 * The change finder on hand-made logs. The fault begins at 30 min; the timeline (minutes):
 *
 *   0    5    10   15   20   25   30   35   40
 *   R    R    R    R    R    R    R    R    R     "Refreshing remote configuration (revision N)"  routine
 *                            D D               "Starting App v1.2.4" on two pods              a deploy
 *                                 C        C   "Applied configuration property timeout=40ms", then =1500ms
 *   N    N    N    N    N    N    N    N    N     "config watcher: no changes"                    never a change
 *                                 t            a request log that mentions a version            not a change
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryStore } from '../store/store.js';
import { lineShape, loggedChanges } from './changes.js';
import { isoAt, log, storeWith } from './testdata/events_builders.js';

const MIN = 60_000;
let store: TelemetryStore | null = null;

afterEach(() => {
  store?.close();
  store = null;
});

function incidentLogs() {
  const routine = Array.from({ length: 9 }, (_, i) => log({ at: i * 5 * MIN, service: 'booking', body: `Refreshing remote configuration (revision ${1000 + i * 7})` }));
  const polling = Array.from({ length: 9 }, (_, i) => log({ at: i * 5 * MIN + 1000, service: 'booking', body: 'config watcher: no changes' }));
  return [
    ...routine,
    ...polling,
    log({ at: 26 * MIN, service: 'booking', body: 'Starting App v1.2.4 using Java 17 with PID 1' }),
    log({ at: 26 * MIN + 500, service: 'booking', body: 'Starting App v1.2.4 using Java 17 with PID 35' }),
    log({ at: 30 * MIN, service: 'booking', body: 'Applied configuration property clients.check.timeout=40ms' }),
    log({ at: 30 * MIN, service: 'gateway', body: 'request failed: upstream version mismatch', trace: 'aa11' }),
    log({ at: 31 * MIN, service: 'search', body: 'deploy finished: search 2.0.0' }),
    log({ at: 38 * MIN, service: 'booking', body: 'Applied configuration property clients.check.timeout=1500ms' }),
  ];
}

describe('loggedChanges', () => {
  it('lists deploys and config changes near the fault and leaves out routine and request lines', async () => {
    store = await storeWith({ logs: incidentLogs() });
    const changes = await loggedChanges(store, { faultStart: isoAt(30 * MIN), faultEnd: isoAt(40 * MIN), services: ['booking'] });
    expect(changes.map((c) => c.body)).toEqual([
      'Starting App v1.2.4 using Java 17 with PID 1',
      'Applied configuration property clients.check.timeout=40ms',
      'deploy finished: search 2.0.0',
      'Applied configuration property clients.check.timeout=1500ms',
    ]);
    expect(changes[0]).toMatchObject({ service: 'booking', lines: 2, at: isoAt(26 * MIN) });
    expect(changes[0]?.ref).toMatch(/^log:\d+:\d+$/);
  });

  it('puts the failure path first when there are more changes than the limit', async () => {
    store = await storeWith({ logs: incidentLogs() });
    const changes = await loggedChanges(store, { faultStart: isoAt(30 * MIN), faultEnd: isoAt(40 * MIN), services: ['search'], limit: 1 });
    expect(changes.map((c) => c.service)).toEqual(['search']);
  });

  it('ignores changes long before the fault and after it ended', async () => {
    store = await storeWith({ logs: incidentLogs() });
    const changes = await loggedChanges(store, { faultStart: isoAt(30 * MIN + 90 * MIN), faultEnd: isoAt(30 * MIN + 100 * MIN) });
    expect(changes).toEqual([]);
  });
});

describe('lineShape', () => {
  it('masks counters and ids but keeps versions', () => {
    expect(lineShape('revision 3072 of 9f8e7d6c5b4a applied')).toBe(lineShape('revision 8108 of 0a1b2c3d4e5f applied'));
    expect(lineShape('Starting App v1.15.7')).not.toBe(lineShape('Starting App v1.15.6'));
  });

  it('keeps assigned values only when asked', () => {
    expect(lineShape('timeout=40ms')).toBe(lineShape('timeout=1500ms'));
    expect(lineShape('timeout=40ms', true)).not.toBe(lineShape('timeout=1500ms', true));
    expect(lineShape('started with PID 1', true)).toBe(lineShape('started with PID 35', true));
  });
});
