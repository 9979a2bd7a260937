import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEAD_CHARS, MIN_CONFIDENCE, detectFormat, unknownFormatMessage } from './detect.js';
import { FORMATS } from './formats/index.js';
import { jsonLogs } from './formats/json-logs.js';
import { otlpLogs } from './formats/otlp-logs.js';
import { otlpMetrics } from './formats/otlp-metrics.js';
import { otlpTraces } from './formats/otlp-traces.js';
import { prometheusQuery } from './formats/prometheus-query.js';
import { prometheusText } from './formats/prometheus-text.js';
import { fixturePath } from './testdata/collect.js';

const MINE = [otlpTraces, otlpLogs, otlpMetrics, jsonLogs, prometheusQuery, prometheusText];

const FIXTURES: Array<[string, string]> = [
  ['otlp-traces-collector.jsonl', 'otlp-traces'],
  ['otlp-traces-request.json', 'otlp-traces'],
  ['otlp-logs.jsonl', 'otlp-logs'],
  ['otlp-metrics.json', 'otlp-metrics'],
  ['zap.jsonl', 'json-logs'],
  ['mixed-loggers.jsonl', 'json-logs'],
  ['loki-query-range.json', 'json-logs'],
  ['prometheus-query-range.json', 'prometheus-query'],
  ['prometheus-query-vector.json', 'prometheus-query'],
  ['metrics.prom', 'prometheus-text'],
  ['metrics.om.txt', 'prometheus-text'],
];

function head(name: string): string {
  return readFileSync(fixturePath(name), 'utf8').replace(/^\uFEFF/, '').slice(0, HEAD_CHARS);
}

describe('detection', () => {
  it.each(FIXTURES)('%s is %s among all registered formats', (name, id) => {
    expect(detectFormat(head(name), fixturePath(name)).format?.id).toBe(id);
  });

  it.each(FIXTURES)('%s is not claimed by the other OTLP, JSON-log or Prometheus formats', (name, id) => {
    for (const format of MINE) {
      if (format.id === id) continue;
      expect(format.detect(head(name), fixturePath(name)), format.id).toBeLessThan(MIN_CONFIDENCE);
    }
  });

  it('decides by content, not by the name', () => {
    expect(detectFormat(head('metrics.prom'), 'traces.json').format?.id).toBe('prometheus-text');
    expect(detectFormat(head('otlp-logs.jsonl'), 'metrics.prom').format?.id).toBe('otlp-logs');
  });

  it('finds OTLP whose top-level key is not first', () => {
    const text = '{"partialSuccess":{},"resourceMetrics":[]}';
    expect(detectFormat(text, 'x.json').format?.id).toBe('otlp-metrics');
  });

  it('recognises nothing in prose or in JSON without log fields', () => {
    expect(detectFormat('Dear team,\nthe incident started at noon.\n', 'notes.txt').format).toBeNull();
    expect(detectFormat('{"name":"causeway","version":"1.0.0"}\n', 'package.json').format).toBeNull();
  });

  it('lists every format by label when nothing matches', () => {
    const message = unknownFormatMessage();
    for (const format of FORMATS) expect(message).toContain(format.label);
  });
});
