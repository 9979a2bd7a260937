// Worker thread of the parallel OTLP traces import: JSON-parses chunks of lines and sends back columns.
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../read.js';
import { convertTraceLines, transferablesOf } from './otlpChunk.js';
import type { ChunkReply, ChunkRequest } from './otlpWorkerPool.js';

parentPort?.on('message', (request: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const batch = convertTraceLines(request.texts, request.lineNumbers);
    reply = { id: request.id, batch };
    parentPort!.postMessage(reply, transferablesOf(batch));
  } catch (error) {
    reply = { id: request.id, error: errorMessage(error) };
    parentPort!.postMessage(reply);
  }
});
