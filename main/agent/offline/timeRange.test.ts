import { describe, expect, it } from 'vitest';
import { parseTimeRange } from './timeRange.js';

const reference = { from: '2024-09-20T13:47:00.000Z', to: '2024-09-20T14:23:02.000Z' };

describe('parseTimeRange', () => {
  it.each([
    ['between 14:09 and 14:17 UTC on 2024-09-20', undefined, 'range', '2024-09-20T14:09:00.000Z', '2024-09-20T14:17:00.000Z', false],
    ['Why did it fail between 14:09 and 14:17 UTC?', undefined, 'range', '2024-09-20T14:09:00.000Z', '2024-09-20T14:17:00.000Z', true],
    ['从 14:09 到 14:17 下载失败', undefined, 'range', '2024-09-20T14:09:00.000Z', '2024-09-20T14:17:00.000Z', true],
    ['14:09-14:17 发生了什么', undefined, 'range', '2024-09-20T14:09:00.000Z', '2024-09-20T14:17:00.000Z', true],
    ['北京时间 22:09 到 22:17 下载失败', undefined, 'range', '2024-09-20T14:09:00.000Z', '2024-09-20T14:17:00.000Z', true],
    ['past 2 hours', '2024-09-20T14:27:02Z', 'relative', '2024-09-20T12:27:02.000Z', '2024-09-20T14:27:02.000Z', false],
    ['过去 2 小时下载失败率突增', '2024-09-20T14:27:02Z', 'relative', '2024-09-20T12:27:02.000Z', '2024-09-20T14:27:02.000Z', false],
    ['过去两小时', '2024-09-20T14:27:02Z', 'relative', '2024-09-20T12:27:02.000Z', '2024-09-20T14:27:02.000Z', false],
    ['in the last 30 minutes', '2024-09-20T14:27:02Z', 'relative', '2024-09-20T13:57:02.000Z', '2024-09-20T14:27:02.000Z', false],
    ['in the last hour', '2024-09-20T14:27:02Z', 'relative', '2024-09-20T13:27:02.000Z', '2024-09-20T14:27:02.000Z', false],
    ['failing with DEADLINE_EXCEEDED since 14:09 UTC', undefined, 'since', '2024-09-20T14:09:00.000Z', '2024-09-20T14:23:02.000Z', true],
    ['北京时间 22:10 开始大量超时', undefined, 'since', '2024-09-20T14:10:00.000Z', '2024-09-20T14:23:02.000Z', true],
  ])('%s', (question, askedAt, kind, from, to, dateAssumed) => {
    const parsed = parseTimeRange(question, { askedAt, reference });
    expect(parsed.kind).toBe(kind);
    expect(parsed.window).toEqual({ from, to });
    if (kind !== 'relative') expect(parsed.dateAssumed).toBe(dateAssumed);
  });

  it('reads a single clock time as a point', () => {
    const parsed = parseTimeRange('What changed at 14:02?', { reference });
    expect(parsed).toMatchObject({ kind: 'at', point: '2024-09-20T14:02:00.000Z', window: null });
  });

  it('remembers the zone the user spoke in', () => {
    expect(parseTimeRange('故障是几点开始的(北京时间)?', { reference }).tzOffsetMinutes).toBe(480);
    expect(parseTimeRange('between 10:00 and 11:00 UTC+2', { reference }).tzOffsetMinutes).toBe(120);
    expect(parseTimeRange('why did it fail', { reference }).tzOffsetMinutes).toBeNull();
  });

  it('crosses midnight when the end is before the start', () => {
    const parsed = parseTimeRange('between 23:50 and 00:10 UTC on 2024-09-19', { reference });
    expect(parsed.window).toEqual({ from: '2024-09-19T23:50:00.000Z', to: '2024-09-20T00:10:00.000Z' });
  });

  it('places a dateless time on the day of the data when the data crosses midnight', () => {
    const parsed = parseTimeRange('between 00:05 and 00:10', { reference: { from: '2024-01-01T23:00:00Z', to: '2024-01-02T01:00:00Z' } });
    expect(parsed.window?.from).toBe('2024-01-02T00:05:00.000Z');
  });

  it('measures a relative range back from the end of the data when no asked_at is known, and says so', () => {
    const parsed = parseTimeRange('past 2 hours', { reference });
    expect(parsed.window?.to).toBe('2024-09-20T14:23:02.000Z');
    expect(parsed.nowAssumed).toBe(true);
  });

  it('finds no time in a question without one', () => {
    expect(parseTimeRange('Why did payment fail?', { reference }).kind).toBe('none');
    expect(parseTimeRange('why is p99 1381 ms on /v1/routings/{id}', { reference }).kind).toBe('none');
  });
});
