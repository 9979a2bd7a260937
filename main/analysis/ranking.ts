import type { BreakerTimeline, DeadlineFinding, Evidence, RootCause, RootCauseKind } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import {
  bucketMeanSelfMs,
  loadComponents,
  meanSelfMs,
  spansCounted,
  type Component,
  type ComponentSet,
} from './components.js';
import { familyPriority } from './kinds.js';
import {
  eventCounts,
  eventMechanisms,
  lateCalls,
  metricAnomalies,
  servicesInBaseline,
  timeoutFits,
  type EventCount,
  type LateCalls,
  type MetricAnomaly,
  type TimeoutFit,
} from './signals.js';
import { evidenceSaid, eventKindSaid, said, type Said } from './said.js';
import { nsToIso, type IncidentWindows } from './window.js';

/**
 * Root-cause ranking. Every span's time is attributed to where it was spent (self time: a span's
 * duration minus its children's), every error to where it originated (not to the callers that only
 * saw a timeout), both compared with the baseline. Each departure is a candidate with an onset; the
 * earliest significant departure ranks first, since what breaks first explains what breaks after
 * it along the call edges. Two mechanisms turn a dependency's trouble into someone else's fault and
 * are ranked above what they amplify: retries that multiply load on a struggling callee, and work
 * that goes on after the caller gave up (a deadline that is not propagated).
 */

/** A departure from the baseline, before candidates of one service are merged. */
interface Candidate {
  service: string;
  kind: RootCauseKind;
  /** 0..1: the share of the incident's excess latency or errors it accounts for. */
  strength: number;
  onsetNs: bigint | null;
  edge: { caller: string; callee: string } | null;
  summary: Said;
  evidence: Evidence[];
  /** Services whose trouble this candidate explains: it ranks above their candidates. */
  explains: Set<string>;
  /** True when the kind comes from a corroborating signal rather than the shape alone. */
  corroborated: boolean;
  /** Strength before any discount for load: what an amplifier that caused the load inherits. */
  rawStrength?: number;
  /** True when the service's own work (not waiting on others or in a queue) got slower. */
  ownWorkSlowed?: boolean;
}

/** A latency departure must at least be this many times its baseline and this many ms per span. */
const LATENCY_RATIO = 1.5;
const LATENCY_MIN_MS = 2;
/** An error departure must exceed the baseline ratio by this much per span. */
const ERROR_RATE_MARGIN = 0.05;
/** Candidates below this share of the strongest one do not take part in onset ordering. */
const SIGNIFICANT_SHARE = 0.15;
/** Onsets within this many buckets count as simultaneous. */
const ONSET_TOLERANCE_BUCKETS = 1;
/** Fewer calls per caller request than this many times the baseline is not a retry storm. */
const RETRY_MULTIPLICITY = 2;
/** Mechanisms that turn someone else's trouble into an outage; they rank above what they amplify. */
const AMPLIFIERS: ReadonlySet<RootCauseKind> = new Set(['retry_storm', 'missing_deadline_propagation', 'misconfigured_timeout']);
/** Database calls this many times slower than their baseline make a service's pool waits a symptom. */
const SLOW_QUERY_RATIO = 3;
/** A component slowing while its traffic grew this many times is overloaded rather than broken. */
const LOAD_DRIVEN_RATIO = 2;

export interface RankingContext {
  reader: StoreReader;
  windows: IncidentWindows;
  deadlineFindings: readonly DeadlineFinding[];
  /** Breaker timelines of the same window: an opening that protects a culprit is evidence. */
  breakers?: readonly BreakerTimeline[];
}

export async function rankRootCauses({ reader, windows, deadlineFindings, breakers = [] }: RankingContext): Promise<RootCause[]> {
  if (!windows.baseline) return [];
  const [set, metrics, events, fits, late, recordedBefore] = await Promise.all([
    loadComponents(reader, windows),
    metricAnomalies(reader, windows),
    eventCounts(reader, windows),
    timeoutFits(reader, windows),
    lateCalls(reader, windows),
    servicesInBaseline(reader, windows),
  ]);
  const candidates = [
    ...latencyCandidates(set, metrics, events),
    ...errorCandidates(set),
    ...timeoutCandidates(set, fits, deadlineFindings),
  ];
  candidates.push(...retryCandidates(set, events, candidates));
  candidates.push(...lateWorkCandidates(set, late, candidates));
  candidates.push(...signalOnlyCandidates(metrics, events, recordedBefore, candidates, set));
  return order(candidates, set)
    .map((candidate) => ({ ...candidate, evidence: withOpenedBreakers(withEvents(candidate, events), breakers, candidate.service) }))
    .map((candidate, index, all) => toRootCause(candidate, index, all, windows.incident.fromNs))
    .reduce<RootCause[]>((ranked, cause) => {
      const above = ranked[ranked.length - 1];
      ranked.push(above && cause.confidence > above.confidence ? { ...cause, confidence: above.confidence } : cause);
      return ranked;
    }, []);
}

/** Evidence a person can open: the culprit's first unusual log or span events (timeouts, refusals, retries). */
function withEvents(candidate: Candidate, events: readonly EventCount[]): Evidence[] {
  const related = events
    .filter((e) => e.excess >= 3 && e.firstRef && e.firstNs !== null)
    .filter((e) => e.service === candidate.service || e.peer === candidate.service || (candidate.edge && e.service === candidate.edge.caller && e.peer === candidate.edge.callee))
    .sort((a, b) => b.excess - a.excess)
    .slice(0, 3);
  const extra = related.map((e) => {
    const where = `${e.service}${e.peer ? ` -> ${e.peer}` : ''}`;
    const kind = eventKindSaid(e.kind);
    return evidenceSaid(
      refKind(e.firstRef!),
      e.firstRef!,
      said(
        `First of ${Math.round(e.incCount)} ${kind.en} events on ${where} (${e.baseCount} in the baseline)`,
        `${where} 的首个「${kind.zh}」事件(故障期共 ${Math.round(e.incCount)} 个,基线期 ${e.baseCount} 个)`,
      ),
    );
  });
  return dedupe([...candidate.evidence, ...extra]).slice(0, 10);
}

