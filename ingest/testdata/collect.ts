import { fileURLToPath } from 'node:url';
import type { FormatInput } from '../format.js';
import { linesOf, textOf } from '../read.js';
import type { LogRecord, MetricPointRecord, ParseIssue, Sink, SpanRecord } from '../records.js';

/** Test support: a Sink that keeps everything in memory, and inputs that need no file. */
export interface Collected {
  spans: SpanRecord[];
  logs: LogRecord[];
  points: MetricPointRecord[];
  issues: ParseIssue[];
  batchSizes: number[];
}

export function collectingSink(): { sink: Sink; collected: Collected } {
  const collected: Collected = { spans: [], logs: [], points: [], issues: [], batchSizes: [] };
  const sink: Sink = {
    spans: (batch) => {
      collected.batchSizes.push(batch.length);
      collected.spans.push(...batch);
    },
    logs: (batch) => {
      collected.batchSizes.push(batch.length);
      collected.logs.push(...batch);
    },
    metricPoints: (batch) => {
      collected.batchSizes.push(batch.length);
      collected.points.push(...batch);
    },
    issue: (issue) => {
      collected.issues.push(issue);
    },
  };
  return { sink, collected };
}

/** A FormatInput over a string, delivered in chunks of `chunkSize` characters. */
export function memoryInput(path: string, text: string, chunkSize = 7): FormatInput {
  async function* chunks(): AsyncGenerator<string> {
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
    for (let offset = 0; offset < body.length; offset += chunkSize) yield body.slice(offset, offset + chunkSize);
  }
  return { path, lines: () => linesOf(chunks()), text: () => textOf(chunks()) };
}

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}
