import { createHash } from 'node:crypto';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from './duckdb.js';
import type { LogRecord, MetricPointRecord, ParseIssue, Sink, SpanRecord } from '../../ingest/records.js';
import { spanColumnsOf, withSpanColumnsSink, type SpanColumns, type SpanColumnsSink } from '../../ingest/parallel/spanColumns.js';
import { ColumnarAppender, ofRecords } from './columnarAppender.js';
import { sourceCounts, type SourceCounts } from './counts.js';
import coreSchema from './schema/001_core.sql?raw';
import callPairsSchema from './schema/002_call_pairs.sql?raw';
import sourceTimezoneSchema from './schema/003_source_timezone.sql?raw';
import callPairsByKeySchema from './schema/004_call_pairs_by_key.sql?raw';
import callPairsWithoutEndTimesSchema from './schema/005_call_pairs_without_end_times.sql?raw';
import callPairsInMemorySchema from './schema/006_call_pairs_in_memory.sql?raw';
import callPairsInWorkspaceSchema from './schema/007_call_pairs_in_workspace.sql?raw';
import kindlessEntriesSchema from './schema/008_kindless_entries.sql?raw';
import setDerivationStale from './queries/set_derivation_stale.sql?raw';
import derivationStaleSql from './queries/derivation_stale.sql?raw';
import insertSourceSql from './queries/insert_source.sql?raw';
import findSourceBySha from './queries/find_source_by_sha.sql?raw';
import findSourceByPathAndSize from './queries/find_source_by_path_and_size.sql?raw';
import updateSourceCounts from './queries/update_source_counts.sql?raw';
import deleteSourceSql from './queries/delete_source.sql?raw';

/** Schema files in the order they are applied; the last one's version is the store's. */
const SCHEMA: readonly { version: number; sql: string }[] = [{ version: 1, sql: coreSchema }, { version: 2, sql: callPairsSchema }, { version: 3, sql: sourceTimezoneSchema }, { version: 4, sql: callPairsByKeySchema }, { version: 5, sql: callPairsWithoutEndTimesSchema }, { version: 6, sql: callPairsInMemorySchema }, { version: 7, sql: callPairsInWorkspaceSchema }, { version: 8, sql: kindlessEntriesSchema }];
export const SCHEMA_VERSION = SCHEMA[SCHEMA.length - 1]!.version;

export type Row = Record<string, unknown>;

/**
 * While a file imports, DuckDB keeps no more than this in memory: the rows the transaction has
 * written so far are evicted to the database file (and its temp folder) instead of piling up, so
 * that a file of several GB imports in bounded memory. Set back when the import ends.
 * Measured with bench:ingest on a 5.6 GB OTLP file (13M spans): peak RSS 695 MB with this limit,
 * 1280 MB with 640MB; it also cost no speed (the appends write the same rows either way).
 */
const IMPORT_MEMORY_LIMIT = "'256MB'";

/** How often a statement's progress is told while it runs: a terminal's or a bar's pace. */
const PROGRESS_INTERVAL_MS = 250;

/** Read access handed to analysis and agent code. BIGINT and HUGEINT columns arrive as JS numbers. */
export interface StoreReader {
  all<T = Row>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]>;
}

/** Write access, for ingestion and for rebuilding derived tables. */
export interface StoreWriter extends StoreReader {
  run(sql: string, params?: Record<string, DuckDBValue>): Promise<void>;
  appender(table: string): Promise<DuckDBAppender>;
}

export class SchemaTooNewError extends Error {
  constructor(path: string, found: number) {
    super(`${path} was written by a newer Causeway (schema ${found}; this one reads up to ${SCHEMA_VERSION}). Update Causeway or choose another workspace.`);
  }
}

export interface SourceImport {
  path: string;
  /** The bytes themselves, or their size and sha256, which may still be being computed. */
  bytes: Uint8Array | { sha256: string | PromiseLike<string>; size: number };
  format: string;
  /** The zone the file's zone-less timestamps were read in; UTC when absent. */
  timezone?: string;
}

