import { describe, expect, it } from 'vitest';
import { plainLogs } from './plain-logs.js';
import { collectingSink, fixture, parseFixture, parseText, textInput } from './more-formats.testkit.js';
import { parseTimeZone } from '../timezone.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('plain-logs: Java with SkyWalking context', () => {
  it('keeps a stack trace with its record, and reads level, trace context and service', async () => {
    const sink = await parseFixture(plainLogs, 'plain-logs-java.log');
    expect(sink.logRecords).toHaveLength(2);
    const [error, started] = sink.logRecords;
    expect(error).toMatchObject({ severity: 'ERROR', service: 'ts-travel-service', traceId: 't1.46.1628', spanId: 's1.46.1627.0', sourceLine: 1, tsNs: at('2021-08-07T18:03:43.389Z') });
    expect(error!.body.split('\n')).toHaveLength(5);
    expect(error!.body).toContain('Caused by: java.net.SocketTimeoutException');
    expect(error!.attributes['service.instance.id']).toBe('1bf8@10.244.3.63');
    expect(started).toMatchObject({ severity: 'INFO', traceId: null, sourceLine: 7 });
    expect(sink.issues).toHaveLength(0);
  });
});

describe('plain-logs: Go log with gctrace', () => {
  it('dates gctrace lines from the process clock within the timestamped lines around them', async () => {
    const sink = await parseFixture(plainLogs, 'plain-logs-go.log');
    const gc = sink.logRecords.filter((record) => record.attributes['time_source'] === 'process_elapsed');
    expect(gc.map((record) => record.sourceLine)).toEqual([2, 4]);
    // Each gctrace line follows a timestamped line, so the process started no earlier than that
    // line's time minus the gctrace offset; the latest such bound is the start.
    const start = at('2024-09-20T14:17:03.460Z') + 58_000n - 2_059_000_000n;
    expect(gc[0]!.tsNs).toBe(at('2024-09-20T14:17:03.460Z') + 58_000n);
    expect(gc[1]!.tsNs).toBe(start + 5_343_000_000n);
    expect(gc[1]!.tsNs).toBeGreaterThan(at('2024-09-20T14:17:06.065Z'));
    expect(gc[1]!.tsNs).toBeLessThan(at('2024-09-20T14:17:09Z'));
    expect(gc[0]!.attributes).toMatchObject({ 'gc.cycle': '1937', 'gc.pause_ms': '0.562', 'gc.heap_live_mb': '156' });
  });

  it('reads bracketed levels, trace_id keys and sub-millisecond times', async () => {
    const sink = await parseFixture(plainLogs, 'plain-logs-go.log');
    const timed = sink.logRecords.filter((record) => record.attributes['time_source'] === undefined);
    expect(timed.map((record) => record.severity)).toEqual(['INFO', 'WARN', 'ERROR']);
    expect(timed[1]).toMatchObject({ traceId: '734d4e386f4601824a634db7e3a03379', spanId: '51763cd432c6106b', tsNs: at('2024-09-20T14:17:06.065Z') + 336_000n });
    expect(timed[1]!.body.startsWith('internal/config/watcher.go:87: [WARN]')).toBe(true);
  });

  it('takes the service from a pod file name', async () => {
    const sink = await parseText(plainLogs, fixture('plain-logs-go.log').text, 'logs/subtitle/subtitle-6jfdv2jws9-slzh5.log');
    expect(new Set(sink.logRecords.map((record) => record.service))).toEqual(new Set(['subtitle']));
  });
});

