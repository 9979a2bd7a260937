import { describe, expect, it } from 'vitest';
import type { AskAnswer, AnalysisReport } from '../../api/contract.js';
import { answerOffline } from './index.js';
import { callerSideIncident, fakeContext, quietData, SEED, seedIncident, type FakeData } from './testFixtures.js';

/** Every reference the fabricated data could legitimately be cited by. */
function knownRefs(data: FakeData): Set<string> {
  const refs = new Set<string>();
  const report: AnalysisReport = data.report;
  for (const rc of report.root_causes) for (const e of rc.evidence) refs.add(e.ref);
  for (const b of report.breakers) for (const t of b.transitions) if (t.ref) refs.add(t.ref);
  for (const f of report.deadline_findings) for (const e of f.evidence ?? []) refs.add(e.ref);
  for (const s of data.series) refs.add(`series:${s.name}{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`);
  for (const t of data.traces) refs.add(`trace:${t.trace_id}`);
  return refs;
}

async function ask(question: string, data: FakeData): Promise<AskAnswer> {
  return answerOffline(question, fakeContext(data));
}

function expectWellFormed(answer: AskAnswer, data: FakeData): void {
  expect(answer.provider).toBe('offline');
  expect(answer.answer).toMatch(answer.language === 'zh' ? /离线分析器/ : /offline analyst/);
  const refs = knownRefs(data);
  for (const c of answer.citations) {
    expect(refs.has(c.ref), `citation ${c.ref} comes from the data`).toBe(true);
    expect(c.ref.startsWith(`${c.kind}:`)).toBe(true);
  }
  for (const c of answer.citations.slice(0, 5)) expect(answer.answer).toContain(`](${c.ref})`);
}

