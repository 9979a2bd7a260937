import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/** Below this size a file is hashed on the calling thread: a worker's start-up would cost more. */
const WORKER_MIN_BYTES = 16 << 20;

/*
 * The hashing worker, as CommonJS source run with `eval`: it needs nothing but Node, so it needs no
 * bundle of its own next to the app's.
 */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
createReadStream(workerData, { highWaterMark: 1 << 20 })
  .on('data', (chunk) => hash.update(chunk))
  .on('error', (error) => parentPort.postMessage({ error: String(error && error.message || error) }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex') }));
`;

/**
 * The SHA-256 of a file's bytes (what recognises a file imported before), computed only once it is
 * first awaited, then remembered. A big file is hashed on a worker thread, so that the import can
 * parse it meanwhile instead of reading it twice in a row on one thread.
 */
export function lazyFileSha256(path: string, size: number): PromiseLike<string> {
  let hashing: Promise<string> | null = null;
  return {
    then(onFulfilled, onRejected) {
      hashing ??= size >= WORKER_MIN_BYTES ? hashOnWorker(path) : hashHere(path);
      return hashing.then(onFulfilled, onRejected);
    },
  };
}

async function hashHere(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

function hashOnWorker(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_WORKER, { eval: true, workerData: path });
    worker.once('message', (reply: { sha256: string } | { error: string }) => {
      if ('sha256' in reply) resolve(reply.sha256);
      else reject(new Error(`could not read ${path}: ${reply.error}`));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
