import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRoute, HOME, parseRoute, TABS, type Route } from './route.js';

describe('route', () => {
  it('reads a deep link to a span on the ask tab inside a window', () => {
    const route = parseRoute('?tab=ask&record=span%3Aabc%2F0011&from=2024-05-01T10%3A00%3A00.000Z&to=2024-05-01T10%3A30%3A00.000Z');
    expect(route).toEqual({
      tab: 'ask',
      record: 'span:abc/0011',
      window: { from: '2024-05-01T10:00:00.000Z', to: '2024-05-01T10:30:00.000Z' },
      trace: null,
      compare: null,
      service: null,
    });
  });

  it('keeps a trace comparison and the service filter in the link', () => {
    const route: Route = { ...HOME, tab: 'traces', trace: 'aaa1', compare: 'bbb2', service: 'svc a' };
    expect(formatRoute(route)).toBe('?tab=traces&trace=aaa1&compare=bbb2&service=svc+a');
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('keeps the open trace in the link', () => {
    expect(formatRoute({ ...HOME, tab: 'traces', trace: '4bf92f3577b34da6' })).toBe('?tab=traces&trace=4bf92f3577b34da6');
    expect(parseRoute('?tab=logs&trace=4bf92f3577b34da6')).toEqual({ ...HOME, tab: 'logs', trace: '4bf92f3577b34da6' });
  });

  it('falls back to the defaults for unknown tabs and unusable windows', () => {
    expect(parseRoute('?tab=nope&record=&from=yesterday&to=2024-05-01T10:00:00Z')).toEqual(HOME);
    expect(parseRoute('?from=2024-05-01T11:00:00Z&to=2024-05-01T10:00:00Z').window).toBeNull();
    expect(parseRoute('')).toEqual(HOME);
  });

  it('leaves defaults out of the link', () => {
    expect(formatRoute(HOME)).toBe('');
    expect(formatRoute({ ...HOME, tab: 'settings' })).toBe('?tab=settings');
  });

  it('reads back every route it writes', () => {
    const instant = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
    const route: fc.Arbitrary<Route> = fc.record({
      tab: fc.constantFrom(...TABS),
      record: fc.option(fc.string({ minLength: 1 }), { nil: null }),
      window: fc.option(
        fc.tuple(instant, instant).filter(([a, b]) => a < b).map(([from, to]) => ({ from, to })),
        { nil: null },
      ),
      trace: fc.option(fc.string({ minLength: 1 }), { nil: null }),
      compare: fc.option(fc.string({ minLength: 1 }), { nil: null }),
      service: fc.option(fc.string({ minLength: 1 }), { nil: null }),
    });
    fc.assert(fc.property(route, (value) => {
        expect(parseRoute(formatRoute(value))).toEqual(value);
      }),
    );
  });
});
