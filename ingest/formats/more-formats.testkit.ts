/** Test support for H2's formats: an in-memory Sink and FormatInputs over strings and files. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FormatInput, TelemetryFormat } from '../format.js';
import type { LogRecord, MetricPointRecord, ParseIssue, SpanRecord, Sink } from '../records.js';

export interface CollectingSink extends Sink {
  spanRecords: SpanRecord[];
  logRecords: LogRecord[];
  points: MetricPointRecord[];
  issues: ParseIssue[];
  batchSizes: number[];
}

export function collectingSink(): CollectingSink {
  const sink: CollectingSink = {
    spanRecords: [],
    logRecords: [],
    points: [],
    issues: [],
    batchSizes: [],
    spans(batch) {
      sink.batchSizes.push(batch.length);
      sink.spanRecords.push(...batch);
    },
    logs(batch) {
      sink.batchSizes.push(batch.length);
      sink.logRecords.push(...batch);
    },
    metricPoints(batch) {
      sink.batchSizes.push(batch.length);
      sink.points.push(...batch);
    },
    issue(issue) {
      sink.issues.push(issue);
    },
  };
  return sink;
}

/** Decodes like the real reader: BOM dropped, CR removed, lines numbered from 1. */
export function textInput(text: string, path = 'input.txt'): FormatInput {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r/g, '');
  return {
    path,
    async *lines() {
      const lines = clean.split('\n');
      if (lines.at(-1) === '') lines.pop();
      for (let i = 0; i < lines.length; i++) yield { text: lines[i]!, line: i + 1 };
    },
    text: async () => clean,
  };
}

function fileText(url: URL): string {
  return readFileSync(fileURLToPath(url), 'utf8');
}

export function fixture(name: string): { text: string; path: string } {
  const url = new URL(`../testdata/${name}`, import.meta.url);
  return { text: fileText(url), path: fileURLToPath(url) };
}

export async function parseText(format: TelemetryFormat, text: string, path = 'input.txt'): Promise<CollectingSink> {
  const sink = collectingSink();
  await format.parse(textInput(text, path), sink);
  return sink;
}

export async function parseFixture(format: TelemetryFormat, name: string): Promise<CollectingSink> {
  const { text, path } = fixture(name);
  return parseText(format, text, path);
}
