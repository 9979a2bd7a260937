// Worker thread of the parallel OTLP traces import: JSON-parses chunks of lines and hands their spans back as columns.
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../read.js';
import { traceRecordsOfLines } from './otlpChunk.js';
import type { ChunkReply, ChunkRequest } from './otlpWorkerPool.js';
import { spanColumnsOf, transferablesOf } from './spanColumns.js';

parentPort?.on('message', (request: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const { records, issues } = traceRecordsOfLines(request.texts, request.lineNumbers);
    reply = { id: request.id, issues, columns: records.length === 0 ? null : spanColumnsOf(records) };
  } catch (error) {
    reply = { id: request.id, error: errorMessage(error) };
  }
  parentPort!.postMessage(reply, 'columns' in reply && reply.columns ? transferablesOf(reply.columns) : []);
});