describe('plain-logs: lines without a usable time', () => {
  it('reports year-less syslog lines instead of inventing a year', async () => {
    const sink = await parseFixture(plainLogs, 'plain-logs-syslog.log');
    expect(sink.logRecords).toHaveLength(0);
    expect(sink.issues.map((issue) => issue.line)).toEqual([1, 2]);
    expect(sink.issues[0]!.message).toMatch(/^timestamp has no year/);
  });

  it('uses a year the path names', async () => {
    const sink = await parseText(plainLogs, fixture('plain-logs-syslog.log').text, 'archive/2019/auth.log');
    expect(sink.logRecords.map((record) => record.tsNs)).toEqual([at('2019-12-10T06:55:46Z'), at('2019-12-10T06:55:48Z')]);
  });

  it('carries the year of a dated line to year-less lines in the zone of the import, across New Year', async () => {
    // 03:00 on New Year's Day in Shanghai is still the last evening of the old year in UTC
    const text = '2025-01-01 03:00:00 INFO app started\nJan  1 05:00:00 web01 app[1]: served\n';
    const sink = collectingSink();
    await plainLogs.parse({ ...textInput(text, 'app.log'), timezone: parseTimeZone('Asia/Shanghai') }, sink);
    expect(sink.logRecords.map((record) => record.tsNs)).toEqual([at('2024-12-31T19:00:00Z'), at('2024-12-31T21:00:00Z')]);
  });

  it('reports leading lines that no timestamped line precedes', async () => {
    const sink = await parseText(plainLogs, 'orphan line\n2024-01-01T00:00:00Z INFO ok\n', 'a.log');
    expect(sink.logRecords).toHaveLength(1);
    expect(sink.issues).toEqual([{ line: 1, message: expect.stringMatching(/^line does not start with a recognised timestamp/) }]);
  });
});

describe('plain-logs: detection', () => {
  it('is fairly sure of timestamped text and not of JSON or logfmt', () => {
    expect(plainLogs.detect(fixture('plain-logs-java.log').text, 'x.log')).toBeGreaterThanOrEqual(0.5);
    expect(plainLogs.detect(fixture('plain-logs-go.log').text, 'x.log')).toBeGreaterThanOrEqual(0.5);
    expect(plainLogs.detect('{"ts":"2024-01-01T00:00:00Z","msg":"x"}\n{"ts":"2024-01-01T00:00:00Z","msg":"y"}\n', 'x.log')).toBe(0);
    expect(plainLogs.detect(fixture('logfmt.logfmt').text, 'x.log')).toBeLessThan(0.5);
  });
});

describe('plain-logs: message fields', () => {
  it('keeps key=value pairs of the first line as attributes, without repeating the trace ids', async () => {
    const sink = await parseFixture(plainLogs, 'plain-logs-go.log');
    const warn = sink.logRecords.find((record) => record.severity === 'WARN')!;
    expect(warn.attributes).toEqual({});
    const started = sink.logRecords.find((record) => record.body.includes('starting subtitle'))!;
    expect(started.attributes).toEqual({ version: '2.16.1' });
  });
});

describe('plain-logs: Kubernetes CRI log files', () => {
  it('strips the runtime prefix, joins partial lines and keeps stack lines with their record', async () => {
    const sink = await parseText(plainLogs, fixture('plain-logs-cri.log').text, '/var/log/pods/shop_payment-7d9f8c6b5-x2k4z_0f8e2a8c-1b7d-4c55-9e0a-3d2f6b1a9c7e/payment/0.log');
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords).toHaveLength(3);
    const [error, split, last] = sink.logRecords;
    expect(error).toMatchObject({ severity: 'ERROR', service: 'payment', tsNs: 1714557600123456789n });
    expect(error!.attributes['stream']).toBe('stdout');
    expect(error!.body.split('\n')).toEqual(['2024-05-01 10:00:00.120 ERROR [main] c.e.PaymentClient : call failed', 'java.net.SocketTimeoutException: Read timed out', '\tat java.net.SocketInputStream.read(SocketInputStream.java:1)']);
    expect(split!.body).toBe('a very long line that the runtime split in two');
    expect(split!.attributes['stream']).toBe('stderr');
    expect(last!.sourceLine).toBe(6);
  });

  it('names the service of kubelet container log files', async () => {
    const sink = await parseText(plainLogs, '2024-05-01T10:00:00Z stdout F hello\n', '/var/log/containers/cart-6f8d9c7b5d-k2m4p_shop_cart-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log');
    expect(sink.logRecords[0]!.service).toBe('cart');
  });
});

