import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../ingest/records.js';
import { edgeDiagnostics, type EdgeDiagnostic } from './edges.js';
import { rebuildDerived } from './index.js';
import { call, ms, span, storeWith } from './testdata/events_builders.js';

async function edgesOf(spans: SpanRecord[], window?: { fromNs: bigint; toNs: bigint }): Promise<EdgeDiagnostic[]> {
  const store = await storeWith({ spans });
  try {
    await rebuildDerived(store);
    return await store.withRead((r) => edgeDiagnostics(r, window));
  } finally {
    store.close();
  }
}

describe('edgeDiagnostics', () => {
  it('measures retry amplification: three sequential attempts per logical call', async () => {
    //   api(server) ─┬ orders attempt 1 |--x|
    //                ├ orders attempt 2       |--x|
    //                └ orders attempt 3             |--|
    const spans = [0, 1].flatMap((t) => [
      span({ trace: `r${t}`, id: 'root', service: 'api', start: 0, end: 1000 }),
      ...[0, 1, 2].flatMap((i) =>
        call({ trace: `r${t}`, id: `a${i}`, parent: 'root', caller: 'api', callee: 'orders', start: 10 + i * 300, end: 10 + i * 300 + 200, rpc: i < 2 ? 14 : 0 }),
      ),
    ]);
    const [edge] = await edgesOf(spans);
    expect(edge).toMatchObject({ caller: 'api', callee: 'orders', calls: 6, errors: 4, retries: 4, retry_amplification: 3 });
  });

  it('records each sequential attempt after the first as a retry event of its own span', async () => {
    const spans = [
      span({ trace: 'r', id: 'root', service: 'api', start: 0, end: 1000 }),
      ...[0, 1, 2].flatMap((i) =>
        call({ trace: 'r', id: `a${i}`, parent: 'root', caller: 'api', callee: 'orders', name: 'orders.Get', start: 10 + i * 300, end: 10 + i * 300 + 200, rpc: i < 2 ? 14 : 0 }),
      ),
    ];
    const store = await storeWith({ spans });
    try {
      await rebuildDerived(store);
      const retries = await store.withRead((r) =>
        r.all<{ source_ref: string; peer: string; name: string; attempt: number }>(
          "SELECT source_ref, peer, details->>'name' AS name, CAST(details->>'attempt' AS INTEGER) AS attempt FROM resilience_events WHERE kind = 'retry' ORDER BY attempt",
        ),
      );
      expect(retries).toEqual([
        { source_ref: 'span:r/a1', peer: 'orders', name: 'orders.Get', attempt: 2 },
        { source_ref: 'span:r/a2', peer: 'orders', name: 'orders.Get', attempt: 3 },
      ]);
    } finally {
      store.close();
    }
  });

  it('pairs the client and server halves of a span id they share (Zipkin)', async () => {
    //   api(server) ─ api client half  |------ 50 ms ------|
    //                 orders server half   |-- 30 ms --|     (same span id as the client half)
    const spans = [0, 1].flatMap((t) => [
      span({ trace: `z${t}`, id: 'root', service: 'api', start: 0, end: 100 }),
      span({ trace: `z${t}`, id: 'shared', parent: 'root', service: 'api', kind: 'client', peer: 'orders', start: 10, end: 60 }),
      span({ trace: `z${t}`, id: 'shared', parent: 'root', service: 'orders', kind: 'server', start: 20, end: 50 }),
    ]);
    const [edge] = await edgesOf(spans);
    // The server half answers the client half: no call is left unanswered.
    expect(edge).toMatchObject({ caller: 'api', callee: 'orders', unanswered: 0, server_p50_ms: 30 });
  });

  it('does not count a parallel fan-out as retries', async () => {
    //   api(server) ─┬ orders |-----|
    //                ├ orders |-----|
    //                └ orders |-----|
    const spans = [
      span({ trace: 'f', id: 'root', service: 'api', start: 0, end: 300 }),
      ...[0, 1, 2].flatMap((i) => call({ trace: 'f', id: `p${i}`, parent: 'root', caller: 'api', callee: 'orders', start: 10, end: 210 })),
    ];
    const [edge] = await edgesOf(spans);
    expect(edge).toMatchObject({ calls: 3, retries: 0, retry_amplification: 1, fan_out: 3 });
  });

  it('separates network time from queueing before the request left', async () => {
    //   client |<- 40 queued ->|<- server 100 ->|<- 10 ->|
    const spans = [0, 1, 2, 3].flatMap((i) =>
      call({ trace: `n${i}`, id: `c${i}`, caller: 'api', callee: 'orders', start: i * 1000, end: i * 1000 + 150, server: { start: i * 1000 + 40, end: i * 1000 + 140 } }),
    );
    const [edge] = await edgesOf(spans);
    expect(edge!.network_p50_ms).toBeCloseTo(50, 3);
    expect(edge!.queue_p50_ms).toBeCloseTo(40, 3);
    expect(edge!.server_p50_ms).toBeCloseTo(100, 3);
    expect(edge!.client_p99_ms).toBeCloseTo(150, 3);
  });

  it('names the callee of unanswered calls from the peer and counts them', async () => {
    const spans = call({ trace: 'u', id: 'c', caller: 'api', callee: 'orders', start: 0, end: 1, error: true, message: 'connection refused', answered: false });
    const [edge] = await edgesOf(spans);
    expect(edge).toMatchObject({ caller: 'api', callee: 'orders', calls: 1, errors: 1, unanswered: 1, network_p50_ms: null });
  });

  it('counts only calls that start inside the window', async () => {
    const spans = [0, 10_000, 20_000].flatMap((at, i) => call({ trace: `w${i}`, id: `c${i}`, caller: 'api', callee: 'orders', start: at, end: at + 5 }));
    const [edge] = await edgesOf(spans, { fromNs: ms(5_000), toNs: ms(25_000) });
    expect(edge!.calls).toBe(2);
  });
});
