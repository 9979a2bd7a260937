import { buildWaterfall, type TraceSpan, type WaterfallRow } from './traceModel.js';

/** One side of a compared row: the span and where it sits on its own trace's time axis. */
export interface ComparedSide {
  span: TraceSpan;
  offsetMs: number;
  durationMs: number;
}

export type Presence = 'both' | 'only_a' | 'only_b';

export interface ComparedRow {
  /** The operation path: each ancestor's "service operation" down to this span, with the occurrence among same-named siblings. */
  key: string;
  depth: number;
  service: string;
  name: string;
  a: ComparedSide | null;
  b: ComparedSide | null;
  /** B's duration minus A's; null unless the span is in both. */
  diffMs: number | null;
  presence: Presence;
}

export interface TraceComparison {
  rows: ComparedRow[];
  matched: number;
  onlyA: number;
  onlyB: number;
  totalMsA: number;
  totalMsB: number;
}

interface KeyedRow {
  key: string;
  parentKey: string;
  row: WaterfallRow;
}

/**
 * Keys spans by operation path. Repeated calls (retries, fan-out) under one parent are told apart
 * by their order: the second `db query` under a parent pairs with the other trace's second.
 */
function keyed(spans: readonly TraceSpan[]): { rows: KeyedRow[]; totalMs: number } {
  const waterfall = buildWaterfall(spans);
  // The spans' own extent: a far deadline would shrink every bar of the comparison to a sliver.
  const totalMs = waterfall.rows.reduce((end, row) => Math.max(end, row.span.offsetMs + row.span.durationMs), 0);
  const keyOf = new Map<number, string>();
  const seen = new Map<string, number>();
  const rows = waterfall.rows.map((row): KeyedRow => {
    const parentKey = keyOf.get(row.span.parent) ?? '';
    const label = `${row.span.service} ${row.span.name}`;
    const sibling = `${parentKey}/${label}`;
    const occurrence = seen.get(sibling) ?? 0;
    seen.set(sibling, occurrence + 1);
    const key = `${sibling}#${occurrence}`;
    keyOf.set(row.span.index, key);
    return { key, parentKey, row };
  });
  return { rows, totalMs };
}

function side(row: WaterfallRow): ComparedSide {
  return { span: row.span, offsetMs: row.span.offsetMs, durationMs: row.span.durationMs };
}

/** Two traces aligned by operation path, in A's tree order with B's extra spans under their parents. */
export function compareTraces(spansA: readonly TraceSpan[], spansB: readonly TraceSpan[]): TraceComparison {
  const a = keyed(spansA);
  const b = keyed(spansB);
  const byKey = new Map<string, { a: KeyedRow | null; b: KeyedRow | null }>();
  const children = new Map<string, string[]>();
  const place = (entry: KeyedRow, which: 'a' | 'b') => {
    const known = byKey.get(entry.key);
    if (known) {
      known[which] = entry;
      return;
    }
    byKey.set(entry.key, which === 'a' ? { a: entry, b: null } : { a: null, b: entry });
    children.set(entry.parentKey, [...(children.get(entry.parentKey) ?? []), entry.key]);
  };
  for (const entry of a.rows) place(entry, 'a');
  for (const entry of b.rows) place(entry, 'b');

  const rows: ComparedRow[] = [];
  const stack: { key: string; depth: number }[] = (children.get('') ?? []).map((key) => ({ key, depth: 0 })).reverse();
  while (stack.length > 0) {
    const { key, depth } = stack.pop()!;
    const pair = byKey.get(key)!;
    const span = (pair.a ?? pair.b)!.row.span;
    const left = pair.a ? side(pair.a.row) : null;
    const right = pair.b ? side(pair.b.row) : null;
    rows.push({
      key,
      depth,
      service: span.service,
      name: span.name,
      a: left,
      b: right,
      diffMs: left && right ? right.durationMs - left.durationMs : null,
      presence: left && right ? 'both' : left ? 'only_a' : 'only_b',
    });
    for (const child of [...(children.get(key) ?? [])].reverse()) stack.push({ key: child, depth: depth + 1 });
  }
  return {
    rows,
    matched: rows.filter((row) => row.presence === 'both').length,
    onlyA: rows.filter((row) => row.presence === 'only_a').length,
    onlyB: rows.filter((row) => row.presence === 'only_b').length,
    totalMsA: a.totalMs,
    totalMsB: b.totalMs,
  };
}

/** Of the candidates, the successful trace of median duration: a typical request to hold a slow or failed one against. */
export function typicalTrace<T extends { trace_id: string; duration_ms: number; error: boolean }>(candidates: readonly T[], exclude: string): T | null {
  const ok = candidates.filter((trace) => !trace.error && trace.trace_id !== exclude).sort((x, y) => x.duration_ms - y.duration_ms);
  return ok[Math.floor((ok.length - 1) / 2)] ?? null;
}
