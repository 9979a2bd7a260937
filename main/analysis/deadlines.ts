import type { DeadlineFinding, Evidence } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import { overCalls, type NsWindow } from './edges.js';
import edgeStatsSql from './sql/deadline_edge_stats.sql?raw';
import calleeNormalP99Sql from './sql/deadline_callee_normal_p99.sql?raw';
import budgetsSql from './sql/deadline_budgets.sql?raw';

/**
 * A server span still running this long after its caller gave up is orphan work, not clock skew
 * or the last moments of a cancelled request.
 */
const ORPHAN_MIN_MS = 50;
/** A minute needs this many server spans for its p99 to count towards a service's normal p99. */
const MIN_SPANS_PER_MINUTE = 5;
/** Timed-out calls needed before their durations can reveal a timeout nobody recorded. */
const MIN_TIMEOUTS_TO_INFER = 3;
/** The spread (p90 - p10) of timed-out durations, relative to their median, of a fixed timeout. */
const INFERRED_TIMEOUT_SPREAD = 0.1;
/** Failures that end this soon are refusals or fast errors, whatever their spread, not a timer firing. */
const MIN_INFERRED_TIMEOUT_MS = 50;

interface EdgeStatsRow {
  caller: string;
  callee: string;
  calls: number;
  timed_out: number;
  own_timeouts: number;
  with_deadline: number;
  deadline_p50_ms: number | null;
  deadline_min_ms: number | null;
  timed_out_p10_ms: number | null;
  timed_out_p50_ms: number | null;
  timed_out_p90_ms: number | null;
  answered_server_p99_ms: number | null;
  timed_out_refs: string[] | null;
  orphans: number;
  worst_overrun_ms: number | null;
  orphan_refs: string[] | null;
  timed_out_answered: number;
  unexplained_failures: number;
  unexplained_p10_ms: number | null;
  unexplained_p50_ms: number | null;
  unexplained_p90_ms: number | null;
  unexplained_refs: string[] | null;
}

interface BudgetRow {
  caller: string;
  callee: string;
  exceeds: number;
  worst_excess_ms: number | null;
  exceeds_refs: string[] | null;
  no_reserve: number;
  budgeted_calls: number;
  remaining_p50_ms: number | null;
  deadline_p50_ms: number | null;
  model_p50_ms: number | null;
  hop: number | null;
  no_reserve_refs: string[] | null;
  retry_overruns: number;
  max_attempts: number | null;
  retry_refs: string[] | null;
}

/** The client timeout of an edge: as the spans state it, else inferred from a tight cluster of timed-out durations. */
export function edgeTimeout(
  row: Pick<EdgeStatsRow, 'with_deadline' | 'deadline_p50_ms' | 'own_timeouts' | 'timed_out_p10_ms' | 'timed_out_p50_ms' | 'timed_out_p90_ms'>,
): { ms: number; inferred: boolean } | null {
  if (row.with_deadline > 0 && row.deadline_p50_ms !== null) return { ms: row.deadline_p50_ms, inferred: false };
  const { timed_out_p10_ms: p10, timed_out_p50_ms: p50, timed_out_p90_ms: p90 } = row;
  if (row.own_timeouts < MIN_TIMEOUTS_TO_INFER || p10 === null || p50 === null || p90 === null || p50 <= 0) return null;
  if (p90 - p10 > Math.max(INFERRED_TIMEOUT_SPREAD * p50, 2)) return null;
  return { ms: p50, inferred: true };
}

/** Deadline problems per call edge in the window, most frequent first. */
export async function deadlineFindings(reader: StoreReader, window?: NsWindow): Promise<DeadlineFinding[]> {
  const stats = overCalls(edgeStatsSql, window, { deadlines: true, extra: { orphan_min_ms: ORPHAN_MIN_MS } });
  const budgets = overCalls(budgetsSql, window, { deadlines: true });
  const [edges, budgetRows, normals] = await Promise.all([
    reader.all<EdgeStatsRow>(stats.sql, stats.params),
    reader.all<BudgetRow>(budgets.sql, budgets.params),
    reader.all<{ service: string; normal_p99_ms: number }>(calleeNormalP99Sql, { min_spans: MIN_SPANS_PER_MINUTE }),
  ]);
  const normalP99 = new Map(normals.map((n) => [n.service, n.normal_p99_ms]));
  const findings: DeadlineFinding[] = [];
  for (const edge of edges) findings.push(...edgeFindings(edge, normalP99.get(edge.callee) ?? null));
  for (const row of budgetRows) findings.push(...budgetFindings(row));
  return findings.sort((a, b) => b.count - a.count || a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee));
}

/**
 * The timeout behind failures no span names as timeouts: they all end after the same wait, which only
 * a client timer produces (a failing callee answers after varying times, a refusal at once).
 */
export function silentTimeout(
  row: Pick<EdgeStatsRow, 'unexplained_failures' | 'unexplained_p10_ms' | 'unexplained_p50_ms' | 'unexplained_p90_ms'>,
): number | null {
  const { unexplained_p10_ms: p10, unexplained_p50_ms: p50, unexplained_p90_ms: p90 } = row;
  if (row.unexplained_failures < MIN_TIMEOUTS_TO_INFER || p10 === null || p50 === null || p90 === null) return null;
  if (p50 < MIN_INFERRED_TIMEOUT_MS || p90 - p10 > Math.max(INFERRED_TIMEOUT_SPREAD * p50, 2)) return null;
  return p50;
}

