import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToolLoop } from '../llm/loop.js';
import { Redactor } from '../redaction.js';
import { openSqlGuard, type SqlGuard } from '../sqlGuard.js';
import { scriptedModel } from '../testing/scriptedModel.js';
import { FIXTURE_START_NS, incidentRecords, log, openFixture, type TelemetryFixture } from '../testing/telemetryFixture.js';
import type { ToolContext } from './defineTool.js';
import { AGENT_TOOLS } from './index.js';

const NONCE = 'test-nonce';

describe('agent tools', () => {
  const records = incidentRecords();
  let fixture: TelemetryFixture;
  let guard: SqlGuard;
  let ctx: ToolContext;

  beforeAll(async () => {
    fixture = await openFixture(records);
    guard = await openSqlGuard(fixture.dbPath);
    ctx = { store: fixture.store, guardedSql: (sql) => guard.query(sql), signal: new AbortController().signal, artifacts: { charts: [], rootCauses: [] } };
  });
  afterAll(() => {
    guard.close();
    fixture.dispose();
  });

  /** Runs one scripted tool call through the loop and returns the tool message the model got back. */
  async function toolReply(name: string, args: string | Record<string, unknown>): Promise<string> {
    const model = scriptedModel([{ calls: [{ name, arguments: args }] }, { text: 'done' }]);
    await runToolLoop({ model, tools: AGENT_TOOLS, ctx, systemPrompt: 'system', question: 'why?', redactor: new Redactor(), nonce: NONCE, maxRounds: 3 });
    const toolMessage = model.requests[1]!.messages.find((message) => message.role === 'tool');
    return String(toolMessage?.content);
  }

  it('has one tool per name, each with an object schema for the model', () => {
    const names = AGENT_TOOLS.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      ['breaker_timeline', 'compare_windows', 'deadline_findings', 'get_trace', 'make_chart', 'resilience_events', 'root_causes', 'run_sql', 'search_logs', 'service_overview'].sort(),
    );
    for (const tool of AGENT_TOOLS) expect(tool.description.length).toBeGreaterThan(40);
  });

  const badArguments: [string, Record<string, unknown>][] = [
    ['service_overview', { from: 'yesterday', to: 'today' }],
    ['resilience_events', { kinds: ['explosion'] }],
    ['breaker_timeline', { service: 42 }],
    ['deadline_findings', { kinds: ['late'] }],
    ['root_causes', { window: 'last hour' }],
    ['compare_windows', { incident_from: '2024-01-01T00:00:00Z' }],
    ['get_trace', {}],
    ['search_logs', { limit: 500 }],
    ['run_sql', { query: 'SELECT 1' }],
    ['make_chart', { title: 'x', source: { kind: 'pie' } }],
  ];

  it.each(badArguments)('%s: bad arguments go back to the model as a tool error', async (name, args) => {
    const reply = await toolReply(name, args);
    expect(reply).toContain(`invalid arguments for ${name}`);
    expect(reply).toContain(`<telemetry-data nonce="${NONCE}">`);
  });

  it('tells the model about an unknown tool and lists the real ones', async () => {
    const reply = await toolReply('drop_everything', {});
    expect(reply).toMatch(/unknown tool "drop_everything"; the tools are .*run_sql/);
  });

  it('tells the model when its arguments are not JSON', async () => {
    expect(await toolReply('search_logs', '{"text": "dead')).toMatch(/not valid JSON/);
  });

  it('refuses a half-open time window with a reason', async () => {
    expect(await toolReply('search_logs', { from: '2024-05-29T16:26:40Z' })).toMatch(/give both "from" and "to"/);
  });

  it('search_logs finds lines by text, case-insensitively, with references', async () => {
    const result = (await AGENT_TOOLS.find((t) => t.name === 'search_logs')!.run({ text: 'DEADLINE', severity: 'ERROR', limit: 5 }, ctx)) as {
      total_matches: number;
      lines: { ref: string; body: string }[];
    };
    const expected = records.logs.filter((log) => log.severity === 'ERROR' && /deadline/i.test(log.body)).length;
    expect(result.total_matches).toBe(expected);
    expect(result.lines).toHaveLength(5);
    for (const line of result.lines) {
      expect(line.ref).toMatch(/^log:\d+:\d+$/);
      expect(line.body.toLowerCase()).toContain('deadline');
    }
  });

  it('get_trace returns the spans and linked logs of one trace', async () => {
    const log = records.logs[0]!;
    const traceId = log.traceId!;
    const result = (await AGENT_TOOLS.find((t) => t.name === 'get_trace')!.run({ trace_id: `trace:${traceId}` }, ctx)) as {
      spans: { ref: string; service: string }[];
      logs: { ref: string }[];
    };
    const spans = records.spans.filter((span) => span.traceId === traceId);
    expect(result.spans.map((span) => span.ref).sort()).toEqual(spans.map((span) => `span:${traceId}/${span.spanId}`).sort());
    expect(result.logs).toHaveLength(records.logs.filter((l) => l.traceId === traceId).length);
  });

  it('get_trace says when a trace does not exist', async () => {
    expect(await toolReply('get_trace', { trace_id: 'no-such-trace' })).toMatch(/no trace with id "no-such-trace"/);
  });

  it('run_sql answers through the guard and refuses writes', async () => {
    const ok = await toolReply('run_sql', { sql: 'SELECT count(*) AS n FROM spans' });
    expect(ok).toContain(`[[${records.spans.length}]]`);
    const refused = await toolReply('run_sql', { sql: 'DELETE FROM spans' });
    expect(refused).toMatch(/Error: only SELECT or WITH queries are allowed/);
  });

  it('make_chart draws a chart from SQL and hands it to the answer', async () => {
    const before = ctx.artifacts.charts.length;
    const reply = await toolReply('make_chart', {
      title: 'Spans per service',
      chart_type: 'bar',
      source: { kind: 'sql', sql: 'SELECT service, count(*) AS spans FROM spans GROUP BY service ORDER BY service', x: 'service', y: ['spans'] },
    });
    expect(reply).toContain('"shown_to_user":true');
    const chart = ctx.artifacts.charts[before]!;
    expect(chart.title).toBe('Spans per service');
    const option = chart.option as { xAxis: { data: string[] }; series: { type: string; data: number[] }[] };
    expect(option.xAxis.data).toEqual([...new Set(records.spans.map((s) => s.service))].sort());
    expect(option.series[0]!.type).toBe('bar');
    expect(option.series[0]!.data.reduce((a, b) => a + b, 0)).toBe(records.spans.length);
  });

  it('make_chart draws resilience event rates on a time axis', async () => {
    const before = ctx.artifacts.charts.length;
    const reply = await toolReply('make_chart', { title: 'Deadline events', source: { kind: 'event_rate', kinds: ['deadline_exceeded'] } });
    expect(reply).not.toContain('Error:');
    const option = ctx.artifacts.charts[before]!.option as { xAxis: { type: string }; series: { data: [string, number][] }[] };
    expect(option.xAxis.type).toBe('time');
    const total = option.series[0]!.data.reduce((sum, [, count]) => sum + count, 0);
    const events = await fixture.store.withRead((reader) => reader.all<{ n: number }>("SELECT count(*) AS n FROM resilience_events WHERE kind = 'deadline_exceeded'"));
    expect(total).toBe(events[0]!.n);
  });

  it('make_chart says when a metric has no data rather than drawing an empty chart', async () => {
    expect(await toolReply('make_chart', { title: 'GC', source: { kind: 'metric', name_like: '%gc%' } })).toMatch(/no data for this chart/);
    expect(await toolReply('make_chart', { title: 'GC', source: { kind: 'metric' } })).toMatch(/give the metric "name" or a "name_like" pattern/);
  });

  it('make_chart draws a heatmap: one row per series, a cell per x value, the value as colour', async () => {
    const before = ctx.artifacts.charts.length;
    const reply = await toolReply('make_chart', {
      title: 'Failures per service and status',
      chart_type: 'heatmap',
      source: { kind: 'sql', sql: 'SELECT service, status_code, count(*) AS spans FROM spans GROUP BY ALL ORDER BY ALL', x: 'status_code', y: ['spans'], series: 'service' },
    });
    expect(reply).toContain('"shown_to_user":true');
    const option = ctx.artifacts.charts[before]!.option as { xAxis: { data: unknown[] }; yAxis: { data: string[] }; series: { type: string; data: [number, number, number][] }[] };
    expect(option.series[0]!.type).toBe('heatmap');
    const cells = option.series[0]!.data;
    expect(cells.reduce((sum, [, , value]) => sum + value, 0)).toBe(records.spans.length);
    for (const [x, y, value] of cells) {
      const service = option.yAxis.data[y]!.split(' ')[0];
      const status = Number(option.xAxis.data[x]);
      expect(records.spans.filter((span) => span.service === service && span.statusCode === status)).toHaveLength(value);
    }
  });

  it('make_chart draws breaker timelines, and only from the breaker source', async () => {
    const opensAt = FIXTURE_START_NS + 45_000n * 1_000_000n;
    const closesAt = opensAt + 10_000n * 1_000_000n;
    const breakerLogs = [
      log({ tsNs: opensAt, service: 'frontend', body: 'CB ledger-client state changed: closed -> open', sourceLine: 900 }),
      log({ tsNs: closesAt, service: 'frontend', body: 'CB ledger-client state changed: open -> half-open', sourceLine: 901 }),
    ];
    const withBreaker = await openFixture({ spans: records.spans, logs: [...records.logs, ...breakerLogs] }, 'breakers');
    const breakerGuard = await openSqlGuard(withBreaker.dbPath);
    try {
      const breakerCtx: ToolContext = { ...ctx, store: withBreaker.store, guardedSql: (sql) => breakerGuard.query(sql), artifacts: { charts: [], rootCauses: [] } };
      const tool = AGENT_TOOLS.find((t) => t.name === 'make_chart')!;
      await tool.run({ title: 'Breakers', chart_type: 'breaker_timeline', source: { kind: 'breaker' } }, breakerCtx);
      const option = breakerCtx.artifacts.charts[0]!.option as { yAxis: { data: string[] }; series: { name: string; step: string; data: [string, string][]; markArea: { data: { xAxis: string }[][] } }[] };
      expect(option.yAxis.data).toEqual(['closed', 'half-open', 'open']);
      const line = option.series.find((series) => series.name === 'frontend/ledger-client')!;
      expect(line.step).toBe('end');
      expect(line.data.map(([, state]) => state).slice(0, 3)).toEqual(['closed', 'open', 'half-open']);
      expect(line.markArea.data).toEqual([[{ xAxis: new Date(Number(opensAt / 1_000_000n)).toISOString() }, { xAxis: new Date(Number(closesAt / 1_000_000n)).toISOString() }]]);
      await expect(tool.run({ title: 'x', chart_type: 'line', source: { kind: 'breaker' } }, breakerCtx)).rejects.toThrow(/breaker_timeline/);
    } finally {
      breakerGuard.close();
      withBreaker.dispose();
    }
  });

  it('make_chart names the columns when asked for one that is not there', async () => {
    const reply = await toolReply('make_chart', { title: 't', source: { kind: 'sql', sql: 'SELECT service FROM spans', x: 'service', y: ['latency'] } });
    expect(reply).toMatch(/no column "latency"; its columns are service/);
  });

  it('resilience_events groups events with references to cite', async () => {
    const result = (await AGENT_TOOLS.find((t) => t.name === 'resilience_events')!.run({}, ctx)) as { groups: { events: number; refs: string[] }[] };
    for (const group of result.groups) {
      expect(group.events).toBeGreaterThan(0);
      for (const ref of group.refs) expect(ref).toMatch(/^event:[a-z_]+:[^:]+:\d+$/);
    }
  });

  it('compare_windows compares an incident window with a baseline', async () => {
    const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();
    const starts = records.spans.map((span) => span.startNs).sort((a, b) => (a < b ? -1 : 1));
    const failingStart = records.spans.filter((span) => span.statusCode === 2).map((span) => span.startNs).sort((a, b) => (a < b ? -1 : 1))[0]!;
    const reply = await toolReply('compare_windows', {
      baseline_from: iso(starts[0]!),
      baseline_to: iso(failingStart),
      incident_from: iso(failingStart),
      incident_to: iso(starts.at(-1)! + 1_000_000_000n),
    });
    expect(reply).not.toContain('Error:');
    const body = JSON.parse(reply.split('\n').slice(2, -1).join('\n')) as { incident_spans: number; baseline_spans: number };
    expect(body.incident_spans).toBe(records.spans.filter((span) => span.startNs >= failingStart).length);
    expect(body.baseline_spans).toBe(records.spans.filter((span) => span.startNs < failingStart).length);
  });

  it.each(['service_overview', 'breaker_timeline', 'deadline_findings', 'root_causes'])('%s runs on the whole incident', async (name) => {
    const reply = await toolReply(name, {});
    expect(reply).not.toContain('Error:');
  });
});
