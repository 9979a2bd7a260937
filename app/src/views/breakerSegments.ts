import type { BreakerState, BreakerTimeline, TimeWindow } from '../../../main/api/contract.js';

export interface BreakerSegment {
  state: BreakerState;
  startMs: number;
  endMs: number;
  /** The transition that began this segment, when one did. */
  ref: string | null;
}

/**
 * The states a breaker was in, as consecutive segments covering the window (stretched to cover
 * transitions outside it). Before the first transition the breaker was in that transition's
 * `from` state; after the last, in its `to` state.
 */
export function breakerSegments(timeline: BreakerTimeline, window: TimeWindow | null): BreakerSegment[] {
  const transitions = timeline.transitions
    .map((transition) => ({ ...transition, ms: new Date(transition.at).getTime() }))
    .filter((transition) => Number.isFinite(transition.ms))
    .sort((a, b) => a.ms - b.ms);
  const first = transitions[0];
  const last = transitions[transitions.length - 1];
  if (!first || !last) return [];
  const windowFrom = window ? new Date(window.from).getTime() : Number.NaN;
  const windowTo = window ? new Date(window.to).getTime() : Number.NaN;
  const startMs = Number.isFinite(windowFrom) ? Math.min(windowFrom, first.ms) : first.ms;
  // The last state must stay visible even when its transition is the last moment we know of.
  const tail = Math.max(1000, (last.ms - startMs) * 0.03);
  const endMs = Number.isFinite(windowTo) && windowTo > last.ms ? windowTo : last.ms + tail;

  const segments: BreakerSegment[] = [];
  if (first.ms > startMs) segments.push({ state: first.from, startMs, endMs: first.ms, ref: null });
  transitions.forEach((transition, index) => {
    const next = transitions[index + 1];
    segments.push({ state: transition.to, startMs: transition.ms, endMs: next ? next.ms : endMs, ref: transition.ref ?? null });
  });
  return segments.filter((segment) => segment.endMs > segment.startMs);
}

/** The time span every breaker chart shares, so their rows line up. */
export function sharedRange(timelines: BreakerTimeline[], window: TimeWindow | null): { min: number; max: number } | null {
  const times = timelines.flatMap((timeline) => timeline.transitions.map((transition) => new Date(transition.at).getTime()));
  if (window) times.push(new Date(window.from).getTime(), new Date(window.to).getTime());
  const finite = times.filter(Number.isFinite);
  if (finite.length === 0) return null;
  return { min: Math.min(...finite), max: Math.max(...finite) };
}
