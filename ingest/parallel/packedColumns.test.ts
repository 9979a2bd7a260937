import { describe, expect, it } from 'vitest';
import { packSpanColumns, packedTransferables, unpackSpanColumns } from './packedColumns.js';
import { type SpanColumns, spanColumnsOf } from './spanColumns.js';
import type { SpanRecord } from '../records.js';

function spans(count: number): SpanRecord[] {
  return Array.from({ length: count }, (_, row) => ({
    traceId: `trace-${row >> 3}`,
    spanId: `span-${row}`,
    parentSpanId: row % 8 === 0 ? null : `span-${row - 1}`,
    service: `svc-${row % 3}`,
    name: row % 2 ? 'GET /x' : 'null',
    kind: 'server',
    startNs: BigInt(row),
    endNs: BigInt(row + 1),
    statusCode: 0,
    statusMessage: row % 5 === 0 ? 'boom' : null,
    httpStatus: row % 2 ? 200 : null,
    rpcSystem: null,
    rpcStatus: null,
    peerService: null,
    attributes: { n: String(row % 4) },
    resource: { 'service.name': `svc-${row % 3}` },
    events: row % 10 === 0 ? [{ tsNs: BigInt(row), name: 'retry', attributes: { unique: String(row) } }] : [],
    sourceLine: row + 1,
  }));
}

describe('packed span columns', () => {
  it('come back as the columns they were, repeated texts and nulls included', () => {
    const columns = spanColumnsOf(spans(1000));
    const expected: SpanColumns = structuredClone(columns);
    const packed = structuredClone(packSpanColumns(columns));
    expect(unpackSpanColumns(packed)).toEqual(expected);
  });

  it('send a column of repeated texts as its distinct texts, and a column of ids as it is', () => {
    const packed = packSpanColumns(spanColumnsOf(spans(1000)));
    const [traceId, spanId, , service] = packed.spanTexts;
    expect(service).toMatchObject({ distinct: ['svc-0', 'svc-1', 'svc-2'] });
    expect(traceId).toMatchObject({ distinct: expect.arrayContaining(['trace-0', 'trace-124']) });
    expect(Array.isArray(spanId)).toBe(true);
    expect(packedTransferables(packed).length).toBeGreaterThan(6);
  });
});
