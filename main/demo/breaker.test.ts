import { describe, expect, it } from 'vitest';
import { errOpenState, errTooManyRequests, SimulatedBreaker } from './breaker.js';

function seedBreaker(): SimulatedBreaker {
  return new SimulatedBreaker({ name: 'b', maxRequests: 1, timeoutMs: 30_000, readyToTrip: (counts) => counts.consecutiveFailures > 5 });
}

function fail(breaker: SimulatedBreaker, atMs: number): void {
  const admission = breaker.beforeRequest(atMs);
  if (!admission.admitted) throw new Error(`rejected at ${atMs}`);
  breaker.afterRequest(atMs + 1, admission.generation, false);
}

describe('SimulatedBreaker (sony/gobreaker semantics)', () => {
  it('trips on the sixth consecutive failure, not the fifth', () => {
    const breaker = seedBreaker();
    for (let i = 0; i < 5; i++) fail(breaker, i * 10);
    expect(breaker.transitions).toEqual([]);
    fail(breaker, 50);
    expect(breaker.transitions).toEqual([{ atMs: 51, from: 'closed', to: 'open' }]);
  });

  it('a success in between resets the consecutive count', () => {
    const breaker = seedBreaker();
    for (let i = 0; i < 5; i++) fail(breaker, i * 10);
    const ok = breaker.beforeRequest(60);
    if (!ok.admitted) throw new Error('rejected');
    breaker.afterRequest(61, ok.generation, true);
    for (let i = 0; i < 5; i++) fail(breaker, 100 + i * 10);
    expect(breaker.transitions).toEqual([]);
  });

  it('rejects while open and half-opens lazily on the first request after the timeout', () => {
    const breaker = seedBreaker();
    for (let i = 0; i < 6; i++) fail(breaker, i * 10);
    expect(breaker.beforeRequest(1_000)).toEqual({ admitted: false, error: errOpenState, state: 'open' });
    const probe = breaker.beforeRequest(40_000);
    expect(probe.admitted).toBe(true);
    expect(breaker.transitions.at(-1)).toEqual({ atMs: 40_000, from: 'open', to: 'half-open' });
    expect(breaker.beforeRequest(40_001)).toEqual({ admitted: false, error: errTooManyRequests, state: 'half-open' });
    if (!probe.admitted) throw new Error('rejected');
    breaker.afterRequest(40_010, probe.generation, true);
    expect(breaker.transitions.at(-1)).toEqual({ atMs: 40_010, from: 'half-open', to: 'closed' });
  });

  it('a failed probe opens it again', () => {
    const breaker = seedBreaker();
    for (let i = 0; i < 6; i++) fail(breaker, i * 10);
    fail(breaker, 40_000);
    expect(breaker.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['closed->open', 'open->half-open', 'half-open->open']);
  });

  it('ignores results of calls that started in an older generation', () => {
    const breaker = seedBreaker();
    const slow = breaker.beforeRequest(0);
    for (let i = 0; i < 6; i++) fail(breaker, 10 + i * 10);
    const probe = breaker.beforeRequest(40_000);
    if (!slow.admitted || !probe.admitted) throw new Error('rejected');
    breaker.afterRequest(40_001, slow.generation, false);
    expect(breaker.transitions.at(-1)?.to).toBe('half-open');
  });
});
