import { describe, expect, it } from 'vitest';
import { Aborted, untilAborted } from './abortable.js';

describe('untilAborted', () => {
  it('rejects with Aborted when the signal aborts first, even though the request never settles', async () => {
    const controller = new AbortController();
    const waiting = untilAborted(new Promise<string>(() => undefined), controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(Aborted);
  });

  it('passes the answer or the error through when nobody cancels', async () => {
    const signal = new AbortController().signal;
    await expect(untilAborted(Promise.resolve('answer'), signal)).resolves.toBe('answer');
    await expect(untilAborted(Promise.reject(new Error('bad_request')), signal)).rejects.toThrow('bad_request');
  });

  it('refuses at once when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(untilAborted(Promise.resolve('late'), controller.signal)).rejects.toBeInstanceOf(Aborted);
  });
});
