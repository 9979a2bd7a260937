import type { DeadlineFinding, Evidence } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import { overCalls, type NsWindow } from './edges.js';
import { evidenceSaid, said, type Said } from './said.js';
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
      ...sentence(
        `${edge.unexplained_failures} of ${edge.calls} calls from ${caller} to ${callee} failed after ≈ ${fmt(silent)} ms each (p10 ${fmt(
          edge.unexplained_p10_ms!,
        )}, p90 ${fmt(edge.unexplained_p90_ms!)} ms) with no cause recorded: a client timeout ended them.`,
        `${caller} 对 ${callee} 的 ${edge.calls} 次调用中有 ${edge.unexplained_failures} 次在约 ${fmt(silent)} ms 时失败(p10 ${fmt(
          edge.unexplained_p10_ms!,
        )},p90 ${fmt(edge.unexplained_p90_ms!)} ms),没有记录原因:是客户端超时结束了它们。`,
      ),
      evidence: spanEvidence(edge.unexplained_refs, said(`${caller} -> ${callee} failed at the timeout`, `${caller} -> ${callee} 在超时点失败`)),
    });
  }
  if (edge.timed_out > 0) {
    findings.push({
      caller,
      callee,
      kind: 'deadline_exceeded',
      count: edge.timed_out,
      ...sentence(
        `${edge.timed_out} of ${edge.calls} calls from ${caller} to ${callee} hit their deadline or timeout${
          timeout ? ` (${timeout.inferred ? 'timeout inferred from where calls end' : 'deadline'} ≈ ${fmt(timeout.ms)} ms)` : ''
        }${inherited > 0 ? `; ${inherited} of them passed up from ${callee}'s own timed-out calls downstream` : ''}.`,
        `${caller} 对 ${callee} 的 ${edge.calls} 次调用中有 ${edge.timed_out} 次触及 deadline 或超时${
          timeout ? `(${timeout.inferred ? '由调用结束的位置推断的超时' : 'deadline'}约 ${fmt(timeout.ms)} ms)` : ''
        }${inherited > 0 ? `;其中 ${inherited} 次是 ${callee} 自己的下游调用超时后向上传递的` : ''}。`,
      ),
      evidence: spanEvidence(edge.timed_out_refs, said(`${caller} -> ${callee} timed out`, `${caller} -> ${callee} 超时`)),
    });
  }
  if (edge.orphans > 0) {
    findings.push({
      caller,
      callee,
      kind: 'orphan_work',
      count: edge.orphans,
      ...sentence(
        `${callee} kept working after ${caller} gave up in ${edge.orphans} of ${edge.timed_out_answered} timed-out calls (worst ${fmt(
          edge.worst_overrun_ms ?? 0,
        )} ms past the caller's end): the deadline is not propagated or not honoured.`,
        `在 ${edge.timed_out_answered} 次超时调用中,有 ${edge.orphans} 次 ${caller} 已经放弃而 ${callee} 仍在执行(最多超出调用方结束时间 ${fmt(
          edge.worst_overrun_ms ?? 0,
        )} ms):deadline 没有传递或没有被遵守。`,
      ),
      evidence: spanEvidence(edge.orphan_refs, said(`${callee} still running after ${caller} timed out`, `${caller} 超时后 ${callee} 仍在执行`)),
    });
  }
  if (timeout && edge.own_timeouts > 0 && calleeNormalP99Ms !== null && timeout.ms < calleeNormalP99Ms) {
    findings.push({
      caller,
      callee,
      kind: 'timeout_below_callee_p99',
      count: edge.own_timeouts,
      ...sentence(
        `${caller}'s timeout for ${callee} (${timeout.inferred ? 'inferred ' : ''}${fmt(timeout.ms)} ms) is below ${callee}'s normal p99 of ${fmt(
          calleeNormalP99Ms,
        )} ms: at least 1% of healthy calls must time out.`,
        `${caller} 调用 ${callee} 的超时(${timeout.inferred ? '推断值 ' : ''}${fmt(timeout.ms)} ms)低于 ${callee} 正常的 p99 ${fmt(
          calleeNormalP99Ms,
        )} ms:至少 1% 的正常调用必然超时。`,
      ),
      evidence: spanEvidence(edge.timed_out_refs, said(`${caller} -> ${callee} timed out`, `${caller} -> ${callee} 超时`)),
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
      ...sentence(
        `${row.exceeds} calls from ${caller} to ${callee} carried a deadline longer than what was left of ${caller}'s own (worst by ${fmt(
          row.worst_excess_ms ?? 0,
        )} ms): ${callee} works on after ${caller}'s caller has given up.`,
        `${caller} 对 ${callee} 的 ${row.exceeds} 次调用所带的 deadline 超过了 ${caller} 自身剩余的预算(最多超出 ${fmt(
          row.worst_excess_ms ?? 0,
        )} ms):${caller} 的调用方放弃后 ${callee} 仍在工作。`,
      ),
      evidence: spanEvidence(row.exceeds_refs, said(`deadline beyond ${caller}'s remaining budget`, `deadline 超出 ${caller} 的剩余预算`)),
    });
  }
  if (row.retry_overruns > 0) {
    findings.push({
      caller,
      callee,
      kind: 'retry_exceeds_budget',
      count: row.retry_overruns,
      ...sentence(
        `${row.retry_overruns} retried calls from ${caller} to ${callee} (up to ${row.max_attempts ?? 2} attempts) needed more time than ${caller}'s deadline left.`,
        `${caller} 对 ${callee} 的 ${row.retry_overruns} 次重试调用(最多 ${row.max_attempts ?? 2} 次尝试)所需时间超过了 ${caller} 的 deadline 剩余时间。`,
      ),
      evidence: spanEvidence(row.retry_refs, said(`retries beyond ${caller}'s budget`, `重试超出 ${caller} 的预算`)),
    });
  }
  if (row.no_reserve > 0) {
    const model = `the seed's decay model (alpha = min(0.1 + 0.05 x (hop - 1), 0.3), 5 ms reserve) gives ≈ ${fmt(row.model_p50_ms ?? 0)} ms at hop ${row.hop ?? 1}`;
    const modelZh = `按种子文章的衰减模型(alpha = min(0.1 + 0.05 x (hop - 1), 0.3),预留 5 ms),第 ${row.hop ?? 1} 跳应约为 ${fmt(row.model_p50_ms ?? 0)} ms`;
    findings.push({
      caller,
      callee,
      kind: 'budget_decay',
      count: row.no_reserve,
      ...sentence(
        `${caller} passes ${callee} ${fmt(row.deadline_p50_ms ?? 0)} ms of its remaining ${fmt(row.remaining_p50_ms ?? 0)} ms, keeping no reserve for its own work; ${model}.`,
        `${caller} 把剩余 ${fmt(row.remaining_p50_ms ?? 0)} ms 中的 ${fmt(row.deadline_p50_ms ?? 0)} ms 交给 ${callee},没有给自己的处理留余量;${modelZh}。`,
      ),
      evidence: spanEvidence(row.no_reserve_refs, said('deadline above the decay model', 'deadline 高于衰减模型')),
    });
  }
  return findings;
}

function spanEvidence(refs: string[] | null, summary: Said): Evidence[] {
  return (refs ?? []).map((ref) => evidenceSaid('span', ref, summary));
}

/** A finding's summary in both languages. */
function sentence(en: string, zh: string): Pick<DeadlineFinding, 'summary' | 'summary_zh'> {
  return { summary: en, summary_zh: zh };
}

const fmt = (ms: number): string => (ms >= 100 ? String(Math.round(ms)) : String(Math.round(ms * 10) / 10));
