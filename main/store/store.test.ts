import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord, SpanRecord } from '../../ingest/records.js';
import { SCHEMA_VERSION, SchemaTooNewError, TelemetryStore } from './store.js';

function span(i: number): SpanRecord {
  return {
    traceId: `t${i % 7}`,
    spanId: `s${i}`,
    parentSpanId: i % 3 === 0 ? null : `s${i - 1}`,
    service: i % 2 ? 'alpha' : 'beta',
    name: 'GET /x',
    kind: 'server',
    startNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n,
    endNs: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n + 5_000_000n,
    statusCode: i % 10 === 0 ? 2 : 0,
    statusMessage: null,
    httpStatus: 200,
    rpcSystem: null,
    rpcStatus: null,
    peerService: null,
    attributes: { i: String(i) },
    resource: {},
    events: i % 5 === 0 ? [{ tsNs: 1_700_000_000_000_000_000n, name: 'exception', attributes: {} }] : [],
    sourceLine: i + 1,
  };
}

const log = (line: number): LogRecord => ({
  tsNs: 1_700_000_000_000_000_000n,
  service: 'alpha',
  severity: 'INFO',
  body: `line ${line}`,
  traceId: null,
  spanId: null,
  attributes: {},
  sourceLine: line,
});

const bytes = (text: string) => new TextEncoder().encode(text);

