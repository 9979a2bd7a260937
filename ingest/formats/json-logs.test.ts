import { describe, expect, it } from 'vitest';
import { fileSource, formatInput } from '../read.js';
import { collectingSink, fixturePath, memoryInput } from '../testdata/collect.js';
import { jsonLogs } from './json-logs.js';

async function parseFixture(name: string) {
  const { sink, collected } = collectingSink();
  await jsonLogs.parse(formatInput(fileSource(fixturePath(name), null)), sink);
  return collected;
}

describe('JSON logs: zap with trace correlation', () => {
  it('reads time, level, message, service and ids, and keeps the rest as attributes', async () => {
    const { logs, issues } = await parseFixture('zap.jsonl');
    expect(issues).toEqual([]);
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatchObject({ tsNs: 1726841320885123000n, service: 'checkout', severity: 'INFO', body: 'request completed', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sourceLine: 1 });
    expect(logs[0]!.attributes).toEqual({ caller: 'server/handler.go:91', pod: 'checkout-7d9f8c6b5-x2k4z', status: '200', duration_ms: '12.5' });
  });

  it('takes the service from the pod name when no service field is present', async () => {
    const { logs } = await parseFixture('zap.jsonl');
    expect(logs[1]).toMatchObject({ service: 'checkout', severity: 'ERROR', spanId: 'a2fb4a1d1a96d312', sourceLine: 2 });
    expect(logs[1]!.attributes.error).toContain('DeadlineExceeded');
  });

  it('reads ISO times with a compact offset and skips blank lines without counting them as records', async () => {
    const { logs } = await parseFixture('zap.jsonl');
    expect(logs[2]).toMatchObject({ tsNs: 1726808922000000000n, severity: 'WARN', sourceLine: 4 });
  });
});

describe('JSON logs: other loggers', () => {
  it('reads slog, logrus, pino, ECS, journald, Loki logcli and Docker json-file lines', async () => {
    const { logs } = await parseFixture('mixed-loggers.jsonl');
    const [slog, logrus, pino, ecs, journald, loki, docker] = logs;
    expect(slog).toMatchObject({ tsNs: 1712397503435979000n, severity: 'INFO', body: 'using MySQL for metadata', service: null });
    expect(slog!.attributes['mysql.max_open']).toBe('20');
    expect(logrus).toMatchObject({ severity: 'WARN', body: 'Database connection timeout', service: 'billing' });
    expect(pino).toMatchObject({ tsNs: 1700000000123000000n, severity: 'ERROR', traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' });
    expect(ecs).toMatchObject({ severity: 'DEBUG', body: 'this is a debug message', service: 'es-app', traceId: '6c9bb6b3e3d983f9432d048419e7ae03', spanId: '162692cf4dc66d24' });
    expect(journald).toMatchObject({ tsNs: 1534860261221373000n, severity: 'ERROR', body: 'GPS fix lost', service: 'python' });
    expect(loki).toMatchObject({ severity: 'ERROR', body: 'redis timeout', service: 'cart', traceId: BigInt('1234567890123456789').toString(16).padStart(32, '0') });
    expect(docker).toMatchObject({ tsNs: 1726841320500000000n, severity: "INFO", body: 'from docker', attributes: expect.objectContaining({ stream: 'stdout' }) });
  });

  it('reports lines without a usable time with their line numbers and loads the rest', async () => {
    const { logs, issues } = await parseFixture('mixed-loggers.jsonl');
    expect(logs).toHaveLength(7);
    expect(issues.map((issue) => issue.line)).toEqual([8, 9]);
    expect(issues[0]!.message).toMatch(/no timestamp/);
    expect(issues[1]!.message).toMatch(/not a plausible timestamp/);
  });

  it('reads a Loki query_range answer (resultType streams)', async () => {
    const { logs, issues } = await parseFixture('loki-query-range.json');
    expect(issues).toEqual([]);
    expect(logs.map((log) => [log.service, log.severity, log.body])).toEqual([
      ['gateway', 'ERROR', 'upstream connect error or disconnect/reset before headers. reset reason: connection timeout'],
      ['gateway', 'WARN', 'retrying'],
      ['payment', 'INFO', 'charge ok'],
    ]);
    expect(logs[1]!.attributes.attempt).toBe('2');
    expect(logs.map((log) => log.sourceLine)).toEqual([1, 2, 3]);
  });

  it('reports a malformed line (a stack trace between JSON lines) and keeps going', async () => {
    const text = ['{"level":"error","ts":1726841320.5,"msg":"panic"}', 'goroutine 1 [running]:', '{"level":"info","ts":1726841321.5,"msg":"restarted"}'].join('\n');
    const { sink, collected } = collectingSink();
    await jsonLogs.parse(memoryInput('app.log', text), sink);
    expect(collected.logs.map((log) => log.body)).toEqual(['panic', 'restarted']);
    expect(collected.issues).toHaveLength(1);
    expect(collected.issues[0]!.line).toBe(2);
  });
});
