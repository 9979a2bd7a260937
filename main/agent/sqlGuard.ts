import { DuckDBInstance, StatementType, type DuckDBConnection } from '../store/duckdb.js';

/** A query the guard will not run; its message goes back to the model as a tool error. */
export class SqlRefusedError extends Error {
  override readonly name = 'SqlRefusedError';
}

export interface GuardedResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

export interface SqlGuardOptions {
  maxRows?: number;
  timeLimitMs?: number;
  /** Longer text cells are cut to this many characters so one row cannot flood the prompt. */
  maxCellChars?: number;
}

export interface SqlGuard {
  readonly maxRows: number;
  readonly timeLimitMs: number;
  query(sql: string, signal?: AbortSignal): Promise<GuardedResult>;
  close(): void;
}

export const DEFAULT_SQL_LIMITS: Required<SqlGuardOptions> = { maxRows: 200, timeLimitMs: 5_000, maxCellChars: 400 };

/**
 * Opens the workspace file a second time, read-only, with file access and configuration locked, so
 * that model-written SQL can read the telemetry tables and nothing else.
 *
 * The read-only instance sees what was committed when it was opened: open one per question.
 * An in-memory workspace cannot be opened a second time (tests use a temp file instead), and a file
 * another process holds may refuse a read-only open; then the guard refuses every query and says why.
 */
