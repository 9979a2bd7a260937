import type { StoreReader } from '../store/store.js';
import type { IncidentWindows, NsWindow } from './window.js';
import { withCalleeName } from './calleeName.js';
import rankComponentsSql from './sql/rank_components.sql?raw';

const componentsSql = withCalleeName(rankComponentsSql);

/**
 * Where time and errors come from, per component: a service's own work, or one call edge
 * (service -> peer). Each component is summarised over the baseline and the incident, and its
 * onset is the first bucket of a sustained departure from the baseline.
 */
export interface ComponentRow {
  bucket: number;
  component: 'own' | 'call';
  service: string;
  peer: string | null;
  db_system: string | null;
  n: number;
  answered: number;
  parents: number;
  retries: number;
  self_ms: number;
  gap_ms: number | null;
  unanswered_ms: number | null;
  duration_ms: number;
  errors: number;
  origin_errors: number;
  timeouts: number;
  unreachable: number;
  pool_errors: number;
  timeout_ms: number | null;
  slowest_ref: string | null;
  error_ref: string | null;
  error_class: string | null;
  statement: string | null;
}

export interface Totals {
  n: number;
  answered: number;
  parents: number;
  retries: number;
  /** Self time of spans whose own time is meant: own work, the gap of answered calls, or whole unanswered calls. */
  selfMs: number;
  gapMs: number;
  unansweredMs: number;
  durationMs: number;
  errors: number;
  originErrors: number;
  timeouts: number;
  unreachable: number;
  poolErrors: number;
}

export interface Component {
  key: string;
  component: 'own' | 'call';
  service: string;
  peer: string | null;
  dbSystem: string | null;
  /** True when the callee answered with its own server spans (an instrumented service). */
  answeredEdge: boolean;
  baseline: Totals;
  incident: Totals;
  /** Per bucket, within the onset search window. */
  buckets: Map<number, ComponentRow>;
  statement: string | null;
}

export interface ComponentSet {
  components: Component[];
  originNs: bigint;
  stepNs: bigint;
  bucketOf(ns: bigint): number;
  bucketStartNs(bucket: number): bigint;
  /** Seconds covered by the baseline and by the incident, for turning counts into rates. */
  baselineSeconds: number;
  incidentSeconds: number;
}

const emptyTotals = (): Totals => ({
  n: 0,
  answered: 0,
  parents: 0,
  retries: 0,
  selfMs: 0,
  gapMs: 0,
  unansweredMs: 0,
  durationMs: 0,
  errors: 0,
  originErrors: 0,
  timeouts: 0,
  unreachable: 0,
  poolErrors: 0,
});

function add(totals: Totals, row: ComponentRow): void {
  totals.n += row.n;
  totals.answered += row.answered;
  totals.parents += row.parents;
  totals.retries += row.retries;
  totals.selfMs += row.self_ms;
  totals.gapMs += row.gap_ms ?? 0;
  totals.unansweredMs += row.unanswered_ms ?? 0;
  totals.durationMs += row.duration_ms;
  totals.errors += row.errors;
  totals.originErrors += row.origin_errors;
  totals.timeouts += row.timeouts;
  totals.unreachable += row.unreachable;
  totals.poolErrors += row.pool_errors;
}

function within(window: NsWindow | null, startNs: bigint, stepNs: bigint): boolean {
  return window !== null && startNs >= window.fromNs && startNs + stepNs <= window.toNs + stepNs / 2n;
}

export async function loadComponents(reader: StoreReader, windows: IncidentWindows): Promise<ComponentSet> {
  const { stepNs, baseline, search, incident } = windows;
  const originNs = baseline && baseline.fromNs < search.fromNs ? baseline.fromNs : search.fromNs;
  const endNs = baseline && baseline.toNs > incident.toNs ? baseline.toNs : incident.toNs;
  const rows = await reader.all<ComponentRow>(componentsSql, { origin_ns: originNs, end_ns: endNs, step_ns: stepNs });
  const bucketStartNs = (bucket: number): bigint => originNs + BigInt(bucket) * stepNs;
  const byKey = new Map<string, Component>();
  for (const row of rows) {
    const key = `${row.component}|${row.service}|${row.peer ?? ''}`;
    let component = byKey.get(key);
    if (!component) {
      component = {
        key,
        component: row.component,
        service: row.service,
        peer: row.peer,
        dbSystem: row.db_system,
        answeredEdge: false,
        baseline: emptyTotals(),
        incident: emptyTotals(),
        buckets: new Map(),
        statement: row.statement,
      };
      byKey.set(key, component);
    }
    component.dbSystem ??= row.db_system;
    component.statement ??= row.statement;
    const start = bucketStartNs(row.bucket);
    if (within(baseline, start, stepNs)) add(component.baseline, row);
    if (within(incident, start, stepNs)) add(component.incident, row);
    if (within(search, start, stepNs)) component.buckets.set(row.bucket, row);
  }
  for (const component of byKey.values()) {
    const both = component.baseline.n + component.incident.n;
    component.answeredEdge = component.component === 'call' && both > 0 && (component.baseline.answered + component.incident.answered) / both >= 0.5;
  }
  return {
    components: [...byKey.values()],
    originNs,
    stepNs,
    bucketOf: (ns) => Number((ns - originNs) / stepNs),
    bucketStartNs,
    baselineSeconds: baseline ? Number(baseline.toNs - baseline.fromNs) / 1e9 : 0,
    incidentSeconds: Number(incident.toNs - incident.fromNs) / 1e9,
  };
}

/** Mean self time per span of a component, as the comparison needs it. */
export function meanSelfMs(component: Component, totals: Totals): number | null {
  if (component.component === 'own') return totals.n > 0 ? totals.selfMs / totals.n : null;
  if (component.answeredEdge) return totals.answered > 0 ? totals.gapMs / totals.answered : null;
  const unanswered = totals.n - totals.answered;
  return unanswered > 0 ? totals.unansweredMs / unanswered : null;
}

export function bucketMeanSelfMs(component: Component, row: ComponentRow): number | null {
  if (component.component === 'own') return row.n > 0 ? row.self_ms / row.n : null;
  if (component.answeredEdge) return row.answered > 0 ? (row.gap_ms ?? 0) / row.answered : null;
  const unanswered = row.n - row.answered;
  return unanswered > 0 ? (row.unanswered_ms ?? 0) / unanswered : null;
}

export function spansCounted(component: Component, totals: Totals): number {
  if (component.component === 'own') return totals.n;
  return component.answeredEdge ? totals.answered : totals.n - totals.answered;
}
