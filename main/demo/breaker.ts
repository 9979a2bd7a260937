/**
 * A faithful model of sony/gobreaker's state machine (v1), driven by simulated time, so that the
 * demo's breaker behaves exactly as the seed article's breaker would: it trips when
 * ReadyToTrip(counts) holds, moves from open to half-open lazily on the first request after
 * Timeout, admits MaxRequests probes in half-open, and ignores results of requests that started
 * in an older generation.
 */

/** gobreaker's State values; the numbers are those of its Go constants and of the state gauge. */
export type BreakerState = 'closed' | 'half-open' | 'open';

export const breakerStateValue: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakerCounts {
  requests: number;
  totalSuccesses: number;
  totalFailures: number;
  consecutiveSuccesses: number;
  consecutiveFailures: number;
}

export interface BreakerSettings {
  name: string;
  maxRequests: number;
  timeoutMs: number;
  readyToTrip: (counts: BreakerCounts) => boolean;
}

export interface BreakerTransition {
  atMs: number;
  from: BreakerState;
  to: BreakerState;
}

/** gobreaker.ErrOpenState and gobreaker.ErrTooManyRequests. */
export const errOpenState = 'circuit breaker is open';
export const errTooManyRequests = 'too many requests';

export type Admission = { admitted: true; generation: number } | { admitted: false; error: string; state: BreakerState };

export class SimulatedBreaker {
  readonly transitions: BreakerTransition[] = [];
  private state: BreakerState = 'closed';
  private generation = 0;
  private counts: BreakerCounts = emptyCounts();
  private openUntilMs = 0;

  constructor(private readonly settings: BreakerSettings) {}

  /** cb.Execute's beforeRequest. */
  beforeRequest(nowMs: number): Admission {
    const state = this.currentState(nowMs);
    if (state === 'open') return { admitted: false, error: errOpenState, state };
    if (state === 'half-open' && this.counts.requests >= this.settings.maxRequests) {
      return { admitted: false, error: errTooManyRequests, state };
    }
    this.counts.requests++;
    return { admitted: true, generation: this.generation };
  }

  /** cb.Execute's afterRequest, called when the wrapped call returns. */
  afterRequest(nowMs: number, generation: number, success: boolean): void {
    const state = this.currentState(nowMs);
    if (generation !== this.generation) return;
    if (success) {
      this.counts.totalSuccesses++;
      this.counts.consecutiveSuccesses++;
      this.counts.consecutiveFailures = 0;
      if (state === 'half-open' && this.counts.consecutiveSuccesses >= this.settings.maxRequests) {
        this.setState('closed', nowMs);
      }
      return;
    }
    this.counts.totalFailures++;
    this.counts.consecutiveFailures++;
    this.counts.consecutiveSuccesses = 0;
    if (state === 'half-open' || (state === 'closed' && this.settings.readyToTrip(this.counts))) {
      this.setState('open', nowMs);
    }
  }

  /** Interval is 0 in the seed's settings, so counts in the closed state never reset on a timer. */
  private currentState(nowMs: number): BreakerState {
    if (this.state === 'open' && this.openUntilMs <= nowMs) this.setState('half-open', nowMs);
    return this.state;
  }

  private setState(to: BreakerState, nowMs: number): void {
    if (to === this.state) return;
    const from = this.state;
    this.state = to;
    this.generation++;
    this.counts = emptyCounts();
    if (to === 'open') this.openUntilMs = nowMs + this.settings.timeoutMs;
    this.transitions.push({ atMs: nowMs, from, to });
  }
}

function emptyCounts(): BreakerCounts {
  return { requests: 0, totalSuccesses: 0, totalFailures: 0, consecutiveSuccesses: 0, consecutiveFailures: 0 };
}