export async function openSqlGuard(dbPath: string, options: SqlGuardOptions = {}): Promise<SqlGuard> {
  const limits = { ...DEFAULT_SQL_LIMITS, ...options };
  if (dbPath === ':memory:' || dbPath === '') {
    return unavailableGuard(limits, 'the workspace is in memory, so it cannot be opened read-only');
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(dbPath, {
      access_mode: 'READ_ONLY',
      enable_external_access: 'false',
      lock_configuration: 'true',
    });
  } catch (error) {
    return unavailableGuard(limits, `the workspace could not be opened read-only (${firstLine(error)})`);
  }
  const connection = await instance.connect();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    maxRows: limits.maxRows,
    timeLimitMs: limits.timeLimitMs,
    query(sql, signal) {
      // One connection runs one query at a time; interrupting it must not hit a neighbour's query.
      const next = queue.catch(() => undefined).then(() => runGuarded(connection, sql, limits, signal));
      queue = next;
      return next;
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A guard that refuses every query with the reason, so the model carries on with the other tools. */
function unavailableGuard(limits: Required<SqlGuardOptions>, reason: string): SqlGuard {
  return {
    maxRows: limits.maxRows,
    timeLimitMs: limits.timeLimitMs,
    query: async () => {
      throw new SqlRefusedError(`run_sql is unavailable: ${reason}. Use the other tools.`);
    },
    close: () => undefined,
  };
}

async function runGuarded(
  connection: DuckDBConnection,
  sql: string,
  limits: Required<SqlGuardOptions>,
  signal: AbortSignal | undefined,
): Promise<GuardedResult> {
  const statement = checkSqlText(sql);
  const extracted = await connection.extractStatements(statement).catch((error: unknown) => {
    throw new SqlRefusedError(`the SQL does not parse: ${firstLine(error)}`);
  });
  if (extracted.count !== 1) throw new SqlRefusedError(`exactly one statement is allowed; found ${extracted.count}`);
  const prepared = await extracted.prepare(0).catch((error: unknown) => {
    throw new SqlRefusedError(`the SQL was rejected by DuckDB: ${firstLine(error)}`);
  });
  const type = prepared.statementType;
  prepared.destroySync();
  if (type !== StatementType.SELECT) throw new SqlRefusedError(`only SELECT or WITH queries are allowed; this is a ${StatementType[type] ?? 'different'} statement`);

  const limited = `SELECT * FROM (${statement}\n) AS guarded_query LIMIT ${limits.maxRows + 1}`;
  signal?.throwIfAborted();
  let reason: 'time' | 'cancel' | null = null;
  const timer = setTimeout(() => {
    reason = 'time';
    connection.interrupt();
  }, limits.timeLimitMs);
  const onAbort = () => {
    reason = 'cancel';
    connection.interrupt();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const reader = await connection.runAndReadAll(limited);
    const rows = reader.getRowsJS().map((row) => row.map((cell) => boundCell(toJsonCell(cell), limits.maxCellChars)));
    const truncated = rows.length > limits.maxRows;
    return { columns: reader.columnNames(), rows: truncated ? rows.slice(0, limits.maxRows) : rows, truncated };
  } catch (error) {
    if (reason === 'time') throw new SqlRefusedError(`the query ran longer than ${limits.timeLimitMs / 1000} s and was stopped; aggregate more or filter by time`);
    if (reason === 'cancel') throw signal?.reason ?? new DOMException('cancelled', 'AbortError');
    throw new SqlRefusedError(`the query failed: ${firstLine(error)}`);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Statement kinds refused even before DuckDB parses them, with the reason the model will read. */
const REFUSED_KEYWORDS: [RegExp, string][] = [
  [/\b(?:insert|update|delete|merge|upsert|truncate)\b/i, 'data changes (INSERT/UPDATE/DELETE) are not allowed'],
  [/\b(?:create|drop|alter|rename|comment\s+on|vacuum|checkpoint|analyze)\b/i, 'schema changes (CREATE/DROP/ALTER) are not allowed'],
  [/\b(?:copy|export|import)\b/i, 'COPY, EXPORT and IMPORT are not allowed'],
  [/\b(?:attach|detach|use)\b/i, 'ATTACH, DETACH and USE are not allowed'],
  [/\b(?:install|load|force\s+install)\b/i, 'INSTALL and LOAD are not allowed'],
  [/\b(?:pragma|set|reset|call|begin|commit|rollback|transaction)\b/i, 'PRAGMA, SET, CALL and transactions are not allowed'],
  [/\b(?:read_\w+|\w+_scan|glob|sniff_csv|parquet_\w+|query|query_table|getenv|load_extension|which_secret|duckdb_secrets)\s*\(/i, 'reading files, environment or dynamic SQL is not allowed'],
  [/\b(?:from|join)\s+''/i, 'reading files by path is not allowed'],
];

/**
 * The keyword check, done on the text with string literals, quoted identifiers and comments blanked
 * so that `WHERE body LIKE '%drop table%'` is still an ordinary search.
 */
export function checkSqlText(sql: string): string {
  const statement = sql.trim().replace(/;\s*$/, '').trimEnd();
  if (statement.length === 0) throw new SqlRefusedError('the SQL is empty');
  const code = blankLiterals(statement);
  if (code.includes(';')) throw new SqlRefusedError('exactly one statement is allowed; remove the ";"');
  const first = /^[\s(]*(\w+)/.exec(code)?.[1]?.toLowerCase();
  if (first !== 'select' && first !== 'with' && first !== 'from') {
    throw new SqlRefusedError(`only SELECT or WITH queries are allowed; this one starts with ${first ? first.toUpperCase() : 'nothing readable'}`);
  }
  for (const [pattern, reason] of REFUSED_KEYWORDS) {
    if (pattern.test(code)) throw new SqlRefusedError(reason);
  }
  return statement;
}

function blankLiterals(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
}

/** Cells as JSON-safe values: integers stay numbers while exact, timestamps become ISO strings. */
function toJsonCell(cell: unknown): unknown {
  if (typeof cell === 'bigint') return Number.isSafeInteger(Number(cell)) ? Number(cell) : cell.toString();
  if (cell instanceof Date) return cell.toISOString();
  if (cell instanceof Uint8Array) return `<${cell.byteLength} bytes>`;
  if (Array.isArray(cell)) return cell.map(toJsonCell);
  if (cell !== null && typeof cell === 'object') return Object.fromEntries(Object.entries(cell).map(([key, value]) => [key, toJsonCell(value)]));
  return cell;
}

function boundCell(cell: unknown, maxChars: number): unknown {
  if (typeof cell === 'string' && cell.length > maxChars) return `${cell.slice(0, maxChars)}… (${cell.length} chars)`;
  if (cell !== null && typeof cell === 'object') {
    const text = JSON.stringify(cell);
    return text.length > maxChars ? `${text.slice(0, maxChars)}… (${text.length} chars)` : cell;
  }
  return cell;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