describe('plain-logs: glog', () => {
  it('takes the year from the file header and reads the level letter', async () => {
    const text = 'Log file created at: 2017/05/17 15:04:22\nRunning on machine: host-1\nLog line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg\nE0517 15:04:22.619632 1952452992 logging_unittest.cc:253] Log every 3\nI0517 15:04:22.619642  952452992 logging_unittest.cc:259] ok\n';
    const sink = await parseText(plainLogs, text, 'app.INFO');
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords.map((record) => [record.severity, record.tsNs])).toEqual([
      ['ERROR', at('2017-05-17T15:04:22.619Z') + 632_000n],
      ['INFO', at('2017-05-17T15:04:22.619Z') + 642_000n],
    ]);
  });
});

describe('plain-logs: Kafka server.log (log4j with bracketed time)', () => {
  it('reads the bracketed time, the level, key=value pairs inside brackets and the stack trace', async () => {
    const sink = await parseFixture(plainLogs, 'kafka-server.log');
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords.map((record) => [record.severity, record.sourceLine])).toEqual([
      ['WARN', 1],
      ['INFO', 4],
      ['ERROR', 5],
    ]);
    const [fetch] = sink.logRecords;
    expect(fetch!.tsNs).toBe(at('2024-09-20T14:08:40.885Z'));
    expect(fetch!.attributes).toMatchObject({ replicaId: '1', leaderId: '2', fetcherId: '0' });
    expect(fetch!.body.split('\n')[1]).toBe('java.io.IOException: Connection to 2 was disconnected before the response was read');
  });
});

describe('plain-logs: JVM unified GC logs (-Xlog:gc)', () => {
  it('keeps pause times as gc.pause_ms, honours the zone offset and reads the decorated level', async () => {
    const sink = await parseFixture(plainLogs, 'jvm-gc.log');
    expect(sink.issues).toEqual([]);
    const [young, full, exhausted] = sink.logRecords;
    expect(young).toMatchObject({ tsNs: at('2024-09-20T14:08:40.885Z'), severity: 'INFO' });
    expect(young!.attributes['gc.pause_ms']).toBe('123.456');
    expect(full!.tsNs).toBe(at('2024-09-20T14:08:41.885Z'));
    expect(full!.attributes['gc.pause_ms']).toBe('1500.2');
    expect(exhausted!.severity).toBe('WARN');
    expect(exhausted!.attributes['gc.pause_ms']).toBeUndefined();
  });
});

describe('plain-logs: PostgreSQL logs', () => {
  it('keeps statement durations as duration_ms with db.system, and the statement in the body', async () => {
    const sink = await parseFixture(plainLogs, 'postgresql.log');
    expect(sink.issues).toEqual([]);
    const timed = sink.logRecords.filter((record) => record.attributes['duration_ms'] !== undefined);
    expect(timed.map((record) => [record.attributes['duration_ms'], record.attributes['db.system'], record.sourceLine])).toEqual([
      ['1234.567', 'postgresql', 1],
      ['0.512', 'postgresql', 5],
    ]);
    expect(timed[0]!.body).toContain('FROM orders WHERE customer_id = 42');
    expect(timed[0]!.tsNs).toBe(at('2024-09-20T14:08:40.885Z'));
    const cancelled = sink.logRecords.find((record) => record.sourceLine === 3)!;
    expect(cancelled.severity).toBe('ERROR');
    expect(cancelled.attributes['duration_ms']).toBeUndefined();
  });

  it('does not take a duration written in prose for a PostgreSQL one', async () => {
    const sink = await parseText(plainLogs, '2024-09-20 14:08:40.885 INFO request finished, duration: 12 ms\n', 'app.log');
    expect(sink.logRecords[0]!.attributes['duration_ms']).toBeUndefined();
  });
});
