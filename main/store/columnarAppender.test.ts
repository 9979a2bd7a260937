import { DuckDBDataChunk, DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ColumnarAppender, ofRecords, type CellValue } from './columnarAppender.js';

const TABLE = `(s VARCHAR, j JSON, b BIGINT, i INTEGER, h SMALLINT, t TINYINT, d DOUBLE)`;

/** Rows with nulls in a different column each time, long and short, wide and empty strings, and extreme numbers. */
function rows(count: number): CellValue[][] {
  const strings = ['', 'a', 'twelve bytes', 'thirteen byte', 'é中文😀', 'x'.repeat(5000), 'line\nbreak\u0000nul'];
  return Array.from({ length: count }, (_, n) => {
    const row: CellValue[] = [
      strings[n % strings.length]!,
      JSON.stringify({ n, 'k.v': strings[(n + 3) % strings.length] }),
      n % 3 === 0 ? 9_223_372_036_854_775_807n - BigInt(n) : -BigInt(n) * 1_000_000_007n,
      n % 2 ? 2_147_483_647 - n : -n,
      (n % 65_536) - 32_768,
      (n % 256) - 128,
      n / 7,
    ];
    row[n % 9] = null;
    return row;
  });
}

async function readAll(connection: DuckDBConnection, table: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(`SELECT * FROM ${table} ORDER BY rowid`);
  return reader.getRowsJS();
}

describe('ColumnarAppender', () => {
  let connection: DuckDBConnection;
  beforeEach(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect();
    await connection.run(`CREATE TABLE fast ${TABLE}; CREATE TABLE reference ${TABLE}`);
  });
  afterEach(() => connection.closeSync());

  it('stores exactly what DuckDB data chunks store, across several chunks and batches', async () => {
    const data = rows(5000);
    const fast = await connection.createAppender('fast');
    const appender = new ColumnarAppender(fast, ofRecords([0, 1, 2, 3, 4, 5, 6].map((column) => (row: CellValue[]) => row[column]!)));
    appender.append(data.slice(0, 1234), 1234);
    appender.append(data.slice(1234), data.length - 1234);
    fast.closeSync();

    const reference = await connection.createAppender('reference');
    const types = [0, 1, 2, 3, 4, 5, 6].map((column) => reference.columnType(column));
    for (let from = 0; from < data.length; from += 2048) {
      const slice = data.slice(from, from + 2048);
      const chunk = DuckDBDataChunk.create(types, slice.length);
      chunk.setColumns(types.map((_, column) => slice.map((row) => row[column]!)));
      reference.appendDataChunk(chunk);
    }
    reference.closeSync();

    const stored = await readAll(connection, 'fast');
    expect(stored).toHaveLength(5000);
    expect(stored).toEqual(await readAll(connection, 'reference'));
    expect(stored[9]![0]).toBeNull();
    expect(stored[2]![0]).toBe('twelve bytes');
    expect(stored[5]![0]).toBe('x'.repeat(5000));
  });

  it('takes numbers for BIGINT columns and bigints for INTEGER columns', async () => {
    const appender = await connection.createAppender('fast');
    new ColumnarAppender(appender, [() => 's', () => '{}', () => 5, () => 6n, () => 7, () => 8, () => 9n]).append(null, 1);
    appender.closeSync();
    expect(await readAll(connection, 'fast')).toEqual([['s', '{}', 5n, 6, 7, 8, 9]]);
  });

  it('refuses a column type it cannot write, naming the column', async () => {
    await connection.run('CREATE TABLE dated (d DATE)');
    const appender = await connection.createAppender('dated');
    expect(() => new ColumnarAppender(appender, [() => null])).toThrow(/column 0 has type DATE/);
  });
});