/** A breaker that opened to protect the culprit shows its callers gave up on it. */
function withOpenedBreakers(evidence: Evidence[], breakers: readonly BreakerTimeline[], service: string): Evidence[] {
  const opened = breakers
    .filter((b) => b.protects === service)
    .flatMap((b) => b.transitions.filter((t) => t.to === 'open' && t.ref).slice(0, 1).map((t) => ({ breaker: b, transition: t })));
  const extra = opened.slice(0, 2).map(({ breaker, transition }) =>
    evidenceSaid(
      refKind(transition.ref!),
      transition.ref!,
      said(`${breaker.service}'s breaker ${breaker.breaker} opened at ${transition.at}`, `${breaker.service} 的熔断器 ${breaker.breaker} 于 ${transition.at} 打开`),
    ),
  );
  return dedupe([...evidence, ...extra]).slice(0, 12);
}

// ---------------------------------------------------------------------------------------------
// Latency: own work, unanswered calls (databases, caches, external APIs) and call gaps.

interface LatencyDeparture {
  component: Component;
  excessMs: number;
  baseMeanMs: number;
  incMeanMs: number;
  onsetNs: bigint | null;
  /** Incident traffic (spans per second) over baseline traffic. */
  loadRatio: number;
}

function latencyDepartures(set: ComponentSet): LatencyDeparture[] {
  const departures: LatencyDeparture[] = [];
  for (const component of set.components) {
    const baseMean = meanSelfMs(component, component.baseline);
    const incMean = meanSelfMs(component, component.incident);
    if (baseMean === null || incMean === null) continue;
    if (spansCounted(component, component.baseline) < 3 || spansCounted(component, component.incident) < 3) continue;
    if (incMean < baseMean * LATENCY_RATIO || incMean - baseMean < LATENCY_MIN_MS) continue;
    const excessMs = (incMean - baseMean) * spansCounted(component, component.incident);
    const onset = sustainedOnset(set, component, (row) => {
      const mean = bucketMeanSelfMs(component, row);
      return mean !== null && mean >= baseMean * 2 && mean - baseMean >= LATENCY_MIN_MS;
    });
    const loadRatio = set.baselineSeconds > 0 && set.incidentSeconds > 0
      ? component.incident.n / set.incidentSeconds / (component.baseline.n / set.baselineSeconds)
      : 1;
    departures.push({ component, excessMs, baseMeanMs: baseMean, incMeanMs: incMean, onsetNs: onset, loadRatio });
  }
  return departures;
}

