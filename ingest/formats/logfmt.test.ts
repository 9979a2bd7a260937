import { describe, expect, it } from 'vitest';
import { logfmt, parseLogfmt } from './logfmt.js';
import { fixture, parseFixture } from './more-formats.testkit.js';

describe('parseLogfmt', () => {
  it('reads bare, quoted and escaped values and bare keys', () => {
    expect(Object.fromEntries(parseLogfmt('a=1 b="x y" c="say \\"hi\\"" flag d=')!)).toEqual({ a: '1', b: 'x y', c: 'say "hi"', flag: 'true', d: '' });
  });

  it('rejects an unterminated quote', () => {
    expect(parseLogfmt('a="open')).toBeNull();
  });
});

describe('logfmt format', () => {
  it('maps time, level, message, service (or pod) and trace keys, keeping the rest as attributes', async () => {
    const sink = await parseFixture(logfmt, 'logfmt.logfmt');
    const [refund, pod, checkout] = sink.logRecords;
    expect(refund).toMatchObject({ service: 'bolt-refund', severity: 'DEBUG', body: 'HikariPool-1 - Pool stats (total=10, active=0)', tsNs: 1722475560329000000n, sourceLine: 1 });
    expect(refund!.attributes).toEqual({ pod: 'bolt-refund-wmrdqks4p-25gfp', logger: 'com.zaxxer.hikari.pool.HikariPool' });
    expect(pod).toMatchObject({ service: 'hello', severity: 'ERROR', body: 'error retrieving pod status: "x" not found', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
    expect(checkout).toMatchObject({ service: 'checkout', severity: 'WARN', tsNs: 1722475561571000000n });
    expect(checkout!.attributes['took_ms']).toBe('812');
  });

  it('reports a line without time and a broken line by number', async () => {
    const sink = await parseFixture(logfmt, 'logfmt.logfmt');
    expect(sink.logRecords).toHaveLength(3);
    expect(sink.issues.map((issue) => issue.line)).toEqual([5, 6]);
    expect(sink.issues[0]!.message).toMatch(/^no time key/);
  });

  it('detects logfmt and not plain text', () => {
    expect(logfmt.detect(fixture('logfmt.logfmt').text, 'x.log')).toBeGreaterThanOrEqual(0.8);
    expect(logfmt.detect(fixture('plain-logs-go.log').text, 'x.log')).toBe(0);
  });
});