export interface ImportOutcome {
  sourceId: number;
  /** True when a file with the same content was imported before: nothing was added. */
  duplicate: boolean;
  counts: SourceCounts;
  issues: ParseIssue[];
}

export class TelemetryStore {
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** Settings of the write connection a failed write could not set back yet (withSettings). */
  private readonly settingsChanged = new Set<string>();

  /** Queries each read connection is running. */
  private readonly readsInFlight: number[];

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly readConnections: DuckDBConnection[],
  ) {
    this.readsInFlight = readConnections.map(() => 0);
  }

  static async open(path: string): Promise<TelemetryStore> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    // Reads have connections of their own: they see committed data only, even while an import
    // writes, and two of them let DuckDB run the next statement on a core that the current one
    // leaves idle (its single-threaded phases) instead of waiting for it.
    const readConnections = [await instance.connect(), await instance.connect()];
    const store = new TelemetryStore(path, instance, connection, readConnections);
    try {
      await store.migrate();
    } catch (error) {
      store.close();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const tables = await this.all<{ n: number }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'schema_version'",
    );
    let current = 0;
    if (tables[0]!.n > 0) {
      const rows = await this.all<{ version: number }>('SELECT max(version) AS version FROM schema_version');
      current = rows[0]?.version ?? 0;
    }
    if (current > SCHEMA_VERSION) throw new SchemaTooNewError(this.path, current);
    for (const step of SCHEMA) {
      if (step.version <= current) continue;
      await this.connection.run('BEGIN TRANSACTION');
      try {
        await this.connection.run(step.sql);
        await this.connection.run('COMMIT');
      } catch (error) {
        await this.connection.run('ROLLBACK');
        throw error;
      }
    }
    // Schema changes leave the write-ahead log only at a checkpoint, and DuckDB cannot replay an
    // ALTER TABLE from the log when the file is opened read-only (as the guarded SQL tool opens it).
    if (current < SCHEMA_VERSION && this.path !== ':memory:') await this.connection.run('CHECKPOINT');
  }

  private all<T = Row>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
    return rowsOf<T>(this.connection, sql, params);
  }

  /** Reads run concurrently with each other, on connections of their own, and see only committed data. */
  async withRead<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T> {
    await this.writeQueue.catch(() => undefined);
    return fn({ all: (sql, params) => this.read(sql, params) });
  }

  /** Runs a read on the read connection with the fewest queries in flight. */
  private async read<T = Row>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
    const index = this.readsInFlight.indexOf(Math.min(...this.readsInFlight));
    this.readsInFlight[index]! += 1;
    try {
      return await rowsOf<T>(this.readConnections[index]!, sql, params);
    } finally {
      this.readsInFlight[index]! -= 1;
    }
  }

  /** Writes are serialized; each runs in one transaction that is rolled back if `fn` throws. Reads wait for them. */
  withWrite<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T> {
    const next = this.writeQueue.catch(() => undefined).then(async () => {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        const result = await fn({
          all: (sql, params) => this.all(sql, params),
          run: async (sql, params) => {
            await this.connection.run(sql, params);
          },
          appender: (table) => this.connection.createAppender(table),
        });
        await this.connection.run('COMMIT');
        return result;
      } catch (error) {
        await this.connection.run('ROLLBACK');
        throw error;
      } finally {
        await this.resetSettings([...this.settingsChanged]);
      }
    });
    this.writeQueue = next;
    return next;
  }

  /**
   * Runs `fn` with DuckDB settings of the write connection changed (name to SQL value), and sets
   * them back after it. Settings are not transactional, and DuckDB refuses even RESET inside a
   * transaction that a failed statement aborted: what cannot be set back then is set back when the
   * write's transaction has ended, and the caller sees the statement's own error.
   */
  private async withSettings<T>(settings: Record<string, string>, fn: () => Promise<T>): Promise<T> {
    for (const [name, value] of Object.entries(settings)) {
      this.settingsChanged.add(name);
      await this.connection.run(`SET ${name} = ${value}`);
    }
    try {
      return await fn();
    } finally {
      // refused in an aborted transaction: withWrite resets what is left once it has rolled back
      await this.resetSettings(Object.keys(settings)).catch(() => undefined);
    }
  }

  /** Sets these settings of the write connection back to their defaults. */
  private async resetSettings(names: readonly string[]): Promise<void> {
    for (const name of names) {
      await this.connection.run(`RESET ${name}`);
      this.settingsChanged.delete(name);
    }
  }

  /**
   * The derivation's transaction: replaces the call pairs (schema/007_call_pairs_in_workspace.sql)
   * with the rows `select` gives, runs `then` (the rest of the derivation, which reads the new pairs)
   * and marks what is derived as current. Readers see the old derived rows or the new ones, never
   * new pairs beside old events.
   */
  replaceCallPairs<T>(
    select: string,
    params: Record<string, DuckDBValue>,
    then: (writer: StoreWriter) => Promise<T>,
    onPairing?: (fraction: number) => void,
  ): Promise<T> {
    return this.withWrite(async (writer) => {
      await writer.run('DELETE FROM call_pairs');
      // Calls are read back by key and window, never in insertion order; letting both threads write
      // row groups as they finish cut this insert's time by about a third at 1M spans. Its few string
      // columns (service names, kinds, mostly empty texts) compress as dictionaries; skipping the FSST
      // analysis DuckDB would also try on them cut writing the table by about a third again.
      await this.withSettings({ preserve_insertion_order: 'false', disabled_compression_methods: "'fsst'" }, () =>
        this.tellingProgress(onPairing, () => writer.run(`INSERT INTO call_pairs BY NAME\n${select}`, params)),
      );
      const result = await then(writer);
      await writer.run(setDerivationStale, { stale: false });
      return result;
    });
  }

  /**
   * Runs `statement` on the write connection, telling `onProgress` how far DuckDB has got with it
   * (0 to 1) every PROGRESS_INTERVAL_MS while it runs. DuckDB tracks a query's progress only with
   * its progress bar on; it is switched on for this statement, without DuckDB printing it.
   */
  private async tellingProgress(onProgress: ((fraction: number) => void) | undefined, statement: () => Promise<void>): Promise<void> {
    if (!onProgress) return statement();
    await this.withSettings({ enable_progress_bar: 'true', enable_progress_bar_print: 'false' }, async () => {
      const poll = setInterval(() => {
        const { percentage } = this.connection.progress;
        // -1 until DuckDB has an estimate
        if (percentage >= 0) onProgress(Math.min(1, percentage / 100));
      }, PROGRESS_INTERVAL_MS);
      try {
        await statement();
      } finally {
        clearInterval(poll);
      }
    });
  }

  /** Whether the derived tables lag behind the telemetry: an import or removal since the last derivation. */
  async derivationStale(): Promise<boolean> {
    const [row] = await this.withRead((reader) => reader.all<{ stale: boolean }>(derivationStaleSql));
    return row?.stale ?? true;
  }

  /**
   * Imports one file in one transaction: the source row and every record, or nothing at all.
   * A file whose content was imported before is recognised by its sha256 and adds nothing, unless
   * it was read in another time zone: then this reading replaces that one. A sha256 still being
   * computed is awaited before parsing only for a file imported before under the same path and
   * size (most likely dropped again); any other file is parsed meanwhile and checked at the end.
   */
  async importSource(source: SourceImport, parse: (sink: Sink) => Promise<void>): Promise<ImportOutcome> {
    const { sha256, size } = 'sha256' in source.bytes ? source.bytes : { sha256: sha256Of(source.bytes), size: source.bytes.byteLength };
    const fingerprint = Promise.resolve(sha256);
    // a failed import never awaits it
    fingerprint.catch(() => undefined);
    const timezone = source.timezone ?? 'UTC';
    try {
      return await this.withWrite(async (writer) => {
        const seenBefore = typeof sha256 === 'string' || (await writer.all(findSourceByPathAndSize, { path: source.path, bytes: BigInt(size) })).length > 0;
        if (seenBefore) await replaceOtherReadings(writer, await fingerprint, timezone, null);
        const inserted = await writer.all<{ source_id: number }>(insertSourceSql, {
          path: source.path,
          sha256: seenBefore ? await fingerprint : '',
          format: source.format,
          bytes: BigInt(size),
          timezone,
        });
        const sourceId = inserted[0]!.source_id;
        await writer.run(setDerivationStale, { stale: true });
        const sink = await StoreSink.create(writer, sourceId);
        try {
          await this.withSettings({ memory_limit: IMPORT_MEMORY_LIMIT }, async () => {
            // OTLP JSON lines are parsed on worker threads and appended here as columns, unless
            // CAUSEWAY_PARALLEL_INGEST=0 asks for the sequential parser. On the 2-core machine the
            // workers win when the machine is otherwise idle, as a desktop importing a file mostly is
            // (bench:ingest prints both), at 2-4 s more CPU and ~30 MB more peak RSS per 1M spans.
            if (process.env.CAUSEWAY_PARALLEL_INGEST !== '0') await withSpanColumnsSink(sink, () => parse(sink));
            else await parse(sink);
          });
        } finally {
          sink.close();
        }
        if (sink.appendFailure !== null) throw sink.appendFailure;
        if (!seenBefore) await replaceOtherReadings(writer, await fingerprint, timezone, sourceId);
        const issues = sink.issues;
        await writer.run(updateSourceCounts, {
          source_id: sourceId,
          sha256: await fingerprint,
          errors: JSON.stringify(issues),
        });
        const counts = await sourceCounts(writer, sourceId);
        return { sourceId, duplicate: false, counts, issues };
      });
    } catch (error) {
      if (error instanceof ImportedBefore) return error.outcome;
      throw error;
    }
  }

  /** Removes one imported file and every record it brought, in one transaction. */
  async removeSource(sourceId: number): Promise<void> {
    await this.withWrite(async (writer) => {
      for (const statement of splitStatements(deleteSourceSql)) await writer.run(statement, { source_id: sourceId });
      await writer.run(setDerivationStale, { stale: true });
    });
  }

  close(): void {
    for (const each of this.readConnections) each.closeSync();
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/** Thrown inside an import's transaction, to roll it back, when its content turns out to be imported already. */
class ImportedBefore extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('imported before');
  }
}