function latencyCandidates(set: ComponentSet, metrics: readonly MetricAnomaly[], events: readonly EventCount[]): Candidate[] {
  const departures = latencyDepartures(set);
  const total = departures.reduce((sum, d) => sum + d.excessMs, 0);
  if (total <= 0) return [];
  const ownLatency = new Map(departures.filter((d) => d.component.component === 'own').map((d) => [d.component.service, d]));
  const candidates: Candidate[] = [];
  // A gap before a callee's server spans that every caller sees is the callee queueing requests;
  // a gap one caller sees alone is that caller's (its client pool, its network path).
  const gapsByCallee = new Map<string, LatencyDeparture[]>();
  for (const d of departures) {
    if (d.component.component !== 'call' || !d.component.answeredEdge || !d.component.peer) continue;
    gapsByCallee.set(d.component.peer, [...(gapsByCallee.get(d.component.peer) ?? []), d]);
  }
  const callersOf = (callee: string): number =>
    set.components.filter((c) => c.component === 'call' && c.peer === callee && c.answeredEdge && spansCounted(c, c.incident) >= 3).length;
  const calleeQueueing = (callee: string): boolean => {
    const affected = gapsByCallee.get(callee)?.length ?? 0;
    const own = ownLatency.get(callee);
    return (affected >= 2 && affected * 2 >= callersOf(callee)) || (own !== undefined && own.excessMs / total >= 0.05);
  };
  const queued = new Map<string, LatencyDeparture[]>();
  for (const d of departures) {
    const { component } = d;
    const rawStrength = d.excessMs / total;
    const strength = discountForLoad(rawStrength, d.loadRatio);
    const spanRef = component.buckets.size > 0 ? slowestRef(component, d.onsetNs, set) : null;
    const evidence: Evidence[] = spanRef ? [evidenceSaid('span', `span:${spanRef}`, said(`A slow span of ${component.service}`, `${component.service} 的一个慢 span`))] : [];
    if (component.component === 'own') {
      queued.set(component.service, [...(queued.get(component.service) ?? []), d]);
      continue;
    }
    const peer = component.peer ?? 'unknown';
    if (component.answeredEdge) {
      if (calleeQueueing(peer)) {
        queued.set(peer, [...(queued.get(peer) ?? []), d]);
        continue;
      }
      const pool = poolSignal(component.service, metrics, events, set);
      candidates.push({
        service: component.service,
        kind: pool ? 'connection_pool_exhaustion' : 'network_latency',
        strength,
        onsetNs: d.onsetNs,
        edge: { caller: component.service, callee: peer },
        summary: pool
          ? said(
              `${component.service}'s calls to ${peer} wait ${fmtMs(d.incMeanMs)} before ${peer} starts serving them (baseline ${fmtMs(d.baseMeanMs)}), and ${pool.summary.en}; other callers of ${peer} are unaffected.`,
              `${component.service} 调用 ${peer} 时,要等 ${fmtMs(d.incMeanMs)} 才开始被 ${peer} 处理(基线 ${fmtMs(d.baseMeanMs)}),并且${pool.summary.zh};${peer} 的其他调用方不受影响。`,
            )
          : said(
              `${component.service}'s calls to ${peer} take ${fmtMs(d.incMeanMs)} longer than ${peer}'s own server spans (baseline ${fmtMs(d.baseMeanMs)}) while ${peer} itself is not slower: the path between them adds the delay.`,
              `${component.service} 对 ${peer} 的调用比 ${peer} 自己的服务端 span 多耗时 ${fmtMs(d.incMeanMs)}(基线 ${fmtMs(d.baseMeanMs)}),而 ${peer} 本身并没有变慢:延迟来自两者之间的网络路径。`,
            ),
        evidence: [...evidence, ...(pool ? pool.evidence : [])],
        explains: new Set([component.service]),
        corroborated: pool !== null,
        rawStrength,
      });
      continue;
    }
    if (component.dbSystem) {
      candidates.push({
        service: component.service,
        kind: 'slow_query',
        strength,
        onsetNs: d.onsetNs,
        edge: null,
        summary: said(
          `${component.service}'s ${component.dbSystem} queries on ${peer} slowed from ${fmtMs(d.baseMeanMs)} to ${fmtMs(d.incMeanMs)} on average${component.statement ? ` (${truncate(component.statement, 100)})` : ''}${d.loadRatio >= LOAD_DRIVEN_RATIO ? `, while ${component.service} sent ${d.loadRatio.toFixed(1)}x as many of them` : ''}.`,
          `${component.service} 在 ${peer} 上的 ${component.dbSystem} 查询平均耗时从 ${fmtMs(d.baseMeanMs)} 升到 ${fmtMs(d.incMeanMs)}${component.statement ? `(${truncate(component.statement, 100)})` : ''}${d.loadRatio >= LOAD_DRIVEN_RATIO ? `,同时 ${component.service} 发出的查询数是平时的 ${d.loadRatio.toFixed(1)} 倍` : ''}。`,
        ),
        evidence,
        explains: new Set([component.service]),
        corroborated: true,
        rawStrength,
      });
      continue;
    }
    candidates.push({
      service: peer,
      kind: 'unknown',
      strength,
      onsetNs: d.onsetNs,
      edge: { caller: component.service, callee: peer },
      summary: said(
        `Calls from ${component.service} to ${peer} slowed from ${fmtMs(d.baseMeanMs)} to ${fmtMs(d.incMeanMs)} on average.`,
        `${component.service} 对 ${peer} 的调用平均耗时从 ${fmtMs(d.baseMeanMs)} 升到 ${fmtMs(d.incMeanMs)}。`,
      ),
      evidence,
      explains: new Set([component.service]),
      corroborated: false,
      rawStrength,
    });
  }
  for (const [service, parts] of queued) {
    const excessMs = parts.reduce((sum, d) => sum + d.excessMs, 0);
    const onsets = parts.map((d) => d.onsetNs).filter((ns): ns is bigint => ns !== null);
    const latencyOnsetNs = onsets.length > 0 ? onsets.reduce((a, b) => (a < b ? a : b)) : null;
    const own = parts.find((d) => d.component.component === 'own');
    const mechanism = pooledWorkSlowed(ownMechanism(service, metrics, events, latencyOnsetNs, set), service, departures, set);
    const onsetNs = earliest(latencyOnsetNs, mechanism?.onsetNs ?? null);
    const rawStrength = excessMs / total;
    const loadRatio = own?.loadRatio ?? 1;
    const evidence: Evidence[] = [];
    for (const d of parts) {
      const ref = slowestRef(d.component, d.onsetNs, set);
      if (!ref) continue;
      evidence.push(
        evidenceSaid(
          'span',
          `span:${ref}`,
          d.component.component === 'own'
            ? said(`${service} spends ${fmtMs(d.incMeanMs)} in its own work (baseline ${fmtMs(d.baseMeanMs)})`, `${service} 自身处理耗时 ${fmtMs(d.incMeanMs)}(基线 ${fmtMs(d.baseMeanMs)})`)
            : said(
                `${d.component.service}'s call waits ${fmtMs(d.incMeanMs)} before ${service} starts serving it (baseline ${fmtMs(d.baseMeanMs)})`,
                `${d.component.service} 的调用要等 ${fmtMs(d.incMeanMs)} 才开始被 ${service} 处理(基线 ${fmtMs(d.baseMeanMs)})`,
              ),
        ),
      );
    }
    candidates.push({
      service,
      kind: mechanism?.kind ?? 'unknown',
      strength: discountForLoad(rawStrength, loadRatio),
      rawStrength,
      onsetNs,
      edge: null,
      summary: said(
        (own
          ? `${service}'s own processing time rose from ${fmtMs(own.baseMeanMs)} to ${fmtMs(own.incMeanMs)} per span`
          : `Requests to ${service} queue before it serves them`) +
          (loadRatio >= LOAD_DRIVEN_RATIO ? ` while its traffic grew ${loadRatio.toFixed(1)}x` : '') +
          (mechanism ? `; ${mechanism.summary.en}.` : ', with no corroborating metric or log signal.'),
        (own ? `${service} 自身每个 span 的处理耗时从 ${fmtMs(own.baseMeanMs)} 升到 ${fmtMs(own.incMeanMs)}` : `发往 ${service} 的请求在被处理前排队`) +
          (loadRatio >= LOAD_DRIVEN_RATIO ? `,同时其流量增长到 ${loadRatio.toFixed(1)} 倍` : '') +
          (mechanism ? `;${mechanism.summary.zh}。` : ',没有指标或日志信号佐证。'),
      ),
      evidence: [...evidence.slice(0, 3), ...(mechanism?.evidence ?? [])],
      explains: new Set([service]),
      corroborated: mechanism !== null,
      ownWorkSlowed: own !== undefined,
    });
  }
  return candidates;
}

