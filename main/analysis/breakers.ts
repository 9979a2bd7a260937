import type { BreakerState, BreakerTimeline, BreakerTransition } from '../api/contract.js';
import type { StoreReader, StoreWriter } from '../store/store.js';
import { breakerProtects, normalizeBreakerState } from './patterns.js';
import { fullWindow, isoFromNs, type NsWindow } from './edges.js';
import rawTransitionsSql from './sql/breaker_raw_transitions.sql?raw';
import behaviourEpisodesSql from './sql/breaker_behaviour_episodes.sql?raw';
import insertTransitionSql from './sql/breaker_insert_transition.sql?raw';
import transitionsInWindowSql from './sql/breaker_transitions_in_window.sql?raw';
import firstTimeoutsSql from './sql/breaker_first_timeouts.sql?raw';
import namedRefusalsSql from './sql/breaker_named_refusals.sql?raw';
import knownServicesSql from './sql/events_known_services.sql?raw';

/** A breaker timeline with what the contract has no field for yet (see the report to the lead). */
export interface BreakerTimelineDetail extends BreakerTimeline {
  /** How many times the breaker opened: 1 is a clean trip, more is flapping. */
  open_count: number;
  /** Instances (pods, hosts, log files) whose own breakers make up this service-level timeline. */
  instances: number;
  first_opened_at: string | null;
  last_closed_at: string | null;
  /** From the first timeout on the protected edge to the first opening; null when unknown. */
  first_timeout_to_open_ms: number | null;
}

/** One transition as one instance of a breaker reported it. */
export interface InstanceTransition {
  tsNs: bigint;
  instance: string;
  from: BreakerState | null;
  to: BreakerState;
  ref: string;
}

export interface ServiceTransition {
  tsNs: bigint;
  from: BreakerState;
  to: BreakerState;
  ref: string;
}

/**
 * Folds the transitions of a breaker's instances (one per pod) into one service-level timeline:
 * the service's breaker is open while any instance is open, half-open while any is half-open and
 * none open, closed otherwise. An instance's state before its first report is that report's `from`.
 */
export function mergeInstanceTransitions(transitions: readonly InstanceTransition[]): ServiceTransition[] {
  const sorted = [...transitions].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0));
  const states = new Map<string, BreakerState>();
  for (const t of sorted) if (!states.has(t.instance)) states.set(t.instance, t.from ?? 'closed');
  const aggregate = (): BreakerState => {
    const values = [...states.values()];
    if (values.includes('open')) return 'open';
    if (values.includes('half-open')) return 'half-open';
    return 'closed';
  };
  let current = aggregate();
  const merged: ServiceTransition[] = [];
  for (const t of sorted) {
    states.set(t.instance, t.to);
    const next = aggregate();
    if (next !== current) {
      merged.push({ tsNs: t.tsNs, from: current, to: next, ref: t.ref });
      current = next;
    }
  }
  return merged;
}

interface RawRow {
  ts_ns: string;
  service: string;
  source: 'log' | 'metric';
  source_ref: string;
  breaker: string | null;
  from_state: string | null;
  to_state: string | null;
  instance: string | null;
}

interface EpisodeRow {
  service: string;
  callee: string;
  opened_ns: string;
  closed_ns: string;
  rejected: number;
  first_ref: string;
  last_ref: string;
}

/** Breaker name for lines that report a transition without naming the breaker (Polly). */
const UNNAMED_BREAKER = 'circuit-breaker';

/**
 * Fast-failure runs closer together than this are one opening seen through several instances
 * whose breakers did not trip at the same moment, not separate openings.
 */
const BEHAVIOUR_MERGE_GAP_NS = 5_000_000_000n;

/**
 * Refusals by one named breaker further apart than this belong to separate openings: resilience4j
 * keeps a breaker open for a minute by default and lets probes through when it half-opens, so an
 * open breaker refuses calls every few seconds under any real traffic.
 */
const REFUSAL_RUN_GAP_NS = 30_000_000_000n;

interface RefusalRow {
  ts_ns: string;
  service: string;
  breaker: string;
  source: string;
  source_ref: string;
  peer: string | null;
}

/**
 * The open intervals of breakers known only by name from their refusals: each run of refusals no
 * more than REFUSAL_RUN_GAP_NS apart is one opening, from the first refusal to the last.
 */
export function refusalRuns(refusals: readonly { tsNs: bigint; ref: string }[]): Run[] {
  const runs: Run[] = [];
  for (const refusal of [...refusals].sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0))) {
    const last = runs[runs.length - 1];
    if (last && refusal.tsNs - last.closedNs <= REFUSAL_RUN_GAP_NS) {
      last.closedNs = refusal.tsNs;
      last.lastRef = refusal.ref;
    } else {
      runs.push({ openedNs: refusal.tsNs, closedNs: refusal.tsNs, firstRef: refusal.ref, lastRef: refusal.ref });
    }
  }
  return runs;
}

