import type { ResilienceKind, TimeWindow } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import { dataRange, nsToIso, toNsWindow, type NsWindow } from './window.js';
import listSql from './sql/series_metric_list.sql?raw';
import pointsSql from './sql/series_metric_points.sql?raw';
import eventRateSql from './sql/series_event_rate.sql?raw';

export interface MetricSeriesQuery {
  name?: string;
  /** SQL LIKE pattern on the metric name, case-insensitive ("%gc%"). */
  nameLike?: string;
  service?: string;
  window?: TimeWindow;
  maxPoints?: number;
}

export interface MetricSeries {
  name: string;
  service: string | null;
  labels: Record<string, string>;
  points: { ts: string; value: number }[];
}

const DEFAULT_MAX_POINTS = 300;
const NS_PER_S = 1_000_000_000n;
const MAX_SERIES = 50;
/** Beyond this many buckets the event rate is returned sparse rather than zero-filled. */
const MAX_FILLED_BUCKETS = 10_000n;

async function rangeOf(reader: StoreReader, window: TimeWindow | undefined): Promise<NsWindow | null> {
  return window ? toNsWindow(window) : dataRange(reader);
}

/** Metric series for charts; counters as per-second rates, averaged into buckets when long. */
export async function metricSeriesFrom(reader: StoreReader, q: MetricSeriesQuery): Promise<MetricSeries[]> {
  const range = await rangeOf(reader, q.window);
  if (!range) return [];
  const maxPoints = BigInt(Math.max(2, Math.floor(q.maxPoints ?? DEFAULT_MAX_POINTS)));
  const stepNs = roundedStep((range.toNs - range.fromNs) / maxPoints);
  const list = await reader.all<{ name: string; service: string | null; labels: string; points: number; cumulative: boolean }>(listSql, {
    name: q.name ?? '',
    name_like: q.nameLike ?? '',
    service: q.service ?? '',
    from_ns: range.fromNs,
    to_ns: range.toNs,
    max_series: MAX_SERIES,
  });
  const series: MetricSeries[] = [];
  for (const entry of list) {
    const step = BigInt(entry.points) > maxPoints ? stepNs : 1n;
    const points = await reader.all<{ ts_ns: string; value: number }>(pointsSql, {
      name: entry.name,
      service: entry.service ?? '',
      labels: entry.labels,
      cumulative: entry.cumulative,
      from_ns: range.fromNs,
      to_ns: range.toNs,
      step_ns: step,
    });
    series.push({
      name: entry.name,
      service: entry.service,
      labels: parseLabels(entry.labels),
      points: points.map((p) => ({ ts: nsToIso(BigInt(p.ts_ns)), value: p.value })),
    });
  }
  return series;
}

export interface EventRateQuery {
  service?: string;
  peer?: string;
  kinds?: ResilienceKind[];
  window?: TimeWindow;
  stepSeconds?: number;
}

/** Resilience events per step (a minute unless told), zero-filled across the range. */
export async function eventRateSeriesFrom(reader: StoreReader, q: EventRateQuery): Promise<{ ts: string; count: number }[]> {
  const range = await rangeOf(reader, q.window);
  if (!range) return [];
  const stepSeconds = q.stepSeconds ?? 60;
  if (!(stepSeconds > 0)) throw new Error(`stepSeconds must be positive, got ${stepSeconds}`);
  const stepNs = BigInt(Math.round(stepSeconds * 1e9));
  const rows = await reader.all<{ ts_ns: string; count: number }>(eventRateSql, {
    service: q.service ?? '',
    peer: q.peer ?? '',
    kinds: (q.kinds ?? []).join(','),
    from_ns: range.fromNs,
    to_ns: range.toNs,
    step_ns: stepNs,
  });
  const counts = new Map(rows.map((row) => [BigInt(row.ts_ns), row.count]));
  const first = (range.fromNs / stepNs) * stepNs;
  const last = range.toNs - 1n;
  if ((last - first) / stepNs + 1n > MAX_FILLED_BUCKETS) return rows.map((row) => ({ ts: nsToIso(BigInt(row.ts_ns)), count: row.count }));
  const result: { ts: string; count: number }[] = [];
  for (let ts = first; ts <= last; ts += stepNs) result.push({ ts: nsToIso(ts), count: counts.get(ts) ?? 0 });
  return result;
}

/** Whole seconds (whole minutes beyond ten minutes), so that bucket times read naturally. */
function roundedStep(rawNs: bigint): bigint {
  const unit = rawNs > 600n * NS_PER_S ? 60n * NS_PER_S : NS_PER_S;
  return ((rawNs + unit - 1n) / unit) * unit || unit;
}

function parseLabels(json: string): Record<string, string> {
  try {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}
