/**
 * Which name a slow database gets in the ranking: a client's peer.service when it is a real name,
 * the server's host when peer.service only repeats the engine (Zipkin's remoteEndpoint is often
 * just "postgres").
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../ingest/records.js';
import { TelemetryStore } from '../store/store.js';
import { edgeDiagnostics } from './edges.js';
import { analyze, rebuildDerived } from './index.js';
import { buildSpans, importRecords, type IncidentSpec } from './testdata/rank_incidents.js';

const stores: TelemetryStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const slowDatabase: IncidentSpec = {
  normal: { leafWorkMs: 5, dependency: { name: 'orders-db', system: 'postgresql', durationMs: 2 } },
  incident: { leafWorkMs: 5, dependency: { name: 'orders-db', system: 'postgresql', durationMs: 400 } },
  apiTimeoutMs: 2000,
};

async function storeWithPeer(peerService: string): Promise<TelemetryStore> {
  const spans = buildSpans(slowDatabase).map((s): SpanRecord => (s.attributes['db.system'] ? { ...s, peerService } : s));
  const store = await TelemetryStore.open(':memory:');
  stores.push(store);
  await importRecords(store, { spans });
  await rebuildDerived(store);
  return store;
}

async function topCauseWithPeer(peerService: string) {
  return (await analyze(await storeWithPeer(peerService))).root_causes[0];
}

/** The callees of the database calls, as the call edges name them. */
async function databaseEdgesWithPeer(peerService: string): Promise<string[]> {
  const store = await storeWithPeer(peerService);
  const edges = await store.withRead((r) => edgeDiagnostics(r));
  return edges.filter((e) => e.server_p50_ms === null).map((e) => e.callee);
}

describe('naming the slow datastore', () => {
  it('takes the host when peer.service only names the engine', async () => {
    const cause = await topCauseWithPeer('postgres');
    expect(cause?.kind).toBe('slow_query');
    expect(cause?.summary).toMatch(/queries on orders-db\b/);
  });

  it('gives the call edges the same name as the ranking', async () => {
    expect(await databaseEdgesWithPeer('postgres')).toEqual(['orders-db']);
    expect(await databaseEdgesWithPeer('billing-db')).toEqual(['billing-db']);
  });

  it('keeps a peer.service that names the datastore itself', async () => {
    const cause = await topCauseWithPeer('billing-db');
    expect(cause?.kind).toBe('slow_query');
    expect(cause?.summary).toMatch(/queries on billing-db\b/);
  });
});
