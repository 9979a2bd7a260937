import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoIncident, type DemoFiles } from './demoIncident.js';
import { deadlines, paymentFallbackMessage, riskBreaker, timeline } from './story.js';

/** Just enough of each format to check the story from the files alone, as a reader would. */
interface ParsedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Map<string, unknown>;
  status: { code?: number; message?: string };
}

interface ParsedLog {
  file: string;
  level: string;
  ts: number;
  msg: string;
  service: string;
  trace_id?: string;
  span_id?: string;
  [field: string]: unknown;
}

interface ParsedSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

const seed = 4242;
const start = new Date('2025-03-14T09:50:00Z');
const startNs = BigInt(start.getTime()) * 1_000_000n;
const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

let workDir: string;
let first: DemoFiles;
let again: DemoFiles;
let otherSeed: DemoFiles;
let spans: ParsedSpan[];
let logs: ParsedLog[];
let metrics: Map<string, ParsedSeries[]>;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'causeway-demo-'));
  // `first` relies on the default start; `again` names the same instant, so equal bytes also prove the default is fixed.
  first = await writeDemoIncident(join(workDir, 'a'), { seed });
  again = await writeDemoIncident(join(workDir, 'b'), { seed, start });
  otherSeed = await writeDemoIncident(join(workDir, 'c'), { seed: seed + 1, start });
  spans = parseTraces(await readFile(fileEnding(first, 'traces/otel-traces.jsonl'), 'utf8'));
  logs = [];
  for (const path of first.files.filter((file) => file.endsWith('.log'))) {
    logs.push(...parseZapLines(relative(first.dir, path), await readFile(path, 'utf8')));
  }
  metrics = new Map();
  for (const path of first.files.filter((file) => file.includes('/metrics/'))) {
    metrics.set(relative(first.dir, path), parseQueryRange(await readFile(path, 'utf8')));
  }
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function fileEnding(files: DemoFiles, suffix: string): string {
  const path = files.files.find((file) => file.endsWith(suffix));
  if (path === undefined) throw new Error(`no ${suffix} among ${files.files.join(', ')}`);
  return path;
}

function parseTraces(text: string): ParsedSpan[] {
  const out: ParsedSpan[] = [];
  text.trimEnd().split('\n').forEach((line, index) => {
    const request = JSON.parse(line) as { resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ scope: { name: string }; spans: Array<Record<string, unknown>> }> }> };
    if (!Array.isArray(request.resourceSpans)) throw new Error(`line ${index + 1}: no resourceSpans`);
    for (const resourceSpans of request.resourceSpans) {
      const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue;
      if (service === undefined) throw new Error(`line ${index + 1}: resource without service.name`);
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const raw of scopeSpans.spans) {
          const attributes = new Map<string, unknown>();
          for (const { key, value } of raw.attributes as Array<{ key: string; value: Record<string, unknown> }>) {
            const [[type, inner]] = Object.entries(value) as [[string, unknown]];
            attributes.set(key, type === 'intValue' ? Number(inner) : type === 'arrayValue' ? (inner as { values: Array<{ stringValue: string }> }).values.map((v) => v.stringValue) : inner);
          }
          out.push({
            service,
            traceId: raw.traceId as string,
            spanId: raw.spanId as string,
            parentSpanId: (raw.parentSpanId as string | undefined) ?? null,
            name: raw.name as string,
            kind: raw.kind as number,
            startNs: BigInt(raw.startTimeUnixNano as string),
            endNs: BigInt(raw.endTimeUnixNano as string),
            attributes,
            status: raw.status as ParsedSpan['status'],
          });
        }
      }
    }
  });
  return out;
}

function parseZapLines(file: string, text: string): ParsedLog[] {
  return text.trimEnd().split('\n').map((line): ParsedLog => ({ ...(JSON.parse(line) as ParsedLog), file }));
}

