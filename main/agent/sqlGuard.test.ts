import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRefusedError, checkSqlText, openSqlGuard, type SqlGuard } from './sqlGuard.js';
import { incidentRecords, openFixture, type TelemetryFixture } from './testing/telemetryFixture.js';

describe('guarded SQL', () => {
  const records = incidentRecords();
  const slowSpans = records.spans.filter((span) => span.endNs - span.startNs > 100_000_000n).length;
  const errorLogs = records.logs.filter((log) => log.severity === 'ERROR').length;
  let fixture: TelemetryFixture;
  let guard: SqlGuard;

  beforeAll(async () => {
    fixture = await openFixture(records);
    guard = await openSqlGuard(fixture.dbPath, { maxRows: 5 });
  });
  afterAll(() => {
    guard.close();
    fixture.dispose();
  });

  const refused: [string, string][] = [
    ['DROP TABLE', 'DROP TABLE spans'],
    ['DELETE', 'DELETE FROM spans'],
    ['INSERT', "INSERT INTO logs VALUES (1, 'x', 'INFO', 'b', NULL, NULL, NULL, 1, 1)"],
    ['UPDATE inside WITH', 'WITH x AS (SELECT 1) UPDATE spans SET name = 1'],
    ['CREATE', 'CREATE TABLE stolen AS SELECT * FROM spans'],
    ['two statements', 'SELECT 1; DROP TABLE spans'],
    ['COPY', "COPY spans TO '/tmp/out.csv'"],
    ['EXPORT', "EXPORT DATABASE '/tmp/out'"],
    ['ATTACH', "ATTACH '/tmp/other.duckdb' AS other"],
    ['INSTALL', 'INSTALL httpfs'],
    ['LOAD', 'LOAD httpfs'],
    ['PRAGMA', 'PRAGMA database_list'],
    ['SET', "SET enable_external_access = true"],
    ['CALL', 'CALL pragma_version()'],
    ['read_text', "SELECT * FROM read_text('/etc/passwd')"],
    ['read_csv', "SELECT * FROM read_csv('/etc/passwd')"],
    ['read_json', "SELECT * FROM read_json('/etc/x.json')"],
    ['read_parquet', "SELECT * FROM read_parquet('/tmp/x.parquet')"],
    ['glob', "SELECT * FROM glob('/etc/*')"],
    ['a path as a table', "SELECT * FROM '/etc/passwd'"],
    ['dynamic SQL', "SELECT * FROM query('DROP TABLE spans')"],
  ];

  it.each(refused)('refuses %s with a reason', async (_label, sql) => {
    const outcome = guard.query(sql);
    await expect(outcome).rejects.toBeInstanceOf(SqlRefusedError);
    await expect(outcome).rejects.toThrow(/not allowed|only SELECT|one statement/);
  });

  it('leaves the data intact after every refused form', async () => {
    const result = await guard.query('SELECT count(*) AS n FROM spans');
    expect(result.rows[0]?.[0]).toBe(records.spans.length);
  });

  it('runs SELECT, WITH and FROM-first queries', async () => {
    const select = await guard.query("SELECT service, count(*) AS n FROM spans GROUP BY service ORDER BY service");
    expect(select.columns).toEqual(['service', 'n']);
    expect(select.rows.map((row) => row[0])).toEqual(['frontend', 'ledger']);
    const withQuery = await guard.query('WITH slow AS (SELECT * FROM spans WHERE duration_ns > 100000000) SELECT count(*) FROM slow;');
    expect(withQuery.rows[0]?.[0]).toBe(slowSpans);
    const fromFirst = await guard.query("FROM logs SELECT count(*) WHERE severity = 'ERROR'");
    expect(fromFirst.rows[0]?.[0]).toBe(errorLogs);
  });

  it('treats keywords inside string literals as text', async () => {
    const result = await guard.query("SELECT count(*) FROM logs WHERE body LIKE '%drop table%' OR body = 'copy; delete'");
    expect(result.rows[0]?.[0]).toBe(0);
  });

  it('limits rows and says so', async () => {
    const result = await guard.query('SELECT span_id FROM spans');
    expect(result.rows).toHaveLength(5);
    expect(result.truncated).toBe(true);
  });

  it('stops a query that runs past the time limit', async () => {
    const impatient = await openSqlGuard(fixture.dbPath, { timeLimitMs: 200 });
    try {
      await expect(impatient.query('SELECT count(*) FROM range(100000000000) a, range(1000) b')).rejects.toThrow(/ran longer than 0.2 s/);
      const after = await impatient.query('SELECT 1 AS one');
      expect(after.rows).toEqual([[1]]);
    } finally {
      impatient.close();
    }
  });

  it('stops a query when the question is cancelled', async () => {
    const controller = new AbortController();
    const pending = guard.query('SELECT count(*) FROM range(100000000000) a, range(1000) b', controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reports SQL errors as refusals the model can read', async () => {
    await expect(guard.query('SELECT no_such_column FROM spans')).rejects.toThrow(/the SQL was rejected|the query failed/);
  });

  it('refuses everything with a reason for an in-memory workspace', async () => {
    const memoryGuard = await openSqlGuard(':memory:');
    await expect(memoryGuard.query('SELECT 1')).rejects.toThrow(/in memory/);
  });

  it('refuses everything with a reason when the file cannot be opened', async () => {
    const missing = await openSqlGuard(`${fixture.dir}/no-such-dir/workspace.duckdb`);
    await expect(missing.query('SELECT 1')).rejects.toThrow(/could not be opened read-only/);
  });

  it('checks the statement text before parsing', () => {
    expect(checkSqlText('  SELECT 1 ;  ')).toBe('SELECT 1');
    expect(() => checkSqlText('')).toThrow(/empty/);
    expect(() => checkSqlText('-- SELECT\nDROP TABLE spans')).toThrow(/starts with DROP/);
  });
});
