import type { AskAnswer, Chart, Citation, Evidence, ResilienceKind, RootCause, RootCauseKind, TimeWindow, ToolCallRecord } from '../../api/contract.js';
import { breakerChart, compareChart, symptomChart, type LineInput } from './charts.js';
import type { MetricSeries, OfflineContext } from './context.js';
import { findEntities, type EntityScan } from './entities.js';
import { modelIncident, refKind, type BreakerStory, type CallEdge, type IncidentModel } from './incident.js';
import { classifyIntent, type Intent } from './intent.js';
import { detectLanguage, type Language } from './language.js';
import { PHRASES, findingPhrase, formatDuration, formatMs, formatTime, rootCausePhrase, type Phrasebook } from './phrases.js';
import { parseTimeRange, type AskedTime } from './timeRange.js';

const TIMEOUT_KINDS: ResilienceKind[] = ['timeout', 'deadline_exceeded'];
const FAILURE_KINDS: ResilienceKind[] = ['timeout', 'deadline_exceeded', 'unavailable', 'error'];
const ERROR_KINDS: ResilienceKind[] = ['error'];
const MAX_EVIDENCE = 10;
/** Kinds where the callee is healthy and the caller decides the timeout (its clock, its pool, its network). */
const CALLER_DECIDED_KINDS = new Set<RootCauseKind>(['network_latency', 'misconfigured_timeout', 'connection_pool_exhaustion']);
const MAX_TRACES = 8;
const MAX_IMPACT_CALLERS = 40;

/** Where to look for the culprit's own metric when the report names none. */
const METRIC_HINTS: Record<RootCauseKind, string[]> = {
  gc_pause: ['gc', 'pause'],
  cpu_saturation: ['cpu', 'throttl'],
  memory_pressure: ['heap', 'memory', 'rss'],
  slow_query: ['query', 'db', 'sql'],
  dependency_down: ['up', 'connect', 'error'],
  network_latency: ['retrans', 'network', 'tcp', 'latency'],
  connection_pool_exhaustion: ['pool', 'conn'],
  misconfigured_timeout: ['timeout', 'latency', 'duration'],
  missing_deadline_propagation: ['thread', 'pool', 'active', 'latency'],
  retry_storm: ['retr', 'request', 'cpu'],
  error_return: ['error', 'exception'],
  unknown: ['latency', 'duration', 'error'],
};

/** Words that name a kind of fault, so "is the pool simply too small?" is checked against the ranked kind. */
const KIND_WORDS: [RootCauseKind, RegExp][] = [
  ['connection_pool_exhaustion', /connection pool|\bpool\b|连接池/i],
  ['gc_pause', /\bgc\b|garbage collect|垃圾回收|停顿/i],
  ['cpu_saturation', /\bcpu\b|throttl/i],
  ['memory_pressure', /\bmemory\b|\bheap\b|\boom\b|内存|堆/i],
  ['slow_query', /slow query|\bdatabase\b|\bsql\b|慢查询|数据库/i],
  ['network_latency', /\bnetwork\b|packet|网络/i],
  ['retry_storm', /\bretr(?:y|ies)\b|重试/i],
  ['misconfigured_timeout', /timeout (?:config|setting)|too short|超时配置|超时设置/i],
  ['dependency_down', /\bdown\b|unreachable|挂了|宕机|不可用/i],
];

/** Memory fills towards a ceiling rather than doubling: a third above its usual level is telling. */
const MEMORY_RISE = 1.3;
/**
 * Metric families that show each kind of fault at work, in order of preference per group. Network
 * faults are often measured by a host agent rather than the service, so those look at every service.
 */
const SUPPORTING_METRICS: Partial<Record<RootCauseKind, { hints: string[]; anyService?: boolean; minRise?: number }[]>> = {
  gc_pause: [{ hints: ['gc'] }, { hints: ['heap', 'memory', 'rss'], minRise: MEMORY_RISE }],
  memory_pressure: [{ hints: ['heap', 'memory', 'rss'], minRise: MEMORY_RISE }, { hints: ['gc'] }],
  cpu_saturation: [{ hints: ['throttl', 'cpu'] }],
  slow_query: [{ hints: ['pool', 'conn'] }],
  connection_pool_exhaustion: [{ hints: ['pool', 'conn'] }],
  missing_deadline_propagation: [{ hints: ['thread', 'worker', 'pool', 'active'] }],
  network_latency: [{ hints: ['retrans', 'packet', 'drop'], anyService: true }],
  retry_storm: [{ hints: ['retr'] }, { hints: ['cpu', 'throttl'] }],
};
/** Cumulative series rise by construction, so their peak says nothing about the fault. */
const CUMULATIVE_SERIES = /_(?:total|count|sum|bucket)$/;
/** Otherwise a supporting metric must at least double against its usual level to be worth telling. */
const MOVED_FACTOR = 2;
const WORKER_METRIC = /thread|worker|pool|active/i;
/** Changes worth listing in one answer, and how much of each line to quote. */
const MAX_CHANGE_LINES = 6;
const MAX_CHANGE_BODY = 180;

/** A metric that rose with the fault: its usual level (baseline mean) and its peak in the incident. */
interface MovedSeries {
  service: string;
  series: MetricSeries;
  before: number | null;
  peak: number;
}

/**
 * When a risen metric came back: the first point after the last one still above halfway between its
 * usual level and its peak; or, when the series ends while still high well before the data does, its
 * last point (the instance stopped reporting: restarted or replaced). Null when it stays up to the end.
 */
function recoveredAt(m: MovedSeries, window: TimeWindow): { at: string; stopped: boolean } | null {
  if (m.before === null) return null;
  const threshold = m.before + (m.peak - m.before) / 2;
  const points = [...m.series.points].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const lastHigh = points.findLastIndex((pt) => pt.value >= threshold && Date.parse(pt.ts) <= Date.parse(window.to));
  if (lastHigh < 0) return null;
  const after = points[lastHigh + 1];
  if (after) return { at: after.ts, stopped: false };
  const high = points[lastHigh];
  const previous = points[lastHigh - 1];
  if (!high || !previous) return null;
  const interval = Date.parse(high.ts) - Date.parse(previous.ts);
  return Date.parse(window.to) - Date.parse(high.ts) > 2 * interval ? { at: high.ts, stopped: true } : null;
}

interface Bucketed {
  ts: string;
  count: number;
}

/** Timeouts on the symptom edge; when the data names no peer for most of them, the caller's own. */
interface SymptomTimeouts {
  rate: RateSummary;
  scope: 'edge' | 'caller';
  onEdge: number;
}

