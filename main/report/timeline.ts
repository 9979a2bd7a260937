import type { AnalysisReport, BreakerState, BreakerTimeline, BreakerTransition, Evidence, RootCause } from '../api/contract.js';
import type { ReportLabels } from './labels.js';

export interface FallbackEvent {
  at: string | null;
  evidence: Evidence;
}

export interface ReportTimeline {
  firstAnomaly: RootCause | null;
  breakers: { breaker: BreakerTimeline; transitions: BreakerTransition[] }[];
  fallbacks: FallbackEvent[];
}

const FALLBACK_REF = /^event:fallback:.*:(\d+)$/;

/** `event:<kind>:<service>:<ts_ns>` carries its own time; nanoseconds past the millisecond are dropped. */
function fallbackTime(ref: string): string | null {
  const match = FALLBACK_REF.exec(ref);
  if (!match?.[1]) return null;
  const date = new Date(Number(BigInt(match[1]) / 1_000_000n));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The order things went wrong in, built only from what the analysis found and cited. */
export function reportTimeline(report: AnalysisReport): ReportTimeline {
  const firstAnomaly = [...report.root_causes].sort((a, b) => a.started_at.localeCompare(b.started_at))[0] ?? null;
  const breakers = report.breakers
    .map((breaker) => ({ breaker, transitions: [...breaker.transitions].sort((a, b) => a.at.localeCompare(b.at)) }))
    .sort((a, b) => (a.transitions[0]?.at ?? '').localeCompare(b.transitions[0]?.at ?? ''));
  const cited = [...report.root_causes.flatMap((cause) => cause.evidence), ...report.deadline_findings.flatMap((finding) => finding.evidence ?? [])];
  const fallbacks = new Map<string, FallbackEvent>();
  for (const evidence of cited) {
    if (evidence.ref.startsWith('event:fallback:') && !fallbacks.has(evidence.ref)) fallbacks.set(evidence.ref, { at: fallbackTime(evidence.ref), evidence });
  }
  return { firstAnomaly, breakers, fallbacks: [...fallbacks.values()].sort((a, b) => (a.at ?? '').localeCompare(b.at ?? '')) };
}

export function stateLabel(state: BreakerState, labels: ReportLabels): string {
  return state === 'closed' ? labels.closed : state === 'open' ? labels.open : labels.halfOpen;
}

/** Reports are read by people: one readable UTC form for every time. */
export function readableTime(iso: string): string {
  return `${iso.replace('T', ' ').replace(/Z$/, '')} UTC`;
}

export function percentText(value: number): string {
  return `${Math.round(value * 100)}%`;
}

export function millisText(value: number | null): string {
  return value === null ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function kindText(kind: string): string {
  return kind.replace(/_/g, ' ');
}

/** The kinds of telemetry that begin after the baseline, as the report's header lists them; null when none does. */
export function signalsAfterBaselineText(report: AnalysisReport, labels: ReportLabels): string | null {
  const late = report.signals_after_baseline ?? [];
  if (late.length === 0) return null;
  return late.map((start) => `${labels.signalNames[start.signal]} ${labels.signalFrom} ${readableTime(start.from)}`).join(', ');
}
