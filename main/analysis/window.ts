import type { TimeWindow } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import rangeSql from './sql/window_range.sql?raw';
import historySql from './sql/window_history.sql?raw';
import bucketsSql from './sql/window_buckets.sql?raw';
import metricBucketsSql from './sql/window_metric_buckets.sql?raw';
import { METRIC_FAMILY_PATTERN } from './kinds.js';

/** A half-open time range in UTC nanoseconds. */
export interface NsWindow {
  fromNs: bigint;
  toNs: bigint;
}

export interface IncidentWindows {
  /** Everything loaded. */
  data: NsWindow;
  /** Where the trouble is: given by the caller, or the run of anomalous buckets. */
  incident: NsWindow;
  /** Where onsets are searched: the incident plus a lead-in, since symptoms lag their causes. */
  search: NsWindow;
  /**
   * Healthy time before the incident (after it when nothing precedes it); null when there is none.
   * When the traces hold no healthy time, the metric and log history before them is the baseline.
   */
  baseline: NsWindow | null;
  /** Bucket width used for onsets and rates. */
  stepNs: bigint;
}

const NS_PER_S = 1_000_000_000n;
const MIN_STEP_NS = 10n * NS_PER_S;
const MAX_STEP_NS = 600n * NS_PER_S;
/** Enough buckets over the data for onsets to be ordered to within a few percent of it. */
const TARGET_BUCKETS = 150n;
/** A baseline shorter than this many buckets is too noisy to compare against. */
const MIN_BASELINE_BUCKETS = 6n;
/** Buckets of calm allowed inside one incident (sampled traces leave quiet gaps). */
const MAX_GAP_BUCKETS = 3;
/** Window buckets are this many onset buckets wide. */
const WINDOW_STEP_FACTOR = 3n;

export function toNsWindow(window: TimeWindow): NsWindow {
  const fromMs = Date.parse(window.from);
  const toMs = Date.parse(window.to);
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) throw new Error(`Invalid time window: from "${window.from}" to "${window.to}" must be ISO 8601 timestamps`);
  if (toMs <= fromMs) throw new Error(`Invalid time window: "${window.to}" is not after "${window.from}"`);
  return { fromNs: BigInt(fromMs) * 1_000_000n, toNs: BigInt(toMs) * 1_000_000n };
}

export function nsToIso(ns: bigint | number | string): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}

export function toTimeWindow(window: NsWindow): TimeWindow {
  return { from: nsToIso(window.fromNs), to: nsToIso(window.toNs) };
}

export async function dataRange(reader: StoreReader): Promise<NsWindow | null> {
  const [row] = await reader.all<{ from_ns: string | null; to_ns: string | null }>(rangeSql);
  if (!row?.from_ns || !row.to_ns) return null;
  return { fromNs: BigInt(row.from_ns), toNs: BigInt(row.to_ns) + 1n };
}

export function stepFor(range: NsWindow): bigint {
  const raw = (range.toNs - range.fromNs) / TARGET_BUCKETS;
  const rounded = ((raw + MIN_STEP_NS - 1n) / MIN_STEP_NS) * MIN_STEP_NS;
  return rounded < MIN_STEP_NS ? MIN_STEP_NS : rounded > MAX_STEP_NS ? MAX_STEP_NS : rounded;
}

/**
 * Finds the incident window (unless given) and a baseline before it. Each service's entry spans are
 * compared with that service's own typical level, so errors it always has do not count: a bucket is
 * anomalous when services fail or slow down beyond their usual.
 */
export async function detectWindows(reader: StoreReader, given?: TimeWindow): Promise<IncidentWindows | null> {
  const data = await dataRange(reader);
  if (!data) return null;
  const stepNs = stepFor(data);
  const incident = given ? toNsWindow(given) : await findIncident(reader, data, stepNs);
  const lead = leadIn(incident, stepNs);
  const searchFrom = incident.fromNs - lead > data.fromNs ? incident.fromNs - lead : data.fromNs;
  const search = { fromNs: searchFrom, toNs: incident.toNs };
  const baseline = baselineFor(data, search, stepNs) ?? (await historyBaseline(reader, search, stepNs));
  return { data, incident, search, baseline, stepNs };
}

/** The time before the traces that only metrics or logs cover, when it is long enough to compare against. */
async function historyBaseline(reader: StoreReader, search: NsWindow, stepNs: bigint): Promise<NsWindow | null> {
  const [row] = await reader.all<{ from_ns: string | null }>(historySql);
  if (!row?.from_ns) return null;
  const fromNs = BigInt(row.from_ns);
  return search.fromNs - fromNs >= MIN_BASELINE_BUCKETS * stepNs ? { fromNs, toNs: search.fromNs } : null;
}

