import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker.js';

function breakerWithClock() {
  const clock = { now: 0 };
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, halfOpenMaxRequests: 1 }, () => clock.now);
  return { breaker, clock };
}

function fail(breaker: CircuitBreaker, times: number) {
  for (let i = 0; i < times; i += 1) {
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
  }
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures only', () => {
    const { breaker } = breakerWithClock();
    fail(breaker, 2);
    breaker.tryAcquire();
    breaker.onSuccess();
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('half-opens after the cool-down and lets one probe through', () => {
    const { breaker, clock } = breakerWithClock();
    fail(breaker, 3);
    clock.now = 999;
    expect(breaker.state).toBe('open');
    expect(breaker.remainingOpenMs()).toBe(1);
    clock.now = 1000;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const { breaker, clock } = breakerWithClock();
    fail(breaker, 3);
    clock.now = 1000;
    breaker.tryAcquire();
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
  });

  it('opens again when the probe fails, for a new cool-down', () => {
    const { breaker, clock } = breakerWithClock();
    fail(breaker, 3);
    clock.now = 1000;
    breaker.tryAcquire();
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    clock.now = 1999;
    expect(breaker.state).toBe('open');
    clock.now = 2000;
    expect(breaker.state).toBe('half-open');
  });

  it('frees the probe slot when a probe is cancelled', () => {
    const { breaker, clock } = breakerWithClock();
    fail(breaker, 3);
    clock.now = 1000;
    breaker.tryAcquire();
    breaker.onRelease();
    expect(breaker.tryAcquire()).toBe(true);
  });
});
