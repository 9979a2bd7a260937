import { writeFile } from 'node:fs/promises';

export interface BigTrace {
  traceId: string;
  spans: number;
  /** The operation of the span that comes last in the waterfall's tree order. */
  lastOperation: string;
}

const SERVICES = ['edge', 'catalog', 'pricing', 'stock', 'ledger'];

/**
 * One trace of `total` spans as a Jaeger JSON export: a root calling `fanout` children, each
 * calling an equal share of the rest, so the waterfall is long and two levels deep. The last
 * span in tree order is the last grandchild of the last child, named so the journey can find it.
 */
export async function writeBigTrace(path: string, total = 10_000, fanout = 99): Promise<BigTrace> {
  const traceId = 'b16b16b16b16b16b16b16b16b16b16b1';
  const startUs = Date.parse('2026-02-01T12:00:00Z') * 1000;
  const perChild = Math.floor((total - 1 - fanout) / fanout);
  const spans: unknown[] = [];
  const span = (id: string, parent: string | null, operation: string, offsetUs: number, durationUs: number, process: number) => ({
    traceID: traceId,
    spanID: id,
    operationName: operation,
    references: parent ? [{ refType: 'CHILD_OF', traceID: traceId, spanID: parent }] : [],
    startTime: startUs + offsetUs,
    duration: durationUs,
    tags: [{ key: 'span.kind', type: 'string', value: parent ? 'client' : 'server' }],
    processID: `p${process}`,
  });
  const hex = (n: number) => n.toString(16).padStart(16, '0');
  let next = 1;
  const rootId = hex(next++);
  spans.push(span(rootId, null, 'GET /big', 0, 2_000_000, 0));
  let lastOperation = '';
  for (let child = 0; child < fanout; child += 1) {
    const childId = hex(next++);
    const childStart = child * 20_000;
    spans.push(span(childId, rootId, `step ${child}`, childStart, 19_000, 1 + (child % (SERVICES.length - 1))));
    const grandchildren = child === fanout - 1 ? total - spans.length : perChild;
    for (let leaf = 0; leaf < grandchildren; leaf += 1) {
      lastOperation = `leaf ${child}.${leaf}`;
      spans.push(span(hex(next++), childId, lastOperation, childStart + leaf * 150, 140, 1 + ((child + 1) % (SERVICES.length - 1))));
    }
  }
  const processes = Object.fromEntries(SERVICES.map((serviceName, index) => [`p${index}`, { serviceName, tags: [] }]));
  await writeFile(path, JSON.stringify({ data: [{ traceID: traceId, spans, processes }] }));
  return { traceId, spans: spans.length, lastOperation };
}