function parseQueryRange(text: string): ParsedSeries[] {
  const answer = JSON.parse(text) as { status: string; data: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
  expect(answer.status).toBe('success');
  expect(answer.data.resultType).toBe('matrix');
  return answer.data.result.map((series) => ({
    metric: series.metric,
    values: series.values.map(([seconds, value]) => {
      expect(typeof seconds).toBe('number');
      expect(typeof value).toBe('string');
      return [seconds, Number(value)] as [number, number];
    }),
  }));
}

const offsetMs = (ns: bigint): number => Number(ns - startNs) / 1e6;
const stormFromNs = startNs + msToNs(timeline.gcStormFromMs);
const stormToNs = startNs + msToNs(timeline.gcStormToMs);
const riskClientSpans = (): ParsedSpan[] => spans.filter((s) => s.service === 'payment' && s.kind === 3 && s.attributes.get('peer.service') === 'risk-engine');
const fastFailures = (): ParsedSpan[] => riskClientSpans().filter((s) => s.status.message === 'circuit breaker is open' || s.status.message === 'too many requests');
const timedOut = (): ParsedSpan[] => spans.filter((s) => s.kind === 3 && s.attributes.get('rpc.grpc.status_code') === 4);
const transitionPattern = new RegExp(`^CB ${riskBreaker.name} state changed: (closed|half-open|open) -> (closed|half-open|open)$`);
const breakerLines = (): Array<{ ts: number; from: string; to: string }> => logs
  .filter((line) => line.service === 'payment' && transitionPattern.test(line.msg))
  .map((line) => {
    const [, from = '', to = ''] = transitionPattern.exec(line.msg) ?? [];
    return { ts: line.ts, from, to };
  });
const nsToSeconds = (ns: bigint): number => Number(ns / 1000n) / 1e6;

describe('writeDemoIncident: files', () => {
  it('writes traces, one log per service and one file per metric query, as absolute paths', () => {
    const names = first.files.map((file) => relative(first.dir, file));
    expect(first.files.every((file) => file.startsWith('/'))).toBe(true);
    expect(names).toContain('traces/otel-traces.jsonl');
    expect(names.filter((name) => name.startsWith('logs/') && name.endsWith('.log')).length).toBeGreaterThanOrEqual(5);
    expect(names.filter((name) => name.startsWith('metrics/') && name.endsWith('.json')).length).toBeGreaterThanOrEqual(4);
  });

  it('is byte-identical for the same seed, and the default start is the fixed 2025-03-14T09:50:00Z', async () => {
    expect(again.files.map((file) => relative(again.dir, file))).toEqual(first.files.map((file) => relative(first.dir, file)));
    for (const path of first.files) {
      const twin = join(again.dir, relative(first.dir, path));
      expect((await readFile(twin)).equals(await readFile(path)), relative(first.dir, path)).toBe(true);
    }
  });

  it('differs for another seed', async () => {
    for (const suffix of ['traces/otel-traces.jsonl', 'logs/payment.log', 'metrics/go_gc_duration_seconds.json']) {
      const mine = await readFile(fileEnding(first, suffix));
      const theirs = await readFile(fileEnding(otherSeed, suffix));
      expect(mine.equals(theirs), suffix).toBe(false);
    }
  });

  it('refuses a seed that is not an integer and a start that is not a date, before writing anything', async () => {
    await expect(writeDemoIncident(join(workDir, 'bad-seed'), { seed: 1.5 })).rejects.toThrow(/seed must be an integer/);
    await expect(writeDemoIncident(join(workDir, 'bad-start'), { start: new Date('not a date') })).rejects.toThrow(/not a valid date/);
    await expect(readFile(join(workDir, 'bad-seed', 'traces', 'otel-traces.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});

describe('writeDemoIncident: formats', () => {
  it('traces are OTLP/JSON lines: hex ids, string nanos, numeric kinds, several spans per line', async () => {
    const text = await readFile(fileEnding(first, 'traces/otel-traces.jsonl'), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(spans.length / lines.length).toBeGreaterThan(3);
    expect(spans.length).toBeGreaterThanOrEqual(15_000);
    expect(spans.length).toBeLessThanOrEqual(25_000);
    const malformed = spans.filter((span) => !/^[0-9a-f]{32}$/.test(span.traceId)
      || !/^[0-9a-f]{16}$/.test(span.spanId)
      || (span.parentSpanId !== null && !/^[0-9a-f]{16}$/.test(span.parentSpanId))
      || (span.kind !== 2 && span.kind !== 3)
      || span.endNs < span.startNs
      || span.startNs < startNs || span.endNs > startNs + msToNs(timeline.durationMs));
    expect(malformed).toEqual([]);
  });

  it('every parent span is in the same trace', () => {
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const strays = spans.filter((span) => span.parentSpanId !== null && byId.get(span.parentSpanId)?.traceId !== span.traceId);
    expect(strays).toEqual([]);
  });

  it('logs are zap JSON lines in time order per file', () => {
    const byFile = new Map<string, ParsedLog[]>();
    for (const line of logs) byFile.set(line.file, [...(byFile.get(line.file) ?? []), line]);
    for (const [file, lines] of byFile) {
      expect(lines.length, file).toBeGreaterThan(50);
      expect(lines.filter((line, i) => i > 0 && line.ts < lines[i - 1]!.ts), file).toEqual([]);
      const malformed = lines.filter((line) => !['debug', 'info', 'warn', 'error'].includes(line.level)
        || typeof line.caller !== 'string' || `logs/${line.service}.log` !== file);
      expect(malformed, file).toEqual([]);
    }
  });

  it('metrics are query_range matrices on a 15 s grid covering the incident', () => {
    const startSeconds = start.getTime() / 1000;
    for (const [file, series] of metrics) {
      expect(series.length, file).toBeGreaterThan(0);
      for (const one of series) {
        for (const [seconds] of one.values) expect((seconds - startSeconds) % 15, file).toBe(0);
        expect(one.values.at(-1)?.[0], file).toBe(startSeconds + timeline.durationMs / 1000);
      }
    }
  });
});

describe('writeDemoIncident: the story holds in the data', () => {
  it('DEADLINE_EXCEEDED appears only while risk-engine pauses, on payment -> risk-engine, at the deadline', () => {
    const before = timedOut().filter((s) => s.startNs < stormFromNs);
    const during = timedOut().filter((s) => s.startNs >= stormFromNs && s.startNs < stormToNs);
    expect(before).toHaveLength(0);
    expect(during.length).toBeGreaterThan(20);
    for (const span of timedOut()) {
      expect(span.service).toBe('payment');
      expect(span.attributes.get('peer.service')).toBe('risk-engine');
      expect(span.status).toEqual({ code: 2, message: 'context deadline exceeded' });
      const durationMs = Number(span.endNs - span.startNs) / 1e6;
      expect(durationMs).toBeGreaterThanOrEqual(deadlines.riskCallTimeoutMs);
      expect(durationMs).toBeLessThan(deadlines.riskCallTimeoutMs + 2);
    }
  });

  it('client spans carry the deadline they send: the gateway budget propagated, payment its own 800 ms', () => {
    const grpcTimeoutMs = (span: ParsedSpan): number => {
      const [header] = span.attributes.get('rpc.grpc.request.metadata.grpc-timeout') as string[];
      const match = /^(\d{1,8})([HMSmun])$/.exec(header ?? '');
      if (match === null) throw new Error(`bad grpc-timeout ${header}`);
      const unitMs = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000001 }[match[2] as 'H'];
      return Number(match[1]) * unitMs;
    };
    const gatewayCalls = spans.filter((s) => s.service === 'gateway' && s.kind === 3);
    const riskCalls = riskClientSpans().filter((s) => s.attributes.has('rpc.grpc.request.metadata.grpc-timeout'));
    expect(gatewayCalls.length).toBeGreaterThan(100);
    for (const span of gatewayCalls) expect(grpcTimeoutMs(span)).toBeGreaterThan(deadlines.gatewayBudgetMs - 5);
    for (const span of riskCalls) {
      expect(grpcTimeoutMs(span)).toBeLessThanOrEqual(deadlines.riskCallTimeoutMs);
      expect(grpcTimeoutMs(span)).toBeGreaterThan(deadlines.riskCallTimeoutMs - 1);
      expect(span.attributes.get('deadline_ms')).toBe(deadlines.riskCallTimeoutMs);
    }
  });

  it('risk-engine keeps working past its caller\'s deadline (orphan work)', () => {
    const byParent = new Map(spans.filter((s) => s.parentSpanId !== null).map((s) => [s.parentSpanId, s]));
    const orphans = timedOut().filter((client) => {
      const server = byParent.get(client.spanId);
      return server !== undefined && server.endNs > client.endNs;
    });
    expect(orphans.length).toBeGreaterThan(timedOut().length * 0.9);
  });

  it('fast-failed calls have no server span behind them and return at once', () => {
    const parents = new Set(spans.map((s) => s.parentSpanId));
    expect(fastFailures().length).toBeGreaterThan(50);
    for (const span of fastFailures()) {
      expect(parents.has(span.spanId)).toBe(false);
      expect(Number(span.endNs - span.startNs) / 1e6).toBeLessThan(1);
    }
  });

  it('breaker transitions go closed -> open first, chain state to state, and end closed after the pauses', () => {
    const transitions = breakerLines();
    expect(transitions.length).toBeGreaterThanOrEqual(4);
    expect(transitions[0]).toMatchObject({ from: 'closed', to: 'open' });
    expect(transitions.at(-1)).toMatchObject({ from: 'half-open', to: 'closed' });
    for (let i = 1; i < transitions.length; i++) expect(transitions[i]!.from).toBe(transitions[i - 1]!.to);
    expect(transitions.some((t) => t.from === 'half-open' && t.to === 'open')).toBe(true);
    expect(transitions[0]!.ts).toBeGreaterThan(nsToSeconds(stormFromNs));
    expect(transitions.at(-1)!.ts).toBeGreaterThan(nsToSeconds(stormToNs));
  });

  it('calls fail fast exactly while the logged breaker state is open or half-open, never while closed', () => {
    const transitions = breakerLines();
    const stateAt = (seconds: number): string => transitions.filter((t) => t.ts <= seconds).at(-1)?.to ?? 'closed';
    for (const span of riskClientSpans()) {
      const state = stateAt(nsToSeconds(span.startNs));
      if (span.status.message === 'circuit breaker is open') expect(state).toBe('open');
      else if (span.status.message === 'too many requests') expect(state).toBe('half-open');
      // gobreaker half-opens lazily inside the admitted probe's own call, a few microseconds after it starts.
      else expect(stateAt(nsToSeconds(span.startNs) + 0.001)).not.toBe('open');
    }
  });

  it('the breaker gauge agrees with the logged transitions at every step (0 closed, 1 half-open, 2 open)', () => {
    const transitions = breakerLines();
    const gauge = metrics.get('metrics/gobreaker_state.json')!;
    expect(gauge).toHaveLength(1);
    expect(gauge[0]!.metric).toMatchObject({ name: riskBreaker.name, service: 'payment' });
    const value: Record<string, number> = { closed: 0, 'half-open': 1, open: 2 };
    for (const [seconds, state] of gauge[0]!.values) {
      expect(state).toBe(value[transitions.filter((t) => t.ts <= seconds).at(-1)?.to ?? 'closed']);
    }
    expect(gauge[0]!.values.some(([, state]) => state === 2)).toBe(true);
  });

  it('payment serves its fallback whenever risk-engine fails it, and order and the gateway turn it into errors', () => {
    const fallbackSpans = spans.filter((s) => s.service === 'payment' && s.kind === 2 && s.attributes.get('fallback') === true);
    const failedRiskCalls = riskClientSpans().filter((s) => s.status.code === 2);
    expect(fallbackSpans.length).toBe(failedRiskCalls.length);
    const fallbackLines = logs.filter((line) => line.service === 'payment' && line.msg.includes(paymentFallbackMessage));
    expect(fallbackLines.length).toBe(fallbackSpans.length);
    const gateway503 = spans.filter((s) => s.service === 'gateway' && s.kind === 2 && s.attributes.get('http.response.status_code') === 503);
    expect(gateway503.length).toBe(fallbackSpans.length);
    for (const span of gateway503) expect(span.status.code).toBe(2);
    const fallbackTraces = new Set(fallbackSpans.map((s) => s.traceId));
    for (const span of gateway503) expect(fallbackTraces.has(span.traceId)).toBe(true);
  });

  it('every trace id and span id in the logs exists in the traces', () => {
    const spanIds = new Set(spans.map((s) => `${s.traceId}/${s.spanId}`));
    const withContext = logs.filter((line) => line.trace_id !== undefined);
    expect(withContext.length).toBeGreaterThan(1_000);
    expect(withContext.filter((line) => !spanIds.has(`${line.trace_id}/${line.span_id}`))).toEqual([]);
    const deadlineErrors = logs.filter((line) => String(line.error ?? '').includes('rpc error: code = DeadlineExceeded desc = context deadline exceeded'));
    expect(deadlineErrors.length).toBe(timedOut().length);
    expect(deadlineErrors.every((line) => line.trace_id !== undefined)).toBe(true);
  });

  it('risk-engine GC pauses rise from about 80 ms to about 1200 ms in the window, in logs and in the metric alike', () => {
    const pauses = logs.filter((line) => line.service === 'risk-engine' && line.msg === 'GC pause');
    const inStorm = (seconds: number): boolean => seconds >= nsToSeconds(stormFromNs) && seconds < nsToSeconds(stormToNs) + 2;
    const calm = pauses.filter((line) => !inStorm(line.ts)).map((line) => line.pause_ms as number);
    const storm = pauses.filter((line) => inStorm(line.ts)).map((line) => line.pause_ms as number);
    expect(Math.max(...calm)).toBeLessThan(150);
    expect(median(storm)).toBeGreaterThan(900);

    const gc = metrics.get('metrics/go_gc_duration_seconds.json')!;
    expect(new Set(gc.map((s) => s.metric.service)).size).toBeGreaterThanOrEqual(5);
    for (const series of gc) {
      const during = series.values.filter(([seconds]) => seconds > nsToSeconds(stormFromNs) + 30 && seconds < nsToSeconds(stormToNs));
      const outside = series.values.filter(([seconds]) => seconds < nsToSeconds(stormFromNs) || seconds > nsToSeconds(stormToNs) + 30);
      expect(Math.max(...outside.map(([, v]) => v)), series.metric.service).toBeLessThan(0.15);
      if (series.metric.service === 'risk-engine') expect(Math.min(...during.map(([, v]) => v))).toBeGreaterThan(0.8);
      else expect(Math.max(...during.map(([, v]) => v)), series.metric.service).toBeLessThan(0.01);
    }
  });

  it('the client timeout counter grows by exactly the timed-out spans, and only during the window', () => {
    const series = metrics.get('metrics/grpc_client_handled_total.json')!
      .find((s) => s.metric.service === 'payment' && s.metric.grpc_code === 'DeadlineExceeded' && s.metric.grpc_service === 'risk.v1.RiskService');
    expect(series).toBeDefined();
    const values = series!.values;
    expect(values.at(-1)![1] - values[0]![1]).toBe(timedOut().length);
    const beforeStorm = values.filter(([seconds]) => seconds <= nsToSeconds(stormFromNs));
    expect(new Set(beforeStorm.map(([, v]) => v)).size).toBe(1);
  });

  it('risk-engine\'s request rate collapses while the breaker is open; inventory\'s does not', () => {
    const rates = metrics.get('metrics/request_rate.json')!;
    const rateOf = (service: string): Array<[number, number]> => rates.find((s) => s.metric.service === service)!.values;
    const mean = (values: Array<[number, number]>, from: number, to: number): number => {
      const inside = values.filter(([seconds]) => seconds >= from && seconds < to).map(([, v]) => v);
      return inside.reduce((sum, v) => sum + v, 0) / inside.length;
    };
    const calmFrom = nsToSeconds(startNs) + 60;
    const calmTo = nsToSeconds(stormFromNs);
    const badFrom = nsToSeconds(stormFromNs) + 120;
    const badTo = nsToSeconds(stormToNs);
    expect(mean(rateOf('risk-engine'), badFrom, badTo)).toBeLessThan(mean(rateOf('risk-engine'), calmFrom, calmTo) * 0.5);
    expect(mean(rateOf('inventory'), badFrom, badTo)).toBeGreaterThan(mean(rateOf('inventory'), calmFrom, calmTo) * 0.7);
  });

  it('has unrelated noise: errors before the incident, 400s from the gateway, and a healthy inventory', () => {
    expect(logs.some((line) => line.level === 'error' && line.ts < nsToSeconds(stormFromNs))).toBe(true);
    const badRequests = spans.filter((s) => s.service === 'gateway' && s.attributes.get('http.response.status_code') === 400);
    expect(badRequests.some((s) => s.startNs < stormFromNs)).toBe(true);
    expect(logs.some((line) => line.service === 'order' && line.level === 'warn' && /cache miss/.test(line.msg))).toBe(true);
    expect(spans.filter((s) => s.service === 'inventory' && s.status.code === 2)).toHaveLength(0);
    expect(logs.filter((line) => line.service === 'inventory' && line.level === 'error')).toHaveLength(0);
    expect(offsetMs(spans.reduce((min, s) => (s.startNs < min ? s.startNs : min), spans[0]!.startNs))).toBeLessThan(5_000);
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
