import { useCallback, useMemo, useState, type UIEvent } from 'react';
import type { LogRow, TraceDetail } from '../../../main/api/contract.js';
import { useI18n } from '../i18n/I18n.js';
import type { Messages } from '../i18n/strings.js';
import { formatMs, formatTime } from '../format.js';
import { buildWaterfall, spanLogs, visibleRange, type WaterfallRow } from './traceModel.js';

const ROW_HEIGHT = 24;
const VIEWPORT_HEIGHT = 480;
const INDENT_PX = 12;
const MAX_INDENT_PX = 240;

/** Scroll state for a list that renders only the rows in view. */
export function useVirtualRows(count: number, rowHeight: number, viewportHeight: number) {
  const [scrollTop, setScrollTop] = useState(0);
  const onScroll = useCallback((event: UIEvent<HTMLElement>) => setScrollTop(event.currentTarget.scrollTop), []);
  const range = visibleRange(scrollTop, viewportHeight, rowHeight, count);
  return { ...range, onScroll, totalHeight: count * rowHeight };
}

function percent(ms: number, totalMs: number): string {
  return `${totalMs > 0 ? (ms / totalMs) * 100 : 0}%`;
}

function SpanLine({ row, totalMs, selected, onSelect, t }: { row: WaterfallRow; totalMs: number; selected: boolean; onSelect(): void; t: Messages }) {
  const { span } = row;
  const failed = span.status_code === 2;
  const classes = ['waterfall-row', row.critical ? 'critical' : '', span.orphan ? 'orphan' : '', failed ? 'failed' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  return (
    <div role="listitem" className={classes} style={{ height: ROW_HEIGHT }}>
      <button type="button" className="waterfall-select" aria-pressed={selected} onClick={onSelect} title={`${span.service} ${span.name}`}>
        <span className="waterfall-label" style={{ paddingLeft: Math.min(row.depth * INDENT_PX, MAX_INDENT_PX) }}>
          <span className="span-service">{span.service}</span>
          <span className="span-name">{span.name}</span>
          {span.orphan && (
            <span className="orphan-badge" title={t.traceOrphanHint}>
              {t.traceOrphan}
            </span>
          )}
        </span>
        <span className="waterfall-track">
          <span className="waterfall-bar" style={{ left: percent(row.offsetMs, totalMs), width: `max(1px, ${percent(row.durationMs, totalMs)})` }} />
          {row.deadlineMs !== null && (
            <span className="deadline-marker" style={{ left: percent(row.deadlineMs, totalMs) }} title={`${t.traceDeadline} ${span.deadline_at ? formatTime(span.deadline_at) : ''}`} />
          )}
        </span>
        <span className="waterfall-duration num">{formatMs(row.durationMs)}</span>
      </button>
    </div>
  );
}

function SpanDetail({ row, logs, onOpenLogs, t }: { row: WaterfallRow; logs: LogRow[]; onOpenLogs(): void; t: Messages }) {
  const { span } = row;
  const attributes = Object.entries(span.attributes);
  return (
    <section className="span-detail card" aria-label={`${span.service} ${span.name}`}>
      <h3 className="card-title">
        {span.service} · {span.name}
      </h3>
      <p className="meta mono">
        {formatTime(span.start, true)} · {formatMs(span.duration_ms)} · {span.kind}
        {span.status_message ? ` · ${span.status_message}` : ''}
        {span.deadline_at ? ` · ${t.traceDeadline} ${formatTime(span.deadline_at)}` : ''}
      </p>
      {span.orphan && <p className="orphan-note">{t.traceOrphanHint}</p>}
      <h4>{t.traceSpanAttributes}</h4>
      <dl className="attributes">
        {attributes.map(([key, value]) => (
          <div className="attribute" key={key}>
            <dt className="mono">{key}</dt>
            <dd className="mono">{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
          </div>
        ))}
      </dl>
      {span.events && span.events.length > 0 && (
        <>
          <h4>{t.traceSpanEvents}</h4>
          <ul className="span-events">
            {span.events.map((event, index) => (
              <li key={`${event.ts}-${index}`}>
                <span className="mono">{formatTime(event.ts, true)}</span> <strong>{event.name}</strong>
                {Object.entries(event.attributes).map(([key, value]) => (
                  <span className="mono muted" key={key}>
                    {' '}
                    {key}={value}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>{t.traceSpanLogs}</h4>
      {logs.length === 0 ? (
        <p className="muted">{t.traceNoSpanLogs}</p>
      ) : (
        <ul className="span-logs">
          {logs.map((log) => (
            <li key={log.ref} className="mono">
              <span className="nowrap">{formatTime(log.ts)}</span> <span className={`severity sev-${log.severity.toLowerCase()}`}>{log.severity}</span> {log.body}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="link-button" onClick={onOpenLogs}>
        {t.traceOpenLogs}
      </button>
    </section>
  );
}

/** A trace as span bars on one time axis, indented by depth; only the rows in view are rendered. */
export function Waterfall({ detail, onOpenLogs }: { detail: TraceDetail; onOpenLogs(traceId: string): void }) {
  const { t } = useI18n();
  const waterfall = useMemo(() => buildWaterfall(detail.spans, detail.critical_path ?? []), [detail]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const { first, last, onScroll, totalHeight } = useVirtualRows(waterfall.rows.length, ROW_HEIGHT, VIEWPORT_HEIGHT);
  const selected = waterfall.rows.find((row) => row.span.span_id === selectedId) ?? null;
  return (
    <div className="waterfall-wrap">
      <div className="waterfall-legend">
        <span className="legend-critical">{t.traceCriticalPath}</span>
        <span className="legend-deadline">{t.traceDeadline}</span>
        <span className="legend-orphan">{t.traceOrphan}</span>
        <span className="muted">
          {waterfall.rows.length} {t.traceSpanCount} · {formatMs(waterfall.totalMs)}
        </span>
      </div>
      <div className="waterfall" style={{ maxHeight: VIEWPORT_HEIGHT }} onScroll={onScroll}>
        <div role="list" aria-label={t.traceWaterfall} style={{ height: totalHeight, position: 'relative' }}>
          <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {waterfall.rows.slice(first, last).map((row) => (
              <SpanLine
                key={row.span.span_id}
                row={row}
                totalMs={waterfall.totalMs}
                selected={row.span.span_id === selectedId}
                onSelect={() => setSelectedId(row.span.span_id === selectedId ? null : row.span.span_id)}
                t={t}
              />
            ))}
          </div>
        </div>
      </div>
      {selected && <SpanDetail row={selected} logs={spanLogs(detail.logs, selected.span.span_id)} onOpenLogs={() => onOpenLogs(detail.trace_id)} t={t} />}
    </div>
  );
}
