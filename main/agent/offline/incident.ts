import type { AnalysisReport, BreakerTimeline, BreakerTransition, Evidence, RootCause } from '../../api/contract.js';

/** One breaker's story in the incident: when it first opened, how often, when it last closed. */
export interface BreakerStory {
  service: string;
  breaker: string;
  protects: string | null;
  source: NonNullable<BreakerTimeline['source']> | null;
  firstOpen: string | null;
  openCount: number;
  lastClose: string | null;
  /** Still open (or half-open) at the end of the data. */
  endsOpen: boolean;
  /** Open (and half-open) intervals; an interval still open at the end closes at `windowEnd`. */
  openIntervals: [string, string][];
  refs: Evidence[];
  transitions: BreakerTransition[];
}

export interface CallEdge {
  caller: string;
  callee: string;
}

/** The incident as the report describes it, arranged for telling: culprit, the edge that carried it, breakers. */
export interface IncidentModel {
  root: RootCause | null;
  /** Other ranked candidates, strongest first. */
  alternatives: RootCause[];
  /** The call edge on which the failure shows as timeouts or errors (caller -> callee). */
  symptomEdge: CallEdge | null;
  /** Every call edge the report mentions (root-cause edge, deadline findings, breakers). */
  edges: CallEdge[];
  breakers: BreakerStory[];
  /** Breakers guarding the symptom edge. */
  pathBreakers: BreakerStory[];
  /** Services on the causal path, culprit first, then upward through callers. */
  causalPath: string[];
}

function byTime(a: { at: string }, b: { at: string }): number {
  return Date.parse(a.at) - Date.parse(b.at);
}

export function breakerStory(timeline: BreakerTimeline, windowEnd: string): BreakerStory {
  const transitions = [...timeline.transitions].sort(byTime);
  const opens = transitions.filter((t) => t.to === 'open');
  const closes = transitions.filter((t) => t.to === 'closed');
  const intervals: [string, string][] = [];
  let openedAt: string | null = null;
  for (const t of transitions) {
    if (t.to !== 'closed' && openedAt === null) openedAt = t.at;
    if (t.to === 'closed' && openedAt !== null) {
      intervals.push([openedAt, t.at]);
      openedAt = null;
    }
  }
  if (openedAt !== null) intervals.push([openedAt, windowEnd]);
  const last = transitions.at(-1);
  return {
    service: timeline.service,
    breaker: timeline.breaker,
    protects: timeline.protects ?? null,
    source: timeline.source ?? null,
    firstOpen: opens[0]?.at ?? null,
    openCount: opens.length,
    lastClose: closes.at(-1)?.at ?? null,
    endsOpen: last !== undefined && last.to !== 'closed',
    openIntervals: intervals,
    transitions,
    refs: transitions
      .filter((t) => t.ref !== undefined)
      .map((t) => {
        const ref = t.ref ?? '';
        return { kind: refKind(ref), ref, summary: `${timeline.breaker}: ${t.from} -> ${t.to} @ ${t.at}` };
      }),
  };
}

export function refKind(ref: string): Evidence['kind'] {
  const prefix = ref.slice(0, ref.indexOf(':'));
  return prefix === 'span' || prefix === 'trace' || prefix === 'series' || prefix === 'event' ? prefix : 'log';
}

/** Whether a breaker guards calls to `service`: by its declared target, else by its name. */
export function guards(breaker: BreakerStory, service: string): boolean {
  if (breaker.protects) return breaker.protects === service;
  return breaker.breaker.toLowerCase().includes(service.toLowerCase());
}

function edgeKey(e: CallEdge): string {
  return `${e.caller}\u0000${e.callee}`;
}

/** Kinds whose fault lives in the caller's own handling of the call, so the callee is a bystander. */
const CALLER_SIDE_KINDS = new Set(['network_latency', 'misconfigured_timeout', 'retry_storm', 'connection_pool_exhaustion']);

export function modelIncident(report: AnalysisReport): IncidentModel {
  const ranked = [...report.root_causes].sort((a, b) => b.confidence - a.confidence);
  const root = ranked[0] ?? null;
  const breakers = report.breakers.map((b) => breakerStory(b, report.window.to)).filter((b) => b.openCount > 0 || b.endsOpen);

  const edges = new Map<string, CallEdge>();
  const addEdge = (caller: string, callee: string | null | undefined): void => {
    if (!callee || caller === callee) return;
    const edge = { caller, callee };
    edges.set(edgeKey(edge), edge);
  };
  if (root?.edge) addEdge(root.edge.caller, root.edge.callee);
  for (const f of report.deadline_findings) addEdge(f.caller, f.callee);
  // A breaker without a declared target still names what it guards ("risk-engine-client").
  for (const b of breakers) addEdge(b.service, b.protects ?? (root && guards(b, root.service) ? root.service : null));

  let symptomEdge: CallEdge | null = null;
  if (root) {
    if (root.edge) symptomEdge = root.edge;
    else {
      const intoCulprit = [...edges.values()].filter((e) => e.callee === root.service);
      const guarded = intoCulprit.find((e) => breakers.some((b) => b.service === e.caller && guards(b, root.service)));
      const fromFinding = report.deadline_findings
        .filter((f) => f.callee === root.service)
        .sort((a, b) => b.count - a.count)[0];
      symptomEdge = guarded ?? (fromFinding ? { caller: fromFinding.caller, callee: fromFinding.callee } : null) ?? intoCulprit[0] ?? null;
      if (!symptomEdge && CALLER_SIDE_KINDS.has(root.kind)) {
        const outOfCulprit = [...edges.values()].find((e) => e.caller === root.service);
        symptomEdge = outOfCulprit ?? null;
      }
    }
  }

  const pathBreakers = symptomEdge
    ? breakers.filter((b) => b.service === symptomEdge.caller && guards(b, symptomEdge.callee))
    : [];

  const causalPath: string[] = [];
  if (root) {
    causalPath.push(root.service);
    if (symptomEdge) {
      for (const s of [symptomEdge.callee, symptomEdge.caller]) if (!causalPath.includes(s)) causalPath.push(s);
      let frontier = symptomEdge.caller;
      for (;;) {
        const up = [...edges.values()].find((e) => e.callee === frontier && !causalPath.includes(e.caller));
        if (!up) break;
        causalPath.push(up.caller);
        frontier = up.caller;
      }
    }
  }

  return { root, alternatives: ranked.slice(1), symptomEdge, edges: [...edges.values()], breakers, pathBreakers, causalPath };
}
