/**
 * The Prometheus side of the demo incident, computed from the simulated spans, GC pauses and
 * breaker transitions so that every sample agrees with the traces and logs at the same instant.
 * One QueryRangeResult per query, sampled every `metricStepSeconds` over the whole incident.
 */
import { breakerStateValue, type BreakerState } from './breaker.js';
import type { MatrixSeries, QueryRangeResult } from './model.js';
import type { SeededRandom } from './random.js';
import type { SimulatedIncident } from './simulation.js';
import { allServices, metricStepSeconds, riskBreaker, services, timeline, type DemoService } from './story.js';

const grpcCodeNames: Record<number, string> = { 0: 'OK', 1: 'Canceled', 4: 'DeadlineExceeded', 13: 'Internal', 14: 'Unavailable' };
const rateWindowSeconds = 60;

export function incidentMetrics(incident: SimulatedIncident, startEpochMs: number, random: SeededRandom): QueryRangeResult[] {
  const steps = stepOffsetsMs();
  const instances = Object.fromEntries(allServices.map((service) => [service, `10.42.${random.int(0, 7)}.${random.int(2, 254)}:9102`])) as Record<DemoService, string>;
  const at = (offsetMs: number): number => (startEpochMs + offsetMs) / 1000;
  return [
    gcPauseQuantile(incident, steps, instances, at, random),
    grpcClientHandled(incident, steps, instances, at, random),
    breakerState(incident, steps, instances, at),
    requestRate(incident, steps, at),
  ];
}

function stepOffsetsMs(): number[] {
  const offsets: number[] = [];
  for (let ms = 0; ms <= timeline.durationMs; ms += metricStepSeconds * 1000) offsets.push(ms);
  return offsets;
}

/**
 * The Go collector's summary of recent stop-the-world pauses: at each scrape, quantile 1 is the
 * longest pause of the cycles that ended since the previous scrape, kept while no cycle ends.
 * Only risk-engine's pauses are simulated cycle by cycle; the other services collect in well
 * under a few milliseconds.
 */
function gcPauseQuantile(incident: SimulatedIncident, steps: number[], instances: Record<DemoService, string>, at: (ms: number) => number, random: SeededRandom): QueryRangeResult {
  const series = allServices.map((service): MatrixSeries => {
    const metric = { __name__: 'go_gc_duration_seconds', instance: instances[service], job: service, quantile: '1', service };
    if (service !== services.riskEngine) {
      const typicalSeconds = random.between(0.0004, 0.0025);
      return { metric, values: steps.map((ms) => [at(ms), roundTo(typicalSeconds * random.between(0.6, 1.5), 6)] as const) };
    }
    let lastSeconds = pauseSeconds(incident.gcPauses[0]);
    const values = steps.map((ms) => {
      const ended = incident.gcPauses.filter((pause) => pause.endMs > ms - metricStepSeconds * 1000 && pause.endMs <= ms);
      if (ended.length > 0) lastSeconds = Math.max(...ended.map(pauseSeconds));
      return [at(ms), lastSeconds] as const;
    });
    return { metric, values };
  });
  return { fileName: 'go_gc_duration_seconds.json', query: 'go_gc_duration_seconds{quantile="1"}', series };
}

function pauseSeconds(pause: { startMs: number; endMs: number } | undefined): number {
  if (pause === undefined) throw new Error('the demo needs at least one GC pause');
  return roundTo((pause.endMs - pause.startMs) / 1000, 6);
}

/**
 * go-grpc-prometheus's client counter, one series per caller, method and status code. Calls the
 * breaker rejects never reach the gRPC interceptor, so they are not counted. Codes the process had
 * already seen before the window start with an earlier total; codes new in the window appear at
 * their first occurrence, as Prometheus series do.
 */
function grpcClientHandled(incident: SimulatedIncident, steps: number[], instances: Record<DemoService, string>, at: (ms: number) => number, random: SeededRandom): QueryRangeResult {
  const calls = new Map<string, { labels: Record<string, string>; endsMs: number[] }>();
  for (const span of incident.spans) {
    const code = span.attributes.find(([key]) => key === 'rpc.grpc.status_code')?.[1];
    if (span.kind !== 'client' || typeof code !== 'number') continue;
    const attribute = (key: string): string => String(span.attributes.find(([name]) => name === key)?.[1] ?? '');
    const service = span.service as DemoService;
    const labels = {
      __name__: 'grpc_client_handled_total',
      grpc_code: grpcCodeNames[code] ?? String(code),
      grpc_method: attribute('rpc.method'),
      grpc_service: attribute('rpc.service'),
      grpc_type: 'unary',
      instance: instances[service],
      job: service,
      service,
    };
    const key = JSON.stringify(labels);
    const entry = calls.get(key) ?? { labels, endsMs: [] as number[] };
    entry.endsMs.push(span.endMs);
    calls.set(key, entry);
  }
  const series = [...calls.keys()].sort().map((key): MatrixSeries => {
    const { labels, endsMs } = calls.get(key)!;
    const seenBefore = labels.grpc_code === 'OK' || (labels.service === services.payment && labels.grpc_code === 'DeadlineExceeded');
    const earlierTotal = labels.grpc_code === 'OK' ? random.int(150_000, 900_000) : seenBefore ? random.int(2, 9) : 0;
    const values: Array<readonly [number, number]> = [];
    for (const ms of steps) {
      const total = earlierTotal + endsMs.filter((end) => end <= ms).length;
      if (seenBefore || total > 0) values.push([at(ms), total]);
    }
    return { metric: labels, values };
  });
  return { fileName: 'grpc_client_handled_total.json', query: 'grpc_client_handled_total', series };
}

/**
 * payment sets this gauge from gobreaker's OnStateChange, with gobreaker's own State numbers:
 * 0 = closed, 1 = half-open, 2 = open.
 */
function breakerState(incident: SimulatedIncident, steps: number[], instances: Record<DemoService, string>, at: (ms: number) => number): QueryRangeResult {
  const values = steps.map((ms) => {
    let state: BreakerState = 'closed';
    for (const transition of incident.breakerTransitions) if (transition.atMs <= ms) state = transition.to;
    return [at(ms), breakerStateValue[state]] as const;
  });
  const metric = { __name__: 'gobreaker_state', instance: instances[services.payment], job: services.payment, name: riskBreaker.name, service: services.payment };
  return { fileName: 'gobreaker_state.json', query: `gobreaker_state{name="${riskBreaker.name}"}`, series: [{ metric, values }] };
}

/** Requests each service served per second over the last minute (its server spans). */
function requestRate(incident: SimulatedIncident, steps: number[], at: (ms: number) => number): QueryRangeResult {
  const series = allServices.map((service): MatrixSeries => {
    const ends = incident.spans.filter((span) => span.service === service && span.kind === 'server').map((span) => span.endMs);
    const values = steps
      .filter((ms) => ms >= rateWindowSeconds * 1000)
      .map((ms) => [at(ms), roundTo(ends.filter((end) => end > ms - rateWindowSeconds * 1000 && end <= ms).length / rateWindowSeconds, 6)] as const);
    return { metric: { service }, values };
  });
  return {
    fileName: 'request_rate.json',
    query: 'sum by (service) (rate(grpc_server_handled_total[1m])) or sum by (service) (rate(http_server_requests_total[1m]))',
    series,
  };
}

function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