/** A component that slowed while its traffic multiplied is a victim of load: rank its cause, not it. */
function discountForLoad(strength: number, loadRatio: number): number {
  return loadRatio >= LOAD_DRIVEN_RATIO ? strength / loadRatio : strength;
}

interface Mechanism {
  kind: RootCauseKind;
  summary: Said;
  evidence: Evidence[];
  /** When the mechanism's own signal began, if earlier than the latency it explains. */
  onsetNs?: bigint | null;
}

/** The strongest corroborating signal on a service: its metric anomalies and its logged events. */
function ownMechanism(service: string, metrics: readonly MetricAnomaly[], events: readonly EventCount[], onsetNs: bigint | null, set: ComponentSet): Mechanism | null {
  const lateLimit = onsetNs === null ? null : onsetNs + 6n * set.stepNs;
  const relevant = metrics.filter((m) => m.service === service && (lateLimit === null || m.onsetNs === null || m.onsetNs <= lateLimit));
  const mechanisms: (Mechanism & { priority: number; weight: number })[] = [];
  for (const kind of new Set(relevant.map((m) => m.kind))) {
    const series = relevant.filter((m) => m.kind === kind).sort((a, b) => b.strength - a.strength);
    const top = series[0]!;
    mechanisms.push({
      kind,
      priority: familyPriority(kind),
      weight: top.strength,
      summary: said(
        `${top.name} rose from ${fmtValue(top.baseMean)} to ${fmtValue(top.incMax)}${top.onsetNs ? ` at ${nsToIso(top.onsetNs)}` : ''}`,
        `${top.name} 从 ${fmtValue(top.baseMean)} 升到 ${fmtValue(top.incMax)}${top.onsetNs ? `(${nsToIso(top.onsetNs)} 起)` : ''}`,
      ),
      evidence: series
        .slice(0, 2)
        .map((m) =>
          evidenceSaid('series', seriesRef(m.name, m.labels), said(`${m.name}: ${fmtValue(m.baseMean)} in the baseline, up to ${fmtValue(m.incMax)}`, `${m.name}:基线期 ${fmtValue(m.baseMean)},最高 ${fmtValue(m.incMax)}`)),
        ),
    });
  }
  for (const found of eventMechanisms(events, service)) {
    mechanisms.push({
      kind: found.kind,
      priority: familyPriority(found.kind),
      weight: found.excess,
      summary: said(
        `${Math.round(found.excess)} more ${found.kind === 'gc_pause' ? 'GC pause' : 'connection-pool wait'} events than the baseline rate`,
        `${found.kind === 'gc_pause' ? 'GC 停顿' : '连接池等待'}事件比基线水平多出 ${Math.round(found.excess)} 个`,
      ),
      evidence: found.ref
        ? [evidenceSaid(refKind(found.ref), found.ref, found.kind === 'gc_pause' ? said('First GC pause event', '首个 GC 停顿事件') : said('First pool wait event', '首个连接池等待事件'))]
        : [],
    });
  }
  if (mechanisms.length === 0) return null;
  mechanisms.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
  const [best, ...rest] = mechanisms;
  return { ...best!, evidence: [...best!.evidence, ...rest.flatMap((m) => m.evidence).slice(0, 2)] };
}

/**
 * Waiting for a pooled connection is a symptom when the work that holds the connections (the
 * service's own database queries) got slower at the same traffic: the slow queries are the cause.
 * A pool is the cause when what it guards runs at its usual speed.
 */
function pooledWorkSlowed(mechanism: Mechanism | null, service: string, departures: readonly LatencyDeparture[], set: ComponentSet): Mechanism | null {
  if (mechanism !== null && mechanism.kind !== 'connection_pool_exhaustion') return mechanism;
  const slowQueries = departures
    .filter((d) => d.component.component === 'call' && d.component.service === service && d.component.dbSystem !== null)
    .filter((d) => d.loadRatio < LOAD_DRIVEN_RATIO && d.incMeanMs >= SLOW_QUERY_RATIO * d.baseMeanMs)
    .sort((a, b) => b.excessMs - a.excessMs);
  const slowest = slowQueries[0];
  if (!slowest) return mechanism;
  const { component } = slowest;
  const ref = slowestRef(component, slowest.onsetNs, set);
  return {
    kind: 'slow_query',
    summary: said(
      `its ${component.dbSystem} queries on ${component.peer ?? 'its database'} slowed from ${fmtMs(slowest.baseMeanMs)} to ${fmtMs(slowest.incMeanMs)}${component.statement ? ` (${truncate(component.statement, 100)})` : ''}${mechanism ? `, holding connections so that ${mechanism.summary.en}` : ''}`,
      `它在 ${component.peer ?? '数据库'} 上的 ${component.dbSystem} 查询从 ${fmtMs(slowest.baseMeanMs)} 变慢到 ${fmtMs(slowest.incMeanMs)}${component.statement ? `(${truncate(component.statement, 100)})` : ''}${mechanism ? `,占住连接,导致 ${mechanism.summary.zh}` : ''}`,
    ),
    evidence: [
      ...(ref ? [evidenceSaid('span', `span:${ref}`, said(`A slow ${component.dbSystem} query of ${service}`, `${service} 的一次慢 ${component.dbSystem} 查询`))] : []),
      ...(mechanism?.evidence ?? []),
    ],
    onsetNs: slowest.onsetNs,
  };
}

function poolSignal(service: string, metrics: readonly MetricAnomaly[], events: readonly EventCount[], set: ComponentSet): Mechanism | null {
  const mechanism = ownMechanism(service, metrics.filter((m) => m.kind === 'connection_pool_exhaustion'), events, null, set);
  if (mechanism?.kind === 'connection_pool_exhaustion') return mechanism;
  const poolErrors = set.components.filter((c) => c.service === service && c.incident.poolErrors > c.baseline.poolErrors * 2);
  if (poolErrors.length === 0) return null;
  const errors = poolErrors.reduce((sum, c) => sum + c.incident.poolErrors, 0);
  return { kind: 'connection_pool_exhaustion', summary: said(`${errors} of its calls failed waiting for a pooled connection`, `有 ${errors} 次调用因等待连接池连接而失败`), evidence: [] };
}

