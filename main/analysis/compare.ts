import type { TimeWindow } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import { toNsWindow } from './window.js';
import dimensionsSql from './sql/compare_dimensions.sql?raw';
import totalsSql from './sql/compare_totals.sql?raw';

export interface WindowSide {
  spans: number;
  /** Share of the window's spans that carry this value. */
  share: number;
  /** Share of the window's failed spans that carry this value. */
  failed_share: number;
  error_ratio: number;
  p90_ms: number | null;
}

export interface DimensionDifference {
  /** "service", "operation", "status", "peer" or "attribute:<key>". */
  dimension: string;
  value: string;
  incident: WindowSide;
  baseline: WindowSide;
  /** How much more this value marks the incident's failures and slowness than the baseline's spans. */
  score: number;
}

export interface WindowComparison {
  incident: TimeWindow;
  baseline: TimeWindow;
  incident_spans: number;
  baseline_spans: number;
  differences: DimensionDifference[];
}

interface DimensionRow {
  dimension: string;
  value: string;
  inc_spans: number;
  inc_failed: number;
  inc_p90_ms: number | null;
  base_spans: number;
  base_failed: number;
  base_p90_ms: number | null;
}

const MAX_DIFFERENCES = 40;

/**
 * Which dimension values set the incident apart from the baseline, BubbleUp-style: a value scores
 * when it is over-represented among the incident's failures compared with the baseline, when its
 * spans fail more often than before, or when they got slower.
 */
export async function compareWindowsWith(reader: StoreReader, incident: TimeWindow, baseline: TimeWindow): Promise<WindowComparison> {
  const inc = toNsWindow(incident);
  const base = toNsWindow(baseline);
  const params = { inc_from: inc.fromNs, inc_to: inc.toNs, base_from: base.fromNs, base_to: base.toNs };
  const [totals] = await reader.all<{ inc_spans: number; base_spans: number; inc_failed: number; base_failed: number }>(totalsSql, params);
  const rows = await reader.all<DimensionRow>(dimensionsSql, params);
  const t = totals ?? { inc_spans: 0, base_spans: 0, inc_failed: 0, base_failed: 0 };
  const side = (spans: number, failed: number, p90: number | null, total: number, totalFailed: number): WindowSide => ({
    spans,
    share: total > 0 ? spans / total : 0,
    failed_share: totalFailed > 0 ? failed / totalFailed : 0,
    error_ratio: spans > 0 ? failed / spans : 0,
    p90_ms: p90 === null ? null : Math.round(p90 * 100) / 100,
  });
  const differences = rows.map((row): DimensionDifference => {
    const incidentSide = side(row.inc_spans, row.inc_failed, row.inc_p90_ms, t.inc_spans, t.inc_failed);
    const baselineSide = side(row.base_spans, row.base_failed, row.base_p90_ms, t.base_spans, t.base_failed);
    const failureLift = incidentSide.failed_share - baselineSide.failed_share;
    const errorLift = row.inc_spans >= 3 ? incidentSide.error_ratio - baselineSide.error_ratio : 0;
    const slowdown =
      incidentSide.p90_ms !== null && baselineSide.p90_ms !== null && baselineSide.p90_ms > 0 && row.inc_spans >= 3
        ? Math.min(1, Math.max(0, Math.log2(incidentSide.p90_ms / baselineSide.p90_ms)) / 4)
        : 0;
    return {
      dimension: row.dimension,
      value: row.value,
      incident: incidentSide,
      baseline: baselineSide,
      score: Math.round((Math.max(0, failureLift) + Math.max(0, errorLift) + slowdown) * 1000) / 1000,
    };
  });
  differences.sort((a, b) => b.score - a.score || a.dimension.localeCompare(b.dimension) || a.value.localeCompare(b.value));
  return {
    incident,
    baseline,
    incident_spans: t.inc_spans,
    baseline_spans: t.base_spans,
    differences: differences.filter((d) => d.score > 0).slice(0, MAX_DIFFERENCES),
  };
}