describe('answerOffline on the seed incident (gc pauses behind a breaker)', () => {
  const data = seedIncident();
  const root = data.report.root_causes[0];

  it.each([
    ['Why did payment requests fail between 10:02 and 10:07 UTC?', 'en', /GC pauses in risk-engine/],
    ['Why did payments fail?', 'en', /GC pauses in risk-engine/],
    ['What is going on?', 'en', /GC pauses in risk-engine/],
    ['Which service is at fault?', 'en', /The fault is in risk-engine/],
    ['为什么支付失败了?', 'zh', /risk-engine 的 GC 停顿/],
    ['过去 2 小时支付失败率突增的原因是什么?', 'zh', /risk-engine 的 GC 停顿/],
    ['故障出在哪个服务?', 'zh', /故障出在 risk-engine/],
    ['说说这次事故', 'zh', /根因:risk-engine 的 GC 停顿/],
  ])('%s', async (question, language, cause) => {
    const answer = await ask(question, data);
    expect(answer.language).toBe(language);
    expect(answer.root_cause).toEqual({ service: root?.service, kind: root?.kind });
    expect(answer.answer).toMatch(cause);
    expectWellFormed(answer, data);
    expect(answer.citations.map((c) => c.ref)).toEqual(expect.arrayContaining((root?.evidence ?? []).map((e) => e.ref)));
    expect(answer.charts.length).toBeGreaterThan(0);
  });

  it.each([
    ['Why did order requests fail?', /order's failures trace back to GC pauses in risk-engine\./],
    ['为什么订单失败了?', /order 的失败根源在于 risk-engine 的 GC 停顿。/],
    ['Why did inventory fail?', /inventory is not on the failure path the analysis found/],
  ])('ties the asked service to the cause: %s', async (question, lead) => {
    expect((await ask(question, data)).answer).toMatch(lead);
  });

  it('follows a breaker that names what it guards but declares no target', async () => {
    const withoutTarget = seedIncident();
    withoutTarget.report = {
      ...withoutTarget.report,
      deadline_findings: [],
      breakers: withoutTarget.report.breakers.map((b) => ({ ...b, protects: null })),
    };
    const answer = await ask('Why did payment fail?', withoutTarget);
    expect(answer.answer).toContain('circuit breaker "risk-engine-client" opened at 2024-05-10 10:03:05 UTC');
    expect(answer.answer).toContain("payment's calls to risk-engine fail with DEADLINE_EXCEEDED");
  });

  it('counts the caller\'s own timeouts when the data does not name the peer of most of them, and names other callers of the culprit', async () => {
    const unattributed = seedIncident();
    unattributed.events = [
      ...unattributed.events.map((e) => (e.kind === 'deadline_exceeded' && e.ts > '2024-05-10T10:03:00' ? { ...e, peer: undefined } : e)),
      { ts: '2024-05-10T10:04:00.000Z', service: 'reporting', peer: 'risk-engine', kind: 'timeout' },
    ];
    const onEdge = unattributed.events.filter((e) => e.kind === 'deadline_exceeded' && e.peer === 'risk-engine').length;
    const all = unattributed.events.filter((e) => e.service === 'payment' && e.kind === 'deadline_exceeded').length;
    unattributed.services = [...unattributed.services, 'reporting'];
    const answer = await ask('Why did payment fail?', unattributed);
    expect(answer.answer).toContain(`payment reports ${all} DEADLINE_EXCEEDED / timeout events`);
    expect(answer.answer).toContain(`(${onEdge} of them explicitly on its calls to risk-engine)`);
    expect(answer.answer).toContain('Other callers of risk-engine also saw timeouts or failures: reporting (1).');
    const option = answer.charts[0]?.option as { series: { name: string }[] };
    expect(option.series[1]?.name).toMatch(/^payment timeouts per/);
  });

  it('tells the chain along the call edges: timeouts, breaker, fallback, upstream errors', async () => {
    const answer = await ask('Why did payment requests fail?', data);
    const text = answer.answer;
    const w = data.report.window;
    const orderErrors = data.events.filter((e) => e.service === 'order' && e.peer === 'payment' && e.ts >= w.from && e.ts < w.to).length;
    const order = ['GC pauses in risk-engine', "payment's calls to risk-engine fail with DEADLINE_EXCEEDED", 'circuit breaker "risk-engine-client" opened at 2024-05-10 10:03:05 UTC', 'went open 3 times', 'last closed at 2024-05-10 10:07:01 UTC', 'fallback', `upstream as errors in order (${orderErrors})`];
    let at = -1;
    for (const piece of order) {
      const next = text.indexOf(piece);
      expect(next, piece).toBeGreaterThan(at);
      at = next;
    }
    expect(text).toMatch(/Fault window: 2024-05-10 10:02:00 UTC to 2024-05-10 10:07:\d\d UTC/);
    expect(text).toContain('orphan work');
  });

  it('charts the culprit metric beside the caller timeout rate, with the breaker open intervals shaded', async () => {
    const answer = await ask('Why did payment requests fail?', data);
    const option = answer.charts[0]?.option as {
      xAxis: { type: string };
      yAxis: unknown[];
      series: { type: string; yAxisIndex: number; data: [string, number][]; markArea?: { data: [{ xAxis: string }, { xAxis: string }][] } }[];
    };
    expect(option.xAxis.type).toBe('time');
    expect(option.yAxis).toHaveLength(2);
    expect(option.series.map((s) => [s.type, s.yAxisIndex])).toEqual([['line', 0], ['line', 1]]);
    const gc = data.series.find((s) => s.service === 'risk-engine' && s.labels.quantile === '1');
    const analysed = { from: data.report.baseline?.from ?? '', to: data.report.window.to };
    const shown = gc?.points.filter((p) => p.ts >= analysed.from && p.ts < analysed.to);
    expect(shown?.length).toBeGreaterThan(10);
    expect(option.series[0]?.data).toEqual(shown?.map((p) => [p.ts, p.value]));
    const timeoutTotal = option.series[1]?.data.reduce((sum, [, v]) => sum + v, 0);
    expect(timeoutTotal).toBe(data.events.filter((e) => e.kind === 'deadline_exceeded').length);
    expect(option.series[1]?.markArea?.data.map(([a, b]) => [a.xAxis, b.xAxis])).toEqual([
      [SEED.firstOpen, '2024-05-10T10:05:07.000Z'],
      ['2024-05-10T10:06:00.000Z', SEED.lastClose],
    ]);
  });

  it.each([
    ['Which circuit breakers opened during the incident, and when did they first open?', 'en'],
    ['哪些熔断器打开了?什么时候?', 'zh'],
  ])('lists breakers: %s', async (question, language) => {
    const answer = await ask(question, data);
    expect(answer.language).toBe(language);
    expect(answer.answer).toContain('risk-engine-client');
    expect(answer.answer).toContain('2024-05-10 10:03:05 UTC');
    expect(answer.answer).toContain('2024-05-10 10:07:01 UTC');
    expect(answer.answer).toMatch(language === 'zh' ? /共打开 3 次/ : /3 open transitions/);
    expect(answer.answer).not.toContain('inventory-client');
    expect(answer.citations.map((c) => c.ref)).toEqual(expect.arrayContaining(['log:2:101', 'log:2:231']));
    const option = answer.charts[0]?.option as { yAxis: { type: string; data: string[] }; series: { step: string; data: [string, string][] }[] };
    expect(option.yAxis).toEqual({ type: 'category', data: ['closed', 'half-open', 'open'] });
    expect(option.series[0]?.step).toBe('end');
    expect(option.series[0]?.data.filter(([, s]) => s === 'open')).toHaveLength(3);
    expectWellFormed(answer, data);
  });

  it.each([
    ['支付失败率突增是否与风控服务超时相关?', /\*\*是的,相关。\*\*/],
    ['过去 2 小时支付失败率突增是否与 risk-engine 超时相关?', /\*\*是的,相关。\*\*/],
    ['Is the payment error spike related to risk-engine timeouts?', /\*\*Yes\.\*\* risk-engine is where the fault is/],
    ['Is the payment error spike related to audit?', /\*\*No\.\*\* audit is not on the failure path/],
    ['支付失败和 audit 有关吗?', /\*\*不相关。\*\*/],
  ])('related: %s', async (question, verdict) => {
    const answer = await ask(question, data);
    expect(answer.answer).toMatch(verdict);
    expectWellFormed(answer, data);
  });

  it('answers whether one service is related to the incident as a whole', async () => {
    const answer = await ask('audit 的 ERROR 日志和这次故障有关吗?', data);
    expect(answer.answer).toMatch(/\*\*不相关。\*\* audit 不在本次故障的故障链路上/);
    expect(answer.answer).toMatch(/基线期.*同样存在/);
  });

  it('shows that an off-path service was already failing before the incident', async () => {
    const answer = await ask('Is audit the root cause?', data);
    expect(answer.answer).toMatch(/\*\*No\.\*\* audit is not on the failure path/);
    expect(answer.answer).toMatch(/already there before the incident/);
  });

  it.each([
    ['Is risk-engine the root cause?', /\*\*Yes\.\*\* risk-engine is the ranked root cause/],
    ['payment 变慢了吗?它是不是这次故障的根因?', /\*\*不是,payment 不是根因。\*\*/],
    ['Is the connection pool of risk-engine simply too small?', /\*\*No, connection pool exhaustion in risk-engine is not the root cause/],
  ])('suspect: %s', async (question, verdict) => {
    const answer = await ask(question, data);
    expect(answer.answer).toMatch(verdict);
    expectWellFormed(answer, data);
  });

  it.each([
    ['When did the problem start and when was it resolved?', /The fault started at 2024-05-10 10:02:00 UTC/, /over by 2024-05-10 10:07:\d\d UTC/],
    ['故障是几点开始、几点恢复的(北京时间)?', /故障开始于 北京时间 2024-05-10 18:02:00\(2024-05-10 10:02:00 UTC\)/, /已恢复/],
  ])('when: %s', async (question, start, end) => {
    const answer = await ask(question, data);
    expect(answer.answer).toMatch(start);
    expect(answer.answer).toMatch(end);
  });

  it.each([
    ['Show me the traces', 'en'],
    ['给我看看相关的 trace', 'zh'],
  ])('traces: %s', async (question, language) => {
    const answer = await ask(question, data);
    expect(answer.language).toBe(language);
    const failing = data.traces.filter((t) => t.error).map((t) => `trace:${t.trace_id}`);
    expect(answer.citations.filter((c) => c.kind === 'trace').map((c) => c.ref)).toEqual(failing);
    for (const ref of failing) expect(answer.answer).toContain(`](${ref})`);
    expect(answer.tool_calls.map((c) => c.name)).toContain('sampleTraces');
  });

  it('lists deadline findings with their callers and callees', async () => {
    const answer = await ask('Which deadline findings are there? Any orphan work?', data);
    expect(answer.answer).toContain('payment -> risk-engine: orphan work');
    expect(answer.answer).toContain("order -> payment: the caller's timeout is below the callee's p99 latency");
    expect(answer.citations.map((c) => c.ref)).toContain('span:7f3a9c/22bb');
  });

  it('compares the baseline with the incident, with a bar chart', async () => {
    const answer = await ask('对比一下故障前后', data);
    expect(answer.language).toBe('zh');
    const option = answer.charts[0]?.option as { series: { type: string; data: number[] }[] };
    expect(option.series.map((s) => s.type)).toEqual(['bar', 'bar']);
    const [before, during] = option.series;
    expect(before?.data[0]).toBe(0);
    expect(during?.data[0]).toBeGreaterThan(0);
    expect(during?.data[1]).toBeGreaterThan(before?.data[1] ?? Infinity);
  });

  it('lists callers that saw failures toward a service', async () => {
    const answer = await ask('Do other callers of payment see the same errors?', data);
    expect(answer.answer).toMatch(/Callers of payment that saw timeouts or errors/);
    expect(answer.answer).toMatch(/- order: \d+ timeout\/error events \(baseline 0\)/);
  });

  it('says when the asked time range holds no data', async () => {
    const answer = await ask('Why did payment fail between 03:00 and 03:10 UTC on 2023-01-01?', data);
    expect(answer.answer).toMatch(/What I could not determine[\s\S]*There is no analysed data for 2023-01-01 03:00:00 UTC/);
  });

  it('says which kinds of telemetry begin after the baseline, in English and Chinese, and nothing of it when all reach into it', async () => {
    const spansFrom = data.report.window.from;
    const late: FakeData = { ...data, report: { ...data.report, signals_after_baseline: [{ signal: 'spans', from: spansFrom }] } };
    const english = await ask('Why did payment fail?', late);
    expect(english.answer).toMatch(/What I could not determine[\s\S]*The loaded spans \(from [^)]+\) begin only after the baseline ends/);
    const chinese = await ask('支付为什么失败?', late);
    expect(chinese.answer).toMatch(/已加载的链路\(从 [^)]+ 开始\)在基线期结束之后才开始/);
    expect((await ask('Why did payment fail?', data)).answer).not.toContain('begin only after the baseline');
  });

  it('says when an asked service is not in the data', async () => {
    const answer = await ask('Is billing-gateway the root cause?', data);
    expect(answer.answer).toMatch(/billing-gateway does not appear in the loaded data/);
  });

  it('records the data functions it consulted', async () => {
    const answer = await ask('Why did payment requests fail?', data);
    expect(answer.tool_calls.map((c) => c.name)).toEqual(expect.arrayContaining(['eventRate', 'series']));
  });

  it('is deterministic', async () => {
    const question = '为什么支付失败了?';
    expect(await ask(question, data)).toEqual(await ask(question, seedIncident()));
  });
});

