import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BATCH_SIZE, type FormatInput } from '../format.js';
import type { ParseIssue, Sink, SpanRecord } from '../records.js';
import { traceRecordsOfLines } from './otlpChunk.js';
import type { SpanFile, SpanFilesSink } from './spanFiles.js';

export interface ChunkRequest {
  id: number;
  texts: string[];
  lineNumbers: Int32Array;
  /** Where the worker writes the chunk's span files. */
  dir: string;
}

/** `file` is null when the chunk has no spans, 'records only' when its spans cannot go through a span file. */
export type ChunkReply = { id: number; issues: ParseIssue[]; file: SpanFile | null | 'records only' } | { id: number; error: string };

type ChunkDone = Exclude<ChunkReply, { error: string }>;

export interface ParallelOptions {
  /** Lines are handed to workers in chunks of about this many characters. */
  chunkChars?: number;
  /** How many worker threads parse at once. */
  workers?: number;
}

/**
 * Large enough that messaging and each INSERT cost little per span, small enough to keep both cores
 * busy early. A file smaller than one chunk never starts a worker: it is parsed on this thread.
 */
const CHUNK_CHARS = 4 << 20;

/** Span files written but not yet loaded, at most: bounds the scratch space when DuckDB lags behind. */
const MAX_WAITING_FILES = 16;

/**
 * Parses OTLP JSON lines on worker threads, which write the spans as span files that `files` loads
 * in file order; problems go to `sink.issue` in line order, as the sequential parser reports them.
 * A file smaller than one chunk is parsed on this thread and its spans go to `sink.spans`.
 * Returns false, having read only the first line, when the input is not JSON lines (a whole
 * document) or no worker can be started: the caller then parses it sequentially.
 */
export async function parseTraceLinesInParallel(input: FormatInput, sink: Sink, files: SpanFilesSink, options: ParallelOptions = {}): Promise<boolean> {
  const script = workerScript();
  if (!script) return false;
  const chunkChars = options.chunkChars ?? CHUNK_CHARS;
  const workerCount = Math.max(1, options.workers ?? Math.min(2, availableParallelism()));
  const lines = input.lines()[Symbol.asyncIterator]();
  const loads = new SpanFileLoads(files);
  // set by dispatch() once the first chunk is full
  const started: { pool: WorkerPool | null; dir: string | null } = { pool: null, dir: null };
  try {
    let texts: string[] = [];
    let lineNumbers: number[] = [];
    let chars = 0;
    let sawFirstLine = false;
    const pending: { done: Promise<ChunkDone>; texts: string[]; lineNumbers: Int32Array }[] = [];
    const dispatch = (): void => {
      started.dir ??= mkdtempSync(join(tmpdir(), 'causeway-spans-'));
      started.pool ??= new WorkerPool(script, workerCount);
      const numbers = Int32Array.from(lineNumbers);
      pending.push({ done: settledLater(started.pool.convert(texts, numbers, started.dir)), texts, lineNumbers: numbers });
      texts = [];
      lineNumbers = [];
      chars = 0;
    };
    const deliver = async (chunk: (typeof pending)[number]): Promise<void> => {
      const done = await chunk.done;
      if (done.file === 'records only') {
        // rare: parse the chunk again here and append its records behind the files loaded so far
        await loads.idle();
        const { records, issues } = traceRecordsOfLines(chunk.texts, chunk.lineNumbers);
        for (const issue of issues) sink.issue(issue);
        await sendRecords(sink, records);
        return;
      }
      for (const issue of done.issues) sink.issue(issue);
      if (done.file) loads.add(done.file);
      if (loads.waiting >= MAX_WAITING_FILES) await loads.idle();
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
    await loads.idle();
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
    // a load may still read the files when another failure ended the import
    await loads.settled();
    if (started.dir) rmSync(started.dir, { recursive: true, force: true });
  }
}

async function sendRecords(sink: Sink, records: SpanRecord[]): Promise<void> {
  for (let offset = 0; offset < records.length; offset += BATCH_SIZE) await sink.spans(records.slice(offset, offset + BATCH_SIZE));
}

/**
 * Loads span files in the order they are added, one load at a time: the files that arrive while a
 * load runs go together into the next one, so DuckDB loads while the workers parse.
 */
class SpanFileLoads {
  private queued: SpanFile[] = [];
  private running: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(private readonly sink: SpanFilesSink) {}

  get waiting(): number {
    return this.queued.length;
  }

  /** Queues a file; throws the failure of an earlier load, which ends the import. */
  add(file: SpanFile): void {
    if (this.failure) throw this.failure.error;
    this.queued.push(file);
    this.startWhenIdle();
  }

  private startWhenIdle(): void {
    if (this.running || this.failure || this.queued.length === 0) return;
    const files = this.queued;
    this.queued = [];
    this.running = this.sink.spanFiles(files).then(
      () => {
        removeFiles(files);
        this.running = null;
        this.startWhenIdle();
      },
      (error: unknown) => {
        this.failure = { error };
        this.running = null;
      },
    );
  }

  /** Resolves once every queued file is loaded; rejects with the failure of a load. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure.error;
  }

  /** Resolves once no load runs, whether the loads succeeded or not. */
  async settled(): Promise<void> {
    this.queued = [];
    while (this.running) await this.running;
  }
}

function removeFiles(files: readonly SpanFile[]): void {
  for (const file of files) {
    rmSync(file.spansPath, { force: true });
    if (file.eventsPath) rmSync(file.eventsPath, { force: true });
  }
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

  convert(texts: string[], lineNumbers: Int32Array, dir: string): Promise<ChunkDone> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId += 1;
    const request: ChunkRequest = { id, texts, lineNumbers, dir };
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
