/**
 * Simulates the demo incident (see story.ts) request by request. Every signal is derived from the
 * same simulated calls: spans, the log lines written inside them, the breaker's transitions and
 * risk-engine's GC pauses, so that traces, logs and metrics agree by construction.
 */
import { errOpenState, SimulatedBreaker, type BreakerState, type BreakerTransition } from './breaker.js';
import type { AttributeValue, DemoLogLine, DemoResource, DemoSpan, DemoSpanStatus, GcPause, InstrumentationScope, LogFieldValue, LogLevel } from './model.js';
import type { SeededRandom } from './random.js';
import {
  allServices, deadlines, paymentFallbackMessage, riskBreaker, riskGc, services, timeline, traffic, type DemoService,
} from './story.js';

export interface SimulatedIncident {
  resources: Record<DemoService, DemoResource>;
  spans: DemoSpan[];
  logs: DemoLogLine[];
  gcPauses: GcPause[];
  breakerTransitions: BreakerTransition[];
}

const otelgrpc: InstrumentationScope = { name: 'go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc', version: '0.49.0' };
const otelhttp: InstrumentationScope = { name: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp', version: '0.49.0' };
/** payment wraps cb.Execute in its own client span, so calls the breaker rejects leave a span too. */
const riskClientScope: InstrumentationScope = { name: 'payment/internal/riskclient', version: '1.8.2' };

const grpcPort = 9090;
const grpcCodes = { ok: 0, deadlineExceeded: 4, unavailable: 14 } as const;
const deadlineExceededText = 'context deadline exceeded';
const rpcDeadlineExceeded = `rpc error: code = DeadlineExceeded desc = ${deadlineExceededText}`;
const rpcFallback = `rpc error: code = Unavailable desc = ${paymentFallbackMessage}`;

interface RpcMethod {
  callee: DemoService;
  service: string;
  method: string;
}

const rpc = {
  createOrder: { callee: services.order, service: 'order.v1.OrderService', method: 'CreateOrder' },
  reserveStock: { callee: services.inventory, service: 'inventory.v1.InventoryService', method: 'Reserve' },
  getStock: { callee: services.inventory, service: 'inventory.v1.InventoryService', method: 'GetStock' },
  pay: { callee: services.payment, service: 'payment.v1.PaymentService', method: 'Pay' },
  evaluateRisk: { callee: services.riskEngine, service: 'risk.v1.RiskService', method: 'Evaluate' },
} as const satisfies Record<string, RpcMethod>;

type RiskOutcome =
  | { kind: 'answered' | 'deadline_exceeded'; sendMs: number; deadlineMs: number; serverStartMs: number; serverEndMs: number; clientEndMs: number; score: number }
  | { kind: 'rejected'; error: string; breakerState: BreakerState; clientEndMs: number };

interface Checkout {
  traceId: string;
  arrivalMs: number;
  sku: string;
  quantity: number;
  amountCents: number;
  orderId: string;
  priceCacheMiss: boolean;
  gatewayDeadlineMs: number;
  gatewayClientStartMs: number;
  orderServerStartMs: number;
  inventoryClientStartMs: number;
  inventoryServerStartMs: number;
  inventoryServerEndMs: number;
  inventoryClientEndMs: number;
  paymentClientStartMs: number;
  paymentServerStartMs: number;
  riskCallMs: number;
  risk: RiskOutcome | null;
}

const userAgents = ['shop-ios/5.12.0 (iPhone; iOS 17.3)', 'shop-android/5.12.1 (Pixel 7; Android 14)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15'];

export function simulateIncident(random: SeededRandom): SimulatedIncident {
  return new IncidentSimulation(random).run();
}

class IncidentSimulation {
  private readonly spans: DemoSpan[] = [];
  private readonly logs: DemoLogLine[] = [];
  private readonly resources: Record<DemoService, DemoResource>;
  private readonly gcPauses: GcPause[];
  private readonly breaker = new SimulatedBreaker({
    name: riskBreaker.name,
    maxRequests: riskBreaker.maxRequests,
    timeoutMs: riskBreaker.timeoutMs,
    readyToTrip: (counts) => counts.consecutiveFailures > riskBreaker.consecutiveFailuresToTrip,
  });

  constructor(private readonly random: SeededRandom) {
    this.resources = this.makeResources();
    this.gcPauses = this.scheduleRiskEngineGc();
  }

  run(): SimulatedIncident {
    const checkouts: Checkout[] = [];
    const productViews: number[] = [];
    for (let at = this.random.exponential(1000 / traffic.checkoutsPerSecond); at < timeline.lastArrivalMs; at += this.random.exponential(1000 / traffic.checkoutsPerSecond)) {
      if (this.random.chance(traffic.invalidCheckoutRatio)) this.emitInvalidCheckout(at);
      else checkouts.push(this.planCheckout(at));
    }
    for (let at = this.random.exponential(1000 / traffic.productViewsPerSecond); at < timeline.lastArrivalMs; at += this.random.exponential(1000 / traffic.productViewsPerSecond)) {
      productViews.push(at);
    }
    this.decideRiskCalls(checkouts);
    for (const checkout of checkouts) this.emitCheckout(checkout);
    for (const at of productViews) this.emitProductView(at);
    this.emitBreakerTransitions();
    this.emitGcPauses();
    this.emitBackgroundLines();
    this.spans.sort((a, b) => a.endMs - b.endMs);
    this.logs.sort((a, b) => a.atMs - b.atMs);
    return { resources: this.resources, spans: this.spans, logs: this.logs, gcPauses: this.gcPauses, breakerTransitions: this.breaker.transitions };
  }

  private makeResources(): Record<DemoService, DemoResource> {
    const versions: Record<DemoService, string> = { gateway: '2.4.1', order: '1.19.0', payment: '1.8.2', 'risk-engine': '3.2.0', inventory: '1.11.4' };
    const entries = allServices.map((service): [DemoService, DemoResource] => {
      const pod = `${service}-${this.random.podSuffix(10)}-${this.random.podSuffix(5)}`;
      return [service, {
        service,
        attributes: [
          ['service.name', service],
          ['service.namespace', 'shop'],
          ['service.version', versions[service]],
          ['service.instance.id', pod],
          ['k8s.namespace.name', 'shop'],
          ['k8s.pod.name', pod],
          ['k8s.deployment.name', service],
          ['host.name', pod],
          ['telemetry.sdk.name', 'opentelemetry'],
          ['telemetry.sdk.language', 'go'],
          ['telemetry.sdk.version', '1.24.0'],
        ],
      }];
    });
    return Object.fromEntries(entries) as Record<DemoService, DemoResource>;
  }

  /** risk-engine's stop-the-world pauses: short and sparse, then long and back to back in the storm. */
  private scheduleRiskEngineGc(): GcPause[] {
    const pauses: GcPause[] = [];
    let at = this.random.between(1_000, 5_000);
    let cycle = this.random.int(40_000, 60_000);
    while (at < timeline.durationMs) {
      const storm = at >= timeline.gcStormFromMs && at < timeline.gcStormToMs;
      const pauseMs = storm
        ? clamp(this.random.normal(riskGc.stormPauseMs, 130), 900, 1_550)
        : clamp(this.random.normal(riskGc.baselinePauseMs, 9), 55, 110);
      const heapLiveMb = storm ? Math.round(this.random.between(3_700, 3_950)) : Math.round(this.random.between(820, 1_150));
      pauses.push({ startMs: at, endMs: at + pauseMs, cycle: cycle++, heapLiveMb });
      const [minGap, maxGap] = storm ? riskGc.stormGapMs : riskGc.baselineGapMs;
      at += pauseMs + this.random.between(minGap, maxGap);
    }
    return pauses;
  }

  /** When a handler that needs `workMs` of CPU, starting at `startMs`, finishes despite the pauses. */
  private riskEngineFinish(startMs: number, workMs: number): number {
    let cursor = startMs;
    let remaining = workMs;
    for (let i = this.firstPauseEndingAfter(startMs); i < this.gcPauses.length; i++) {
      const pause = this.gcPauses[i]!;
      if (pause.startMs >= cursor + remaining) break;
      remaining -= Math.max(0, pause.startMs - cursor);
      cursor = Math.max(cursor, pause.endMs);
    }
    return cursor + remaining;
  }

  private firstPauseEndingAfter(ms: number): number {
    let low = 0;
    let high = this.gcPauses.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.gcPauses[mid]!.endMs <= ms) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private inGcStorm(ms: number): boolean {
    return ms >= timeline.gcStormFromMs && ms < timeline.gcStormToMs;
  }

  private network(): number {
    return this.random.between(0.25, 0.9);
  }

  private planCheckout(arrivalMs: number): Checkout {
    const random = this.random;
    const gatewayClientStartMs = arrivalMs + random.between(0.15, 0.6);
    const orderServerStartMs = gatewayClientStartMs + this.network();
    const priceCacheMiss = random.chance(traffic.priceCacheMissRatio);
    const inventoryClientStartMs = orderServerStartMs + random.between(0.5, 2) + (priceCacheMiss ? random.between(3, 7) : 0);
    const inventoryServerStartMs = inventoryClientStartMs + this.network();
    const inventoryServerEndMs = inventoryServerStartMs + random.logNormal(3, 0.35);
    const inventoryClientEndMs = inventoryServerEndMs + this.network();
    const paymentClientStartMs = inventoryClientEndMs + random.between(0.2, 1);
    const paymentServerStartMs = paymentClientStartMs + this.network();
    const quantity = random.int(1, 3);
    return {
      traceId: random.hex(16),
      arrivalMs,
      sku: `SKU-${random.int(10_000, 99_999)}`,
      quantity,
      amountCents: quantity * random.int(499, 25_999),
      orderId: `ord_${random.hex(6)}`,
      priceCacheMiss,
      gatewayDeadlineMs: arrivalMs + random.between(0.02, 0.08) + deadlines.gatewayBudgetMs,
      gatewayClientStartMs,
      orderServerStartMs,
      inventoryClientStartMs,
      inventoryServerStartMs,
      inventoryServerEndMs,
      inventoryClientEndMs,
      paymentClientStartMs,
      paymentServerStartMs,
      riskCallMs: paymentServerStartMs + random.between(0.8, 2.5),
      risk: null,
    };
  }

  /**
   * Runs payment's breaker over the risk calls in the order they happen: a call asks the breaker
   * when it starts, and reports to it when it returns, so results are applied in completion order.
   */
  private decideRiskCalls(checkouts: Checkout[]): void {
    const inCallOrder = [...checkouts].sort((a, b) => a.riskCallMs - b.riskCallMs);
    const inFlight: Array<{ returnsAtMs: number; generation: number; success: boolean }> = [];
    const settleUntil = (ms: number): void => {
      inFlight.sort((a, b) => a.returnsAtMs - b.returnsAtMs);
      while (inFlight.length > 0 && inFlight[0]!.returnsAtMs <= ms) {
        const call = inFlight.shift()!;
        this.breaker.afterRequest(call.returnsAtMs, call.generation, call.success);
      }
    };
    for (const checkout of inCallOrder) {
      settleUntil(checkout.riskCallMs);
      const admission = this.breaker.beforeRequest(checkout.riskCallMs);
      if (!admission.admitted) {
        checkout.risk = { kind: 'rejected', error: admission.error, breakerState: admission.state, clientEndMs: checkout.riskCallMs + this.random.between(0.01, 0.05) };
        continue;
      }
      const outcome = this.callRiskEngine(checkout.riskCallMs);
      checkout.risk = outcome;
      inFlight.push({ returnsAtMs: outcome.clientEndMs, generation: admission.generation, success: outcome.kind === 'answered' });
    }
    settleUntil(Number.POSITIVE_INFINITY);
  }

  private callRiskEngine(callMs: number): RiskOutcome {
    const random = this.random;
    const deadlineMs = callMs + deadlines.riskCallTimeoutMs;
    const sendMs = callMs + random.between(0.005, 0.03);
    const serverStartMs = sendMs + this.network();
    const workMs = random.logNormal(18, 0.45) * (this.inGcStorm(serverStartMs) ? riskGc.stormWorkSlowdown : 1);
    const serverEndMs = this.riskEngineFinish(serverStartMs, workMs);
    const responseMs = serverEndMs + this.network();
    const score = Math.round(random.between(0.02, 0.35) * 1000) / 1000;
    if (responseMs <= deadlineMs) {
      return { kind: 'answered', sendMs, deadlineMs, serverStartMs, serverEndMs, clientEndMs: responseMs, score };
    }
    return { kind: 'deadline_exceeded', sendMs, deadlineMs, serverStartMs, serverEndMs, clientEndMs: deadlineMs + random.between(0.05, 0.4), score };
  }

  private emitCheckout(c: Checkout): void {
    const random = this.random;
    const risk = c.risk;
    if (risk === null) throw new Error(`checkout ${c.traceId} has no risk decision`);
    const paymentFailed = risk.kind !== 'answered';
    const paymentServerEndMs = risk.clientEndMs + random.between(0.2, 1);
    const paymentClientEndMs = paymentServerEndMs + this.network();
    const orderServerEndMs = paymentClientEndMs + (paymentFailed ? random.between(0.2, 0.6) : random.between(1, 3));
    const gatewayClientEndMs = orderServerEndMs + this.network();
    const gatewayServerEndMs = gatewayClientEndMs + random.between(0.1, 0.5);
    const httpStatus = paymentFailed ? 503 : 201;
    const upstreamError: DemoSpanStatus = paymentFailed ? { code: 2, message: paymentFallbackMessage } : { code: 0 };

    const gatewayServer = this.span(c.traceId, null, services.gateway, otelhttp, 'POST /api/v1/checkout', 'server', c.arrivalMs, gatewayServerEndMs, [
      ...httpServerAttributes('POST', '/api/v1/checkout', '/api/v1/checkout', httpStatus, this.clientAddress(), random.pick(userAgents)),
    ], paymentFailed ? { code: 2, message: rpcFallback } : { code: 0 });
    const gatewayClient = this.clientSpan(c.traceId, gatewayServer, rpc.createOrder, c.gatewayClientStartMs, gatewayClientEndMs, c.gatewayDeadlineMs - c.gatewayClientStartMs, paymentFailed ? grpcCodes.unavailable : grpcCodes.ok, upstreamError);
    const orderServer = this.serverSpan(c.traceId, gatewayClient, rpc.createOrder, c.orderServerStartMs, orderServerEndMs, paymentFailed ? grpcCodes.unavailable : grpcCodes.ok, upstreamError);
    const inventoryClient = this.clientSpan(c.traceId, orderServer, rpc.reserveStock, c.inventoryClientStartMs, c.inventoryClientEndMs, c.gatewayDeadlineMs - c.inventoryClientStartMs, grpcCodes.ok, { code: 0 });
    const inventoryServer = this.serverSpan(c.traceId, inventoryClient, rpc.reserveStock, c.inventoryServerStartMs, c.inventoryServerEndMs, grpcCodes.ok, { code: 0 });
    const paymentClient = this.clientSpan(c.traceId, orderServer, rpc.pay, c.paymentClientStartMs, paymentClientEndMs, c.gatewayDeadlineMs - c.paymentClientStartMs, paymentFailed ? grpcCodes.unavailable : grpcCodes.ok, upstreamError);
    const paymentServer = this.serverSpan(c.traceId, paymentClient, rpc.pay, c.paymentServerStartMs, paymentServerEndMs, paymentFailed ? grpcCodes.unavailable : grpcCodes.ok, upstreamError,
      paymentFailed ? [['fallback', true], ['fallback.reason', risk.kind === 'rejected' ? risk.error : deadlineExceededText]] : []);

    if (c.priceCacheMiss) {
      this.log(c.orderServerStartMs + random.between(0.3, 1), services.order, 'warn', 'pricing/cache.go:88', 'price cache miss, loading from inventory', orderServer, [['sku', c.sku]]);
    }
    this.log(c.inventoryServerEndMs - 0.05, services.inventory, 'info', 'stock/reserve.go:54', 'stock reserved', inventoryServer, [['sku', c.sku], ['quantity', c.quantity]]);

    if (risk.kind === 'rejected') {
      this.span(c.traceId, paymentServer.spanId, services.payment, riskClientScope, `${rpc.evaluateRisk.service}/${rpc.evaluateRisk.method}`, 'client', c.riskCallMs, risk.clientEndMs, [
        ...rpcAttributes(rpc.evaluateRisk),
        ['server.address', rpc.evaluateRisk.callee],
        ['server.port', grpcPort],
        ['peer.service', rpc.evaluateRisk.callee],
        ['gobreaker.name', riskBreaker.name],
        ['gobreaker.state', risk.breakerState],
        ['error.type', risk.error === errOpenState ? 'gobreaker.ErrOpenState' : 'gobreaker.ErrTooManyRequests'],
      ], { code: 2, message: risk.error });
      this.log(risk.clientEndMs + 0.02, services.payment, 'error', 'payment/service.go:112', 'risk evaluation failed', paymentServer, [['order_id', c.orderId], ['error', risk.error]]);
    } else {
      const timedOut = risk.kind === 'deadline_exceeded';
      const riskClient = this.span(c.traceId, paymentServer.spanId, services.payment, riskClientScope, `${rpc.evaluateRisk.service}/${rpc.evaluateRisk.method}`, 'client', c.riskCallMs, risk.clientEndMs, [
        ...rpcAttributes(rpc.evaluateRisk),
        ['server.address', rpc.evaluateRisk.callee],
        ['server.port', grpcPort],
        ['peer.service', rpc.evaluateRisk.callee],
        ['rpc.grpc.request.metadata.grpc-timeout', [grpcTimeoutHeader(risk.deadlineMs - risk.sendMs)]],
        ['deadline_ms', deadlines.riskCallTimeoutMs],
        ['gobreaker.name', riskBreaker.name],
        ['rpc.grpc.status_code', timedOut ? grpcCodes.deadlineExceeded : grpcCodes.ok],
      ], timedOut ? { code: 2, message: deadlineExceededText } : { code: 0 });
      // risk-engine never looks at ctx.Done(): past the deadline it keeps working and answers OK to nobody.
      const riskServer = this.serverSpan(c.traceId, riskClient, rpc.evaluateRisk, risk.serverStartMs, risk.serverEndMs, grpcCodes.ok, { code: 0 });
      this.log(risk.serverEndMs - 0.03, services.riskEngine, 'info', 'score/evaluate.go:73', 'risk evaluated', riskServer, [['score', risk.score], ['duration_ms', round1(risk.serverEndMs - risk.serverStartMs)]]);
      if (timedOut) {
        this.log(risk.clientEndMs + 0.02, services.payment, 'error', 'payment/service.go:112', 'risk evaluation failed', paymentServer, [['order_id', c.orderId], ['error', rpcDeadlineExceeded]]);
      }
    }

    if (paymentFailed) {
      this.log(paymentServerEndMs - 0.1, services.payment, 'warn', 'payment/fallback.go:21', `fallback: ${paymentFallbackMessage}`, paymentServer, [['order_id', c.orderId], ['fallback', true]]);
      this.log(orderServerEndMs - 0.05, services.order, 'error', 'checkout/handler.go:97', 'checkout failed', orderServer, [['order_id', c.orderId], ['error', rpcFallback]]);
      this.log(gatewayServerEndMs - 0.02, services.gateway, 'error', 'middleware/accesslog.go:61', 'request failed', gatewayServer, [['method', 'POST'], ['path', '/api/v1/checkout'], ['status', httpStatus], ['duration_ms', round1(gatewayServerEndMs - c.arrivalMs)], ['error', rpcFallback]]);
    } else {
      const score = risk.kind === 'answered' ? risk.score : 0;
      this.log(paymentServerEndMs - 0.1, services.payment, 'info', 'payment/service.go:131', 'payment authorized', paymentServer, [['order_id', c.orderId], ['amount_cents', c.amountCents], ['risk_score', score]]);
      this.log(orderServerEndMs - 0.05, services.order, 'info', 'checkout/handler.go:104', 'order created', orderServer, [['order_id', c.orderId], ['amount_cents', c.amountCents]]);
      this.log(gatewayServerEndMs - 0.02, services.gateway, 'info', 'middleware/accesslog.go:61', 'request completed', gatewayServer, [['method', 'POST'], ['path', '/api/v1/checkout'], ['status', httpStatus], ['duration_ms', round1(gatewayServerEndMs - c.arrivalMs)]]);
    }
  }

  /** Noise that belongs to no incident: clients sending bad input get a 400 from the gateway itself. */
  private emitInvalidCheckout(arrivalMs: number): void {
    const endMs = arrivalMs + this.random.between(0.2, 0.6);
    const server = this.span(this.random.hex(16), null, services.gateway, otelhttp, 'POST /api/v1/checkout', 'server', arrivalMs, endMs,
      httpServerAttributes('POST', '/api/v1/checkout', '/api/v1/checkout', 400, this.clientAddress(), this.random.pick(userAgents)), { code: 0 });
    const error = this.random.pick(['quantity must be between 1 and 99', 'missing field "shipping_address"', 'unknown currency "XBT"']);
    this.log(endMs - 0.02, services.gateway, 'warn', 'middleware/accesslog.go:58', 'request validation failed', server, [['method', 'POST'], ['path', '/api/v1/checkout'], ['status', 400], ['error', error]]);
  }

  private emitProductView(arrivalMs: number): void {
    const random = this.random;
    const traceId = random.hex(16);
    const productId = random.int(100_000, 999_999);
    const deadlineMs = arrivalMs + random.between(0.02, 0.08) + deadlines.gatewayBudgetMs;
    const clientStartMs = arrivalMs + random.between(0.15, 0.5);
    const serverStartMs = clientStartMs + this.network();
    const serverEndMs = serverStartMs + random.logNormal(2, 0.4);
    const clientEndMs = serverEndMs + this.network();
    const gatewayEndMs = clientEndMs + random.between(0.1, 0.4);
    const gatewayServer = this.span(traceId, null, services.gateway, otelhttp, 'GET /api/v1/products/{id}', 'server', arrivalMs, gatewayEndMs,
      httpServerAttributes('GET', '/api/v1/products/{id}', `/api/v1/products/${productId}`, 200, this.clientAddress(), random.pick(userAgents)), { code: 0 });
    const client = this.clientSpan(traceId, gatewayServer, rpc.getStock, clientStartMs, clientEndMs, deadlineMs - clientStartMs, grpcCodes.ok, { code: 0 });
    this.serverSpan(traceId, client, rpc.getStock, serverStartMs, serverEndMs, grpcCodes.ok, { code: 0 });
    this.log(gatewayEndMs - 0.02, services.gateway, 'info', 'middleware/accesslog.go:61', 'request completed', gatewayServer, [['method', 'GET'], ['path', `/api/v1/products/${productId}`], ['status', 200], ['duration_ms', round1(gatewayEndMs - arrivalMs)]]);
  }

  /** The seed's OnStateChange: log.Printf("CB %s state changed: %v -> %v", name, from, to). */
  private emitBreakerTransitions(): void {
    for (const transition of this.breaker.transitions) {
      this.log(transition.atMs, services.payment, transition.to === 'open' ? 'warn' : 'info', 'payment/breaker.go:31',
        `CB ${riskBreaker.name} state changed: ${transition.from} -> ${transition.to}`, null, []);
    }
  }

  /** risk-engine's GC watcher logs every cycle's stop-the-world pause, and warns on long ones. */
  private emitGcPauses(): void {
    for (const pause of this.gcPauses) {
      const pauseMs = round1(pause.endMs - pause.startMs);
      this.log(pause.endMs + 0.2, services.riskEngine, pauseMs >= 500 ? 'warn' : 'info', 'internal/gcwatch/watch.go:58', 'GC pause', null, [
        ['gc', pause.cycle], ['pause_ms', pauseMs], ['heap_live_mb', pause.heapLiveMb], ['heap_goal_mb', 4_096],
      ]);
    }
  }

  /** Routine lines from every service, plus a few unrelated errors, one of them before the incident. */
  private emitBackgroundLines(): void {
    const random = this.random;
    const routine: Record<DemoService, () => [string, string, Array<readonly [string, LogFieldValue]>]> = {
      gateway: () => ['upstream/pool.go:140', 'upstream pool stats', [['active', random.int(3, 18)], ['idle', random.int(8, 30)]]],
      order: () => ['outbox/relay.go:66', 'outbox relay flushed', [['events', random.int(20, 90)]]],
      payment: () => ['settlement/batch.go:45', 'settlement batch queued', [['payments', random.int(30, 120)]]],
      'risk-engine': () => ['rules/cache.go:102', 'rules cache refreshed', [['rules', random.int(1_180, 1_210)], ['took_ms', round1(random.between(8, 30))]]],
      inventory: () => ['sync/warehouse.go:77', 'stock sync completed', [['skus', random.int(14_000, 15_000)], ['took_ms', round1(random.between(40, 160))]]],
    };
    for (const service of allServices) {
      for (let at = random.between(0, 20_000); at < timeline.durationMs; at += random.between(15_000, 45_000)) {
        const [caller, msg, fields] = routine[service]();
        this.log(at, service, 'info', caller, msg, null, fields);
      }
    }
    const minute = 60_000;
    this.log(4 * minute + random.between(0, 30_000), services.gateway, 'error', 'net/http/server.go:3413', `http: TLS handshake error from 198.51.100.${random.int(2, 250)}:${random.int(30_000, 60_000)}: EOF`, null, []);
    this.log(6 * minute + random.between(0, 30_000), services.order, 'error', 'fx/refresh.go:39', 'failed to refresh exchange rates, keeping previous table', null, [['error', 'fx provider returned 502 Bad Gateway']]);
    this.log(7 * minute + random.between(0, 30_000), services.order, 'info', 'fx/refresh.go:45', 'exchange rates refreshed', null, [['currencies', 31]]);
    this.log(23 * minute + random.between(0, 30_000), services.gateway, 'error', 'net/http/server.go:3413', `http: TLS handshake error from 203.0.113.${random.int(2, 250)}:${random.int(30_000, 60_000)}: tls: client offered only unsupported versions: [302 301]`, null, []);
  }

  private clientAddress(): string {
    return `${this.random.pick(['81', '94', '176', '188'])}.${this.random.int(1, 254)}.${this.random.int(1, 254)}.${this.random.int(1, 254)}`;
  }

  private span(traceId: string, parentSpanId: string | null, service: DemoService, scope: InstrumentationScope, name: string, kind: 'server' | 'client', startMs: number, endMs: number, attributes: Array<readonly [string, AttributeValue]>, status: DemoSpanStatus): DemoSpan {
    const span: DemoSpan = { traceId, spanId: this.random.hex(8), parentSpanId, service, scope, name, kind, startMs, endMs, attributes, status };
    this.spans.push(span);
    return span;
  }

  private clientSpan(traceId: string, parent: DemoSpan, method: RpcMethod, startMs: number, endMs: number, remainingBudgetMs: number, grpcCode: number, status: DemoSpanStatus): DemoSpan {
    return this.span(traceId, parent.spanId, serviceOf(parent), otelgrpc, `${method.service}/${method.method}`, 'client', startMs, endMs, [
      ...rpcAttributes(method),
      ['server.address', method.callee],
      ['server.port', grpcPort],
      ['peer.service', method.callee],
      ['rpc.grpc.request.metadata.grpc-timeout', [grpcTimeoutHeader(remainingBudgetMs)]],
      ['deadline_ms', Math.round(remainingBudgetMs)],
      ['rpc.grpc.status_code', grpcCode],
    ], status);
  }

  private serverSpan(traceId: string, parent: DemoSpan, method: RpcMethod, startMs: number, endMs: number, grpcCode: number, status: DemoSpanStatus, extra: Array<readonly [string, AttributeValue]> = []): DemoSpan {
    return this.span(traceId, parent.spanId, method.callee, otelgrpc, `${method.service}/${method.method}`, 'server', startMs, endMs, [
      ...rpcAttributes(method),
      ['rpc.grpc.status_code', grpcCode],
      ...extra,
    ], status);
  }

  private log(atMs: number, service: DemoService, level: LogLevel, caller: string, msg: string, span: DemoSpan | null, fields: ReadonlyArray<readonly [string, LogFieldValue]>): void {
    this.logs.push({ atMs, service, level, caller, msg, traceId: span?.traceId ?? null, spanId: span?.spanId ?? null, fields });
  }
}

function serviceOf(span: DemoSpan): DemoService {
  const service = allServices.find((candidate) => candidate === span.service);
  if (service === undefined) throw new Error(`span ${span.spanId} belongs to unknown service ${span.service}`);
  return service;
}

function rpcAttributes(method: RpcMethod): Array<readonly [string, AttributeValue]> {
  return [['rpc.system', 'grpc'], ['rpc.service', method.service], ['rpc.method', method.method]];
}

function httpServerAttributes(httpMethod: string, route: string, path: string, status: number, clientAddress: string, userAgent: string): Array<readonly [string, AttributeValue]> {
  return [
    ['http.request.method', httpMethod],
    ['http.route', route],
    ['url.path', path],
    ['url.scheme', 'https'],
    ['server.address', 'shop.example.com'],
    ['client.address', clientAddress],
    ['user_agent.original', userAgent],
    ['http.response.status_code', status],
  ];
}

/**
 * The grpc-timeout header as grpc-go sends it: at most 8 digits and a unit, in the finest unit that
 * fits (e.g. "799987u").
 */
export function grpcTimeoutHeader(remainingMs: number): string {
  const units: Array<[string, number]> = [['n', 1e-6], ['u', 1e-3], ['m', 1], ['S', 1e3], ['M', 60e3], ['H', 3_600e3]];
  for (const [unit, unitMs] of units) {
    const value = Math.ceil(remainingMs / unitMs);
    if (value < 1e8) return `${Math.max(value, 1)}${unit}`;
  }
  throw new Error(`deadline too far away for grpc-timeout: ${remainingMs} ms`);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
