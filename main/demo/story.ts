/**
 * The built-in demo incident, taken from the seed article (gobreaker chapter, deadline propagation,
 * and its AI-assisted RCA section): a checkout path gateway -> order -> payment -> risk-engine over
 * gRPC with deadlines. Ten minutes in, risk-engine's GC pauses jump from about 80 ms to about
 * 1200 ms for eight minutes. Calls that hit a pause outlive payment's own 800 ms deadline for
 * risk-engine; after more than five consecutive failures payment's gobreaker "risk-engine-client"
 * opens, payment serves the fallback "暂不支持在线支付，请选择货到付款", and order and the gateway
 * turn it into errors (HTTP 503). inventory sits on the same path and stays healthy.
 */

export const services = {
  gateway: 'gateway',
  order: 'order',
  payment: 'payment',
  riskEngine: 'risk-engine',
  inventory: 'inventory',
} as const;

export type DemoService = (typeof services)[keyof typeof services];

export const allServices: readonly DemoService[] = Object.values(services);

export const defaultDemoStart = new Date('2025-03-14T09:50:00Z');
export const defaultDemoSeed = 1;

const minute = 60_000;

export const timeline = {
  durationMs: 30 * minute,
  gcStormFromMs: 10 * minute,
  gcStormToMs: 18 * minute,
  /** No new requests in the last seconds, so every trace that starts also ends inside the window. */
  lastArrivalMs: 30 * minute - 5_000,
} as const;

export const traffic = {
  checkoutsPerSecond: 1.1,
  productViewsPerSecond: 0.7,
  invalidCheckoutRatio: 0.012,
  priceCacheMissRatio: 0.02,
} as const;

export const deadlines = {
  /** The gateway's context.WithTimeout for every incoming request; order passes the rest on. */
  gatewayBudgetMs: 2_000,
  /** payment's own context.WithTimeout around the risk-engine call. */
  riskCallTimeoutMs: 800,
} as const;

/** The seed's gobreaker settings, with Timeout shortened to 30 s. */
export const riskBreaker = {
  name: 'risk-engine-client',
  consecutiveFailuresToTrip: 5,
  timeoutMs: 30_000,
  maxRequests: 1,
} as const;

export const paymentFallbackMessage = '暂不支持在线支付，请选择货到付款';

export const riskGc = {
  baselinePauseMs: 80,
  stormPauseMs: 1_200,
  /** A healthy heap collects every few seconds; the blown-up heap collects almost back to back. */
  baselineGapMs: [4_000, 9_000],
  stormGapMs: [100, 350],
  /** Mark assist and the mark workers' CPU slow every request while the heap is under pressure. */
  stormWorkSlowdown: 12,
} as const;

export const metricStepSeconds = 15;
