import type { StoreWriter } from '../store/store.js';
import { rebuildBreakerTransitions } from './breakers.js';
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
 * Rebuilds the derived tables of the workspace file (resilience_events, breaker_transitions,
 * call_edges) from the raw telemetry and the call pairs (which the caller has derived first).
 * Deletes and re-inserts, so running it twice gives the same rows.
 */
export async function rebuildResilienceEvents(writer: StoreWriter): Promise<{ events: number; transitions: number; edges: number }> {
  await writer.run(clearSql);
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