// ---------------------------------------------------------------------------------------------
// Errors that originate at a component (not timeouts, cancellations or breaker rejections).

function errorCandidates(set: ComponentSet): Candidate[] {
  const departures: { component: Component; excess: number; unreachable: number; onsetNs: bigint | null }[] = [];
  for (const component of set.components) {
    const base = component.baseline;
    const inc = component.incident;
    if (inc.n < 3) continue;
    const baseRate = base.n > 0 ? base.originErrors / base.n : 0;
    const excess = inc.originErrors - inc.n * baseRate;
    if (excess < 3 || inc.originErrors / inc.n < baseRate + ERROR_RATE_MARGIN) continue;
    const baseUnreachable = base.n > 0 ? base.unreachable / base.n : 0;
    const unreachable = inc.unreachable - inc.n * baseUnreachable;
    const onsetNs = sustainedOnset(set, component, (row) => row.origin_errors >= 1 && row.origin_errors / row.n >= baseRate + 2 * ERROR_RATE_MARGIN);
    departures.push({ component, excess, unreachable, onsetNs });
  }
  const total = departures.reduce((sum, d) => sum + d.excess, 0);
  return departures.map(({ component, excess, unreachable, onsetNs }) => {
    const strength = excess / total;
    const errorRef = firstErrorRef(component, onsetNs, set);
    const evidence: Evidence[] = errorRef ? [evidenceSaid('span', `span:${errorRef}`, said(`A failing span of ${component.service}`, `${component.service} 的一个失败 span`))] : [];
    const peer = component.peer ?? 'unknown';
    if (component.component === 'call' && unreachable >= excess / 2) {
      return {
        service: peer,
        kind: 'dependency_down' as const,
        strength,
        onsetNs,
        edge: { caller: component.service, callee: peer },
        summary: said(
          `${peer} stopped answering: ${Math.round(unreachable)} of ${component.service}'s calls to it failed to connect (connection refused or unavailable), none in the baseline rate.`,
          `${peer} 不再响应:${component.service} 对它的调用中有 ${Math.round(unreachable)} 次连接失败(连接被拒绝或不可用),基线期没有这种情况。`,
        ),
        evidence,
        explains: new Set([component.service, peer]),
        corroborated: true,
      };
    }
    if (component.component === 'call' && component.incident.poolErrors >= excess / 2) {
      return {
        service: component.service,
        kind: 'connection_pool_exhaustion' as const,
        strength,
        onsetNs,
        edge: { caller: component.service, callee: peer },
        summary: said(
          `${component.service}'s calls to ${peer} fail waiting for a pooled connection (${component.incident.poolErrors} in the incident).`,
          `${component.service} 对 ${peer} 的调用因等待连接池连接而失败(故障期 ${component.incident.poolErrors} 次)。`,
        ),
        evidence,
        explains: new Set([component.service]),
        corroborated: true,
      };
    }
    const culprit = component.component === 'call' && !component.answeredEdge ? peer : component.service;
    return {
      service: culprit,
      kind: 'error_return' as const,
      strength,
      onsetNs,
      edge: component.component === 'call' ? { caller: component.service, callee: peer } : null,
      summary: said(
        `${culprit} started returning errors of its own: ${Math.round(excess)} more than its baseline rate${component.component === 'call' ? ` on calls from ${component.service}` : ''}.`,
        `${culprit} 自身开始返回错误${component.component === 'call' ? `(在 ${component.service} 的调用上)` : ''}:比基线水平多出 ${Math.round(excess)} 个。`,
      ),
      evidence,
      explains: new Set([culprit]),
      corroborated: false,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Timeouts that fire before the callee's normal latency: the caller's timeout is too tight.

function timeoutCandidates(set: ComponentSet, fits: readonly TimeoutFit[], findings: readonly DeadlineFinding[]): Candidate[] {
  const excessByEdge = new Map<string, number>();
  for (const component of set.components) {
    if (component.component !== 'call' || !component.peer) continue;
    const base = component.baseline;
    const baseRate = base.n > 0 ? base.timeouts / base.n : 0;
    excessByEdge.set(`${component.service}|${component.peer}`, component.incident.timeouts - component.incident.n * baseRate);
  }
  const total = [...excessByEdge.values()].filter((v) => v > 0).reduce((a, b) => a + b, 0);
  const candidates: Candidate[] = [];
  for (const fit of fits) {
    // Only the caller's own timer firing counts, beyond the edge's baseline rate of timeouts.
    const excess = Math.min(fit.timeouts, excessByEdge.get(`${fit.caller}|${fit.callee}`) ?? fit.timeouts);
    if (excess < 5 || fit.calleeBaseP99Ms === null || fit.calleeBaseP50Ms === null) continue;
    const calleeUnchanged = fit.calleeIncP50Ms === null || fit.calleeIncP50Ms <= fit.calleeBaseP50Ms * LATENCY_RATIO;
    if (!(fit.waitMs < fit.calleeBaseP99Ms && calleeUnchanged)) continue;
    const finding = findings.find((f) => f.caller === fit.caller && f.callee === fit.callee && f.kind === 'timeout_below_callee_p99');
    const component = set.components.find((c) => c.component === 'call' && c.service === fit.caller && c.peer === fit.callee);
    const onsetNs = component
      ? sustainedOnset(set, component, (row) => row.timeouts >= 1 && row.timeouts / row.n >= 2 * ERROR_RATE_MARGIN + (component.baseline.n > 0 ? component.baseline.timeouts / component.baseline.n : 0))
      : null;
    candidates.push({
      service: fit.caller,
      kind: 'misconfigured_timeout',
      strength: total > 0 ? Math.min(1, excess / total) : 1,
      onsetNs,
      edge: { caller: fit.caller, callee: fit.callee },
      summary: said(
        `${fit.caller} gives up on ${fit.callee} after ${fmtMs(fit.waitMs)} (${fit.timeouts} timeouts), below ${fit.callee}'s normal latency (p50 ${fmtMs(fit.calleeBaseP50Ms)}, p99 ${fmtMs(fit.calleeBaseP99Ms)}), which did not change: the timeout is too tight.`,
        `${fit.caller} 等待 ${fit.callee} ${fmtMs(fit.waitMs)} 后就放弃(${fit.timeouts} 次超时),低于 ${fit.callee} 的正常耗时(p50 ${fmtMs(fit.calleeBaseP50Ms)},p99 ${fmtMs(fit.calleeBaseP99Ms)}),而后者并没有变化:超时阈值设得太短。`,
      ),
      evidence: [
        ...(component ? firstTimeoutEvidence(component, onsetNs, set) : []),
        ...(finding?.evidence ?? []),
      ],
      explains: new Set([fit.caller, fit.callee]),
      corroborated: true,
    });
  }
  return candidates;
}

// ---------------------------------------------------------------------------------------------
// Amplifiers: retries that multiply load on a struggling callee, and work after the caller gave up.

function retryCandidates(set: ComponentSet, events: readonly EventCount[], others: readonly Candidate[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const component of set.components) {
    if (component.component !== 'call' || !component.peer) continue;
    const { baseline: base, incident: inc } = component;
    if (base.parents < 3 || inc.parents < 3) continue;
    const baseMultiplicity = base.n / base.parents;
    const incMultiplicity = inc.n / inc.parents;
    const extraCalls = inc.n - inc.parents * baseMultiplicity;
    const retryEvents = events
      .filter((e) => e.service === component.service && e.kind === 'retry' && (e.peer === null || e.peer === component.peer))
      .reduce((sum, e) => sum + e.excess, 0);
    const amplified = incMultiplicity >= baseMultiplicity * RETRY_MULTIPLICITY && extraCalls >= 10;
    if (!amplified) continue;
    const victims = others.filter((c) => c.service === component.peer);
    if (victims.length === 0) continue;
    const victimStrength = Math.max(...victims.map((c) => c.rawStrength ?? c.strength));
    const onsets = victims.map((c) => c.onsetNs).filter((ns): ns is bigint => ns !== null);
    candidates.push({
      service: component.service,
      kind: 'retry_storm',
      strength: victimStrength,
      onsetNs: onsets.length > 0 ? onsets.reduce((a, b) => (a < b ? a : b)) : null,
      edge: { caller: component.service, callee: component.peer },
      summary: said(
        `${component.service} retries its calls to ${component.peer}: ${incMultiplicity.toFixed(1)} calls per request during the incident against ${baseMultiplicity.toFixed(1)} in the baseline (${Math.round(extraCalls)} extra calls${retryEvents > 0 ? `, ${Math.round(retryEvents)} more retry events than usual` : ''}), multiplying the load on ${component.peer} while it struggles.`,
        `${component.service} 在重试对 ${component.peer} 的调用:故障期每个请求 ${incMultiplicity.toFixed(1)} 次调用,基线期 ${baseMultiplicity.toFixed(1)} 次(多出 ${Math.round(extraCalls)} 次调用${retryEvents > 0 ? `,重试事件比平时多 ${Math.round(retryEvents)} 个` : ''}),在 ${component.peer} 已经吃力时成倍放大了它的负载。`,
      ),
      evidence: [
        ...(component.incident.n > 0 ? firstTimeoutEvidence(component, null, set) : []),
        ...events
          .filter((e) => e.service === component.service && e.kind === 'retry' && e.firstRef)
          .slice(0, 1)
          .map((e) => evidenceSaid(refKind(e.firstRef!), e.firstRef!, said(`First retry by ${component.service}`, `${component.service} 的首次重试`))),
      ],
      explains: new Set([component.service, component.peer]),
      corroborated: retryEvents > 0 || component.incident.retries > component.baseline.retries,
    });
  }
  return candidates;
}

function lateWorkCandidates(set: ComponentSet, late: readonly LateCalls[], others: readonly Candidate[]): Candidate[] {
  const byService = new Map<string, LateCalls[]>();
  for (const row of late) {
    if (row.incLateRequests < 5 || row.incLateCalls <= 2 * row.baseLateCalls) continue;
    byService.set(row.service, [...(byService.get(row.service) ?? []), row]);
  }
  const candidates: Candidate[] = [];
  for (const [service, rows] of byService) {
    const dependencies = new Set(set.components.filter((c) => c.component === 'call' && c.service === service && c.peer).map((c) => c.peer!));
    const explained = others.filter((c) => c.service === service || dependencies.has(c.service));
    const strength = Math.max(0.1, ...explained.map((c) => c.strength));
    const requests = rows.reduce((sum, r) => sum + r.incLateRequests, 0);
    const firsts = rows.map((r) => r.firstNs).filter((ns): ns is bigint => ns !== null);
    candidates.push({
      service,
      kind: 'missing_deadline_propagation',
      strength,
      onsetNs: firsts.length > 0 ? firsts.reduce((a, b) => (a < b ? a : b)) : null,
      edge: null,
      summary: said(
        `${service} keeps working after its callers gave up: in ${requests} requests it started downstream calls after ${rows.map((r) => r.caller).join(', ')} had already timed out, so abandoned work holds its capacity and its dependencies' slowness becomes its own outage.`,
        `调用方放弃后 ${service} 仍在继续执行:有 ${requests} 个请求在 ${rows.map((r) => r.caller).join('、')} 已经超时之后还发起了下游调用,被放弃的工作占住了它的处理能力,下游的缓慢变成了它自己的故障(deadline 未传递)。`,
      ),
      evidence: rows
        .filter((r) => r.firstRef)
        .slice(0, 3)
        .map((r) => evidenceSaid('span', `span:${r.firstRef}`, said(`${service} calls downstream after ${r.caller} gave up`, `${r.caller} 放弃后 ${service} 仍调用下游`))),
      explains: new Set([service, ...dependencies]),
      corroborated: true,
    });
  }
  return candidates;
}

// ---------------------------------------------------------------------------------------------
// Services seen only through metrics and logs (no spans, or none that departed from the baseline).

/** Below every span-derived candidate when there are any: traces say where time went, metrics only what strained. */
const SIGNAL_ONLY_SHARE = 0.05;

/**
 * How much less errors logged by a service that recorded nothing before the incident weigh than as
 * many errors against a baseline that had none: they may have been there all along.
 */
const UNCOMPARED_ERRORS_WEIGHT = 0.5;

function signalOnlyCandidates(
  metrics: readonly MetricAnomaly[],
  events: readonly EventCount[],
  recordedBefore: ReadonlySet<string>,
  existing: readonly Candidate[],
  set: ComponentSet,
): Candidate[] {
  const covered = new Set(existing.map((c) => c.service));
  const found: { service: string; kind: RootCauseKind; weight: number; onsetNs: bigint | null; summary: Said; evidence: Evidence[]; corroborated: boolean }[] = [];
  for (const service of new Set(metrics.map((m) => m.service))) {
    if (covered.has(service)) continue;
    const mechanism = ownMechanism(service, metrics, [], null, set);
    if (!mechanism) continue;
    const own = metrics.filter((m) => m.service === service && m.kind === mechanism.kind);
    const onsets = own.map((m) => m.onsetNs).filter((ns): ns is bigint => ns !== null);
    found.push({
      service,
      kind: mechanism.kind,
      weight: Math.max(...own.map((m) => m.strength)),
      onsetNs: onsets.length > 0 ? onsets.reduce((a, b) => (a < b ? a : b)) : null,
      summary: said(`${service}: ${mechanism.summary.en}.`, `${service}:${mechanism.summary.zh}。`),
      evidence: mechanism.evidence,
      corroborated: true,
    });
  }
  // Error events mostly restate failing spans; they stand on their own only without span candidates.
  for (const event of existing.length > 0 ? [] : events) {
    if (event.kind !== 'error' || covered.has(event.service) || event.excess < 5 || event.incCount < 2 * event.baseCount) continue;
    if (found.some((f) => f.service === event.service)) continue;
    const compared = recordedBefore.has(event.service);
    found.push({
      service: event.service,
      kind: 'error_return',
      weight: compared ? event.excess : UNCOMPARED_ERRORS_WEIGHT * event.excess,
      onsetNs: event.firstNs,
      summary: compared
        ? said(
            `${event.service} logged ${event.incCount} errors in the incident against ${event.baseCount} in the baseline.`,
            `${event.service} 在故障期记录了 ${event.incCount} 条错误,基线期 ${event.baseCount} 条。`,
          )
        : said(
            `${event.service} logged ${event.incCount} errors in the incident; nothing it logged or traced before the incident is loaded, so whether they are new cannot be told.`,
            `${event.service} 在故障期记录了 ${event.incCount} 条错误;已加载的数据中没有它在故障前的日志或链路,无法判断这些错误是否新出现。`,
          ),
      evidence: event.firstRef ? [evidenceSaid(refKind(event.firstRef), event.firstRef, said(`First error logged by ${event.service}`, `${event.service} 记录的首条错误`))] : [],
      corroborated: compared,
    });
  }
  const total = found.reduce((sum, f) => sum + f.weight, 0) || 1;
  const scale = existing.length > 0 ? SIGNAL_ONLY_SHARE : 1;
  return found.map((f) => ({
    service: f.service,
    kind: f.kind,
    strength: (scale * f.weight) / total,
    onsetNs: f.onsetNs,
    edge: null,
    summary: f.summary,
    evidence: f.evidence,
    explains: new Set([f.service]),
    corroborated: f.corroborated,
  }));
}

// ---------------------------------------------------------------------------------------------
// Ordering

function order(candidates: Candidate[], set: ComponentSet): Candidate[] {
  const merged = mergeByService(candidates, set);
  if (merged.length === 0) return [];
  const strongest = Math.max(...merged.map((c) => c.strength));
  const significant = merged.filter((c) => c.strength >= SIGNIFICANT_SHARE * strongest);
  const minor = merged.filter((c) => c.strength < SIGNIFICANT_SHARE * strongest).sort((a, b) => b.strength - a.strength);
  significant.sort((a, b) => compareOnset(a, b, set) || b.strength - a.strength);
  const ranked = promoteExplainers(significant);
  return [...ranked, ...minor];
}

function compareOnset(a: Candidate, b: Candidate, set: ComponentSet): number {
  if (a.onsetNs === null || b.onsetNs === null) return a.onsetNs === null ? (b.onsetNs === null ? 0 : 1) : -1;
  const distance = set.bucketOf(a.onsetNs) - set.bucketOf(b.onsetNs);
  return Math.abs(distance) <= ONSET_TOLERANCE_BUCKETS ? 0 : distance;
}

/** An amplifier moves in front of every candidate whose service it explains. */
function promoteExplainers(ranked: Candidate[]): Candidate[] {
  const result = [...ranked];
  for (const candidate of ranked) {
    if (candidate.kind !== 'retry_storm' && candidate.kind !== 'missing_deadline_propagation') continue;
    const position = result.indexOf(candidate);
    const firstExplained = result.findIndex((c) => c !== candidate && candidate.explains.has(c.service));
    if (firstExplained >= 0 && firstExplained < position) {
      result.splice(position, 1);
      result.splice(firstExplained, 0, candidate);
    }
  }
  return result;
}

/** One root cause per service: its earliest significant departure, with the others' evidence. */
function mergeByService(candidates: Candidate[], set: ComponentSet): Candidate[] {
  const byService = new Map<string, Candidate[]>();
  for (const candidate of candidates) byService.set(candidate.service, [...(byService.get(candidate.service) ?? []), candidate]);
  const merged: Candidate[] = [];
  for (const list of byService.values()) {
    const strongest = Math.max(...list.map((c) => c.strength));
    const contenders = list.filter((c) => c.strength >= SIGNIFICANT_SHARE * strongest);
    contenders.sort((a, b) => compareOnset(a, b, set) || Number(b.corroborated) - Number(a.corroborated) || b.strength - a.strength);
    // A service's own fault (its own work slowed, or a corroborated mechanism) that began no later
    // than an amplifier on it explains the amplifier too: slow work also makes late work. Otherwise
    // the amplifier is the story.
    const amplifier = list.find((c) => AMPLIFIERS.has(c.kind));
    const ownFault = contenders.find((c) => !AMPLIFIERS.has(c.kind) && ((c.kind !== 'unknown' && c.corroborated) || c.ownWorkSlowed === true));
    const ownFaultFirst = amplifier && ownFault && compareOnset(ownFault, amplifier, set) <= 0;
    const lead = amplifier && !ownFaultFirst ? amplifier : ownFaultFirst ? ownFault : contenders[0]!;
    const others = list.filter((c) => c !== lead);
    merged.push({
      ...lead,
      strength: Math.max(lead.strength, Math.min(1, list.reduce((sum, c) => sum + c.strength, 0))),
      onsetNs: lead.onsetNs ?? others.find((c) => c.onsetNs !== null)?.onsetNs ?? null,
      evidence: dedupe([...lead.evidence, ...others.flatMap((c) => c.evidence)]).slice(0, 8),
      explains: new Set([...list.flatMap((c) => [...c.explains])]),
    });
  }
  return merged;
}

/** Confidence never rises down the ranking; an onset the data cannot place is the incident's start. */
function toRootCause(candidate: Candidate, index: number, all: readonly Candidate[], incidentFromNs: bigint): RootCause {
  const total = all.reduce((sum, c) => sum + c.strength, 0) || 1;
  const share = candidate.strength / total;
  const base = index === 0 ? 0.45 + 0.35 * share : 0.15 + 0.45 * share / (1 + index * 0.5);
  const confidence = Math.min(0.95, base + (candidate.corroborated ? 0.1 : 0));
  return {
    service: candidate.service,
    kind: candidate.kind,
    confidence: Math.round(confidence * 100) / 100,
    started_at: nsToIso(candidate.onsetNs ?? incidentFromNs),
    edge: candidate.edge,
    summary: candidate.summary.en,
    summary_zh: candidate.summary.zh,
    evidence: candidate.evidence,
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * The first bucket of the search window where the test holds and keeps holding (in two of the
 * next four buckets that have data), so a single noisy bucket is not an onset.
 */
function sustainedOnset(set: ComponentSet, component: Component, anomalous: (row: NonNullable<ReturnType<Component['buckets']['get']>>) => boolean): bigint | null {
  const buckets = [...component.buckets.keys()].sort((a, b) => a - b);
  const flags = buckets.map((bucket) => anomalous(component.buckets.get(bucket)!));
  for (let i = 0; i < buckets.length; i += 1) {
    if (!flags[i]) continue;
    const next = flags.slice(i + 1, i + 5);
    if (next.length === 0 || next.filter(Boolean).length >= Math.min(2, next.length)) return set.bucketStartNs(buckets[i]!);
  }
  return null;
}

function slowestRef(component: Component, onsetNs: bigint | null, set: ComponentSet): string | null {
  const from = onsetNs === null ? -Infinity : set.bucketOf(onsetNs);
  const rows = [...component.buckets.entries()].filter(([bucket]) => bucket >= from).sort((a, b) => a[0] - b[0]);
  return rows.find(([, row]) => row.slowest_ref)?.[1].slowest_ref ?? null;
}

function firstErrorRef(component: Component, onsetNs: bigint | null, set: ComponentSet): string | null {
  const from = onsetNs === null ? -Infinity : set.bucketOf(onsetNs);
  const rows = [...component.buckets.entries()].filter(([bucket]) => bucket >= from).sort((a, b) => a[0] - b[0]);
  return rows.find(([, row]) => row.error_ref)?.[1].error_ref ?? null;
}

function firstTimeoutEvidence(component: Component, onsetNs: bigint | null, set: ComponentSet): Evidence[] {
  const ref = firstErrorRef(component, onsetNs, set) ?? slowestRef(component, onsetNs, set);
  return ref
    ? [evidenceSaid('span', `span:${ref}`, said(`A call from ${component.service} to ${component.peer ?? 'its dependency'}`, `${component.service} 对 ${component.peer ?? '其依赖'} 的一次调用`))]
    : [];
}

function earliest(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => (seen.has(e.ref) ? false : (seen.add(e.ref), true)));
}

export function seriesRef(name: string, labelsJson: string): string {
  let labels: Record<string, unknown> = {};
  try {
    labels = JSON.parse(labelsJson) as Record<string, unknown>;
  } catch {
    labels = {};
  }
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}="${String(v)}"`)
    .join(',');
  return `series:${name}{${inner}}`;
}

function refKind(ref: string): Evidence['kind'] {
  const prefix = ref.split(':')[0];
  return prefix === 'span' || prefix === 'trace' || prefix === 'log' || prefix === 'series' || prefix === 'event' ? prefix : 'event';
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

function fmtValue(value: number): string {
  if (Math.abs(value) >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (Math.abs(value) >= 1e3) return `${(value / 1e3).toFixed(2)}k`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
