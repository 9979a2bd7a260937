/**
 * Which name a slow database gets in the ranking: a client's peer.service when it is a real name,
 * the server's host when peer.service only repeats the engine (Zipkin's remoteEndpoint is often
 * just "postgres").
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../ingest/records.js';
import { TelemetryStore } from '../store/store.js';
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

async function topCauseWithPeer(peerService: string) {
  const spans = buildSpans(slowDatabase).map((s): SpanRecord => (s.attributes['db.system'] ? { ...s, peerService } : s));
  const store = await TelemetryStore.open(':memory:');
  stores.push(store);
  await importRecords(store, { spans });
  await rebuildDerived(store);
  return (await analyze(store)).root_causes[0];
}

describe('naming the slow datastore', () => {
  it('takes the host when peer.service only names the engine', async () => {
    const cause = await topCauseWithPeer('postgres');
    expect(cause?.kind).toBe('slow_query');
    expect(cause?.summary).toMatch(/queries on orders-db\b/);
  });

  it('keeps a peer.service that names the datastore itself', async () => {
    const cause = await topCauseWithPeer('billing-db');
    expect(cause?.kind).toBe('slow_query');
    expect(cause?.summary).toMatch(/queries on billing-db\b/);
  });
});
