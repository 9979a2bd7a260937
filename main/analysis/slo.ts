import type { TimeWindow } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import { nsToIso, type NsWindow } from './window.js';
import burnSql from './sql/slo_burn.sql?raw';

export interface BurnPoint {
  /** Start of the 5-minute bucket. */
  at: string;
  requests: number;
  error_ratio: number;
  burn: number;
}

export interface ServiceBurn {
  service: string;
  /** Over the last 5 minutes and the last hour of the data. */
  burn_5m: number;
  burn_1h: number;
  error_ratio_5m: number;
  error_ratio_1h: number;
  /** The worst 5-minute and 1-hour burns anywhere in the data, with when they happened. */
  peak_5m: BurnPoint | null;
  peak_1h: BurnPoint | null;
  /** Share of a 30-day error budget the worst hour consumed (the seed pages above 15%). */
  peak_hour_share_of_30d_budget: number;
}

export interface SloBurnReport {
  target: number;
  window: TimeWindow | null;
  services: ServiceBurn[];
}

interface BurnRow {
  service: string;
  bucket_ns: string;
  requests: number;
  errors: number;
  hour_requests: number;
  hour_errors: number;
}

export const DEFAULT_SLO_TARGET = 0.999;
const HOURS_PER_30_DAYS = 720;

/**
 * Error-budget burn per service from span outcomes, as the seed computes it:
 * burn = observed error ratio / (1 - target). A burn of 1 spends the budget exactly over the SLO
 * period; 14.4 over one hour spends 2% of a 30-day budget.
 */
export async function sloBurnOver(reader: StoreReader, range: NsWindow | null, target = DEFAULT_SLO_TARGET): Promise<SloBurnReport> {
  if (!(target > 0 && target < 1)) throw new Error(`SLO target must be between 0 and 1 (exclusive), got ${target}`);
  if (!range) return { target, window: null, services: [] };
  const rows = await reader.all<BurnRow>(burnSql, { from_ns: range.fromNs, to_ns: range.toNs });
  const budget = 1 - target;
  const byService = new Map<string, BurnRow[]>();
  for (const row of rows) byService.set(row.service, [...(byService.get(row.service) ?? []), row]);
  const services: ServiceBurn[] = [];
  for (const [service, list] of byService) {
    const point = (row: BurnRow, hour: boolean): BurnPoint => {
      const requests = hour ? row.hour_requests : row.requests;
      const ratio = requests > 0 ? (hour ? row.hour_errors : row.errors) / requests : 0;
      return { at: nsToIso(BigInt(row.bucket_ns)), requests, error_ratio: ratio, burn: ratio / budget };
    };
    const last = list[list.length - 1]!;
    const fiveMinute = list.map((row) => point(row, false));
    const hourly = list.map((row) => point(row, true));
    const peak5 = fiveMinute.reduce<BurnPoint | null>((best, p) => (best === null || p.burn > best.burn ? p : best), null);
    const peak1h = hourly.reduce<BurnPoint | null>((best, p) => (best === null || p.burn > best.burn ? p : best), null);
    services.push({
      service,
      burn_5m: round(point(last, false).burn),
      burn_1h: round(point(last, true).burn),
      error_ratio_5m: round(point(last, false).error_ratio),
      error_ratio_1h: round(point(last, true).error_ratio),
      peak_5m: peak5 && { ...peak5, burn: round(peak5.burn), error_ratio: round(peak5.error_ratio) },
      peak_1h: peak1h && { ...peak1h, burn: round(peak1h.burn), error_ratio: round(peak1h.error_ratio) },
      // An hour at burn b spends b hours' worth of a budget that lasts 720 hours.
      peak_hour_share_of_30d_budget: round(peak1h ? peak1h.burn / HOURS_PER_30_DAYS : 0),
    });
  }
  services.sort((a, b) => (b.peak_5m?.burn ?? 0) - (a.peak_5m?.burn ?? 0) || a.service.localeCompare(b.service));
  return { target, window: { from: nsToIso(range.fromNs), to: nsToIso(range.toNs) }, services };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