/**
 * Fills breaker_transitions with service-level timelines: from log lines where a service logs
 * its breaker, else from its state gauge, else from the refusals of a breaker they name, else (for
 * an edge nothing reports) from calls that failed fast without reaching the callee. Needs the
 * call_pairs table and the events.
 */
export async function rebuildBreakerTransitions(writer: StoreWriter): Promise<number> {
  const known = (await writer.all<{ service: string }>(knownServicesSql)).map((r) => r.service);
  const raw = await writer.all<RawRow>(rawTransitionsSql);
  const groups = new Map<string, { service: string; breaker: string; source: 'log' | 'metric'; items: InstanceTransition[] }>();
  for (const row of raw) {
    if (!row.to_state) continue;
    const breaker = row.breaker ?? UNNAMED_BREAKER;
    const key = JSON.stringify([row.service, breaker, row.source]);
    let group = groups.get(key);
    if (!group) {
      group = { service: row.service, breaker, source: row.source, items: [] };
      groups.set(key, group);
    }
    group.items.push({
      tsNs: BigInt(row.ts_ns),
      instance: row.instance ?? row.service,
      from: row.from_state ? normalizeBreakerState(row.from_state) : previousStateFor(normalizeBreakerState(row.to_state)),
      to: normalizeBreakerState(row.to_state),
      ref: row.source_ref,
    });
  }
  const logged = new Set([...groups.values()].filter((g) => g.source === 'log').map((g) => JSON.stringify([g.service, g.breaker])));
  const protectedEdges = new Set<string>();
  let inserted = 0;
  for (const group of groups.values()) {
    if (group.source === 'metric' && logged.has(JSON.stringify([group.service, group.breaker]))) continue;
    protectedEdges.add(JSON.stringify([group.service, breakerProtects(group.breaker, known) ?? group.breaker]));
    for (const t of mergeInstanceTransitions(group.items)) {
      await insertTransition(writer, t, group.service, group.breaker, group.source);
      inserted += 1;
    }
  }
  const refusals = await writer.all<RefusalRow>(namedRefusalsSql);
  for (const [key, rows] of groupBy(refusals, (r) => JSON.stringify([r.service, r.breaker]))) {
    const { service, breaker } = rows[0]!;
    if ([...groups.values()].some((g) => g.service === service && g.breaker === breaker)) continue;
    const source = rows.some((r) => r.source === 'log') ? 'log' : 'behaviour';
    const peer = rows.find((r) => r.peer !== null)?.peer ?? null;
    protectedEdges.add(JSON.stringify([service, breakerProtects(breaker, known) ?? peer ?? breaker]));
    protectedEdges.add(key);
    for (const run of refusalRuns(rows.map((r) => ({ tsNs: BigInt(r.ts_ns), ref: r.source_ref })))) {
      await insertTransition(writer, { tsNs: run.openedNs, from: 'closed', to: 'open', ref: run.firstRef }, service, breaker, source);
      await insertTransition(writer, { tsNs: run.closedNs, from: 'open', to: 'closed', ref: run.lastRef }, service, breaker, source);
      inserted += 2;
    }
  }
  const episodes = await writer.all<EpisodeRow>(behaviourEpisodesSql);
  for (const [edge, runs] of groupBy(episodes, (e) => JSON.stringify([e.service, e.callee]))) {
    if (protectedEdges.has(edge)) continue;
    for (const run of mergeCloseRuns(runs)) {
      const { service, callee } = runs[0]!;
      await insertTransition(writer, { tsNs: run.openedNs, from: 'closed', to: 'open', ref: run.firstRef }, service, callee, 'behaviour');
      await insertTransition(writer, { tsNs: run.closedNs, from: 'open', to: 'closed', ref: run.lastRef }, service, callee, 'behaviour');
      inserted += 2;
    }
  }
  return inserted;
}

/** For lines that name only the new state: the state a breaker normally leaves to reach it. */
function previousStateFor(to: BreakerState): BreakerState {
  if (to === 'open') return 'closed';
  if (to === 'half-open') return 'open';
  return 'half-open';
}

function insertTransition(
  writer: StoreWriter,
  t: ServiceTransition,
  service: string,
  breaker: string,
  source: 'log' | 'metric' | 'behaviour',
): Promise<void> {
  return writer.run(insertTransitionSql, {
    ts_ns: t.tsNs,
    service,
    breaker,
    from_state: t.from,
    to_state: t.to,
    source,
    source_ref: t.ref,
  });
}

