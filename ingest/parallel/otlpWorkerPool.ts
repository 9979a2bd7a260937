import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BATCH_SIZE, type FormatInput } from '../format.js';
import type { ParseIssue, Sink, SpanRecord } from '../records.js';
import { traceRecordsOfLines } from './otlpChunk.js';
import type { SpanColumns, SpanColumnsSink } from './spanColumns.js';

export interface ChunkRequest {
  id: number;
  texts: string[];
  lineNumbers: Int32Array;
}

/** `columns` is null when the chunk has no spans. */
export type ChunkReply = { id: number; issues: ParseIssue[]; columns: SpanColumns | null } | { id: number; error: string };

type ChunkDone = Exclude<ChunkReply, { error: string }>;

export interface ParallelOptions {
  /** Lines are handed to workers in chunks of about this many characters. */
  chunkChars?: number;
  /** How many worker threads parse at once. */
  workers?: number;
}

/**
 * Large enough that messaging costs little per span, small enough to keep both cores busy early and
 * the chunks in flight small. A file smaller than one chunk never starts a worker: it is parsed on this thread.
 */
const CHUNK_CHARS = 1 << 20;

/**
 * Parses OTLP JSON lines on worker threads, which hand the spans back as columns that `columns`
 * appends in file order while the workers parse on; problems go to `sink.issue` in line order, as
 * the sequential parser reports them. A file smaller than one chunk is parsed on this thread and its
 * spans go to `sink.spans`. Returns false, having read only the first line, when the input is not
 * JSON lines (a whole document) or no worker can be started: the caller then parses it sequentially.
 */
export async function parseTraceLinesInParallel(input: FormatInput, sink: Sink, columns: SpanColumnsSink, options: ParallelOptions = {}): Promise<boolean> {
  const script = workerScript();
  if (!script) return false;
  const chunkChars = options.chunkChars ?? CHUNK_CHARS;
  const workerCount = Math.max(1, options.workers ?? Math.min(2, availableParallelism()));
  const lines = input.lines()[Symbol.asyncIterator]();
  // set by dispatch() once the first chunk is full
  const started: { pool: WorkerPool | null } = { pool: null };
  try {
    let texts: string[] = [];
    let lineNumbers: number[] = [];
    let chars = 0;
    let sawFirstLine = false;
    const pending: Promise<ChunkDone>[] = [];
    const dispatch = (): void => {
      started.pool ??= new WorkerPool(script, workerCount);
      pending.push(settledLater(started.pool.convert(texts, Int32Array.from(lineNumbers))));
      texts = [];
      lineNumbers = [];
      chars = 0;
    };
    const deliver = async (chunk: Promise<ChunkDone>): Promise<void> => {
      const done = await chunk;
      for (const issue of done.issues) sink.issue(issue);
      if (done.columns) columns.spanColumns(done.columns);
    };
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const { text, line } = next.value;
      if (!sawFirstLine) {
        const trimmed = text.trim();
        if (trimmed === '') continue;
        if (!parsesAsJson(trimmed)) return false;
        sawFirstLine = true;
      }
      texts.push(text);
      lineNumbers.push(line);
      chars += text.length;
      if (chars < chunkChars) continue;
      dispatch();
      if (pending.length >= workerCount * 2) await deliver(pending.shift()!);
    }
    if (texts.length > 0 && started.pool) dispatch();
    for (const chunk of pending) await deliver(chunk);
    if (texts.length > 0 && !started.pool) {
      // a file smaller than one chunk: not worth a worker's start-up
      const { records, issues } = traceRecordsOfLines(texts, Int32Array.from(lineNumbers));
      for (const issue of issues) sink.issue(issue);
      await sendRecords(sink, records);
    }
    return sawFirstLine;
  } finally {
    await lines.return?.();
    await started.pool?.close();
  }
}

async function sendRecords(sink: Sink, records: SpanRecord[]): Promise<void> {
  for (let offset = 0; offset < records.length; offset += BATCH_SIZE) await sink.spans(records.slice(offset, offset + BATCH_SIZE));
}

/** The promise, marked as handled: when an earlier chunk fails, the later ones are never awaited. */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
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

  convert(texts: string[], lineNumbers: Int32Array): Promise<ChunkDone> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    const request: ChunkRequest = { id, texts, lineNumbers };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage(request);
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
