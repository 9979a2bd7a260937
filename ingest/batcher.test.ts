import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';
import { BATCH_SIZE } from './format.js';

describe('Batcher', () => {
  it('delivers full batches as they fill and the partial rest on flush, in order', async () => {
    const delivered: number[][] = [];
    const batcher = new Batcher<number>((batch) => {
      delivered.push(batch);
    });
    const count = BATCH_SIZE * 2 + 5;
    for (let i = 0; i < count; i++) await batcher.add(i);
    expect(delivered.map((batch) => batch.length)).toEqual([BATCH_SIZE, BATCH_SIZE]);
    await batcher.flush();
    expect(delivered.map((batch) => batch.length)).toEqual([BATCH_SIZE, BATCH_SIZE, 5]);
    expect(delivered.flat()).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('delivers nothing for an empty flush', async () => {
    let calls = 0;
    const batcher = new Batcher<number>(() => {
      calls += 1;
    });
    await batcher.flush();
    expect(calls).toBe(0);
  });

  it('waits for a slow sink before taking more, and holds pushed records until flushWhenFull', async () => {
    const delivered: number[] = [];
    const batcher = new Batcher<number>(async (batch) => {
      await new Promise((resolve) => setImmediate(resolve));
      delivered.push(batch.length);
    });
    for (let i = 0; i < BATCH_SIZE + 1; i++) batcher.push(i);
    expect(delivered).toEqual([]);
    await batcher.flushWhenFull();
    expect(delivered).toEqual([BATCH_SIZE + 1]);
  });
});
