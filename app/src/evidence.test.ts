import { describe, expect, it } from 'vitest';
import { nsToIso, parseRef, shortRef } from './evidence.js';

describe('parseRef', () => {
  it('reads span, trace and log references', () => {
    expect(parseRef('span:4bf92f35/00f067aa')).toEqual({ kind: 'span', traceId: '4bf92f35', spanId: '00f067aa' });
    expect(parseRef('trace:abc')).toEqual({ kind: 'trace', traceId: 'abc' });
    expect(parseRef('log:3:1207')).toEqual({ kind: 'log', sourceId: 3, line: 1207 });
  });

  it('reads series labels, including escaped quotes', () => {
    expect(parseRef('series:http_requests_total{code="503",path="a\\"b"}')).toEqual({
      kind: 'series',
      name: 'http_requests_total',
      labels: { code: '503', path: 'a"b' },
    });
    expect(parseRef('series:up')).toEqual({ kind: 'series', name: 'up', labels: {} });
  });

  it('keeps colons inside an event service name', () => {
    expect(parseRef('event:timeout:ns:svc:1700000000000000000')).toEqual({
      kind: 'event',
      eventKind: 'timeout',
      service: 'ns:svc',
      tsNs: '1700000000000000000',
    });
  });

  it('rejects what is not a reference', () => {
    for (const bad of ['', 'https://example.com', 'span:abc', 'span:/x', 'log:a:b', 'event:timeout:1', 'nope:1', 'trace:']) {
      expect(parseRef(bad), bad).toBeNull();
    }
  });
});

describe('nsToIso', () => {
  it('keeps millisecond precision of large nanosecond values', () => {
    expect(nsToIso('1693283430037123456')).toBe('2023-08-29T04:30:30.037Z');
  });
});

describe('shortRef', () => {
  it('cuts long trace and span ids and long series names, and keeps short refs whole', () => {
    expect(shortRef('span:6e3ef4bff551b900d17db6e764c70afd/0fd12875c4e463e3')).toBe('span 6e3ef4bf…/0fd12875…');
    expect(shortRef('trace:abc')).toBe('trace abc');
    expect(shortRef('log:4:774')).toBe('log:4:774');
    const series = shortRef(`series:go_gc_duration_seconds{instance="10.42.7.110:9102",job="risk-engine"}`);
    expect(series.length).toBeLessThanOrEqual(48);
    expect(series.endsWith('…')).toBe(true);
  });
});
