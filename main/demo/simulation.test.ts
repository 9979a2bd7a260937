import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random.js';
import { grpcTimeoutHeader, simulateIncident } from './simulation.js';
import { timeline } from './story.js';

describe('grpcTimeoutHeader', () => {
  it.each([
    [800, '800000u'],
    [1_999.6, '1999600u'],
    [50, '50000000n'],
    [0.0000001, '1n'],
    [3 * 3_600_000, '10800000m'],
  ])('%d ms -> %s', (ms, header) => {
    expect(grpcTimeoutHeader(ms)).toBe(header);
  });

  it('never sends more than eight digits', () => {
    for (const ms of [99.9999999, 100_000, 99_999_999, 10 ** 10]) expect(grpcTimeoutHeader(ms)).toMatch(/^\d{1,8}[HMSmun]$/);
  });
});

describe.each([1, 2, 99, 123_456])('simulateIncident with seed %i', (seed) => {
  const incident = simulateIncident(new SeededRandom(seed));
  const stormSpans = (from: number, to: number) => incident.spans.filter((s) => s.startMs >= from && s.startMs < to);

  it('trips the breaker during the GC storm and closes it again after', () => {
    const transitions = incident.breakerTransitions;
    expect(transitions[0]).toMatchObject({ from: 'closed', to: 'open' });
    expect(transitions.at(-1)).toMatchObject({ from: 'half-open', to: 'closed' });
    expect(transitions[0]!.atMs).toBeGreaterThan(timeline.gcStormFromMs);
    expect(transitions[0]!.atMs).toBeLessThan(timeline.gcStormFromMs + 3 * 60_000);
    expect(transitions.at(-1)!.atMs).toBeGreaterThan(timeline.gcStormToMs);
    expect(transitions.at(-1)!.atMs).toBeLessThan(timeline.gcStormToMs + 2 * 60_000);
  });

  it('has errors only inside the incident, apart from the gateway\'s own 400s', () => {
    const errors = (spans: typeof incident.spans) => spans.filter((s) => s.status.code === 2);
    expect(errors(stormSpans(0, timeline.gcStormFromMs))).toEqual([]);
    expect(errors(stormSpans(timeline.gcStormToMs + 2 * 60_000, timeline.durationMs))).toEqual([]);
    expect(errors(stormSpans(timeline.gcStormFromMs, timeline.gcStormToMs)).length).toBeGreaterThan(100);
  });

  it('keeps every span within its parent\'s trace and the incident window', () => {
    const byId = new Map(incident.spans.map((s) => [s.spanId, s]));
    expect(byId.size).toBe(incident.spans.length);
    const outside = incident.spans.filter((s) => s.startMs < 0 || s.endMs > timeline.durationMs || s.endMs < s.startMs);
    expect(outside).toEqual([]);
    const clientsOutlivingParents = incident.spans.filter((s) => {
      const parent = s.parentSpanId === null ? undefined : byId.get(s.parentSpanId);
      return parent !== undefined && s.kind === 'client' && (s.startMs < parent.startMs || s.endMs > parent.endMs);
    });
    expect(clientsOutlivingParents).toEqual([]);
  });
});
