import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useClient } from '../api/ClientContext.js';
import { useI18n } from '../i18n/I18n.js';
import type { Messages } from '../i18n/strings.js';
import { formatMs } from '../format.js';
import { compareTraces, type ComparedRow, type ComparedSide } from './traceCompare.js';
import { traceQuery } from './traceQueries.js';
import { useVirtualRows } from './Waterfall.js';

const ROW_HEIGHT = 24;
const VIEWPORT_HEIGHT = 480;
const INDENT_PX = 12;
const MAX_INDENT_PX = 200;

function Bar({ side, totalMs }: { side: ComparedSide | null; totalMs: number }) {
  if (!side) return <span className="waterfall-track empty" />;
  const left = totalMs > 0 ? (side.offsetMs / totalMs) * 100 : 0;
  const width = totalMs > 0 ? (side.durationMs / totalMs) * 100 : 0;
  return (
    <span className="waterfall-track">
      <span className={`waterfall-bar${side.span.statusCode === 2 ? ' failed' : ''}`} style={{ left: `${left}%`, width: `max(1px, ${width}%)` }} />
    </span>
  );
}

function diffText(diffMs: number): string {
  return `${diffMs > 0 ? '+' : diffMs < 0 ? '−' : '±'}${formatMs(Math.abs(diffMs))}`;
}

function CompareLine({ row, totalMs, t }: { row: ComparedRow; totalMs: number; t: Messages }) {
  const presence = row.presence === 'only_a' ? t.traceCompareOnlyA : row.presence === 'only_b' ? t.traceCompareOnlyB : null;
  const slower = row.diffMs !== null && row.a && row.diffMs > Math.max(1, row.a.durationMs * 0.5);
  return (
    <div role="listitem" className={`compare-row presence-${row.presence}${slower ? ' slower' : ''}`} style={{ height: ROW_HEIGHT }}>
      <span className="waterfall-label" style={{ paddingLeft: Math.min(row.depth * INDENT_PX, MAX_INDENT_PX) }} title={`${row.service} ${row.name}`}>
        <span className="span-service">{row.service}</span>
        <span className="span-name">{row.name}</span>
        {presence && <span className="presence-badge">{presence}</span>}
      </span>
      <Bar side={row.a} totalMs={totalMs} />
      <Bar side={row.b} totalMs={totalMs} />
      <span className="num">{row.a ? formatMs(row.a.durationMs) : '–'}</span>
      <span className="num">{row.b ? formatMs(row.b.durationMs) : '–'}</span>
      <span className={`num diff${row.diffMs !== null && row.diffMs > 0 ? ' worse' : ''}`}>{row.diffMs === null ? '' : diffText(row.diffMs)}</span>
    </div>
  );
}

/** Two traces side by side, aligned by operation path, with each span's duration difference and the spans only one of them has. */
export function TraceCompare({ traceA, traceB, onClose, onSwap }: { traceA: string; traceB: string; onClose(): void; onSwap(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const a = useQuery(traceQuery(client, traceA));
  const b = useQuery(traceQuery(client, traceB));
  const comparison = useMemo(() => (a.data && b.data ? compareTraces(a.data.spans, b.data.spans) : null), [a.data, b.data]);
  const rows = comparison?.rows ?? [];
  const { first, last, onScroll, totalHeight } = useVirtualRows(rows.length, ROW_HEIGHT, VIEWPORT_HEIGHT);
  // One time scale for both sides, so a longer bar is a longer span.
  const totalMs = comparison ? Math.max(comparison.totalMsA, comparison.totalMsB) : 0;
  const error = a.error ?? b.error;

  return (
    <section className="card trace-compare" aria-label={t.traceComparison}>
      <header className="trace-detail-head">
        <h2 className="card-title">{t.traceComparison}</h2>
        <span className="compare-ids mono">
          <span className="compare-tag">{t.traceCompareA}</span> {traceA} <span className="compare-tag">{t.traceCompareB}</span> {traceB}
        </span>
        <button type="button" className="link-button" onClick={onSwap}>
          {t.traceCompareSwap}
        </button>
        <button type="button" className="link-button" onClick={onClose}>
          {t.traceCompareClose}
        </button>
      </header>
      {error && <div className="error-box">{error.message}</div>}
      {!comparison && !error && <p className="muted">{t.traceCompareLoading}</p>}
      {comparison && (
        <>
          <p className="compare-summary" role="status">
            {comparison.matched} {t.traceCompareMatched} · {comparison.onlyA} {t.traceCompareOnlyA} · {comparison.onlyB} {t.traceCompareOnlyB} · {t.traceCompareA} {formatMs(comparison.totalMsA)} · {t.traceCompareB}{' '}
            {formatMs(comparison.totalMsB)}
          </p>
          <div className="compare-row compare-head" aria-hidden="true">
            <span>{t.traceCompareOperation}</span>
            <span>{t.traceCompareA}</span>
            <span>{t.traceCompareB}</span>
            <span className="num">{t.traceCompareA}</span>
            <span className="num">{t.traceCompareB}</span>
            <span className="num">{t.traceCompareDiff}</span>
          </div>
          <div className="waterfall" style={{ maxHeight: VIEWPORT_HEIGHT }} onScroll={onScroll}>
            <div role="list" aria-label={t.traceComparison} style={{ height: totalHeight, position: 'relative' }}>
              <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
                {rows.slice(first, last).map((row) => (
                  <CompareLine key={row.key} row={row} totalMs={totalMs} t={t} />
                ))}
              </div>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
