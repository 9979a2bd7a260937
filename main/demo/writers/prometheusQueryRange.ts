/**
 * Writes a Prometheus HTTP API answer to /api/v1/query_range: a matrix of series, each sample a
 * [unix seconds, "value"] pair with the value as a string, formatted as Prometheus formats floats.
 */
import type { MatrixSeries } from '../model.js';

export function queryRangeJson(series: readonly MatrixSeries[]): string {
  return JSON.stringify({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: series.map((one) => ({
        metric: one.metric,
        values: one.values.map(([seconds, value]) => [seconds, prometheusFloat(value)]),
      })),
    },
  });
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64), which Prometheus uses: never an exponent. */
export function prometheusFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  const shortest = String(value);
  if (!shortest.includes('e')) return shortest;
  const [mantissa = '', exponentText = '0'] = shortest.split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt = (mantissa.replace('-', '').indexOf('.') === -1 ? digits.length : mantissa.replace('-', '').indexOf('.')) + exponent;
  const plain = pointAt <= 0
    ? `0.${'0'.repeat(-pointAt)}${digits}`
    : pointAt >= digits.length ? digits + '0'.repeat(pointAt - digits.length) : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${plain}` : plain;
}
