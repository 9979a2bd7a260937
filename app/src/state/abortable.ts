/** The UI stopped waiting for a request because the user cancelled it. */
export class Aborted extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Aborted';
  }
}

/**
 * Settles as the promise does, or rejects with Aborted as soon as the signal aborts. The contract's
 * calls take no signal, so this is how a pending request stops holding the UI; telling the backend
 * to stop (cancelAsk) is the caller's other half of a cancel.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