describe('TelemetryStore', () => {
  const dirs: string[] = [];
  const tempDb = () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-store-'));
    dirs.push(dir);
    return join(dir, 'w.duckdb');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a new workspace readable by a second, read-only opening while it is still open', async () => {
    const path = tempDb();
    const store = await TelemetryStore.open(path);
    try {
      const reader = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
      const connection = await reader.connect();
      const rows = (await connection.runAndReadAll('SELECT max(version) AS version FROM schema_version')).getRowObjectsJS();
      expect(rows).toEqual([{ version: SCHEMA_VERSION }]);
      connection.closeSync();
      reader.closeSync();
    } finally {
      store.close();
    }
  });

  it('imports a file in one transaction and counts what it holds', async () => {
    const store = await TelemetryStore.open(':memory:');
    const outcome = await store.importSource({ path: 'a.jsonl', bytes: bytes('a'), format: 'test' }, async (sink) => {
      await sink.spans(Array.from({ length: 5000 }, (_, i) => span(i)));
      await sink.logs([log(1), log(2)]);
      sink.issue({ line: 3, message: 'bad line' });
    });
    expect(outcome.duplicate).toBe(false);
    expect(outcome.counts).toEqual({ spans: 5000, logs: 2, metricPoints: 0 });
    expect(outcome.issues).toEqual([{ line: 3, message: 'bad line' }]);
    const rows = await store.withRead((r) => r.all<{ n: number; d: number }>('SELECT count(*) AS n, max(duration_ns) AS d FROM spans'));
    expect(rows[0]).toEqual({ n: 5000, d: 5_000_000 });
    const events = await store.withRead((r) => r.all<{ n: number }>('SELECT count(*) AS n FROM span_events'));
    expect(events[0]!.n).toBe(1000);
    store.close();
  });

  it('restores the DuckDB memory limit after an import (it is lowered while one runs), also when the import fails', async () => {
    const store = await TelemetryStore.open(':memory:');
    const limit = () => store.withRead((r) => r.all<{ limit: string }>("SELECT current_setting('memory_limit') AS limit"));
    const before = await limit();
    await store.importSource({ path: 'a.jsonl', bytes: bytes('a'), format: 'test' }, async (sink) => {
      await sink.spans([span(1)]);
    });
    expect(await limit()).toEqual(before);
    await expect(
      store.importSource({ path: 'b.jsonl', bytes: bytes('b'), format: 'test' }, async () => {
        throw new Error('disk gone');
      }),
    ).rejects.toThrow('disk gone');
    expect(await limit()).toEqual(before);
    store.close();
  });

  it('adds nothing when the same content is imported again', async () => {
    const store = await TelemetryStore.open(':memory:');
    const parse = async (sink: { spans: (b: SpanRecord[]) => unknown }) => {
      await sink.spans([span(1), span(2)]);
    };
    const first = await store.importSource({ path: 'a.json', bytes: bytes('same'), format: 'test' }, parse);
    const second = await store.importSource({ path: 'copy-of-a.json', bytes: bytes('same'), format: 'test' }, parse);
    expect(second.duplicate).toBe(true);
    expect(second.sourceId).toBe(first.sourceId);
    const rows = await store.withRead((r) => r.all<{ n: number }>('SELECT count(*) AS n FROM spans'));
    expect(rows[0]!.n).toBe(2);
    store.close();
  });

  it('recognises content whose sha256 is still being computed: before parsing for a file seen under its path and size, after parsing for a copy', async () => {
    const store = await TelemetryStore.open(':memory:');
    let parses = 0;
    const parse = async (sink: { spans: (b: SpanRecord[]) => unknown }) => {
      parses += 1;
      await sink.spans([span(1), span(2)]);
    };
    const later = (sha256: string) => ({ sha256: new Promise<string>((resolve) => setTimeout(() => resolve(sha256), 20)), size: 4 });
    const first = await store.importSource({ path: 'a.json', bytes: later('abc'), format: 'test' }, parse);
    expect(first.duplicate).toBe(false);
    const again = await store.importSource({ path: 'a.json', bytes: later('abc'), format: 'test' }, parse);
    expect(again).toMatchObject({ duplicate: true, sourceId: first.sourceId });
    expect(parses).toBe(1);
    const copy = await store.importSource({ path: 'copy-of-a.json', bytes: later('abc'), format: 'test' }, parse);
    expect(copy).toMatchObject({ duplicate: true, sourceId: first.sourceId, counts: { spans: 2 } });
    expect(parses).toBe(2);
    const tables = await store.withRead((r) => r.all<{ spans: number; sources: number; sha: string }>('SELECT (SELECT count(*) FROM spans) AS spans, count(*) AS sources, min(sha256) AS sha FROM sources'));
    expect(tables).toEqual([{ spans: 2, sources: 1, sha: 'abc' }]);
    store.close();
  });

  it('fails the import, adding nothing, when the sha256 cannot be computed', async () => {
    const store = await TelemetryStore.open(':memory:');
    const unreadable = { sha256: Promise.reject(new Error('could not read a.json: gone')), size: 4 };
    await expect(store.importSource({ path: 'a.json', bytes: unreadable, format: 'test' }, async (sink) => sink.spans([span(1)]))).rejects.toThrow('gone');
    const rows = await store.withRead((r) => r.all<{ n: number }>('SELECT (SELECT count(*) FROM spans) + (SELECT count(*) FROM sources) AS n'));
    expect(rows[0]!.n).toBe(0);
    store.close();
  });

  it('leaves the database as it was when a file fails midway', async () => {
    const path = tempDb();
    const store = await TelemetryStore.open(path);
    await store.importSource({ path: 'good', bytes: bytes('good'), format: 'test' }, async (sink) => {
      await sink.spans([span(1)]);
    });
    await expect(
      store.importSource({ path: 'bad', bytes: bytes('bad'), format: 'test' }, async (sink) => {
        await sink.spans(Array.from({ length: 3000 }, (_, i) => span(i)));
        throw new Error('disk vanished');
      }),
    ).rejects.toThrow('disk vanished');
    store.close();

    const reopened = await TelemetryStore.open(path);
    const rows = await reopened.withRead((r) =>
      r.all<{ spans: number; sources: number }>('SELECT (SELECT count(*) FROM spans) AS spans, (SELECT count(*) FROM sources) AS sources'),
    );
    expect(rows[0]).toEqual({ spans: 1, sources: 1 });
    reopened.close();
  });

  it('says what is derived lags behind the telemetry after an import or a removal, until the derivation runs, and not after a failed import', async () => {
    const path = tempDb();
    const store = await TelemetryStore.open(path);
    const derive = () => store.replaceCallPairs('SELECT hash(trace_id) AS trace_key, hash(trace_id, span_id) AS caller_key, service AS caller, hash(name) AS name_key, kind AS caller_kind, start_ns AS c_start_ns, duration_ns AS c_duration_ns, status_code AS c_status_code FROM spans', {}, async () => undefined);
    await derive();
    expect(await store.derivationStale()).toBe(false);
    const imported = await store.importSource({ path: 'a', bytes: bytes('a'), format: 'test' }, async (sink) => {
      await sink.spans([span(1), span(2)]);
    });
    expect(await store.derivationStale()).toBe(true);
    await derive();
    expect(await store.derivationStale()).toBe(false);
    // the derived rows are in the workspace file, for the next process that opens it
    store.close();
    const reopened = await TelemetryStore.open(path);
    expect(await reopened.withRead((r) => r.all<{ n: number }>('SELECT count(*) AS n FROM call_pairs'))).toEqual([{ n: 2 }]);
    expect(await reopened.derivationStale()).toBe(false);
    await expect(
      reopened.importSource({ path: 'b', bytes: bytes('b'), format: 'test' }, async () => {
        throw new Error('unreadable');
      }),
    ).rejects.toThrow('unreadable');
    expect(await reopened.derivationStale()).toBe(false);
    await reopened.removeSource(imported.sourceId);
    expect(await reopened.derivationStale()).toBe(true);
    reopened.close();
  });

  it("tells how far the call pairing is while it runs, and leaves DuckDB's progress setting as it was", async () => {
    const store = await TelemetryStore.open(tempDb());
    try {
      await store.withWrite((writer) => writer.run('CREATE TABLE numbers AS SELECT range AS i FROM range(10000000)'));
      const fractions: number[] = [];
      // a join long enough to be polled a few times, with a filter the planner cannot prove empty
      await store.replaceCallPairs(
        'SELECT CAST(a.i AS VARCHAR) AS caller FROM numbers a JOIN numbers b ON a.i = b.i + 1 WHERE hash(a.i * b.i) % 1000003 = 1000004',
        {},
        async () => undefined,
        (fraction) => fractions.push(fraction),
      );
      expect(fractions.length).toBeGreaterThan(0);
      for (const [index, fraction] of fractions.entries()) {
        expect(fraction).toBeGreaterThanOrEqual(index === 0 ? 0 : fractions[index - 1]!);
        expect(fraction).toBeLessThanOrEqual(1);
      }
      const [setting] = await store.withRead((reader) => reader.all<{ value: string }>("SELECT current_setting('enable_progress_bar')::VARCHAR AS value"));
      expect(setting?.value).toBe('false');
    } finally {
      store.close();
    }
  });

  it("surfaces a failed pairing's own error and leaves the write connection's settings as they were", async () => {
    const store = await TelemetryStore.open(tempDb());
    try {
      const settings = () =>
        store.withWrite((writer) =>
          writer.all("SELECT current_setting('preserve_insertion_order') AS o, current_setting('disabled_compression_methods') AS c, current_setting('enable_progress_bar') AS p, current_setting('memory_limit') AS m"),
        );
      const before = await settings();
      await expect(
        store.replaceCallPairs("SELECT error('pairing ran out of disk') AS caller FROM range(3)", {}, async () => undefined, () => undefined),
      ).rejects.toThrow('pairing ran out of disk');
      expect(await settings()).toEqual(before);
      // an import whose appends fail midway sets its memory limit back too
      await expect(
        store.importSource({ path: 'a', bytes: bytes('a'), format: 'test' }, async (sink) => {
          await sink.spans([{ ...span(1), service: null as unknown as string }]);
        }),
      ).rejects.toThrow();
      expect(await settings()).toEqual(before);
      expect(await store.derivationStale()).toBe(false);
    } finally {
      store.close();
    }
  });

  it('refuses a file written by a newer schema', async () => {
    const path = tempDb();
    const store = await TelemetryStore.open(path);
    await store.withWrite((w) => w.run('INSERT INTO schema_version VALUES ($v)', { v: SCHEMA_VERSION + 1 }));
    store.close();
    await expect(TelemetryStore.open(path)).rejects.toBeInstanceOf(SchemaTooNewError);
  });
});