describe('answerOffline when the fault is in the caller', () => {
  const data = callerSideIncident();

  it.each([
    ['Why are calls from bff-mobile to quote-engine failing with DEADLINE_EXCEEDED since 23:40 UTC?', /a misconfigured \(too short\) timeout in bff-mobile/],
    ['为什么 bff-mobile 调用 quote-engine 超时?', /bff-mobile 的超时配置错误\(过短\)/],
  ])('%s', async (question, cause) => {
    const answer = await ask(question, data);
    expect(answer.root_cause).toEqual({ service: 'bff-mobile', kind: 'misconfigured_timeout' });
    expect(answer.answer).toMatch(cause);
    expect(answer.answer).toMatch(/quote-engine('s own server side reports p99 95 ms and 0 errors| 服务端自身 p99 为 95 ms,错误 0 个)/);
    expectWellFormed(answer, data);
  });

  it('answers "related, but not the root cause" for the healthy callee', async () => {
    const answer = await ask('过去 2 小时 bff-mobile 失败率突增是否与 quote-engine 超时相关?', { ...data, askedAt: '2023-03-02T00:05:00Z' });
    expect(answer.answer).toMatch(/\*\*相关,但 quote-engine 不是根因。\*\*/);
  });

  it('names upstream callers, never the callee on the failing edge', async () => {
    const withUpstream = callerSideIncident();
    withUpstream.events = [
      ...withUpstream.events,
      { ts: '2023-03-01T23:41:00.000Z', service: 'edge-router', peer: 'bff-mobile', kind: 'error' },
      { ts: '2023-03-01T23:41:00.000Z', service: 'quote-engine', peer: 'bff-mobile', kind: 'cancelled' },
      { ts: '2023-03-01T23:41:01.000Z', service: 'quote-engine', peer: 'bff-mobile', kind: 'error' },
    ];
    const answer = await ask('Why did bff-mobile fail?', withUpstream);
    expect(answer.answer).toContain('The failures surfaced upstream as errors in edge-router (1).');
  });

  it.each([
    ['misconfigured_timeout', true, false],
    ['retry_storm', false, true],
    ['dependency_down', false, false],
  ] as const)('for a %s in the caller, explains the callee accordingly', async (kind, healthy, overloaded) => {
    const variant = callerSideIncident();
    variant.report = { ...variant.report, root_causes: variant.report.root_causes.map((rc) => ({ ...rc, kind })) };
    const answer = await ask('Why did bff-mobile fail?', variant);
    expect(answer.answer.includes('the timeouts are decided on the caller')).toBe(healthy);
    expect(answer.answer.includes('The retries multiply the load on quote-engine')).toBe(overloaded);
  });

  it('says that quote-engine is not the cause', async () => {
    const answer = await ask('quote-engine 变慢了吗?', data);
    expect(answer.answer).toMatch(/\*\*不是,quote-engine 不是根因。\*\*/);
  });

  it('says no metrics are loaded and charts the timeout rate alone', async () => {
    const answer = await ask('Why did bff-mobile fail?', data);
    expect(answer.answer).toMatch(/No metric series for bff-mobile is loaded/);
    const option = answer.charts[0]?.option as { series: { type: string }[]; yAxis: unknown[] };
    expect(option.series).toHaveLength(1);
    expect(option.yAxis).toHaveLength(1);
  });

  it('says no breaker opened', async () => {
    const answer = await ask('Which circuit breakers opened?', data);
    expect(answer.answer).toContain('No circuit breaker activity is in the loaded data.');
    expect(answer.charts).toEqual([]);
  });

  it('says it cannot compare without a baseline', async () => {
    const answer = await ask('Compare before vs during', data);
    expect(answer.answer).toMatch(/no baseline window/);
  });

  it('says the relative range was measured from the end of the data when asked_at is unknown', async () => {
    const answer = await ask('What failed in the past 2 hours?', data);
    expect(answer.answer).toMatch(/measured back from the end of the analysed data \(2023-03-01 23:59:00 UTC\)/);
  });
});

describe('answerOffline without a root cause', () => {
  const data = quietData();

  it.each([
    ['Why did catalog fail?', 'en', /did not find a root cause/],
    ['为什么 catalog 失败了?', 'zh', /没有在已加载的数据中找到根因/],
    ['When did it start?', 'en', /did not find a root cause/],
    ['Is catalog related to payments?', 'en', /cannot tell whether/],
  ])('%s', async (question, language, text) => {
    const answer = await ask(question, data);
    expect(answer.language).toBe(language);
    expect(answer.root_cause).toBeNull();
    expect(answer.answer).toMatch(text);
    expect(answer.charts).toEqual([]);
    expect(answer.citations).toEqual([]);
  });

  it('says there are no failing traces', async () => {
    const answer = await ask('show me the failing traces', data);
    expect(answer.answer).toMatch(/No failing traces/);
  });
});

describe('verdicts on who else suffered, and the culprit metrics behind the story', () => {
  it('answers no when only the caller on the failure path saw failures toward the service', async () => {
    const data = seedIncident();
    const answer = await ask('Do other callers of risk-engine see the same timeouts?', data);
    expect(answer.answer).toMatch(/\*\*No\.\*\* Only payment's calls to risk-engine show timeouts or errors/);
    expectWellFormed(answer, data);
  });

  it('answers yes, naming them, when callers off the failure path failed too', async () => {
    const base = seedIncident();
    const extra = Array.from({ length: 5 }, (_, i) => ({
      ts: new Date(Date.parse(SEED.faultStart) + (i + 1) * 30_000).toISOString(),
      service: 'audit',
      peer: 'risk-engine',
      kind: 'timeout' as const,
    }));
    const answer = await ask('其他调用方也受影响吗?调用 risk-engine 的服务', { ...base, events: [...base.events, ...extra] });
    expect(answer.answer).toMatch(/\*\*是的。\*\* 故障链路之外的 risk-engine 调用方同样受到影响:audit \(5\)/);
  });

  it('tells the culprit metric that moved, in the unit its name declares', async () => {
    const answer = await ask('Why did payments fail?', seedIncident());
    expect(answer.answer).toMatch(/Metrics that moved with the fault:\n- go_gc_duration_seconds: 20 ms in the baseline, up to 1\.21 s/);
  });

  it('says when the culprit metric settled, and when its instance stopped reporting while still high', async () => {
    const settled = await ask('When did it recover?', seedIncident());
    expect(settled.answer).toMatch(/risk-engine's go_gc_duration_seconds was back to its usual level at 2024-05-10 10:07:00 UTC/);

    const base = seedIncident();
    const cutOff = base.series.map((s) =>
      s.service === 'risk-engine' && s.labels.quantile === '1' ? { ...s, points: s.points.filter((p) => Date.parse(p.ts) <= Date.parse('2024-05-10T10:05:00.000Z')) } : s,
    );
    const stopped = await ask('When did it recover?', { ...base, series: cutOff });
    expect(stopped.answer).toMatch(/stayed high until its last sample at 2024-05-10 10:05:00 UTC; then that instance stopped reporting/);
  });

  it('lists the changes the change finder returns, with their lines cited, or says the trigger cannot be named', async () => {
    const data = seedIncident();
    const asked: { faultStart: string; services?: string[] }[] = [];
    const changes = async (q: { faultStart: string; faultEnd: string; services?: string[] }) => {
      asked.push(q);
      return [{ at: '2024-05-10T09:50:00.000Z', service: 'risk-engine', body: 'starting risk-engine version=3.1.0', lines: 3, ref: 'log:9:3' }];
    };
    const answer = await answerOffline('Why did payments fail?', { ...fakeContext(data), changes });
    expect(answer.answer).toMatch(/Changes logged before and during the fault[^\n]*\n- 2024-05-10 09:50:00 UTC risk-engine: starting risk-engine version=3\.1\.0 \(3 lines alike\)/);
    expect(answer.citations.map((c) => c.ref)).toContain('log:9:3');
    expect(asked[0]?.services).toContain('risk-engine');
    expect(Date.parse(asked[0]?.faultStart ?? '')).toBeGreaterThan(Date.parse('2024-05-10T09:55:00.000Z'));

    const without = await ask('Why did payments fail?', data);
    expect(without.answer).toMatch(/What I could not determine[\s\S]*What set the fault off/);
  });
});
