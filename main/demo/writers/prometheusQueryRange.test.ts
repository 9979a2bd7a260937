import { describe, expect, it } from 'vitest';
import { prometheusFloat, queryRangeJson } from './prometheusQueryRange.js';

describe('queryRangeJson', () => {
  it('answers in the query_range matrix shape with values as strings', () => {
    const parsed = JSON.parse(queryRangeJson([{ metric: { __name__: 'up', job: 'a' }, values: [[1741945800, 1], [1741945815, 0.25]] }]));
    expect(parsed).toEqual({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: { __name__: 'up', job: 'a' }, values: [[1741945800, '1'], [1741945815, '0.25']] }] },
    });
  });

  it('formats floats as Prometheus does, never with an exponent', () => {
    expect(prometheusFloat(0.000000123)).toBe('0.000000123');
    expect(prometheusFloat(-0.0000005)).toBe('-0.0000005');
    expect(prometheusFloat(1.5e21)).toBe('1500000000000000000000');
    expect(prometheusFloat(1.2)).toBe('1.2');
    expect(prometheusFloat(Number.NaN)).toBe('NaN');
    expect(prometheusFloat(Number.POSITIVE_INFINITY)).toBe('+Inf');
  });
});
