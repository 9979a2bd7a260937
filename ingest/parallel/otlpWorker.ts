// Worker thread of the parallel OTLP traces import: JSON-parses chunks of lines and writes their spans as span files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../read.js';
import { spanFileTexts, traceRecordsOfLines } from './otlpChunk.js';
import type { ChunkReply, ChunkRequest } from './otlpWorkerPool.js';

parentPort?.on('message', (request: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const { records, issues } = traceRecordsOfLines(request.texts, request.lineNumbers);
    if (records.length === 0) {
      reply = { id: request.id, issues, file: null };
    } else {
      const texts = spanFileTexts(records);
      if (texts === null) {
        reply = { id: request.id, issues, file: 'records only' };
      } else {
        const spansPath = join(request.dir, `${request.id}.spans`);
        writeFileSync(spansPath, texts.spans);
        let eventsPath: string | null = null;
        if (texts.events !== '') {
          eventsPath = join(request.dir, `${request.id}.events`);
          writeFileSync(eventsPath, texts.events);
        }
        reply = { id: request.id, issues, file: { spansPath, eventsPath } };
      }
    }
  } catch (error) {
    reply = { id: request.id, error: errorMessage(error) };
  }
  parentPort!.postMessage(reply);
});