function edgeFindings(edge: EdgeStatsRow, calleeNormalP99Ms: number | null): DeadlineFinding[] {
  const { caller, callee } = edge;
  const findings: DeadlineFinding[] = [];
  const timeout = edgeTimeout(edge);
  const inherited = edge.timed_out - edge.own_timeouts;
  const silent = silentTimeout(edge);
  if (silent !== null) {
    findings.push({
      caller,
      callee,
      kind: 'deadline_exceeded',
      count: edge.unexplained_failures,
      summary: `${edge.unexplained_failures} of ${edge.calls} calls from ${caller} to ${callee} failed after ≈ ${fmt(silent)} ms each (p10 ${fmt(
        edge.unexplained_p10_ms!,
      )}, p90 ${fmt(edge.unexplained_p90_ms!)} ms) with no cause recorded: a client timeout ended them.`,
      evidence: spanEvidence(edge.unexplained_refs, `${caller} -> ${callee} failed at the timeout`),
    });
  }
  if (edge.timed_out > 0) {
    findings.push({
      caller,
      callee,
      kind: 'deadline_exceeded',
      count: edge.timed_out,
      summary: `${edge.timed_out} of ${edge.calls} calls from ${caller} to ${callee} hit their deadline or timeout${
        timeout ? ` (${timeout.inferred ? 'timeout inferred from where calls end' : 'deadline'} ≈ ${fmt(timeout.ms)} ms)` : ''
      }${inherited > 0 ? `; ${inherited} of them passed up from ${callee}'s own timed-out calls downstream` : ''}.`,
      evidence: spanEvidence(edge.timed_out_refs, `${caller} -> ${callee} timed out`),
    });
  }
  if (edge.orphans > 0) {
    findings.push({
      caller,
      callee,
      kind: 'orphan_work',
      count: edge.orphans,
      summary: `${callee} kept working after ${caller} gave up in ${edge.orphans} of ${edge.timed_out_answered} timed-out calls (worst ${fmt(
        edge.worst_overrun_ms ?? 0,
      )} ms past the caller's end): the deadline is not propagated or not honoured.`,
      evidence: spanEvidence(edge.orphan_refs, `${callee} still running after ${caller} timed out`),
    });
  }
  if (timeout && edge.own_timeouts > 0 && calleeNormalP99Ms !== null && timeout.ms < calleeNormalP99Ms) {
    findings.push({
      caller,
      callee,
      kind: 'timeout_below_callee_p99',
      count: edge.own_timeouts,
      summary: `${caller}'s timeout for ${callee} (${timeout.inferred ? 'inferred ' : ''}${fmt(timeout.ms)} ms) is below ${callee}'s normal p99 of ${fmt(
        calleeNormalP99Ms,
      )} ms: at least 1% of healthy calls must time out.`,
      evidence: spanEvidence(edge.timed_out_refs, `${caller} -> ${callee} timed out`),
    });
  }
  return findings;
}

function budgetFindings(row: BudgetRow): DeadlineFinding[] {
  const { caller, callee } = row;
  const findings: DeadlineFinding[] = [];
  if (row.exceeds > 0) {
    findings.push({
      caller,
      callee,
      kind: 'child_timeout_exceeds_budget',
      count: row.exceeds,
      summary: `${row.exceeds} calls from ${caller} to ${callee} carried a deadline longer than what was left of ${caller}'s own (worst by ${fmt(
        row.worst_excess_ms ?? 0,
      )} ms): ${callee} works on after ${caller}'s caller has given up.`,
      evidence: spanEvidence(row.exceeds_refs, `deadline beyond ${caller}'s remaining budget`),
    });
  }
  if (row.retry_overruns > 0) {
    findings.push({
      caller,
      callee,
      kind: 'retry_exceeds_budget',
      count: row.retry_overruns,
      summary: `${row.retry_overruns} retried calls from ${caller} to ${callee} (up to ${row.max_attempts ?? 2} attempts) needed more time than ${caller}'s deadline left.`,
      evidence: spanEvidence(row.retry_refs, `retries beyond ${caller}'s budget`),
    });
  }
  if (row.no_reserve > 0) {
    const model = `the seed's decay model (alpha = min(0.1 + 0.05 x (hop - 1), 0.3), 5 ms reserve) gives ≈ ${fmt(row.model_p50_ms ?? 0)} ms at hop ${row.hop ?? 1}`;
    findings.push({
      caller,
      callee,
      kind: 'budget_decay',
      count: row.no_reserve,
      summary: `${caller} passes ${callee} ${fmt(row.deadline_p50_ms ?? 0)} ms of its remaining ${fmt(row.remaining_p50_ms ?? 0)} ms, keeping no reserve for its own work; ${model}.`,
      evidence: spanEvidence(row.no_reserve_refs, `deadline above the decay model`),
    });
  }
  return findings;
}

function spanEvidence(refs: string[] | null, summary: string): Evidence[] {
  return (refs ?? []).map((ref) => ({ kind: 'span', ref, summary }));
}

const fmt = (ms: number): string => (ms >= 100 ? String(Math.round(ms)) : String(Math.round(ms * 10) / 10));
