// Times, in a fresh process as each import worker is, what the parallel import's workers do with a
// file of OTLP JSON lines: JSON.parse of every line alone, then the whole of a worker's work on it
// (otlpWorker.ts: lines to span records to packed columns, JSON.parse included). Prints the CPU
// seconds of each, on this one thread, as JSON; each is the lower of two passes, the first of which
// also pays for growing the heap. Run in the benchmark's own process, after it wrote the fixture,
// the same work took about half as long again.
import { readFileSync } from 'node:fs';
import { traceRecordsOfBytes } from '../ingest/parallel/otlpChunk.js';
import { packSpanColumns } from '../ingest/parallel/packedColumns.js';
import { spanColumnsOf } from '../ingest/parallel/spanColumns.js';

/** As many bytes of whole lines as the workers' chunks hold (otlpWorkerPool.ts). */
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

const lines = readFileSync(process.argv[2]!);

function cpuSecondsOf(pass: () => void): number {
  const since = process.cpuUsage();
  pass();
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
}

function parseEveryLine(): void {
  for (let start = 0; start < lines.length; ) {
    const newline = lines.indexOf(NEWLINE, start);
    const end = newline === -1 ? lines.length : newline;
    if (end > start) JSON.parse(lines.toString('utf8', start, end));
    start = end + 1;
  }
}

function convertEveryChunk(): void {
  for (let start = 0; start < lines.length; ) {
    const cut = start + CHUNK_BYTES >= lines.length ? lines.length : lines.lastIndexOf(NEWLINE, start + CHUNK_BYTES) + 1;
    const end = cut > start ? cut : lines.length;
    packSpanColumns(spanColumnsOf(traceRecordsOfBytes(lines.subarray(start, end)).records));
    start = end;
  }
}

const parseCpu = Math.min(cpuSecondsOf(parseEveryLine), cpuSecondsOf(parseEveryLine));
const workerCpu = Math.min(cpuSecondsOf(convertEveryChunk), cpuSecondsOf(convertEveryChunk));
console.log(JSON.stringify({ parseCpu, workerCpu }));