describe('schema upgrades', () => {
  it('upgrades a workspace of an older schema to this one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'causeway-upgrade-'));
    const path = join(dir, 'old.duckdb');
    try {
      const fresh = await TelemetryStore.open(path);
      // a new workspace has nothing to derive
      expect(await fresh.derivationStale()).toBe(false);
      await fresh.importSource({ path: 'old', bytes: new TextEncoder().encode('old'), format: 'test' }, async (sink) => {
        await sink.spans([span(1)]);
      });
      // as schema 1 left a workspace: without the tables later schemas add
      await fresh.withWrite(async (w) => {
        await w.run('DROP TABLE call_pairs');
        await w.run('DROP TABLE derivation');
        await w.run('DROP TABLE kindless_entries');
        await w.run('DELETE FROM schema_version');
        await w.run('INSERT INTO schema_version VALUES (1)');
      });
      fresh.close();
      const upgraded = await TelemetryStore.open(path);
      const [version] = await upgraded.withRead((r) => r.all<{ v: number }>('SELECT max(version) AS v FROM schema_version'));
      expect(version!.v).toBe(SCHEMA_VERSION);
      const pairs = await upgraded.withRead((r) => r.all<{ n: number }>('SELECT count(*) AS n FROM call_pairs'));
      expect(pairs[0]!.n).toBe(0);
      // its spans have no call pairs yet: the first open of the service derives them
      expect(await upgraded.derivationStale()).toBe(true);
      upgraded.close();
      // a workspace of schema 7 whose spans carry no kind has their entry spans derived at the next open
      const seven = await TelemetryStore.open(path);
      await seven.withWrite(async (w) => {
        await w.run("UPDATE spans SET kind = 'unspecified'");
        await w.run('UPDATE derivation SET stale = false');
        await w.run('DROP TABLE kindless_entries');
        await w.run('DELETE FROM schema_version WHERE version > 7');
      });
      seven.close();
      const eight = await TelemetryStore.open(path);
      expect(await eight.derivationStale()).toBe(true);
      eight.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
