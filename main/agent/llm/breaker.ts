export type CircuitState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before letting probe requests through. */
  cooldownMs: number;
  /** Probe requests allowed at once while half-open; that many successes close it again. */
  halfOpenMaxRequests: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { failureThreshold: 5, cooldownMs: 30_000, halfOpenMaxRequests: 1 };

/**
 * A circuit breaker in the manner of sony/gobreaker: closed until `failureThreshold` consecutive
 * failures, then open (every request refused at once) for `cooldownMs`, then half-open, where a few
 * probes decide: one failure opens it again, `halfOpenMaxRequests` successes close it.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private halfOpenSuccesses = 0;
  private probesInFlight = 0;
  private openedAt = 0;

  constructor(
    readonly settings: BreakerSettings = DEFAULT_BREAKER_SETTINGS,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.settings.cooldownMs) {
      this.current = 'half-open';
      this.halfOpenSuccesses = 0;
      this.probesInFlight = 0;
    }
    return this.current;
  }

  /** Asks to send one request; every granted request must end in exactly one of the on* calls. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'open') return false;
    if (state === 'half-open') {
      if (this.probesInFlight >= this.settings.halfOpenMaxRequests) return false;
      this.probesInFlight += 1;
    }
    return true;
  }

  onSuccess(): void {
    if (this.current === 'half-open') {
      this.probesInFlight = Math.max(0, this.probesInFlight - 1);
      this.halfOpenSuccesses += 1;
      if (this.halfOpenSuccesses >= this.settings.halfOpenMaxRequests) this.close();
      return;
    }
    this.consecutiveFailures = 0;
  }

  onFailure(): void {
    if (this.current === 'half-open') {
      this.open();
      return;
    }
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.settings.failureThreshold) this.open();
  }

  /** The request ended without saying anything about the endpoint (the user cancelled it). */
  onRelease(): void {
    if (this.current === 'half-open') this.probesInFlight = Math.max(0, this.probesInFlight - 1);
  }

  /** Milliseconds until an open breaker lets a probe through; 0 when it is not open. */
  remainingOpenMs(): number {
    return this.state === 'open' ? Math.max(0, this.openedAt + this.settings.cooldownMs - this.now()) : 0;
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.consecutiveFailures = 0;
  }

  private close(): void {
    this.current = 'closed';
    this.consecutiveFailures = 0;
    this.probesInFlight = 0;
  }
}

const breakers = new Map<string, CircuitBreaker>();

/** One breaker per endpoint for the life of the process, so every question sees the same health. */
export function breakerForEndpoint(baseUrl: string): CircuitBreaker {
  let breaker = breakers.get(baseUrl);
  if (!breaker) {
    breaker = new CircuitBreaker();
    breakers.set(baseUrl, breaker);
  }
  return breaker;
}