interface Run {
  openedNs: bigint;
  closedNs: bigint;
  firstRef: string;
  lastRef: string;
}

function mergeCloseRuns(episodes: readonly EpisodeRow[]): Run[] {
  const runs: Run[] = [];
  for (const e of episodes) {
    const openedNs = BigInt(e.opened_ns);
    const closedNs = BigInt(e.closed_ns);
    const last = runs[runs.length - 1];
    if (last && openedNs - last.closedNs < BEHAVIOUR_MERGE_GAP_NS) {
      if (closedNs > last.closedNs) {
        last.closedNs = closedNs;
        last.lastRef = e.last_ref;
      }
    } else {
      runs.push({ openedNs, closedNs, firstRef: e.first_ref, lastRef: e.last_ref });
    }
  }
  return runs;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

interface StoredRow {
  ts_ns: string;
  service: string;
  breaker: string;
  from_state: BreakerState;
  to_state: BreakerState;
  source: 'log' | 'metric' | 'behaviour';
  source_ref: string;
}

/** The breaker timelines whose transitions fall in the window, busiest first. */
export async function breakerTimelines(reader: StoreReader, window?: NsWindow): Promise<BreakerTimelineDetail[]> {
  const { fromNs, toNs } = window ?? fullWindow();
  const rows = await reader.all<StoredRow>(transitionsInWindowSql, { from_ns: fromNs, to_ns: toNs });
  if (rows.length === 0) return [];
  const known = (await reader.all<{ service: string }>(knownServicesSql)).map((r) => r.service);
  const firstTimeouts = new Map(
    (await reader.all<{ service: string; peer: string; first_ns: string }>(firstTimeoutsSql, { from_ns: fromNs, to_ns: toNs })).map(
      (r) => [JSON.stringify([r.service, r.peer]), BigInt(r.first_ns)] as const,
    ),
  );
  const instanceCounts = await countInstances(reader);
  const refusedPeers = new Map(
    (await reader.all<RefusalRow>(namedRefusalsSql))
      .filter((r) => r.peer !== null && r.peer !== r.breaker)
      .map((r) => [JSON.stringify([r.service, r.breaker]), r.peer!] as const),
  );
  const timelines: BreakerTimelineDetail[] = [];
  for (const group of groupBy(rows, (r) => JSON.stringify([r.service, r.breaker])).values()) {
    const { service, breaker, source } = group[0]!;
    // A breaker named by its refusals protects the service those refused calls were meant for.
    const refusedPeer = refusedPeers.get(JSON.stringify([service, breaker])) ?? null;
    const protects = source === 'behaviour' ? (refusedPeer ?? breaker) : (breakerProtects(breaker, known) ?? refusedPeer);
    const transitions: BreakerTransition[] = group.map((r) => ({
      at: isoFromNs(BigInt(r.ts_ns)),
      from: r.from_state,
      to: r.to_state,
      ref: r.source_ref,
    }));
    const opens = group.filter((r) => r.to_state === 'open');
    const closes = group.filter((r) => r.to_state === 'closed');
    const firstOpenNs = opens.length > 0 ? BigInt(opens[0]!.ts_ns) : null;
    const firstTimeoutNs = firstTimeouts.get(JSON.stringify([service, protects ?? breaker])) ?? null;
    timelines.push({
      service,
      breaker,
      protects,
      source,
      transitions,
      open_count: opens.length,
      instances: source === 'behaviour' ? 1 : (instanceCounts.get(JSON.stringify([service, breaker, source])) ?? 1),
      first_opened_at: firstOpenNs === null ? null : isoFromNs(firstOpenNs),
      last_closed_at: closes.length > 0 ? isoFromNs(BigInt(closes[closes.length - 1]!.ts_ns)) : null,
      first_timeout_to_open_ms:
        firstOpenNs !== null && firstTimeoutNs !== null && firstTimeoutNs <= firstOpenNs
          ? Number(firstOpenNs - firstTimeoutNs) / 1e6
          : null,
    });
  }
  return timelines.sort((a, b) => b.open_count - a.open_count || a.service.localeCompare(b.service) || a.breaker.localeCompare(b.breaker));
}

async function countInstances(reader: StoreReader): Promise<Map<string, number>> {
  const rows = await reader.all<RawRow>(rawTransitionsSql);
  const instances = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = JSON.stringify([row.service, row.breaker ?? UNNAMED_BREAKER, row.source]);
    const set = instances.get(key) ?? new Set<string>();
    set.add(row.instance ?? row.service);
    instances.set(key, set);
  }
  return new Map([...instances].map(([key, set]) => [key, set.size]));
}