/**
 * Removes the earlier readings of this content in other time zones (the new reading corrects them);
 * throws ImportedBefore when it was read in this zone already. `importing` is the source being
 * imported, which is not an earlier reading.
 */
async function replaceOtherReadings(writer: StoreWriter, sha256: string, timezone: string, importing: number | null): Promise<void> {
  const existing = await writer.all<{ source_id: number; spans: number; logs: number; metric_points: number; timezone: string }>(findSourceBySha, { sha256 });
  const earlier = existing.filter((row) => row.source_id !== importing);
  const sameReading = earlier.find((row) => row.timezone === timezone);
  if (sameReading) {
    throw new ImportedBefore({
      sourceId: sameReading.source_id,
      duplicate: true,
      counts: { spans: sameReading.spans, logs: sameReading.logs, metricPoints: sameReading.metric_points },
      issues: [],
    });
  }
  for (const other of earlier) {
    for (const statement of splitStatements(deleteSourceSql)) await writer.run(statement, { source_id: other.source_id });
  }
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A query's rows as objects, BIGINT and HUGEINT columns as JS numbers. */
async function rowsOf<T>(connection: DuckDBConnection, sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjectsJS().map((row) => toJsNumbers(row) as T);
}

function toJsNumbers(row: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(row)) {
    const value = row[key];
    if (typeof value === 'bigint') row[key] = Number(value);
  }
  return row;
}

