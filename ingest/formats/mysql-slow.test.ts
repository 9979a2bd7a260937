import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.js';
import { mysqlSlow } from './mysql-slow.js';
import { fixture, parseFixture, parseText } from './more-formats.testkit.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('mysql-slow: MySQL 8 slow query log', () => {
  it('makes one record per query with its statement, times in milliseconds and row counts', async () => {
    const sink = await parseFixture(mysqlSlow, 'mysql-slow.log');
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords).toHaveLength(3);
    const [orders, stock, ping] = sink.logRecords;
    expect(orders).toMatchObject({ tsNs: at('2024-09-20T14:08:40.885Z') + 123_000n, severity: 'INFO', sourceLine: 4 });
    expect(orders!.body).toBe('SELECT *\n  FROM orders\n WHERE customer_id = 42;');
    expect(orders!.attributes).toMatchObject({ 'db.system': 'mysql', query_time_ms: '3200', lock_time_ms: '0.1', rows_sent: '1', rows_examined: '500000', 'db.name': 'shop', 'db.user': 'app', 'client.address': '10.0.0.5' });
    expect(stock!.attributes).toMatchObject({ query_time_ms: '750', rows_examined: '12000', 'db.user': 'report', 'client.address': '10.0.0.9', 'db.name': 'shop' });
    expect(stock!.body).toBe("UPDATE stock SET reserved = reserved + 1 WHERE sku = 'A-1';");
    // no # Time line of its own: the query's start (SET timestamp) plus its duration
    expect(ping).toMatchObject({ tsNs: at('2024-09-20T14:08:43Z'), body: '# administrator command: Ping;', sourceLine: 17 });
  });

  it('names the service after the log folder, else mysql', async () => {
    const text = fixture('mysql-slow.log').text;
    expect((await parseText(mysqlSlow, text, '/var/log/orders-db/slow.log')).logRecords[0]!.service).toBe('orders-db');
    expect((await parseText(mysqlSlow, text, 'logs/slow.log')).logRecords[0]!.service).toBe('mysql');
  });
});

describe('mysql-slow: MySQL 5.6 and MariaDB', () => {
  it('reads two-digit-year times, shares a # Time line between queries, and keeps Schema', async () => {
    const text = [
      '# Time: 240920  4:08:40',
      '# User@Host: app[app] @ localhost []',
      '# Thread_id: 8  Schema: shop  QC_hit: No',
      '# Query_time: 2.5  Lock_time: 0.1  Rows_sent: 0  Rows_examined: 10',
      'SELECT 1;',
      '# User@Host: app[app] @ localhost []',
      '# Query_time: 1.5  Lock_time: 0  Rows_sent: 0  Rows_examined: 5',
      'SELECT 2;',
    ].join('\n');
    const sink = await parseText(mysqlSlow, text, 'mariadb-slow.log');
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords.map((record) => [record.tsNs, record.body, record.attributes['db.name']])).toEqual([
      [at('2024-09-20T04:08:40Z'), 'SELECT 1;', 'shop'],
      [at('2024-09-20T04:08:40Z'), 'SELECT 2;', undefined],
    ]);
    expect(sink.logRecords[0]!.attributes['mysql.thread_id']).toBe('8');
  });

  it('dates an entry by its SET timestamp when Query_time is too large to add', async () => {
    const text = ['# User@Host: app[app] @ [10.0.0.5]', '# Query_time: 1e300  Lock_time: 0', 'SET timestamp=1726841317;', 'SELECT 1;'].join('\n');
    const sink = await parseText(mysqlSlow, text, 'slow.log');
    expect(sink.logRecords.map((record) => [record.tsNs, record.body])).toEqual([[at('2024-09-20T14:08:37Z'), 'SELECT 1;']]);
  });

  it('reports an entry without Query_time and statements before any entry', async () => {
    const sink = await parseText(mysqlSlow, 'SELECT 0;\n# Time: 2024-09-20T14:08:40Z\n# User@Host: a[a] @ [1.2.3.4]\nSELECT 1;\n', 'slow.log');
    expect(sink.logRecords).toEqual([]);
    expect(sink.issues.map((issue) => issue.line)).toEqual([1, 2]);
  });
});

describe('mysql-slow: detection', () => {
  it('is chosen for slow query logs and not for other logs', () => {
    expect(detectFormat(fixture('mysql-slow.log').text, 'x.log').format?.id).toBe('mysql-slow');
    expect(mysqlSlow.detect(fixture('plain-logs-java.log').text, 'slow.log')).toBe(0);
  });
});
