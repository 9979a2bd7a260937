import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { spanBatcher } from '../batcher.js';
import type { FormatInput } from '../format.js';
import { tryParse } from '../read.js';
import type { ParseIssue, Sink } from '../records.js';
import { LineChunks } from './lineChunks.js';
import { traceRecordsOfBytes } from './otlpChunk.js';
import { type PackedSpanColumns, unpackSpanColumns } from './packedColumns.js';
import type { SpanColumnsSink } from './spanColumns.js';

export interface ChunkRequest {
  id: number;
  /** Whole lines of UTF-8, in a buffer of their own (transferred). */
  bytes: Uint8Array;
}

/**
 * `columns` is null when the chunk has no spans. Lines in `issues` and `columns` count from the
 * chunk's first line. `bytes` are the request's, moved back to be filled again.
 */
export type ChunkReply = { id: number; issues: ParseIssue[]; lines: number; columns: PackedSpanColumns | null; bytes: Uint8Array } | { id: number; error: string };

type ChunkDone = Exclude<ChunkReply, { error: string }>;

export interface ParallelOptions {
  /** Lines are handed to workers in chunks of about this many bytes. */
  chunkBytes?: number;
  /** How many worker threads parse at once. */
  workers?: number;
}

/**
 * Large enough that messaging costs little per span, small enough to keep both cores busy early and
 * the chunks in flight small. A file smaller than one chunk never starts a worker: it is parsed on this thread.
 */
const CHUNK_BYTES = 1 << 20;

/**
 * Parses OTLP JSON lines on worker threads, which hand the spans back as columns that `columns`
 * appends in file order while the workers parse on; problems go to `sink.issue` in line order, as
 * the sequential parser reports them. This thread only cuts the file's bytes into chunks of whole
 * lines and moves them to the workers, which decode and split the lines. A file smaller than one
 * chunk is parsed on this thread and its spans go to `sink.spans`. Returns false, having read only
 * up to the first line, when the input is not JSON lines (a whole document), offers no bytes, or no
 * worker can be started: the caller then parses it sequentially.
 */
export async function parseTraceLinesInParallel(input: FormatInput, sink: Sink, columns: SpanColumnsSink, options: ParallelOptions = {}): Promise<boolean> {
  const script = workerScript();
  if (!script || !input.utf8) return false;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const workerCount = Math.max(1, options.workers ?? Math.min(2, availableParallelism()));
  const stream = input.utf8()[Symbol.asyncIterator]();
  // set by dispatch() once the first chunk is full
  const started: { pool: WorkerPool | null } = { pool: null };
  try {
    const chunks = new LineChunks(chunkBytes);
    const firstLine = new FirstLineCheck();
    let startsWithJsonLine: boolean | undefined;
    const pending: Promise<ChunkDone>[] = [];
    // the lines of the chunks delivered so far: chunk line numbers plus this are file line numbers
    let linesBefore = 0;
    const dispatch = (bytes: Uint8Array): void => {
      started.pool ??= new WorkerPool(script, workerCount);
      pending.push(settledLater(started.pool.convert(bytes)));
    };
    const deliver = async (chunk: Promise<ChunkDone>): Promise<void> => {
      const done = await chunk;
      for (const issue of done.issues) sink.issue({ line: linesBefore + issue.line, message: issue.message });
      if (done.columns) {
        const spans = unpackSpanColumns(done.columns);
        const sourceLine = spans.sourceLine;
        for (let row = 0; row < sourceLine.length; row += 1) sourceLine[row] = linesBefore + sourceLine[row]!;
        columns.spanColumns(spans);
      }
      linesBefore += done.lines;
      chunks.recycle(done.bytes.buffer as ArrayBuffer);
    };
    for (let next = await stream.next(); !next.done; next = await stream.next()) {
      chunks.add(next.value);
      startsWithJsonLine ??= firstLine.isJson(chunks.gathered(), false);
      if (startsWithJsonLine === false) return false;
      if (startsWithJsonLine === undefined) continue;
      for (let bytes = chunks.take(); bytes; bytes = chunks.take()) {
        dispatch(bytes);
        if (pending.length >= workerCount * 2) await deliver(pending.shift()!);
      }
    }
    startsWithJsonLine ??= firstLine.isJson(chunks.gathered(), true);
    if (!startsWithJsonLine) return false;
    const rest = chunks.rest();
    if (started.pool) {
      if (rest) dispatch(rest);
      for (const chunk of pending) await deliver(chunk);
    } else if (rest) {
      // a file smaller than one chunk: not worth a worker's start-up
      const { records, issues } = traceRecordsOfBytes(rest);
      for (const issue of issues) sink.issue(issue);
      const batches = spanBatcher(sink);
      for (const record of records) await batches.add(record);
      await batches.flush();
    }
    return true;
  } finally {
    await stream.return?.();
    await started.pool?.close();
  }
}

/** Finds the first line that is not blank, in bytes gathered as they stream in, and tells whether it is JSON. */
class FirstLineCheck {
  /** Where the next line to look at starts. */
  private start = 0;

  /** Undefined while the first line that is not blank has not ended; `ended`: the stream has. */
  isJson(bytes: Buffer, ended: boolean): boolean | undefined {
    for (;;) {
      const newline = bytes.indexOf(NEWLINE, this.start);
      if (newline === -1 && !ended) return undefined;
      const end = newline === -1 ? bytes.length : newline;
      const trimmed = bytes.toString('utf8', this.start, end).trim();
      this.start = end + 1;
      if (trimmed !== '') return tryParse(trimmed) !== undefined;
      // every line was blank
      if (newline === -1) return false;
    }
  }
}

const NEWLINE = 0x0a;

/** The promise, marked as handled: when an earlier chunk fails, the later ones are never awaited. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** How to start a worker: a script file, or (from source) code that loads the TypeScript through tsx. */
type WorkerScript = { file: URL } | { evalCode: string };

/**
 * The worker's code: `otlpWorker.mjs` beside a bundled build, or the TypeScript source when running
 * from source (tests, scripts), loaded through tsx. Null when neither is there.
 */
function workerScript(): WorkerScript | null {
  // a CommonJS bundle (Electron's main process) has no import.meta.url but a __filename
  const here = import.meta.url || (typeof __filename === 'string' ? pathToFileURL(__filename).href : '');
  if (!here) return null;
  const bundled = new URL('./otlpWorker.mjs', here);
  if (existsSync(fileURLToPath(bundled))) return { file: bundled };
  const source = new URL('./otlpWorker.ts', here);
  if (!here.endsWith('.ts') || !existsSync(fileURLToPath(source))) return null;
  const href = JSON.stringify(source.href);
  return { evalCode: `import('tsx/esm/api').then(({ tsImport }) => tsImport(${href}, ${href}))` };
}

class WorkerPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve: (done: ChunkDone) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(script: WorkerScript, count: number) {
    this.workers = Array.from({ length: count }, () => {
      const worker = 'file' in script ? new Worker(script.file) : new Worker(script.evalCode, { eval: true });
      worker.on('message', (reply: ChunkReply) => this.settle(reply));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`OTLP parsing worker stopped with exit code ${code}`));
      });
      return worker;
    });
  }

  /** Moves `bytes` (their whole buffer) to a worker, which converts them. */
  convert(bytes: Uint8Array): Promise<ChunkDone> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    const request: ChunkRequest = { id, bytes };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage(request, [bytes.buffer as ArrayBuffer]);
    });
  }

  private settle(reply: ChunkReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if ('error' in reply) waiter.reject(new Error(`could not parse lines: ${reply.error}`));
    else waiter.resolve(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('OTLP parsing workers closed');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
