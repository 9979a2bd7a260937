import { describe, expect, it } from 'vitest';
import type { BreakerTimeline } from '../../../main/api/contract.js';
import { breakerSegments, sharedRange } from './breakerSegments.js';

const timeline = (transitions: BreakerTimeline['transitions']): BreakerTimeline => ({ service: 'a', breaker: 'b', transitions });
const ms = (iso: string) => new Date(iso).getTime();

describe('breakerSegments', () => {
  it('covers the window with the state before, between and after transitions', () => {
    const segments = breakerSegments(
      timeline([
        { at: '2024-01-01T00:05:00Z', from: 'half-open', to: 'closed' },
        { at: '2024-01-01T00:02:00Z', from: 'closed', to: 'open', ref: 'log:1:7' },
        { at: '2024-01-01T00:04:00Z', from: 'open', to: 'half-open' },
      ]),
      { from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:10:00Z' },
    );
    expect(segments.map((segment) => [segment.state, segment.startMs, segment.endMs])).toEqual([
      ['closed', ms('2024-01-01T00:00:00Z'), ms('2024-01-01T00:02:00Z')],
      ['open', ms('2024-01-01T00:02:00Z'), ms('2024-01-01T00:04:00Z')],
      ['half-open', ms('2024-01-01T00:04:00Z'), ms('2024-01-01T00:05:00Z')],
      ['closed', ms('2024-01-01T00:05:00Z'), ms('2024-01-01T00:10:00Z')],
    ]);
    expect(segments[1]?.ref).toBe('log:1:7');
  });

  it('keeps the last state visible past a window that ends before it', () => {
    const segments = breakerSegments(timeline([{ at: '2024-01-01T00:20:00Z', from: 'closed', to: 'open' }]), {
      from: '2024-01-01T00:00:00Z',
      to: '2024-01-01T00:10:00Z',
    });
    expect(segments.map((segment) => segment.state)).toEqual(['closed', 'open']);
    expect(segments[0]?.endMs).toBe(ms('2024-01-01T00:20:00Z'));
    expect(segments[1]?.endMs).toBeGreaterThan(ms('2024-01-01T00:20:00Z'));
  });

  it('gives nothing for a breaker without transitions', () => {
    expect(breakerSegments(timeline([]), null)).toEqual([]);
  });
});

describe('sharedRange', () => {
  it('spans all transitions and the window', () => {
    const range = sharedRange(
      [timeline([{ at: '2024-01-01T00:30:00Z', from: 'closed', to: 'open' }])],
      { from: '2024-01-01T00:00:00Z', to: '2024-01-01T00:10:00Z' },
    );
    expect(range).toEqual({ min: ms('2024-01-01T00:00:00Z'), max: ms('2024-01-01T00:30:00Z') });
  });
});
