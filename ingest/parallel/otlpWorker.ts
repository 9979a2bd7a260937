// Worker thread of the parallel OTLP traces import: turns chunks of JSON lines (UTF-8 bytes) into spans handed back as columns.
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../read.js';
import { traceRecordsOfBytes } from './otlpChunk.js';
import type { ChunkReply, ChunkRequest } from './otlpWorkerPool.js';
import { packedTransferables, packSpanColumns } from './packedColumns.js';
import { spanColumnsOf } from './spanColumns.js';

parentPort?.on('message', (request: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const { records, issues, lines } = traceRecordsOfBytes(request.bytes);
    reply = { id: request.id, issues, lines, columns: records.length === 0 ? null : packSpanColumns(spanColumnsOf(records)), bytes: request.bytes };
  } catch (error) {
    reply = { id: request.id, error: errorMessage(error) };
  }
  const transfer = 'bytes' in reply ? [reply.bytes.buffer as ArrayBuffer, ...(reply.columns ? packedTransferables(reply.columns) : [])] : [];
  parentPort!.postMessage(reply, transfer);
});
