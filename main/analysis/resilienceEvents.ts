import type { StoreWriter } from '../store/store.js';
import { rebuildBreakerTransitions } from './breakers.js';
import { CALL_PAIRS_SQL, fullWindow } from './edges.js';
import { breakerProtects, patternParams } from './patterns.js';
import clearSql from './sql/events_clear.sql?raw';
import eventsFromSpansSql from './sql/events_from_spans.sql?raw';
import structuralRetriesSql from './sql/events_structural_retries.sql?raw';
import eventsFromLogsSql from './sql/events_from_logs.sql?raw';
import eventsFromMetricsSql from './sql/events_from_metrics.sql?raw';
import insertCallEdgesSql from './sql/edge_insert_call_edges.sql?raw';
import knownServicesSql from './sql/events_known_services.sql?raw';
import breakerNamesSql from './sql/events_breaker_names.sql?raw';
import resolveBreakerPeerSql from './sql/events_resolve_breaker_peer.sql?raw';
import countsSql from './sql/events_counts.sql?raw';

/** A stop-the-world pause this long is an event in any runtime, whatever the service's usual pause. */
const LONG_GC_PAUSE_MS = 100;

/**
 * Rebuilds the derived tables (call_pairs, resilience_events, breaker_transitions, call_edges) from
 * the raw telemetry. Deletes and re-inserts, so running it twice gives the same rows. Calls are
 * paired here once; every windowed reader filters call_pairs instead of joining spans again.
 */
export async function rebuildResilienceEvents(writer: StoreWriter): Promise<{ events: number; transitions: number; edges: number }> {
  await writer.run(clearSql);
  const { fromNs, toNs } = fullWindow();
  // Calls are read back by key and window, never in insertion order; letting both threads write
  // row groups as they finish cut this insert's time by about a third at 1M spans. Its few string
  // columns (service names, kinds, mostly empty texts) compress as dictionaries; skipping the FSST
  // analysis DuckDB would also try on them cut writing the table by about a third again.
  await writer.run('SET preserve_insertion_order = false');
  await writer.run("SET disabled_compression_methods = 'fsst'");
  try {
    await writer.run(`INSERT INTO call_pairs BY NAME\n${CALL_PAIRS_SQL}`, { from_ns: fromNs, to_ns: toNs });
  } finally {
    await writer.run('RESET disabled_compression_methods');
    await writer.run('RESET preserve_insertion_order');
  }
  for (const sql of [eventsFromSpansSql, structuralRetriesSql, eventsFromLogsSql, eventsFromMetricsSql, insertCallEdgesSql]) {
    await writer.run(sql, { ...patternParams(sql), ...(sql === eventsFromLogsSql ? { long_gc_pause_ms: LONG_GC_PAUSE_MS } : {}) });
  }
  await resolveBreakerPeers(writer);
  await rebuildBreakerTransitions(writer);
  const [counts] = await writer.all<{ events: number; transitions: number; edges: number }>(countsSql);
  return { events: counts!.events, transitions: counts!.transitions, edges: counts!.edges };
}

/** Log lines and metrics name a breaker ("payments-client"); their peer is the service it protects. */
async function resolveBreakerPeers(writer: StoreWriter): Promise<void> {
  const known = (await writer.all<{ service: string }>(knownServicesSql)).map((r) => r.service);
  const names = (await writer.all<{ breaker: string }>(breakerNamesSql)).map((r) => r.breaker);
  for (const breaker of names) {
    const protects = breakerProtects(breaker, known);
    if (protects && protects !== breaker) await writer.run(resolveBreakerPeerSql, { breaker, protects });
  }
}
