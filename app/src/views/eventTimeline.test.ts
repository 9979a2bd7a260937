import { describe, expect, it } from 'vitest';
import { dictionaries } from '../i18n/strings.js';
import { eventTimelineOption } from './Overview.js';

const timeline = [
  { bucket: '2025-03-14T10:00:00.000Z', kind: 'deadline_exceeded' as const, count: 4 },
  { bucket: '2025-03-14T10:01:00.000Z', kind: 'breaker_transition' as const, count: 2 },
];
const changes = [{ at: '2025-03-14T09:58:00.000Z', service: 'risk-engine', body: 'starting risk-engine version=3.2.1', lines: 3, ref: 'log:4:1' }];

type Series = { name: string; markLine?: { data: { xAxis: number; name: string }[] } };

describe('the incident timeline', () => {
  it('names event kinds in the UI language', () => {
    const zh = eventTimelineOption(timeline, [], dictionaries.zh).series as Series[];
    const en = eventTimelineOption(timeline, [], dictionaries.en).series as Series[];
    expect(zh.map((s) => s.name)).toEqual([dictionaries.zh.event_deadline_exceeded, dictionaries.zh.event_breaker_transition]);
    expect(en.map((s) => s.name)).toEqual(['deadline exceeded', 'breaker transition']);
  });

  it('marks each logged change once, at its time', () => {
    const series = eventTimelineOption(timeline, changes, dictionaries.en).series as Series[];
    const marks = series.flatMap((s) => s.markLine?.data ?? []);
    expect(marks).toEqual([{ xAxis: Date.parse(changes[0]!.at), name: 'risk-engine' }]);
  });
});
