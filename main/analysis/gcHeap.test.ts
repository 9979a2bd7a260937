import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryStore } from '../store/store.js';
import { heapAtLongestPause, readGcLine } from './gcHeap.js';
import { isoAt, log, storeWith } from './testdata/events_builders.js';

describe('readGcLine', () => {
  it('reads pause and heap of a Go gctrace line (STW = first + third clock phase)', () => {
    const figures = readGcLine('gc 585 @843.365s 27%: 1392.293+11.0+43.061 ms clock, 1291.82+8.92/16.0/1.1+287.07 ms cpu, 1469->1473->881 MB, 1477 MB goal, 0 MB stacks, 8 P');
    expect(figures).toEqual({ pauseMs: 1392.293 + 43.061, heapBeforeMb: 1469, heapAfterMb: 881, heapLimitMb: 1477 });
  });

  it('reads a JVM unified-logging pause and a classic -verbose:gc line', () => {
    expect(readGcLine('[12.3s][info][gc] GC(1633) Pause Full (G1 Compaction Pause) 2G->1900M(2G) 1840.5ms')).toEqual({
      pauseMs: 1840.5,
      heapBeforeMb: 2048,
      heapAfterMb: 1900,
      heapLimitMb: 2048,
    });
    expect(readGcLine('[Full GC (Allocation Failure)  1469M->1400M(1500M), 1.3921 secs]')?.pauseMs).toBeCloseTo(1392.1);
  });

  it('gives nothing for a GC line without heap figures', () => {
    expect(readGcLine('gc 4706 @24006.210s 3%: 0.684+37.7+0.021 ms clock')).toBeNull();
  });
});

describe('heapAtLongestPause', () => {
  let store: TelemetryStore | null = null;
  afterEach(() => {
    store?.close();
    store = null;
  });

  it('picks the longest pause of the service inside the window, with its line', async () => {
    store = await storeWith({
      logs: [
        log({ at: 1000, service: 'subtitle', body: 'gc 1 @1.0s 1%: 0.1+2.0+0.1 ms clock, 0.1+0/0/0+0.1 ms cpu, 200->210->100 MB, 400 MB goal, 8 P' }),
        log({ at: 2000, service: 'subtitle', body: 'gc 2 @2.0s 20%: 900.0+5.0+100.0 ms clock, 0.1+0/0/0+0.1 ms cpu, 1400->1410->900 MB, 1420 MB goal, 8 P' }),
        log({ at: 3000, service: 'other', body: 'gc 3 @3.0s 20%: 5000.0+5.0+100.0 ms clock, 0.1+0/0/0+0.1 ms cpu, 10->11->9 MB, 20 MB goal, 8 P' }),
        log({ at: 9000, service: 'subtitle', body: 'gc 4 @9.0s 20%: 3000.0+5.0+100.0 ms clock, 0.1+0/0/0+0.1 ms cpu, 10->11->9 MB, 20 MB goal, 8 P' }),
      ],
    });
    const found = await heapAtLongestPause(store, { service: 'subtitle', window: { from: isoAt(0), to: isoAt(5000) } });
    expect(found).toMatchObject({ at: isoAt(2000), pauseMs: 1000, heapBeforeMb: 1400, heapLimitMb: 1420 });
    expect(found?.ref).toMatch(/^log:\d+:\d+$/);
  });
});
