import { describe, expect, it } from 'vitest';
import { fileSource, formatInput } from '../read.js';
import { collectingSink, fixturePath } from '../testdata/collect.js';
import { otlpLogs } from './otlp-logs.js';

describe('OTLP JSON logs', () => {
  it('reads records with severity, body, correlation and resource attributes', async () => {
    const { sink, collected } = collectingSink();
    await otlpLogs.parse(formatInput(fileSource(fixturePath('otlp-logs.jsonl'), null)), sink);
    const { logs, issues } = collected;
    expect(issues).toHaveLength(1);
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatchObject({
      tsNs: 1726841320885000000n,
      service: 'orders',
      severity: 'WARN',
      body: 'circuit breaker inventory: state changed from closed to open',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sourceLine: 1,
    });
    expect(logs[0]!.attributes).toMatchObject({ breaker: 'inventory', 'host.name': 'orders-5c8d7b9f6d-9kq2m', 'otel.scope.name': 'github.com/sony/gobreaker' });
    expect(logs[0]!.attributes['service.name']).toBeUndefined();
  });

  it('falls back to the observed time and to severityNumber, and encodes structured bodies', async () => {
    const { sink, collected } = collectingSink();
    await otlpLogs.parse(formatInput(fileSource(fixturePath('otlp-logs.jsonl'), null)), sink);
    const second = collected.logs[1]!;
    expect(second).toMatchObject({ tsNs: 1726841321000000000n, severity: 'ERROR', traceId: null, spanId: null });
    expect(JSON.parse(second.body)).toEqual({ error: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded' });
  });

  it('reports an implausible time with its line and keeps the other records', async () => {
    const { sink, collected } = collectingSink();
    await otlpLogs.parse(formatInput(fileSource(fixturePath('otlp-logs.jsonl'), null)), sink);
    expect(collected.issues).toHaveLength(1);
    expect(collected.issues[0]).toMatchObject({ line: 2 });
    const last = collected.logs[2]!;
    expect(last).toMatchObject({ service: 'inventory', severity: 'INFO', body: 'stock reserved', sourceLine: 2 });
    expect(last.attributes['event.name']).toBe('inventory.reserved');
  });
});
