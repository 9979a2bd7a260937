import { describe, expect, it } from 'vitest';
import type { DemoLogLine } from '../model.js';
import { zapLogLines } from './zapLogs.js';

describe('zapLogLines', () => {
  it('writes zap production JSON with level, ts, caller and msg first', () => {
    const line: DemoLogLine = {
      atMs: 123.456, service: 'payment', level: 'warn', caller: 'payment/breaker.go:31', msg: 'CB x state changed: closed -> open',
      traceId: 'abc', spanId: 'def', fields: [['pause_ms', 1200.5]],
    };
    const text = zapLogLines([line], Date.UTC(2025, 2, 14, 9, 50));
    expect(text.endsWith('\n')).toBe(true);
    const entry = JSON.parse(text);
    expect(Object.keys(entry)).toEqual(['level', 'ts', 'caller', 'msg', 'service', 'trace_id', 'span_id', 'pause_ms']);
    expect(entry.ts).toBeCloseTo(1741945800.123456, 6);
  });

  it('leaves out trace context when the line has none', () => {
    const entry = JSON.parse(zapLogLines([{ atMs: 0, service: 's', level: 'info', caller: 'c', msg: 'm', traceId: null, spanId: null, fields: [] }], 0));
    expect(entry).not.toHaveProperty('trace_id');
  });
});
