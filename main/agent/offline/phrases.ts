import type { DeadlineFindingKind, RootCauseKind, SignalKind } from '../../api/contract.js';
import type { Language } from './language.js';

/** How a time is shown: always UTC, plus the zone the user asked in when it differs. */
export interface TimeStyle {
  tzOffsetMinutes: number | null;
}

const MINUTE_MS = 60_000;

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function zoneName(offsetMinutes: number, lang: Language): string {
  if (offsetMinutes === 480 && lang === 'zh') return '北京时间';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const minutes = abs % 60 === 0 ? '' : `:${String(abs % 60).padStart(2, '0')}`;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes}`;
}

export function formatTime(iso: string, lang: Language, style: TimeStyle): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const utc = `${new Date(ms).toISOString().slice(0, 10)} ${clock(ms)} UTC`;
  const offset = style.tzOffsetMinutes;
  if (offset === null || offset === 0) return utc;
  const local = ms + offset * MINUTE_MS;
  const localDay = new Date(local).toISOString().slice(0, 10);
  const zone = zoneName(offset, lang);
  return lang === 'zh' ? `${zone} ${localDay} ${clock(local)}(${utc})` : `${localDay} ${clock(local)} ${zone} (${utc})`;
}

export function formatDuration(ms: number, lang: Language): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts: string[] = [];
  if (lang === 'zh') {
    if (hours) parts.push(`${hours} 小时`);
    if (minutes) parts.push(`${minutes} 分`);
    if (seconds || parts.length === 0) parts.push(`${seconds} 秒`);
    return parts.join(' ');
  }
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds || parts.length === 0) parts.push(`${seconds} s`);
  return parts.join(' ');
}

const KIND_EN: Record<RootCauseKind, (s: string) => string> = {
  gc_pause: (s) => `GC pauses in ${s}`,
  cpu_saturation: (s) => `CPU saturation in ${s}`,
  memory_pressure: (s) => `memory pressure in ${s}`,
  slow_query: (s) => `slow database queries in ${s}`,
  dependency_down: (s) => `${s} being down (unreachable: connections refused or unavailable)`,
  network_latency: (s) => `network latency on calls made by ${s}`,
  connection_pool_exhaustion: (s) => `connection pool exhaustion in ${s}`,
  misconfigured_timeout: (s) => `a misconfigured (too short) timeout in ${s}`,
  missing_deadline_propagation: (s) => `missing deadline propagation in ${s} (work continues after callers give up)`,
  retry_storm: (s) => `a retry storm from ${s}`,
  error_return: (s) => `errors returned by ${s} itself`,
  unknown: (s) => `an unclassified fault in ${s}`,
};

const KIND_ZH: Record<RootCauseKind, (s: string) => string> = {
  gc_pause: (s) => `${s} 的 GC 停顿`,
  cpu_saturation: (s) => `${s} 的 CPU 打满`,
  memory_pressure: (s) => `${s} 的内存压力`,
  slow_query: (s) => `${s} 的慢查询`,
  dependency_down: (s) => `${s} 宕机(不可达:连接被拒绝或不可用)`,
  network_latency: (s) => `${s} 发出调用的网络延迟`,
  connection_pool_exhaustion: (s) => `${s} 的连接池耗尽`,
  misconfigured_timeout: (s) => `${s} 的超时配置错误(过短)`,
  missing_deadline_propagation: (s) => `${s} 未传递 deadline(调用方超时后请求仍在执行)`,
  retry_storm: (s) => `${s} 发起的重试风暴`,
  error_return: (s) => `${s} 自身返回错误`,
  unknown: (s) => `${s} 的未分类故障`,
};

const FINDING_EN: Record<DeadlineFindingKind, string> = {
  deadline_exceeded: 'deadline exceeded (DEADLINE_EXCEEDED)',
  orphan_work: 'orphan work: the callee kept working after the caller gave up',
  timeout_below_callee_p99: "the caller's timeout is below the callee's p99 latency",
  child_timeout_exceeds_budget: 'a child call timeout longer than the remaining budget',
  retry_exceeds_budget: 'retries that outlast the deadline budget',
  budget_decay: 'the deadline budget decays across hops',
};

const FINDING_ZH: Record<DeadlineFindingKind, string> = {
  deadline_exceeded: '超过 deadline(DEADLINE_EXCEEDED)',
  orphan_work: '孤儿任务:调用方已放弃,被调方仍在执行',
  timeout_below_callee_p99: '调用方超时阈值低于被调方 p99 耗时',
  child_timeout_exceeds_budget: '子调用超时超过剩余预算',
  retry_exceeds_budget: '重试总耗时超过 deadline 预算',
  budget_decay: 'deadline 预算逐跳衰减',
};

export function rootCausePhrase(kind: RootCauseKind, service: string, lang: Language): string {
  return lang === 'zh' ? KIND_ZH[kind](service) : KIND_EN[kind](service);
}

export function findingPhrase(kind: DeadlineFindingKind, lang: Language): string {
  return lang === 'zh' ? FINDING_ZH[kind] : FINDING_EN[kind];
}

function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** Every sentence the offline analyst says, in English and in Chinese. */
export interface Phrasebook {
  offlineBanner: string;
  /** The banner when a configured LLM failed and the offline analyst stepped in. */
  offlineBannerAfterFailure: string;
  evidenceHeading: string;
  notDeterminedHeading: string;
  chainHeading: string;
  rootCause: (cause: string, confidence: number, started: string) => string;
  analysisSummary: (summary: string) => string;
  faultWindow: (from: string, to: string, duration: string) => string;
  faultOngoing: (from: string) => string;
  culpritStep: (cause: string) => string;
  calleeNormal: (callee: string, p99: string, errors: number) => string;
  calleeOverloaded: (callee: string, p99: string) => string;
  timeoutStep: (caller: string, callee: string, count: number, from: string, to: string) => string;
  timeoutStepCaller: (caller: string, callee: string, count: number, onEdge: number, from: string, to: string) => string;
  otherCallersStep: (target: string, callers: string) => string;
  timeoutsInAsked: (count: number) => string;
  breakerStep: (service: string, breaker: string, firstOpen: string, opens: number, closed: string | null) => string;
  fallbackStep: (service: string, count: number) => string;
  upstreamStep: (services: string) => string;
  findingLine: (caller: string, callee: string, what: string, count: number) => string;
  alternatives: (list: string) => string;
  whyLead: (service: string, cause: string) => string;
  whyOffPath: (service: string, cause: string) => string;
  noRootCause: string;
  noRootCauseDetail: string;
  unknownService: (names: string, known: string) => string;
  noMetrics: (service: string) => string;
  noTimeoutsOnEdge: (caller: string, callee: string) => string;
  askedOutsideData: (asked: string, data: string) => string;
  askedWindowNote: (asked: string) => string;
  nowAssumed: (end: string) => string;
  dateAssumed: (date: string) => string;
  range: (from: string, to: string) => string;
  // when
  whenStarted: (at: string) => string;
  whenImpact: (from: string, to: string) => string;
  whenEnded: (at: string, duration: string) => string;
  whenNotEnded: string;
  // breakers
  breakersHeadline: (count: number) => string;
  breakerLine: (b: { service: string; breaker: string; protects: string | null; firstOpen: string; opens: number; lastClose: string | null; source: string | null }) => string;
  noBreakerOpened: (closedCount: number) => string;
  // deadlines
  deadlinesHeadline: (count: number) => string;
  noDeadlineFindings: string;
  // related / suspect
  /** `a` is the symptom the user named, or null for the incident as a whole. */
  relatedYesCulprit: (a: string | null, b: string, cause: string) => string;
  relatedYesOnPath: (a: string | null, b: string, cause: string) => string;
  relatedYesTiming: (a: string, b: string, bStart: string, aStart: string) => string;
  relatedNo: (a: string | null, b: string, cause: string) => string;
  relatedUnknown: (a: string | null, b: string) => string;
  suspectYes: (x: string, cause: string) => string;
  suspectOnPath: (x: string, cause: string) => string;
  suspectOffPath: (x: string, cause: string) => string;
  suspectBaseline: (x: string, before: number, during: number) => string;
  suspectStats: (x: string, requests: number, errors: number, timeouts: number, p99: string) => string;
  // impact
  impactHeadline: (target: string) => string;
  /** Callers beyond the one on the failure path also failed (`others`), or only the path's caller did. */
  impactVerdictYes: (target: string, others: string) => string;
  impactVerdictNo: (target: string, pathCaller: string) => string;
  metricsHeading: string;
  metricMoved: (name: string, before: string | null, peak: string) => string;
  workersExhausted: (service: string) => string;
  heapAtPause: (service: string, pause: string, at: string, heapMb: number, limitMb: number, liveMb: number) => string;
  metricRecovered: (service: string, metric: string, at: string) => string;
  metricStopped: (service: string, metric: string, at: string) => string;
  triggerUnknown: string;
  changesHeading: string;
  /** A change line's source when it names no service. */
  unnamedService: string;
  sameLines: (count: number) => string;
  impactCaller: (caller: string, during: number, before: number | null) => string;
  impactQuiet: (callers: string) => string;
  impactNone: (target: string) => string;
  impactErrors: (list: string) => string;
  // compare
  compareHeadline: (before: string, during: string) => string;
  compareRow: (label: string, before: number, during: number) => string;
  noBaseline: string;
  /** Kinds of telemetry (with when each begins) that start after the baseline ends. */
  signalsAfterBaseline: (starts: { signal: SignalKind; from: string }[]) => string;
  compareTimeoutsLabel: (caller: string, callee: string) => string;
  compareMetricLabel: (metric: string) => string;
  compareErrorsLabel: (service: string) => string;
  beforeLabel: string;
  duringLabel: string;
  // traces
  tracesHeadline: (service: string, count: number) => string;
  traceLine: (link: string, root: string, duration: string, start: string, error: boolean) => string;
  noTraces: (service: string) => string;
  // change
  changeNote: string;
  changeAtPoint: (point: string, cause: string, started: string) => string;
  changeTrigger: (cause: string, started: string) => string;
  // charts
  chartSymptomTitle: (culprit: string, caller: string) => string;
  chartEdgeTitle: (caller: string, callee: string) => string;
  chartCallerTimeoutsSeries: (caller: string, stepSeconds: number) => string;
  chartTimeoutsSeries: (caller: string, callee: string, stepSeconds: number) => string;
  chartBreakerTitle: string;
  chartCompareTitle: string;
  openLabel: string;
  summaryBreakers: (list: string) => string;
}

export const PHRASES: Record<Language, Phrasebook> = {
  en: {
    offlineBanner: '*Answered by the built-in offline analyst (no LLM configured): a deterministic reading of the analysis.*',
    offlineBannerAfterFailure: '*Answered by the built-in offline analyst in place of the LLM: a deterministic reading of the analysis.*',
    evidenceHeading: '**Evidence**',
    notDeterminedHeading: '**What I could not determine**',
    chainHeading: '**How it spread**',
    rootCause: (cause, confidence, started) => `**Root cause: ${cause}** (confidence ${percent(confidence)}), starting at ${started}.`,
    analysisSummary: (summary) => `The analysis says: ${summary}`,
    faultWindow: (from, to, duration) => `Fault window: ${from} to ${to} (${duration}).`,
    faultOngoing: (from) => `Fault window: from ${from}, still ongoing at the end of the data.`,
    culpritStep: (cause) => `It starts with ${cause}.`,
    calleeNormal: (callee, p99, errors) =>
      `${callee}'s own server side reports p99 ${p99} and ${errors} error${errors === 1 ? '' : 's'}, its server-side time normal: the timeouts are decided on the caller's side, not by ${callee} itself.`,
    timeoutStep: (caller, callee, count, from, to) =>
      `${caller}'s calls to ${callee} fail with DEADLINE_EXCEEDED / timeouts: ${count} events between ${from} and ${to}.`,
    calleeOverloaded: (callee, p99) =>
      `The retries multiply the load on ${callee} (p99 ${p99}), so the overload keeps itself going after the first slowdown is over (a metastable failure).`,
    timeoutStepCaller: (caller, callee, count, onEdge, from, to) =>
      `${caller} reports ${count} DEADLINE_EXCEEDED / timeout events between ${from} and ${to}` +
      (onEdge > 0 ? ` (${onEdge} of them explicitly on its calls to ${callee}).` : `; the data does not say which call each belongs to, and ${callee} is the dependency on the failure path.`),
    otherCallersStep: (target, callers) => `Other callers of ${target} also saw timeouts or failures: ${callers}.`,
    timeoutsInAsked: (count) => `${count} of them fall inside the window you asked about.`,
    breakerStep: (service, breaker, firstOpen, opens, closed) =>
      `${service}'s circuit breaker "${breaker}" opened at ${firstOpen}, went open ${opens} time${opens === 1 ? '' : 's'}` +
      (closed ? ` and last closed at ${closed}.` : ' and was still open at the end of the data.'),
    fallbackStep: (service, count) => `While it was open, ${service} served fallback responses (${count} fallback events).`,
    upstreamStep: (services) => `The failures surfaced upstream as errors in ${services}.`,
    findingLine: (caller, callee, what, count) => `${caller} -> ${callee}: ${what} (${count}×)`,
    alternatives: (list) => `Other candidates, weaker: ${list}.`,
    whyLead: (service, cause) => `${service}'s failures trace back to ${cause}.`,
    whyOffPath: (service, cause) => `${service} is not on the failure path the analysis found; the incident's root cause is ${cause}.`,
    noRootCause: 'The analysis did not find a root cause in the loaded data.',
    noRootCauseDetail: 'No root cause was ranked: the data may not cover the incident, or it lacks the spans, logs or metrics that would show one.',
    unknownService: (names, known) => `${names} does not appear in the loaded data. Services present: ${known}.`,
    noMetrics: (service) => `No metric series for ${service} is loaded, so the chart cannot show its own metrics.`,
    noTimeoutsOnEdge: (caller, callee) => `No timeout events were found on ${caller} -> ${callee}.`,
    askedOutsideData: (asked, data) => `There is no analysed data for ${asked}: the analysis covers ${data}.`,
    askedWindowNote: (asked) => `You asked about ${asked}.`,
    nowAssumed: (end) => `No time of asking was given, so the relative range was measured back from the end of the analysed data (${end}).`,
    dateAssumed: (date) => `The question gives no date; I took ${date}, the day of the data.`,
    range: (from, to) => `${from} – ${to}`,
    whenStarted: (at) => `**The fault started at ${at}.**`,
    whenImpact: (from, to) => `Callers saw timeouts from ${from} to ${to}.`,
    whenEnded: (at, duration) => `It was over by ${at} (the fault lasted about ${duration}).`,
    whenNotEnded: 'It had not recovered by the end of the data.',
    breakersHeadline: (count) => `**${count} circuit breaker${count === 1 ? '' : 's'} opened:**`,
    breakerLine: (b) =>
      `**${b.service}** breaker "${b.breaker}"${b.protects ? ` (protects calls to ${b.protects})` : ''}: first opened at ${b.firstOpen}, ` +
      `${b.opens} open transition${b.opens === 1 ? '' : 's'}, ` +
      (b.lastClose ? `last closed at ${b.lastClose}` : 'still open at the end of the data') +
      (b.source ? ` (from ${b.source === 'behaviour' ? 'fast-failure behaviour' : b.source === 'metric' ? 'a state metric' : 'log lines'})` : '') +
      '.',
    noBreakerOpened: (closedCount) =>
      closedCount > 0 ? `No circuit breaker opened; ${closedCount} breaker${closedCount === 1 ? '' : 's'} stayed closed.` : 'No circuit breaker activity is in the loaded data.',
    deadlinesHeadline: (count) => `**${count} deadline / timeout finding${count === 1 ? '' : 's'}:**`,
    noDeadlineFindings: 'The analysis made no deadline or timeout findings (no orphan work, no timeout below a callee p99, no budget problems).',
    relatedYesCulprit: (a, b, cause) => `**Yes.** ${b} is where the fault is (${cause}), and ${a ? `${a}'s failures follow` : 'the incident follows'} from it.`,
    relatedYesOnPath: (a, b, cause) =>
      `**Yes, but ${b} is not the root cause.** ${b} is on the failure path${a ? ` of ${a}` : ''}, but the timeouts come from ${cause}.`,
    relatedYesTiming: (a, b, bStart, aStart) =>
      `**Probably.** ${b}'s timeouts began at ${bStart}, before ${a}'s errors at ${aStart}, although the analysis did not put ${b} on the causal path.`,
    relatedNo: (a, b, cause) => `**No.** ${b} is not on the failure path of ${a ?? 'this incident'}; the analysis traces the failures to ${cause}.`,
    relatedUnknown: (a, b) =>
      `I cannot tell whether ${a ? `${a} and ${b} are related` : `${b} is related to the incident`}: the analysis found no root cause and no timing that links them.`,
    suspectYes: (x, cause) => `**Yes.** ${x} is the ranked root cause: ${cause}.`,
    suspectOnPath: (x, cause) => `**No, ${x} is not the root cause.** It sits on the failure path, but the fault is ${cause}.`,
    suspectOffPath: (x, cause) => `**No.** ${x} is not on the failure path; the fault is ${cause}.`,
    suspectBaseline: (x, before, during) =>
      before > 0 && before >= during * 0.5
        ? `${x}'s errors were already there before the incident (${fmt(before)}/min in the baseline vs ${fmt(during)}/min during it), so they are background noise.`
        : `${x} logged ${fmt(during)} errors/min during the incident (${fmt(before)}/min in the baseline).`,
    suspectStats: (x, requests, errors, timeouts, p99) => `${x} during the analysed window: ${requests} requests, ${errors} errors, ${timeouts} timeouts, p99 ${p99}.`,
    impactHeadline: (target) => `**Callers of ${target} that saw timeouts or errors:**`,
    impactVerdictYes: (target, others) => `**Yes.** Callers of ${target} off the failure path suffered too: ${others}.`,
    impactVerdictNo: (target, pathCaller) => `**No.** Only ${pathCaller}'s calls to ${target} show timeouts or errors; its other callers look normal.`,
    metricsHeading: 'Metrics that moved with the fault:',
    heapAtPause: (service, pause, at, heapMb, limitMb, liveMb) =>
      `${service}'s longest stop-the-world GC pause (${pause}, at ${at}) came with its heap at ${heapMb} MB of a ${limitMb} MB limit (${Math.round((heapMb / limitMb) * 100)}%), ${liveMb} MB still live after the collection: memory near its limit, so the collector keeps pausing.`,
    metricMoved: (name, before, peak) => (before === null ? `${name}: up to ${peak}` : `${name}: ${before} in the baseline, up to ${peak}`),
    workersExhausted: (service) =>
      `Abandoned requests keep ${service}'s worker threads busy, so its thread pool is exhausted and even requests that do not touch the slow dependency wait and fail.`,
    metricRecovered: (service, metric, at) => `${service}'s ${metric} was back to its usual level at ${at}, which is when the fault itself ended.`,
    metricStopped: (service, metric, at) =>
      `${service}'s ${metric} stayed high until its last sample at ${at}; then that instance stopped reporting (restarted or replaced), which is when the fault itself ended.`,
    changesHeading: 'Changes logged before and during the fault (deploys, versions, configuration, schema), the failure path first:',
    unnamedService: 'a source without a service name',
    sameLines: (count) => `${count} lines alike`,
    triggerUnknown: 'What set the fault off (a deploy, a version or a config change) is not part of the analysis, so I cannot name it.',
    impactCaller: (caller, during, before) => `${caller}: ${during} timeout/error events${before === null ? '' : ` (baseline ${before})`}`,
    impactQuiet: (callers) => `No timeouts or errors toward it from: ${callers}.`,
    impactNone: (target) => `No caller of ${target} shows timeout or error events.`,
    impactErrors: (list) => `Services with errors in the window: ${list}.`,
    compareHeadline: (before, during) => `**Before (${before}) vs during (${during}):**`,
    compareRow: (label, before, during) => `${label}: ${fmt(before)} → ${fmt(during)}`,
    noBaseline: 'The analysis has no baseline window (no data before the incident), so I cannot compare before and during.',
    signalsAfterBaseline: (starts) => {
      const names = { spans: 'spans', logs: 'logs', metrics: 'metrics' } as const;
      const each = starts.map(({ signal, from }) => `${names[signal]} (from ${from})`);
      const joined = each.length > 1 ? `${each.slice(0, -1).join(', ')} and ${each.at(-1)}` : each[0]!;
      return `The loaded ${joined} begin only after the baseline ends: what the analysis compares with normal behaviour cannot come from them, so errors they show may have been there before.`;
    },
    compareTimeoutsLabel: (caller, callee) => `${caller} -> ${callee} timeouts`,
    compareMetricLabel: (metric) => `${metric} (mean)`,
    compareErrorsLabel: (service) => `${service} errors`,
    beforeLabel: 'before',
    duringLabel: 'during',
    tracesHeadline: (service, count) => `**${count} failing trace${count === 1 ? '' : 's'} through ${service}:**`,
    traceLine: (link, root, duration, start, error) => `${link} ${root}, ${duration}, at ${start}${error ? ', error' : ''}`,
    noTraces: (service) => `No failing traces through ${service} are in the loaded data.`,
    changeNote: 'Deploys and config changes are visible to me only when the telemetry records them; the analysis itself reports what the services did.',
    changeAtPoint: (point, cause, started) => `Around ${point}: ${cause} began at ${started}.`,
    changeTrigger: (cause, started) => `The incident was set off by ${cause}, from ${started}.`,
    chartSymptomTitle: (culprit, caller) => `${culprit} vs ${caller} timeouts`,
    chartEdgeTitle: (caller, callee) => `${caller} -> ${callee} timeouts`,
    chartCallerTimeoutsSeries: (caller, stepSeconds) => `${caller} timeouts per ${stepSeconds} s`,
    chartTimeoutsSeries: (caller, callee, stepSeconds) => `${caller} -> ${callee} timeouts per ${stepSeconds} s`,
    chartBreakerTitle: 'Circuit breaker state',
    chartCompareTitle: 'Before vs during the incident',
    openLabel: 'breaker open',
    summaryBreakers: (list) => `Breakers that opened: ${list}.`,
  },
  zh: {
    offlineBanner: '*由内置离线分析器回答(未配置大模型):基于分析结果的确定性解读。*',
    offlineBannerAfterFailure: '*由内置离线分析器代替大模型回答:基于分析结果的确定性解读。*',
    evidenceHeading: '**证据**',
    notDeterminedHeading: '**无法确定的部分**',
    chainHeading: '**故障传播过程**',
    rootCause: (cause, confidence, started) => `**根因:${cause}**(置信度 ${percent(confidence)}),开始于 ${started}。`,
    analysisSummary: (summary) => `分析结论:${summary}`,
    faultWindow: (from, to, duration) => `故障窗口:${from} 至 ${to}(持续约 ${duration})。`,
    faultOngoing: (from) => `故障窗口:从 ${from} 开始,到数据结束时仍未恢复。`,
    culpritStep: (cause) => `起点是 ${cause}。`,
    calleeNormal: (callee, p99, errors) => `${callee} 服务端自身 p99 为 ${p99},错误 ${errors} 个,服务端耗时正常:超时发生在调用方一侧,而不是 ${callee} 本身的问题。`,
    timeoutStep: (caller, callee, count, from, to) => `${caller} 调用 ${callee} 出现 DEADLINE_EXCEEDED / 超时:${from} 至 ${to} 共 ${count} 次。`,
    calleeOverloaded: (callee, p99) => `重试把 ${callee} 的负载成倍放大(p99 ${p99}),最初的抖动结束后过载仍自我维持(亚稳态故障)。`,
    timeoutStepCaller: (caller, callee, count, onEdge, from, to) =>
      `${caller} 在 ${from} 至 ${to} 之间共出现 ${count} 次 DEADLINE_EXCEEDED / 超时` +
      (onEdge > 0 ? `(其中 ${onEdge} 次明确来自对 ${callee} 的调用)。` : `;数据没有标明每次超时对应哪个下游,故障链路上的依赖是 ${callee}。`),
    otherCallersStep: (target, callers) => `${target} 的其他调用方同样出现超时或失败:${callers}。`,
    timeoutsInAsked: (count) => `其中 ${count} 次落在你询问的时间段内。`,
    breakerStep: (service, breaker, firstOpen, opens, closed) =>
      `${service} 的熔断器「${breaker}」于 ${firstOpen} 打开,共打开 ${opens} 次` + (closed ? `,最后一次关闭于 ${closed}。` : ',到数据结束时仍处于打开状态。'),
    fallbackStep: (service, count) => `熔断期间 ${service} 返回了降级(兜底)响应(${count} 次 fallback 事件)。`,
    upstreamStep: (services) => `失败继续向上游传播,表现为 ${services} 的错误。`,
    findingLine: (caller, callee, what, count) => `${caller} -> ${callee}:${what}(${count} 次)`,
    alternatives: (list) => `其他较弱的候选:${list}。`,
    whyLead: (service, cause) => `${service} 的失败根源在于 ${cause}。`,
    whyOffPath: (service, cause) => `${service} 不在分析找到的故障链路上;本次故障的根因是 ${cause}。`,
    noRootCause: '分析没有在已加载的数据中找到根因。',
    noRootCauseDetail: '没有排出根因:数据可能没有覆盖故障时段,或缺少能说明问题的 span、日志或指标。',
    unknownService: (names, known) => `已加载的数据里没有 ${names}。数据中的服务有:${known}。`,
    noMetrics: (service) => `没有加载 ${service} 的指标数据,图表无法展示它自身的指标。`,
    noTimeoutsOnEdge: (caller, callee) => `没有在 ${caller} -> ${callee} 上找到超时事件。`,
    askedOutsideData: (asked, data) => `${asked} 没有可分析的数据:分析覆盖的时间为 ${data}。`,
    askedWindowNote: (asked) => `你询问的时间段:${asked}。`,
    nowAssumed: (end) => `问题没有给出提问时间,相对时间段按数据结束时刻(${end})往前推算。`,
    dateAssumed: (date) => `问题没有给出日期,按数据所在的日期 ${date} 理解。`,
    range: (from, to) => `${from} 至 ${to}`,
    whenStarted: (at) => `**故障开始于 ${at}。**`,
    whenImpact: (from, to) => `调用方在 ${from} 至 ${to} 之间出现超时。`,
    whenEnded: (at, duration) => `到 ${at} 已恢复(故障持续约 ${duration})。`,
    whenNotEnded: '到数据结束时仍未恢复。',
    breakersHeadline: (count) => `**共有 ${count} 个熔断器打开过:**`,
    breakerLine: (b) =>
      `**${b.service}** 的熔断器「${b.breaker}」${b.protects ? `(保护对 ${b.protects} 的调用)` : ''}:首次打开于 ${b.firstOpen},` +
      `共打开 ${b.opens} 次,` +
      (b.lastClose ? `最后一次关闭于 ${b.lastClose}` : '到数据结束时仍处于打开状态') +
      (b.source ? `(依据:${b.source === 'behaviour' ? '快速失败行为推断' : b.source === 'metric' ? '状态指标' : '日志'})` : '') +
      '。',
    noBreakerOpened: (closedCount) => (closedCount > 0 ? `没有熔断器打开;${closedCount} 个熔断器始终保持关闭。` : '已加载的数据中没有熔断器活动。'),
    deadlinesHeadline: (count) => `**共有 ${count} 条 deadline / 超时相关发现:**`,
    noDeadlineFindings: '分析没有发现 deadline 或超时配置问题(没有孤儿任务、没有低于被调方 p99 的超时、没有预算问题)。',
    relatedYesCulprit: (a, b, cause) => `**是的,相关。** 故障就出在 ${b}(${cause}),${a ? `${a} 的失败` : '本次故障'}是它引起的。`,
    relatedYesOnPath: (a, b, cause) => `**相关,但 ${b} 不是根因。** ${b} 位于${a ? ` ${a} 的` : ''}故障链路上,但超时的原因是 ${cause}。`,
    relatedYesTiming: (a, b, bStart, aStart) =>
      `**很可能相关。** ${b} 的超时从 ${bStart} 开始,早于 ${a} 在 ${aStart} 开始出现的错误,不过分析没有把 ${b} 放在因果链上。`,
    relatedNo: (a, b, cause) => `**不相关。** ${b} 不在${a ? ` ${a} 的` : '本次故障的'}故障链路上;分析把失败归因于 ${cause}。`,
    relatedUnknown: (a, b) =>
      a ? `无法判断 ${a} 与 ${b} 是否相关:分析没有找到根因,也没有能把两者联系起来的时间先后关系。` : `无法判断 ${b} 是否与本次故障相关:分析没有找到根因,也没有能把它们联系起来的时间先后关系。`,
    suspectYes: (x, cause) => `**是的。** ${x} 就是排名第一的根因:${cause}。`,
    suspectOnPath: (x, cause) => `**不是,${x} 不是根因。** 它位于故障链路上,但真正的问题是 ${cause}。`,
    suspectOffPath: (x, cause) => `**不是。** ${x} 不在故障调用链上;问题在于 ${cause}。`,
    suspectBaseline: (x, before, during) =>
      before > 0 && before >= during * 0.5
        ? `${x} 的错误在故障之前(基线期)同样存在(基线期每分钟 ${fmt(before)} 次,故障期每分钟 ${fmt(during)} 次),属于背景噪声。`
        : `${x} 在故障期间每分钟 ${fmt(during)} 次错误(基线期每分钟 ${fmt(before)} 次)。`,
    suspectStats: (x, requests, errors, timeouts, p99) => `${x} 在分析窗口内:${requests} 个请求,${errors} 个错误,${timeouts} 次超时,p99 ${p99}。`,
    impactHeadline: (target) => `**调用 ${target} 时出现超时或错误的调用方:**`,
    impactVerdictYes: (target, others) => `**是的。** 故障链路之外的 ${target} 调用方同样受到影响:${others}。`,
    impactVerdictNo: (target, pathCaller) => `**没有。** 只有 ${pathCaller} 调用 ${target} 出现超时或错误;${target} 的其他调用方正常。`,
    metricsHeading: '随故障变化的指标:',
    heapAtPause: (service, pause, at, heapMb, limitMb, liveMb) =>
      `${service} 最长的一次 stop-the-world GC 停顿(${pause},${at})发生时,堆内存为 ${heapMb} MB,上限 ${limitMb} MB(${Math.round((heapMb / limitMb) * 100)}%),回收后仍有 ${liveMb} MB 存活:堆内存接近上限,垃圾回收器不断停顿。`,
    metricMoved: (name, before, peak) => (before === null ? `${name}:最高 ${peak}` : `${name}:基线期 ${before},最高 ${peak}`),
    workersExhausted: (service) => `调用方放弃后请求仍在执行,占住了 ${service} 的工作线程,线程池被占满(耗尽),连不依赖慢下游的请求也在排队等待并失败。`,
    metricRecovered: (service, metric, at) => `${service} 的 ${metric} 在 ${at} 回到正常水平,故障本身在那时结束。`,
    metricStopped: (service, metric, at) => `${service} 的 ${metric} 一直处于高位,直到 ${at} 的最后一个采样点;之后该实例不再上报(重启或被替换),故障本身在那时结束。`,
    changesHeading: '故障发生前及故障期间日志记录的变更(发布、版本、配置、数据库结构),故障链路上的服务在前:',
    unnamedService: '未标明服务的来源',
    sameLines: (count) => `同类日志共 ${count} 条`,
    triggerUnknown: '触发这次故障的变更(发布、版本或配置修改)不在分析结果中,我无法指出具体是哪一个。',
    impactCaller: (caller, during, before) => `${caller}:${during} 次超时/错误事件${before === null ? '' : `(基线期 ${before} 次)`}`,
    impactQuiet: (callers) => `以下调用方对它没有超时或错误:${callers}。`,
    impactNone: (target) => `没有调用方在调用 ${target} 时出现超时或错误事件。`,
    impactErrors: (list) => `窗口内有错误的服务:${list}。`,
    compareHeadline: (before, during) => `**故障前(${before})与故障期间(${during})对比:**`,
    compareRow: (label, before, during) => `${label}:${fmt(before)} → ${fmt(during)}`,
    noBaseline: '分析没有基线窗口(故障之前没有数据),无法对比故障前后。',
    signalsAfterBaseline: (starts) => {
      const names = { spans: '链路', logs: '日志', metrics: '指标' } as const;
      const each = starts.map(({ signal, from }) => `${names[signal]}(从 ${from} 开始)`);
      return `已加载的${each.join('和')}在基线期结束之后才开始:分析与正常状态的对比无法使用它们,其中的错误可能在故障前就已存在。`;
    },
    compareTimeoutsLabel: (caller, callee) => `${caller} -> ${callee} 超时`,
    compareMetricLabel: (metric) => `${metric}(均值)`,
    compareErrorsLabel: (service) => `${service} 错误`,
    beforeLabel: '故障前',
    duringLabel: '故障期间',
    tracesHeadline: (service, count) => `**经过 ${service} 的 ${count} 条失败 trace:**`,
    traceLine: (link, root, duration, start, error) => `${link} ${root},耗时 ${duration},开始于 ${start}${error ? ',出错' : ''}`,
    noTraces: (service) => `已加载的数据中没有经过 ${service} 的失败 trace。`,
    changeNote: '只有当遥测数据里记录了发布或配置变更时我才能看到它们;分析本身报告的是各服务的实际行为。',
    changeAtPoint: (point, cause, started) => `在 ${point} 前后:${cause} 从 ${started} 开始。`,
    changeTrigger: (cause, started) => `这次故障由 ${cause} 引发,开始于 ${started}。`,
    chartSymptomTitle: (culprit, caller) => `${culprit} 与 ${caller} 超时`,
    chartEdgeTitle: (caller, callee) => `${caller} -> ${callee} 超时`,
    chartCallerTimeoutsSeries: (caller, stepSeconds) => `${caller} 超时次数 / ${stepSeconds} 秒`,
    chartTimeoutsSeries: (caller, callee, stepSeconds) => `${caller} -> ${callee} 超时次数 / ${stepSeconds} 秒`,
    chartBreakerTitle: '熔断器状态',
    chartCompareTitle: '故障前后对比',
    openLabel: '熔断打开',
    summaryBreakers: (list) => `打开过的熔断器:${list}。`,
  },
};

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value >= 100 ? 0 : 2);
}

export function formatMs(ms: number | null, lang: Language): string {
  if (ms === null) return lang === 'zh' ? '未知' : 'unknown';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
