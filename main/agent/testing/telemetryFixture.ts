import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord, SpanRecord } from '../../../ingest/records.js';
import { rebuildDerived } from '../../analysis/index.js';
import { TelemetryStore } from '../../store/store.js';

const MS = 1_000_000n;
export const FIXTURE_START_NS = 1_717_000_000_000n * MS;

export interface TelemetryFixture {
  store: TelemetryStore;
  dbPath: string;
  dir: string;
  /** Closes the store (once) so its file can be read as it lies on disk. */
  closeStore(): void;
  dispose(): void;
}

export function span(overrides: Partial<SpanRecord> & Pick<SpanRecord, 'traceId' | 'spanId' | 'service'>): SpanRecord {
  return {
    parentSpanId: null,
    name: 'GET /checkout',
    kind: 'server',
    startNs: FIXTURE_START_NS,
    endNs: FIXTURE_START_NS + 20n * MS,
    statusCode: 0,
    statusMessage: null,
    httpStatus: 200,
    rpcSystem: null,
    rpcStatus: null,
    peerService: null,
    attributes: {},
    resource: {},
    events: [],
    sourceLine: 1,
    ...overrides,
  };
}

export function log(overrides: Partial<LogRecord> & Pick<LogRecord, 'body'>): LogRecord {
  return {
    tsNs: FIXTURE_START_NS,
    service: 'checkout',
    severity: 'INFO',
    traceId: null,
    spanId: null,
    attributes: {},
    sourceLine: 1,
    ...overrides,
  };
}

const TRACES = 60;
const FAILING = 20;

/** A small two-service incident: a caller timing out on a slow callee, with logs that name it. */
export function incidentRecords(): { spans: SpanRecord[]; logs: LogRecord[] } {
  const spans: SpanRecord[] = [];
  const logs: LogRecord[] = [];
  for (let i = 0; i < TRACES; i += 1) {
    const traceId = `trace${String(i).padStart(27, '0')}`;
    const at = FIXTURE_START_NS + BigInt(i) * 1000n * MS;
    const failing = i >= TRACES - FAILING;
    spans.push(
      span({ traceId, spanId: `a${String(i).padStart(15, '0')}`, service: 'frontend', name: 'POST /pay', startNs: at, endNs: at + (failing ? 500n : 30n) * MS, statusCode: failing ? 2 : 0, httpStatus: failing ? 504 : 200, sourceLine: i * 2 + 1 }),
      span({ traceId, spanId: `b${String(i).padStart(15, '0')}`, parentSpanId: `a${String(i).padStart(15, '0')}`, service: 'ledger', name: 'Ledger/Post', kind: 'server', startNs: at + MS, endNs: at + (failing ? 2000n : 20n) * MS, rpcSystem: 'grpc', rpcStatus: failing ? 4 : 0, statusCode: failing ? 2 : 0, httpStatus: null, sourceLine: i * 2 + 2 }),
    );
    if (failing) {
      logs.push(log({ tsNs: at + 500n * MS, service: 'frontend', severity: 'ERROR', body: `call to ledger failed: context deadline exceeded (user bob${i}@example.com)`, traceId, spanId: `a${String(i).padStart(15, '0')}`, sourceLine: i + 1 }));
    }
  }
  return { spans, logs };
}

/** Opens a store on a fresh temp file, imports the records as one source and derives events, as the app does. */
export async function openFixture(records = incidentRecords(), label = 'fixture'): Promise<TelemetryFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-agent-'));
  const dbPath = join(dir, 'workspace.duckdb');
  const store = await TelemetryStore.open(dbPath);
  await store.importSource({ path: `${label}.jsonl`, bytes: new TextEncoder().encode(`${label}-${dir}`), format: 'test' }, async (sink) => {
    await sink.spans(records.spans);
    await sink.logs(records.logs);
  });
  await rebuildDerived(store);
  let open = true;
  const closeStore = () => {
    if (open) store.close();
    open = false;
  };
  return {
    store,
    dbPath,
    dir,
    closeStore,
    dispose() {
      closeStore();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