function leadIn(incident: NsWindow, stepNs: bigint): bigint {
  const quarter = (incident.toNs - incident.fromNs) / 4n;
  const minimum = 2n * stepNs;
  return quarter > minimum ? quarter : minimum;
}

function baselineFor(data: NsWindow, search: NsWindow, stepNs: bigint): NsWindow | null {
  const minLength = MIN_BASELINE_BUCKETS * stepNs;
  if (search.fromNs - data.fromNs >= minLength) return { fromNs: data.fromNs, toNs: search.fromNs };
  const afterFrom = search.toNs + stepNs;
  if (data.toNs - afterFrom >= minLength) return { fromNs: afterFrom, toNs: data.toNs };
  return null;
}

interface BucketRow {
  bucket: number;
  service: string;
  n: number;
  errors: number;
  mean_ms: number;
}

async function findIncident(reader: StoreReader, data: NsWindow, onsetStepNs: bigint): Promise<NsWindow> {
  // Sampled traces leave most fine buckets empty; the window is found on coarser ones.
  const stepNs = onsetStepNs * WINDOW_STEP_FACTOR;
  const params = { origin_ns: data.fromNs, end_ns: data.toNs, step_ns: stepNs };
  const bucketCount = Number((data.toNs - data.fromNs + stepNs - 1n) / stepNs);
  let run = anomalousRun(bucketBadness(await reader.all<BucketRow>(bucketsSql, params), bucketCount));
  // Without traces or telling logs, mechanism metrics (CPU, GC, pools...) leaving their level do.
  run ??= anomalousRun(bucketBadness(await reader.all<BucketRow>(metricBucketsSql, { ...params, name_pattern: METRIC_FAMILY_PATTERN }), bucketCount));
  if (!run) return data;
  const fromNs = data.fromNs + BigInt(run.first) * stepNs;
  const toNs = data.fromNs + BigInt(run.last + 1) * stepNs;
  return { fromNs, toNs: toNs < data.toNs ? toNs : data.toNs };
}

/** How far each bucket's services are from their own typical error ratio and latency. */
export function bucketBadness(rows: readonly BucketRow[], bucketCount: number): number[] {
  const byService = new Map<string, BucketRow[]>();
  for (const row of rows) {
    const list = byService.get(row.service) ?? [];
    list.push(row);
    byService.set(row.service, list);
  }
  const badness = new Array<number>(bucketCount).fill(0);
  for (const list of byService.values()) {
    const typicalErrorRatio = median(list.map((r) => r.errors / r.n));
    const typicalLatency = median(list.map((r) => r.mean_ms));
    for (const row of list) {
      if (row.bucket < 0 || row.bucket >= bucketCount) continue;
      const weight = Math.min(1, row.n / 3);
      const errorExcess = Math.max(0, row.errors / row.n - typicalErrorRatio - 0.05);
      const slowdown = typicalLatency > 0 ? Math.log2(Math.max(row.mean_ms, 1e-9) / typicalLatency) : 0;
      const latencyExcess = Math.min(1, Math.max(0, slowdown - 0.6) / 2);
      badness[row.bucket]! += weight * (errorExcess + latencyExcess);
    }
  }
  return badness;
}

/** The run of buckets around the worst one whose badness stands clear of the noise. */
export function anomalousRun(badness: readonly number[]): { first: number; last: number } | null {
  if (badness.length === 0) return null;
  const smoothed = badness.map((_, i) => {
    const window = badness.slice(Math.max(0, i - 1), i + 2);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
  let peak = 0;
  for (let i = 1; i < smoothed.length; i += 1) if (smoothed[i]! > smoothed[peak]!) peak = i;
  const typical = median(smoothed);
  const spread = median(smoothed.map((v) => Math.abs(v - typical)));
  const floor = typical + 4 * spread + 0.05;
  if (smoothed[peak]! <= floor) return null;
  const threshold = Math.max(floor, 0.2 * smoothed[peak]!);
  const hot = (i: number): boolean => badness[i]! >= threshold;
  let first = peak;
  let last = peak;
  for (let i = peak - 1, gap = 0; i >= 0 && gap <= MAX_GAP_BUCKETS; i -= 1) {
    if (hot(i)) {
      first = i;
      gap = 0;
    } else gap += 1;
  }
  for (let i = peak + 1, gap = 0; i < badness.length && gap <= MAX_GAP_BUCKETS; i += 1) {
    if (hot(i)) {
      last = i;
      gap = 0;
    } else gap += 1;
  }
  return { first, last };
}

export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return 0;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}