interface RateSummary {
  total: number;
  first: string | null;
  lastEnd: string | null;
  buckets: Bucketed[];
}

/** Accumulates the parts of one answer: text, evidence, charts, what could not be determined. */
class AnswerBuilder {
  /** Evidence labels in the answer's language when the analysis wrote them in it. */
  constructor(private readonly lang: Language) {}

  readonly lines: string[] = [];
  readonly notes: string[] = [];
  readonly charts: Chart[] = [];
  readonly evidence = new Map<string, Citation>();
  readonly toolCalls: ToolCallRecord[] = [];

  cite(items: Evidence[], limit = MAX_EVIDENCE): void {
    for (const item of items) {
      if (this.evidence.size >= limit * 2) return;
      if (!item.ref || this.evidence.has(item.ref)) continue;
      this.evidence.set(item.ref, { kind: item.kind, ref: item.ref, label: this.lang === 'zh' && item.summary_zh ? item.summary_zh : item.summary });
    }
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }
}

function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  return Date.parse(a.from) <= Date.parse(b.to) && Date.parse(b.from) <= Date.parse(a.to);
}

function windowMinutes(w: TimeWindow): number {
  return Math.max(1 / 60, (Date.parse(w.to) - Date.parse(w.from)) / 60_000);
}

/** About 120 buckets over the window, on a round step. */
function stepFor(w: TimeWindow): number {
  const seconds = (Date.parse(w.to) - Date.parse(w.from)) / 1000 / 120;
  return [5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].find((s) => s >= seconds) ?? 3600;
}

function summarise(buckets: Bucketed[], stepSeconds: number): RateSummary {
  const hits = buckets.filter((b) => b.count > 0).sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const last = hits.at(-1);
  return {
    total: hits.reduce((sum, b) => sum + b.count, 0),
    first: hits[0]?.ts ?? null,
    lastEnd: last ? new Date(Date.parse(last.ts) + stepSeconds * 1000).toISOString() : null,
    buckets,
  };
}

function seriesRef(s: MetricSeries): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return `series:${s.name}{${labels}}`;
}