/** The span columns that hold one value per span. */
type SpanColumnName = Exclude<keyof SpanColumns, 'count' | 'events'>;

/**
 * Appends records column-wise, one DuckDB data chunk per batch. Spans go in as columns, whether a
 * parser on this thread sent records or the parallel OTLP workers sent the columns themselves.
 */
class StoreSink implements Sink, SpanColumnsSink {
  /** Bounded by ingest, which lists at most MAX_ISSUES_PER_FILE per file and summarises the rest. */
  readonly issues: ParseIssue[] = [];
  /** A failure to append what a worker parsed: it must roll the whole file back, whatever the parser does with it. */
  appendFailure: unknown = null;
  private readonly logRows: ColumnarAppender<readonly LogRecord[]>;
  private readonly metricRows: ColumnarAppender<readonly MetricPointRecord[]>;
  private readonly spanRows: ColumnarAppender<SpanColumns>;
  private readonly eventRows: ColumnarAppender<SpanColumns>;

  private constructor(
    sourceId: number,
    private readonly appenders: readonly DuckDBAppender[],
  ) {
    const [spans, events, logs, metrics] = appenders as [DuckDBAppender, DuckDBAppender, DuckDBAppender, DuckDBAppender];
    const source = () => sourceId;
    this.logRows = new ColumnarAppender(
      logs,
      ofRecords<LogRecord>([(l) => l.tsNs, (l) => l.service, (l) => l.severity, (l) => l.body, (l) => l.traceId, (l) => l.spanId, (l) => JSON.stringify(l.attributes), source, (l) => l.sourceLine]),
    );
    this.metricRows = new ColumnarAppender(
      metrics,
      ofRecords<MetricPointRecord>([(p) => p.tsNs, (p) => p.name, (p) => p.service, (p) => JSON.stringify(p.labels), (p) => p.value, (p) => p.metricType, source, (p) => p.sourceLine]),
    );
    const at = (column: SpanColumnName) => (c: SpanColumns, row: number) => c[column][row]!;
    this.spanRows = new ColumnarAppender<SpanColumns>(spans, [
      ...(['traceId', 'spanId', 'parentSpanId', 'service', 'name', 'kind', 'startNs', 'endNs'] as const).map(at),
      (c, row) => c.endNs[row]! - c.startNs[row]!,
      ...(['statusCode', 'statusMessage', 'httpStatus', 'rpcSystem', 'rpcStatus', 'peerService', 'attributes', 'resource'] as const).map(at),
      source,
      at('sourceLine'),
    ]);
    const ofSpan = (column: 'traceId' | 'spanId') => (c: SpanColumns, row: number) => c[column][c.events.span[row]!]!;
    const ofEvent = (column: 'tsNs' | 'name' | 'attributes') => (c: SpanColumns, row: number) => c.events[column][row]!;
    this.eventRows = new ColumnarAppender<SpanColumns>(events, [ofSpan('traceId'), ofSpan('spanId'), ofEvent('tsNs'), ofEvent('name'), ofEvent('attributes'), source]);
  }

  static async create(writer: StoreWriter, sourceId: number): Promise<StoreSink> {
    const tables = ['spans', 'span_events', 'logs', 'metric_points'];
    const appenders: DuckDBAppender[] = [];
    for (const table of tables) appenders.push(await writer.appender(table));
    return new StoreSink(sourceId, appenders);
  }

  spans(batch: SpanRecord[]): void {
    this.spanColumns(spanColumnsOf(batch));
  }

  spanColumns(columns: SpanColumns): void {
    try {
      this.spanRows.append(columns, columns.count);
      this.eventRows.append(columns, columns.events.count);
    } catch (error) {
      this.appendFailure ??= error;
      throw error;
    }
  }

  logs(batch: LogRecord[]): void {
    this.logRows.append(batch, batch.length);
  }

  metricPoints(batch: MetricPointRecord[]): void {
    this.metricRows.append(batch, batch.length);
  }

  issue(issue: ParseIssue): void {
    this.issues.push(issue);
  }

  close(): void {
    for (const appender of this.appenders) appender.closeSync();
  }
}