function parseSeriesRef(ref: string): { name: string; labels: Record<string, string> } | null {
  const m = /^series:([^{]+)(?:\{(.*)\})?$/.exec(ref);
  if (!m || !m[1]) return null;
  const labels: Record<string, string> = {};
  for (const pair of (m[2] ?? '').matchAll(/([\w.]+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] ?? ''] = pair[2] ?? '';
  return { name: m[1], labels };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** How much a series rises above its usual level: peak over median. */
function strength(s: MetricSeries): number {
  const values = s.points.map((p) => p.value).filter(Number.isFinite);
  if (values.length === 0) return 0;
  const peak = Math.max(...values);
  const usual = median(values);
  if (usual > 0) return peak / usual;
  return peak > 0 ? Number.MAX_SAFE_INTEGER / 2 + peak : 0;
}

/** A metric value in the unit its name declares (Prometheus naming: _seconds, _bytes). */
function metricValue(name: string, value: number, lang: Language): string {
  if (/seconds/i.test(name)) return value > 0 && value < 0.001 ? `${(value * 1000).toFixed(2)} ms` : formatMs(value * 1000, lang);
  if (/bytes/i.test(name)) return value >= 1e9 ? `${(value / 1e9).toFixed(2)} GB` : `${(value / 1e6).toFixed(0)} MB`;
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) >= 100 ? 0 : 3).replace(/\.?0+$/, '');
}

function mean(points: { value: number }[]): number {
  return points.length === 0 ? 0 : points.reduce((sum, p) => sum + p.value, 0) / points.length;
}

function list(items: string[], lang: Language): string {
  return items.join(lang === 'zh' ? '、' : ', ');
}

/** A short name for a reference: the full one (trace ids, label sets) is too long to read inline. */
function refLabel(ref: string): string {
  const [kind = '', ...restParts] = ref.split(':');
  const rest = restParts.join(':');
  if (kind === 'span') return `span ${(rest.split('/')[1] ?? rest).slice(0, 16)}`;
  if (kind === 'trace') return `trace ${rest.slice(0, 16)}`;
  if (kind === 'series') return `series ${rest.replace(/\{.*$/, '')}`;
  if (kind === 'event') return `event ${restParts.slice(0, 2).join(' ')}`;
  return `${kind} ${rest}`;
}

/** A Markdown link whose target is the evidence reference, which the UI opens in its record panel. */
export function refLink(ref: string): string {
  return `[${refLabel(ref).replace(/[[\]]/g, '')}](${ref})`;
}

const LIST_ITEM = /^(?:- |\d+\. )/;

/** Paragraphs apart, list items (and a heading with its list) together. */
function toMarkdown(lines: string[]): string {
  const kept = lines.filter((line) => line.trim() !== '');
  let text = '';
  kept.forEach((line, i) => {
    const previous = kept[i - 1];
    const together = previous !== undefined && LIST_ITEM.test(line) && (LIST_ITEM.test(previous) || /^\*\*[^*]+\*\*:?$|:\*\*$|:$/.test(previous));
    text += i === 0 ? line : `${together ? '\n' : '\n\n'}${line}`;
  });
  return `${text}\n`;
}

/** The analyst for one question: every helper below reads the same context, language and incident. */
class OfflineAnalyst {
  readonly lang: Language;
  readonly p: Phrasebook;
  readonly incident: IncidentModel;
  readonly scan: EntityScan;
  readonly asked: AskedTime;
  readonly intent: Intent;
  /** Every intent the question's wording carries, the chosen one first. */
  readonly intents: Intent[];
  readonly out: AnswerBuilder;
  private readonly ctx: OfflineContext;
  private readonly question: string;

  constructor(question: string, ctx: OfflineContext) {
    this.ctx = ctx;
    this.question = question;
    this.lang = detectLanguage(question);
    this.out = new AnswerBuilder(this.lang);
    this.p = PHRASES[this.lang];
    this.incident = modelIncident(ctx.report);
    const breakerNames = ctx.report.breakers.map((b) => b.breaker);
    const services = [...new Set([...ctx.services, ...ctx.report.services.map((s) => s.service)])];
    this.scan = findEntities(question, services, breakerNames);
    const reading = classifyIntent(question, this.scan.mentions.length + this.scan.unknown.length);
    this.intent = reading.intent;
    this.intents = reading.all;
    this.asked = parseTimeRange(question, { askedAt: ctx.askedAt, reference: this.span });
  }

  private get report() {
    return this.ctx.report;
  }

  /** The analysed time: the baseline and the incident window together, so charts show calm before trouble. */
  private get span(): TimeWindow {
    const { window, baseline } = this.ctx.report;
    if (!baseline) return window;
    const from = Date.parse(baseline.from) < Date.parse(window.from) ? baseline.from : window.from;
    const to = Date.parse(baseline.to) > Date.parse(window.to) ? baseline.to : window.to;
    return { from, to };
  }

  private t(iso: string): string {
    return formatTime(iso, this.lang, { tzOffsetMinutes: this.asked.tzOffsetMinutes });
  }

  private cause(root: RootCause): string {
    return rootCausePhrase(root.kind, root.service, this.lang);
  }

  private mentionedServices(): string[] {
    return this.scan.mentions.filter((m) => m.kind === 'service').map((m) => m.name);
  }

  // ---- data access, recorded as tool calls ------------------------------------------------------

  private async rate(q: { service?: string; peer?: string; kinds: ResilienceKind[]; window: TimeWindow }): Promise<RateSummary> {
    const stepSeconds = stepFor(q.window);
    const args = { ...q, stepSeconds };
    this.out.toolCalls.push({ name: 'eventRate', arguments: args });
    return summarise(await this.ctx.eventRate(args), stepSeconds);
  }

  private async series(q: { nameLike?: string; service?: string; window: TimeWindow }): Promise<MetricSeries[]> {
    this.out.toolCalls.push({ name: 'series', arguments: q });
    return this.ctx.series(q);
  }

  /** The culprit's metric that moved most, preferring the series the report cites as evidence. */
  private async culpritMetric(root: RootCause, window: TimeWindow): Promise<MetricSeries | null> {
    const cited = root.evidence.filter((e) => e.kind === 'series').map((e) => parseSeriesRef(e.ref)).filter((s) => s !== null);
    for (const ref of cited.slice(0, 3)) {
      const found = (await this.series({ nameLike: ref.name, service: root.service, window })).filter((s) => s.points.length > 0);
      const sameLabels = found.filter((s) => Object.entries(ref.labels).every(([k, v]) => s.labels[k] === v) && s.name === ref.name);
      const pick = (sameLabels.length > 0 ? sameLabels : found).sort((a, b) => strength(b) - strength(a))[0];
      if (pick) return pick;
    }
    for (const hint of METRIC_HINTS[root.kind]) {
      const found = (await this.series({ nameLike: `%${hint}%`, service: root.service, window })).filter((s) => s.points.length > 0);
      const pick = found.sort((a, b) => strength(b) - strength(a))[0];
      if (pick) return pick;
    }
    const any = (await this.series({ service: root.service, window })).filter((s) => s.points.length > 0);
    return any.sort((a, b) => strength(b) - strength(a))[0] ?? null;
  }

  // ---- shared pieces ---------------------------------------------------------------------------

  private checkAskedTime(): void {
    const { asked, span, p } = this;
    const covered = p.range(this.t(span.from), this.t(span.to));
    if (asked.window) {
      const text = p.range(this.t(asked.window.from), this.t(asked.window.to));
      if (!overlaps(asked.window, span)) this.out.note(p.askedOutsideData(text, covered));
      else if (asked.kind === 'range' || asked.kind === 'since') this.out.lines.push(p.askedWindowNote(text));
    } else if (asked.point && !overlaps({ from: asked.point, to: asked.point }, span)) {
      this.out.note(p.askedOutsideData(this.t(asked.point), covered));
    }
    if (asked.nowAssumed) this.out.note(p.nowAssumed(this.t(span.to)));
    if (asked.dateAssumed && asked.kind !== 'none' && !this.ctx.askedAt) this.out.note(p.dateAssumed(span.from.slice(0, 10)));
  }

  /** Says which kinds of telemetry begin after the baseline: the comparisons cannot draw on them. */
  private checkSignalsAfterBaseline(): void {
    const late = this.report.signals_after_baseline ?? [];
    if (late.length > 0) this.out.note(this.p.signalsAfterBaseline(late.map((start) => ({ signal: start.signal, from: this.t(start.from) }))));
  }

  private checkUnknownNames(): void {
    if (this.scan.unknown.length === 0) return;
    const known = [...new Set([...this.ctx.services, ...this.report.services.map((s) => s.service)])];
    this.out.note(this.p.unknownService(list(this.scan.unknown, this.lang), list(known.slice(0, 30), this.lang)));
  }

  private async edgeTimeouts(edge: CallEdge): Promise<SymptomTimeouts> {
    const [onEdge, byCaller] = await Promise.all([
      this.rate({ service: edge.caller, peer: edge.callee, kinds: TIMEOUT_KINDS, window: this.span }),
      this.rate({ service: edge.caller, kinds: TIMEOUT_KINDS, window: this.span }),
    ]);
    return byCaller.total > onEdge.total ? { rate: byCaller, scope: 'caller', onEdge: onEdge.total } : { rate: onEdge, scope: 'edge', onEdge: onEdge.total };
  }

  /** Services whose calls to `target` failed, most first; each caller is one bounded query. */
  private async callersWithFailures(target: string, kinds: ResilienceKind[], exclude: string[]): Promise<{ caller: string; total: number }[]> {
    const callers = [...new Set([...this.ctx.services, ...this.report.services.map((s) => s.service)])]
      .filter((s) => s !== target && !exclude.includes(s))
      .slice(0, MAX_IMPACT_CALLERS);
    const rows = await Promise.all(callers.map(async (caller) => ({ caller, total: (await this.rate({ service: caller, peer: target, kinds, window: this.report.window })).total })));
    return rows.filter((r) => r.total > 0).sort((a, b) => b.total - a.total || a.caller.localeCompare(b.caller));
  }

  /** The earliest sign of the fault: the ranked onset, or an earlier symptom on its path. */
  private faultStart(root: RootCause, timeouts: SymptomTimeouts | null): string {
    const candidates = [root.started_at, timeouts?.rate.first ?? null, ...this.incident.pathBreakers.map((b) => b.firstOpen)].filter((x): x is string => x !== null);
    return candidates.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  }

  /**
   * When the fault ended: the later of the last timeout on the symptom edge and the last close of its
   * breakers. Only a breaker still open at the end says the fault is ongoing: the incident window ends
   * where the symptoms do, so timeouts reaching its end prove nothing.
   */
  private faultEnd(timeouts: SymptomTimeouts | null): { end: string | null; ongoing: boolean } {
    const { pathBreakers } = this.incident;
    if (pathBreakers.some((b) => b.endsOpen)) return { end: null, ongoing: true };
    const candidates = [...pathBreakers.map((b) => b.lastClose), timeouts?.rate.lastEnd ?? null].filter((x): x is string => x !== null);
    if (candidates.length === 0) return { end: null, ongoing: false };
    return { end: candidates.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)), ongoing: false };
  }

  private pushFaultWindow(start: string, timeouts: SymptomTimeouts | null): void {
    const { end, ongoing } = this.faultEnd(timeouts);
    if (ongoing) this.out.lines.push(this.p.faultOngoing(this.t(start)));
    else if (end) this.out.lines.push(this.p.faultWindow(this.t(start), this.t(end), formatDuration(Date.parse(end) - Date.parse(start), this.lang)));
  }

  private citeBreaker(b: BreakerStory): void {
    const firstOpen = b.refs.find((r) => r.summary.includes('-> open'));
    const lastClose = [...b.refs].reverse().find((r) => r.summary.includes('-> closed'));
    this.out.cite([firstOpen, lastClose].filter((e): e is Evidence => e !== undefined));
  }

  /** The causal chain along the call edges, one bullet per hop. */
  private async pushChain(root: RootCause, symptom: SymptomTimeouts | null): Promise<void> {
    const { p, incident, report } = this;
    const edge = incident.symptomEdge;
    const steps: string[] = [p.culpritStep(this.cause(root))];
    if (edge && edge.caller === root.service) {
      const calleeStats = report.services.find((s) => s.service === edge.callee);
      const p99 = formatMs(calleeStats?.p99_ms ?? null, this.lang);
      if (calleeStats && CALLER_DECIDED_KINDS.has(root.kind)) steps.push(p.calleeNormal(edge.callee, p99, calleeStats.errors));
      if (root.kind === 'retry_storm') steps.push(p.calleeOverloaded(edge.callee, p99));
    }
    const timeouts = symptom?.rate ?? null;
    if (edge && symptom && timeouts && timeouts.total > 0 && timeouts.first && timeouts.lastEnd) {
      steps.push(
        symptom.scope === 'edge'
          ? p.timeoutStep(edge.caller, edge.callee, timeouts.total, this.t(timeouts.first), this.t(timeouts.lastEnd))
          : p.timeoutStepCaller(edge.caller, edge.callee, timeouts.total, symptom.onEdge, this.t(timeouts.first), this.t(timeouts.lastEnd)),
      );
      if (this.asked.window && (this.asked.kind === 'range' || this.asked.kind === 'since')) {
        const w = this.asked.window;
        const inside = timeouts.buckets.filter((b) => Date.parse(b.ts) >= Date.parse(w.from) && Date.parse(b.ts) < Date.parse(w.to)).reduce((s, b) => s + b.count, 0);
        if (inside > 0 && inside < timeouts.total) steps.push(p.timeoutsInAsked(inside));
      }
    } else if (edge) {
      this.out.note(p.noTimeoutsOnEdge(edge.caller, edge.callee));
    }
    for (const b of incident.pathBreakers) {
      if (b.firstOpen) steps.push(p.breakerStep(b.service, b.breaker, this.t(b.firstOpen), b.openCount, b.endsOpen ? null : b.lastClose ? this.t(b.lastClose) : null));
      this.citeBreaker(b);
    }
    if (edge) {
      const fallbacks = await this.rate({ service: edge.caller, kinds: ['fallback'], window: this.span });
      if (fallbacks.total > 0) steps.push(p.fallbackStep(edge.caller, fallbacks.total));
    }
    if (edge) {
      const target = edge.callee;
      const others = await this.callersWithFailures(target, [...TIMEOUT_KINDS, 'unavailable'], [edge.caller]);
      if (others.length > 0) steps.push(p.otherCallersStep(target, list(others.slice(0, 5).map((o) => `${o.caller} (${o.total})`), this.lang)));
    }
    const symptomService = edge?.caller ?? root.service;
    const onEdge = [root.service, ...(edge ? [edge.caller, edge.callee] : [])];
    const viaEvents = await this.callersWithFailures(symptomService, [...FAILURE_KINDS, 'breaker_rejected'], onEdge);
    const viaPath = incident.causalPath
      .slice(incident.causalPath.indexOf(symptomService) + 1)
      .map((s) => report.services.find((x) => x.service === s))
      .filter((s) => s !== undefined && s.errors > 0 && !onEdge.includes(s.service) && !viaEvents.some((v) => v.caller === s.service))
      .map((s) => ({ caller: s?.service ?? '', total: s?.errors ?? 0 }));
    const upstream = [...viaEvents, ...viaPath].slice(0, 5).map((u) => `${u.caller} (${u.total})`);
    if (upstream.length > 0) steps.push(p.upstreamStep(list(upstream, this.lang)));
    // Budget decay is advice about how budgets are split, not a step of this failure: it stays in the deadline answers.
    const findings = report.deadline_findings.filter(
      (f) => f.kind !== 'budget_decay' && incident.causalPath.includes(f.caller) && incident.causalPath.includes(f.callee),
    );
    for (const f of findings.slice(0, 4)) {
      steps.push(p.findingLine(f.caller, f.callee, findingPhrase(f.kind, this.lang), f.count));
      this.out.cite(f.evidence ?? []);
    }
    this.out.lines.push('', p.chainHeading, ...steps.map((s, i) => `${i + 1}. ${s}`));
  }

  private async pushSymptomChart(root: RootCause, symptom: SymptomTimeouts | null): Promise<void> {
    const { p, incident } = this;
    const edge = incident.symptomEdge;
    const metric = await this.culpritMetric(root, this.span);
    if (!metric) this.out.note(p.noMetrics(root.service));
    else this.out.cite([{ kind: 'series', ref: seriesRef(metric), summary: `${metric.name} (${root.service})` }]);
    const metricLine: LineInput | null = metric ? { name: `${root.service} ${metric.name}`, points: metric.points } : null;
    const step = stepFor(this.span);
    const rateLine: LineInput | null =
      edge && symptom && symptom.rate.total > 0
        ? {
            name: symptom.scope === 'edge' ? p.chartTimeoutsSeries(edge.caller, edge.callee, step) : p.chartCallerTimeoutsSeries(edge.caller, step),
            points: symptom.rate.buckets.map((b) => ({ ts: b.ts, value: b.count })),
          }
        : null;
    if (!metricLine && !rateLine) return;
    this.out.charts.push(
      symptomChart({
        title: edge && edge.caller === root.service ? p.chartEdgeTitle(edge.caller, edge.callee) : p.chartSymptomTitle(root.service, edge?.caller ?? root.service),
        metric: metricLine,
        rate: rateLine,
        openIntervals: incident.pathBreakers.flatMap((b) => b.openIntervals),
        openLabel: p.openLabel,
      }),
    );
  }

  /**
   * Deploys, versions, config and schema changes logged before and during the fault, those of the
   * failure path first; without a change finder, or when nothing is logged, says the trigger cannot
   * be named.
   */
  private async pushChanges(root: RootCause, faultStart: string): Promise<void> {
    const findChanges = this.ctx.changes;
    const edge = this.incident.symptomEdge;
    const query = {
      faultStart,
      faultEnd: this.report.window.to,
      services: [...new Set([root.service, ...(edge ? [edge.callee, edge.caller] : [])])],
      limit: MAX_CHANGE_LINES,
    };
    if (findChanges) this.out.toolCalls.push({ name: 'findChanges', arguments: query });
    const found = findChanges ? await findChanges(query) : [];
    if (found.length === 0) {
      this.out.note(this.p.triggerUnknown);
      return;
    }
    this.out.lines.push('', this.p.changesHeading);
    for (const change of found) {
      const text = change.body.length > MAX_CHANGE_BODY ? `${change.body.slice(0, MAX_CHANGE_BODY)}…` : change.body;
      const who = change.service ?? this.p.unnamedService;
      this.out.lines.push(`- ${this.t(change.at)} ${who}: ${text.replace(/\s+/g, ' ')}${change.lines > 1 ? ` (${this.p.sameLines(change.lines)})` : ''} (${refLink(change.ref)})`);
      this.out.cite([{ kind: 'log', ref: change.ref, summary: `${who}: ${text}` }]);
    }
  }

  /** The culprit's own metrics that moved the way its kind of fault predicts, with their values. */
  private async pushSupportingMetrics(root: RootCause): Promise<void> {
    const moved = await this.supportingMetrics(root);
    if (moved.length > 0) this.out.lines.push('', this.p.metricsHeading);
    for (const m of moved) {
      const label = m.service === root.service ? m.series.name : `${m.series.service ?? m.service} ${m.series.name}`;
      const before = m.before === null ? null : metricValue(m.series.name, m.before, this.lang);
      this.out.lines.push(`- ${this.p.metricMoved(label, before, metricValue(m.series.name, m.peak, this.lang))}`);
      this.out.cite([{ kind: 'series', ref: seriesRef(m.series), summary: m.series.name }]);
    }
    if (root.kind === 'missing_deadline_propagation' && moved.some((m) => WORKER_METRIC.test(m.series.name))) this.out.lines.push(this.p.workersExhausted(root.service));
    if (root.kind === 'gc_pause') await this.pushHeapAtPause(root);
  }

  /** For GC pauses: how full the heap was at the longest pause, from the runtime's own GC lines. */
  private async pushHeapAtPause(root: RootCause): Promise<void> {
    const heap = this.ctx.heapAtPause ? await this.ctx.heapAtPause({ service: root.service, window: this.report.window }) : null;
    if (!heap) return;
    const heapMb = Math.round(heap.heapBeforeMb);
    this.out.lines.push(this.p.heapAtPause(root.service, formatMs(heap.pauseMs, this.lang), this.t(heap.at), heapMb, Math.round(heap.heapLimitMb), Math.round(heap.heapAfterMb)));
    this.out.cite([{ kind: 'log', ref: heap.ref, summary: `${root.service}: GC pause ${formatMs(heap.pauseMs, 'en')}, heap ${heapMb} of ${Math.round(heap.heapLimitMb)} MB` }]);
  }

  private async supportingMetrics(root: RootCause): Promise<MovedSeries[]> {
    const groups = SUPPORTING_METRICS[root.kind] ?? [];
    const edge = this.incident.symptomEdge;
    // A caller-side fault loads the callee: its metrics tell the rest of the story.
    const services = [root.service, ...(edge && edge.caller === root.service ? [edge.callee] : [])];
    const moved: MovedSeries[] = [];
    for (const group of groups) {
      const found = await this.movedSeries(group.hints, group.anyService ? [...services, undefined] : services, group.minRise ?? MOVED_FACTOR);
      if (found) moved.push(found);
    }
    return moved;
  }

  /** The series (first matching hint wins) that rose most in the incident against the baseline. */
  private async movedSeries(hints: string[], services: (string | undefined)[], minRise: number): Promise<MovedSeries | null> {
    const { window, baseline } = this.report;
    const inWindow = (s: MetricSeries, w: TimeWindow) => s.points.filter((pt) => Date.parse(pt.ts) >= Date.parse(w.from) && Date.parse(pt.ts) <= Date.parse(w.to));
    for (const service of services) {
      for (const hint of hints) {
        const found = (await this.series({ nameLike: `%${hint}%`, ...(service ? { service } : {}), window: this.span })).filter(
          (s) => s.points.length > 0 && !CUMULATIVE_SERIES.test(s.name),
        );
        const scored = found
          .map((s) => {
            const during = inWindow(s, window).map((pt) => pt.value);
            const peak = during.length > 0 ? Math.max(...during) : Number.NEGATIVE_INFINITY;
            const before = baseline ? inWindow(s, baseline) : [];
            const usual = before.length > 0 ? mean(before) : median(s.points.map((pt) => pt.value));
            return { s, peak, before: before.length > 0 ? mean(before) : null, rise: usual > 0 ? peak / usual : peak > 0 ? Number.MAX_SAFE_INTEGER : 0 };
          })
          .filter((x) => x.rise >= minRise)
          .sort((a, b) => b.rise - a.rise || b.peak - a.peak);
        const best = scored[0];
        if (best) return { service: best.s.service ?? service ?? '', series: best.s, before: best.before, peak: best.peak };
      }
    }
    return null;
  }

  private pushNoRootCause(): void {
    const { p, report, incident } = this;
    this.out.lines.push(`**${p.noRootCause}**`);
    this.out.note(p.noRootCauseDetail);
    if (incident.breakers.length > 0) this.out.lines.push(p.summaryBreakers(list(incident.breakers.map((b) => `${b.service}/${b.breaker}`), this.lang)));
    const noisy = [...report.services].filter((s) => s.errors + s.timeouts > 0).sort((a, b) => b.errors + b.timeouts - (a.errors + a.timeouts)).slice(0, 5);
    if (noisy.length > 0) this.out.lines.push(p.impactErrors(list(noisy.map((s) => `${s.service} (${s.errors + s.timeouts})`), this.lang)));
  }

  // ---- intents ---------------------------------------------------------------------------------

  /** why / where / summary: the whole story. */
  private async explain(lead?: string): Promise<void> {
    const { root, symptomEdge, alternatives, breakers, pathBreakers } = this.incident;
    if (!root) return this.pushNoRootCause();
    if (lead) this.out.lines.push(lead);
    this.out.cite(root.evidence);
    const timeouts = symptomEdge ? await this.edgeTimeouts(symptomEdge) : null;
    const start = this.faultStart(root, timeouts);
    this.out.lines.push(this.p.rootCause(this.cause(root), root.confidence, this.t(start)));
    const summary = this.lang === 'zh' ? root.summary_zh : root.summary;
    if (summary) this.out.lines.push(this.p.analysisSummary(/[.。!?！？]$/.test(summary) ? summary : `${summary}${this.lang === 'zh' ? '。' : '.'}`));
    this.pushFaultWindow(start, timeouts);
    await this.pushChain(root, timeouts);
    await this.pushSupportingMetrics(root);
    if (this.intents.includes('why') || this.intents.includes('change')) await this.pushChanges(root, start);
    const offPath = breakers.filter((b) => !pathBreakers.includes(b));
    if (this.intent === 'summary' && offPath.length > 0) this.out.lines.push('', this.p.summaryBreakers(list(offPath.map((b) => `${b.service}/${b.breaker}`), this.lang)));
    if (alternatives.length > 0) this.out.lines.push('', this.p.alternatives(list(alternatives.slice(0, 3).map((a) => `${this.cause(a)} (${Math.round(a.confidence * 100)}%)`), this.lang)));
    await this.pushSymptomChart(root, timeouts);
  }

  private async when(): Promise<void> {
    const { root, symptomEdge } = this.incident;
    if (!root) return this.pushNoRootCause();
    const { p } = this;
    this.out.cite(root.evidence);
    const timeouts = symptomEdge ? await this.edgeTimeouts(symptomEdge) : null;
    const start = this.faultStart(root, timeouts);
    this.out.lines.push(p.whenStarted(this.t(start)), p.rootCause(this.cause(root), root.confidence, this.t(start)));
    if (timeouts?.rate.first && timeouts.rate.lastEnd) this.out.lines.push(p.whenImpact(this.t(timeouts.rate.first), this.t(timeouts.rate.lastEnd)));
    const { end, ongoing } = this.faultEnd(timeouts);
    if (ongoing) this.out.lines.push(p.whenNotEnded);
    else if (end) this.out.lines.push(p.whenEnded(this.t(end), formatDuration(Date.parse(end) - Date.parse(start), this.lang)));
    // The culprit's own metric settles when the fault itself is fixed, before the callers' backlog drains.
    for (const m of await this.supportingMetrics(root)) {
      const back = recoveredAt(m, this.report.window);
      if (back) this.out.lines.push(back.stopped ? p.metricStopped(root.service, m.series.name, this.t(back.at)) : p.metricRecovered(root.service, m.series.name, this.t(back.at)));
      this.out.cite([{ kind: 'series', ref: seriesRef(m.series), summary: m.series.name }]);
    }
    if (this.intents.includes('change')) await this.pushChanges(root, start);
    for (const b of this.incident.pathBreakers) {
      if (b.firstOpen) this.out.lines.push(p.breakerStep(b.service, b.breaker, this.t(b.firstOpen), b.openCount, b.endsOpen ? null : b.lastClose ? this.t(b.lastClose) : null));
      this.citeBreaker(b);
    }
    await this.pushSymptomChart(root, timeouts);
  }

  private async change(): Promise<void> {
    const { root } = this.incident;
    if (!root) return this.pushNoRootCause();
    const { p } = this;
    if (this.asked.point) this.out.lines.push(p.changeAtPoint(this.t(this.asked.point), this.cause(root), this.t(root.started_at)));
    else this.out.lines.push(p.changeTrigger(this.cause(root), this.t(root.started_at)));
    this.out.lines.push(p.changeNote);
    await this.explain();
  }

  private breakers(): void {
    const { p, incident, report } = this;
    const named = this.scan.mentions.map((m) => m.name);
    const relevant = named.length > 0 ? incident.breakers.filter((b) => named.some((n) => n === b.service || n === b.breaker || n === b.protects)) : [];
    const shown = relevant.length > 0 ? relevant : incident.breakers;
    if (shown.length === 0) {
      this.out.lines.push(p.noBreakerOpened(report.breakers.length));
      return;
    }
    const ordered = [...shown].sort((a, b) => Date.parse(a.firstOpen ?? a.transitions[0]?.at ?? '') - Date.parse(b.firstOpen ?? b.transitions[0]?.at ?? ''));
    this.out.lines.push(p.breakersHeadline(ordered.length));
    for (const b of ordered) {
      this.out.lines.push(
        `- ${p.breakerLine({
          service: b.service,
          breaker: b.breaker,
          protects: b.protects,
          firstOpen: b.firstOpen ? this.t(b.firstOpen) : '?',
          opens: b.openCount,
          lastClose: b.endsOpen || !b.lastClose ? null : this.t(b.lastClose),
          source: b.source,
        })}`,
      );
      this.citeBreaker(b);
    }
    const root = incident.root;
    if (root) this.out.lines.push('', p.rootCause(this.cause(root), root.confidence, this.t(root.started_at)));
    this.out.charts.push(breakerChart({ title: p.chartBreakerTitle, breakers: ordered, window: report.window }));
  }

  private deadlines(): void {
    const { p, report } = this;
    const named = this.mentionedServices();
    const all = [...report.deadline_findings].sort((a, b) => b.count - a.count);
    const relevant = named.length > 0 ? all.filter((f) => named.includes(f.caller) || named.includes(f.callee)) : [];
    const shown = relevant.length > 0 ? relevant : all;
    if (shown.length === 0) {
      this.out.lines.push(p.noDeadlineFindings);
      this.out.note(p.noDeadlineFindings);
      return;
    }
    this.out.lines.push(p.deadlinesHeadline(shown.length));
    for (const f of shown) {
      this.out.lines.push(`- ${p.findingLine(f.caller, f.callee, findingPhrase(f.kind, this.lang), f.count)}${f.summary ? ` — ${this.lang === 'zh' && f.summary_zh ? f.summary_zh : f.summary}` : ''}`);
      this.out.cite(f.evidence ?? []);
    }
    const root = this.incident.root;
    if (root) this.out.lines.push('', p.rootCause(this.cause(root), root.confidence, this.t(root.started_at)));
  }

  private async traces(): Promise<void> {
    const { p, report, incident } = this;
    const service = this.mentionedServices()[0] ?? incident.symptomEdge?.caller ?? incident.root?.service;
    const window = this.asked.window && overlaps(this.asked.window, this.span) ? this.asked.window : report.window;
    const args = { ...(service ? { service } : {}), errorOnly: true, window, limit: MAX_TRACES };
    this.out.toolCalls.push({ name: 'sampleTraces', arguments: args });
    const traces = await this.ctx.sampleTraces(args);
    const label = service ?? (this.lang === 'zh' ? '所有服务' : 'any service');
    if (traces.length === 0) {
      this.out.lines.push(p.noTraces(label));
      this.out.note(p.noTraces(label));
      return;
    }
    this.out.lines.push(p.tracesHeadline(label, traces.length));
    for (const tr of traces) {
      const ref = `trace:${tr.trace_id}`;
      this.out.lines.push(`- ${p.traceLine(refLink(ref), tr.root, formatMs(tr.duration_ms, this.lang), this.t(tr.start), tr.error)}`);
      this.out.evidence.set(ref, { kind: 'trace', ref, label: tr.root });
    }
    const root = incident.root;
    if (root) this.out.lines.push('', p.rootCause(this.cause(root), root.confidence, this.t(root.started_at)));
  }

  /** Errors per minute in the baseline and during the incident, so windows of any length compare. */
  private async errorsBeforeAndDuring(service: string): Promise<{ before: number; during: number } | null> {
    const baseline = this.report.baseline;
    if (!baseline) return null;
    const incident = this.report.window;
    const [before, during] = await Promise.all([
      this.rate({ service, kinds: ERROR_KINDS, window: baseline }),
      this.rate({ service, kinds: ERROR_KINDS, window: incident }),
    ]);
    return { before: before.total / windowMinutes(baseline), during: during.total / windowMinutes(incident) };
  }

  /** Ties the service the user asked about to the cause, or says it is off the path. */
  private whyLead(): string | undefined {
    const root = this.incident.root;
    const asked = this.mentionedServices()[0];
    if (!root || asked === undefined || asked === root.service) return undefined;
    return this.onPath(asked) ? this.p.whyLead(asked, this.cause(root)) : this.p.whyOffPath(asked, this.cause(root));
  }

  private onPath(service: string): boolean {
    return this.incident.causalPath.includes(service);
  }

  /** "Is X the cause / slow?" — X against the ranked root cause and the causal path. */
  private async suspect(target: string): Promise<void> {
    const { p, incident, report } = this;
    const root = incident.root;
    if (!root) {
      this.pushNoRootCause();
      return;
    }
    const suspectedKind = KIND_WORDS.find(([, re]) => re.test(this.question))?.[0] ?? null;
    if (target === root.service && (suspectedKind === null || suspectedKind === root.kind)) this.out.lines.push(p.suspectYes(target, this.cause(root)));
    else if (target === root.service) this.out.lines.push(p.suspectOnPath(rootCausePhrase(suspectedKind ?? 'unknown', target, this.lang), this.cause(root)));
    else if (this.onPath(target)) this.out.lines.push(p.suspectOnPath(target, this.cause(root)));
    else this.out.lines.push(p.suspectOffPath(target, this.cause(root)));
    const stats = report.services.find((s) => s.service === target);
    if (stats) this.out.lines.push(p.suspectStats(target, stats.requests, stats.errors, stats.timeouts, formatMs(stats.p99_ms, this.lang)));
    if (!this.onPath(target)) {
      const errors = await this.errorsBeforeAndDuring(target);
      if (errors && (errors.before > 0 || errors.during > 0)) this.out.lines.push(p.suspectBaseline(target, errors.before, errors.during));
    }
    await this.explain();
  }

  /** "Is A related to B?" — B on the causal path, or B's timeouts before A's errors. */
  private async related(): Promise<void> {
    const { p, incident } = this;
    const named = this.mentionedServices();
    const b = named.at(-1);
    if (b === undefined) return this.explain();
    const a = named.length >= 2 ? (named[0] ?? null) : null;
    const root = incident.root;
    if (root && b === root.service) this.out.lines.push(p.relatedYesCulprit(a, b, this.cause(root)));
    else if (root && this.onPath(b)) this.out.lines.push(p.relatedYesOnPath(a, b, this.cause(root)));
    else {
      const window = this.span;
      const [bTimeouts, aErrors] = await Promise.all([
        this.rate({ peer: b, kinds: TIMEOUT_KINDS, window }),
        a !== null ? this.rate({ service: a, kinds: FAILURE_KINDS, window }) : Promise.resolve(null),
      ]);
      if (a !== null && bTimeouts.first && aErrors?.first && Date.parse(bTimeouts.first) <= Date.parse(aErrors.first)) {
        this.out.lines.push(p.relatedYesTiming(a, b, this.t(bTimeouts.first), this.t(aErrors.first)));
      } else if (root) {
        this.out.lines.push(p.relatedNo(a, b, this.cause(root)));
        const errors = await this.errorsBeforeAndDuring(b);
        if (errors && (errors.before > 0 || errors.during > 0)) this.out.lines.push(p.suspectBaseline(b, errors.before, errors.during));
      } else {
        this.out.lines.push(p.relatedUnknown(a, b));
        return;
      }
    }
    this.out.lines.push('');
    await this.explain();
  }

  /** "Do other callers see it too?" — timeouts and errors toward a service, per caller, against the baseline. */
  private async impact(): Promise<void> {
    const { p, incident, report } = this;
    const named = this.mentionedServices();
    const target = named.length === 1 ? named[0] : (incident.symptomEdge?.callee ?? incident.root?.service);
    if (target === undefined) return this.pushNoRootCause();
    const callers = [...new Set([...this.ctx.services, ...report.services.map((s) => s.service)])].filter((s) => s !== target).slice(0, MAX_IMPACT_CALLERS);
    const rows = await Promise.all(
      callers.map(async (caller) => {
        const during = await this.rate({ service: caller, peer: target, kinds: FAILURE_KINDS, window: report.window });
        const before = report.baseline && during.total > 0 ? await this.rate({ service: caller, peer: target, kinds: FAILURE_KINDS, window: report.baseline }) : null;
        return { caller, during: during.total, before: before?.total ?? null };
      }),
    );
    const hit = rows.filter((r) => r.during > 0).sort((a, b) => b.during - a.during);
    const pathCaller = incident.symptomEdge?.callee === target ? incident.symptomEdge.caller : null;
    const offPath = hit.filter((r) => r.caller !== pathCaller);
    if (pathCaller !== null && hit.length > 0) {
      this.out.lines.push(
        offPath.length > 0 ? p.impactVerdictYes(target, list(offPath.map((r) => `${r.caller} (${r.during})`), this.lang)) : p.impactVerdictNo(target, pathCaller),
      );
    }
    const knownCallers = incident.edges.filter((e) => e.callee === target).map((e) => e.caller);
    const quiet = knownCallers.filter((c) => !hit.some((h) => h.caller === c));
    if (hit.length === 0) this.out.lines.push(p.impactNone(target));
    else {
      this.out.lines.push(p.impactHeadline(target));
      for (const r of hit) this.out.lines.push(`- ${p.impactCaller(r.caller, r.during, r.before)}`);
    }
    if (quiet.length > 0) this.out.lines.push(p.impactQuiet(list(quiet, this.lang)));
    // A service on the failure path fails because of the incident: its baseline says nothing about noise.
    const others = named.filter((n) => n !== target && !this.onPath(n));
    for (const s of others) {
      const errors = await this.errorsBeforeAndDuring(s);
      if (errors) this.out.lines.push(p.suspectBaseline(s, errors.before, errors.during));
    }
    this.out.lines.push('');
    await this.explain();
  }

  private async compare(): Promise<void> {
    const { p, report, incident } = this;
    const baseline = report.baseline;
    if (!baseline) {
      this.out.lines.push(p.noBaseline);
      this.out.note(p.noBaseline);
      return this.explain();
    }
    const during = this.asked.window && overlaps(this.asked.window, report.window) ? this.asked.window : report.window;
    const perMinute = (total: number, w: TimeWindow): number => total / windowMinutes(w);
    const rows: { label: string; before: number; during: number }[] = [];
    const edge = incident.symptomEdge;
    if (edge) {
      const [b, d] = await Promise.all([
        this.rate({ service: edge.caller, peer: edge.callee, kinds: TIMEOUT_KINDS, window: baseline }),
        this.rate({ service: edge.caller, peer: edge.callee, kinds: TIMEOUT_KINDS, window: during }),
      ]);
      rows.push({ label: `${p.compareTimeoutsLabel(edge.caller, edge.callee)} / min`, before: perMinute(b.total, baseline), during: perMinute(d.total, during) });
    }
    const root = incident.root;
    if (root) {
      const metric = await this.culpritMetric(root, this.span);
      if (metric) {
        const inWindow = (w: TimeWindow) => metric.points.filter((pt) => Date.parse(pt.ts) >= Date.parse(w.from) && Date.parse(pt.ts) <= Date.parse(w.to));
        rows.push({ label: p.compareMetricLabel(`${root.service} ${metric.name}`), before: mean(inWindow(baseline)), during: mean(inWindow(during)) });
        this.out.cite([{ kind: 'series', ref: seriesRef(metric), summary: metric.name }]);
      } else this.out.note(p.noMetrics(root.service));
    }
    const services = [...new Set([...this.mentionedServices(), ...(edge ? [edge.caller] : [])])];
    for (const s of services) {
      const [b, d] = await Promise.all([this.rate({ service: s, kinds: ERROR_KINDS, window: baseline }), this.rate({ service: s, kinds: ERROR_KINDS, window: during })]);
      rows.push({ label: `${p.compareErrorsLabel(s)} / min`, before: perMinute(b.total, baseline), during: perMinute(d.total, during) });
    }
    this.out.lines.push(p.compareHeadline(p.range(this.t(baseline.from), this.t(baseline.to)), p.range(this.t(during.from), this.t(during.to))));
    for (const r of rows) this.out.lines.push(`- ${p.compareRow(r.label, r.before, r.during)}`);
    if (rows.length > 0) this.out.charts.push(compareChart({ title: p.chartCompareTitle, beforeLabel: p.beforeLabel, duringLabel: p.duringLabel, rows }));
    if (root) {
      this.out.lines.push('', p.rootCause(this.cause(root), root.confidence, this.t(root.started_at)));
      this.out.cite(root.evidence);
    }
  }

  async run(): Promise<AskAnswer> {
    const { p } = this;
    this.checkAskedTime();
    this.checkSignalsAfterBaseline();
    this.checkUnknownNames();
    const onlyUnknown = this.scan.mentions.length === 0 && this.scan.unknown.length > 0;
    switch (this.intent) {
      case 'traces':
        await this.traces();
        break;
      case 'breakers':
        this.breakers();
        break;
      case 'deadlines':
        this.deadlines();
        break;
      case 'compare':
        await this.compare();
        break;
      case 'related':
        await this.related();
        break;
      case 'impact':
        await this.impact();
        break;
      case 'suspect': {
        const target = this.mentionedServices()[0];
        if (target && !onlyUnknown) await this.suspect(target);
        else await this.explain();
        break;
      }
      case 'when':
        await this.when();
        break;
      case 'change':
        await this.change();
        break;
      case 'where':
        await this.explain(this.incident.root ? (this.lang === 'zh' ? `**故障出在 ${this.incident.root.service}。**` : `**The fault is in ${this.incident.root.service}.**`) : undefined);
        break;
      case 'why':
        await this.explain(this.whyLead());
        break;
      case 'summary':
        await this.explain();
        break;
    }

    const parts = [this.ctx.llmFailed ? p.offlineBannerAfterFailure : p.offlineBanner, ...this.out.lines];
    const citations = [...this.out.evidence.values()];
    if (citations.length > 0) {
      parts.push(p.evidenceHeading, ...citations.slice(0, MAX_EVIDENCE * 2).map((c) => `- ${refLink(c.ref)} ${c.label ?? ''}`.trimEnd()));
    }
    if (this.out.notes.length > 0) parts.push(p.notDeterminedHeading, ...this.out.notes.map((n) => `- ${n}`));
    const root = this.incident.root;
    return {
      answer: toMarkdown(parts),
      provider: 'offline',
      root_cause: root ? { service: root.service, kind: root.kind } : null,
      citations: citations.map((c) => ({ ...c, kind: c.kind ?? refKind(c.ref) })),
      charts: this.out.charts,
      tool_calls: this.out.toolCalls,
      language: this.lang,
    };
  }
}

export async function composeAnswer(question: string, ctx: OfflineContext): Promise<AskAnswer> {
  return new OfflineAnalyst(question, ctx).run();
}
