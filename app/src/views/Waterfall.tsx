import { useCallback, useMemo, useState, type UIEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { SpanDetail } from '../../../main/api/contract.js';
import { useClient } from '../api/ClientContext.js';
import { useI18n } from '../i18n/I18n.js';
import type { Messages } from '../i18n/strings.js';
import { formatMs, formatTime } from '../format.js';
import { spanQuery } from './traceQueries.js';
import { buildWaterfall, traceTime, visibleRange, type Trace, type TraceSpan, type WaterfallRow } from './traceModel.js';
import { AttributeRows } from '../components/AttributeRows.js';

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

function SpanLine({ trace, row, totalMs, selected, onSelect, t }: { trace: Trace; row: WaterfallRow; totalMs: number; selected: boolean; onSelect(): void; t: Messages }) {
  const { span } = row;
  const failed = span.statusCode === 2;
  const classes = ['waterfall-row', span.critical ? 'critical' : '', span.orphan ? 'orphan' : '', failed ? 'failed' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
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
          <span className="waterfall-bar" style={{ left: percent(span.offsetMs, totalMs), width: `max(1px, ${percent(span.durationMs, totalMs)})` }} />
          {span.deadlineMs !== null && (
            <span className="deadline-marker" style={{ left: percent(span.deadlineMs, totalMs) }} title={`${t.traceDeadline} ${formatTime(traceTime(trace, span.deadlineMs))}`} />
          )}
        </span>
        <span className="waterfall-duration num">{formatMs(span.durationMs)}</span>
      </button>
    </div>
  );
}

/** What the span's row already knows shows at once; attributes, events and log lines arrive with getSpan. */
function SpanPanel({ trace, span, onOpenLogs, t }: { trace: Trace; span: TraceSpan; onOpenLogs(): void; t: Messages }) {
  const client = useClient();
  const whole = useQuery(spanQuery(client, trace.traceId, span.spanId));
  return (
    <section className="span-detail card" aria-label={`${span.service} ${span.name}`}>
      <h3 className="card-title">
        {span.service} · {span.name}
      </h3>
      <p className="meta mono">
        {formatTime(traceTime(trace, span.offsetMs), true)} · {formatMs(span.durationMs)} · {span.kind}
        {whole.data?.status_message ? ` · ${whole.data.status_message}` : ''}
        {span.deadlineMs !== null ? ` · ${t.traceDeadline} ${formatTime(traceTime(trace, span.deadlineMs))}` : ''}
      </p>
      {span.orphan && <p className="orphan-note">{t.traceOrphanHint}</p>}
      <h4>{t.traceSpanAttributes}</h4>
      {whole.isPending && <p className="muted">{t.loading}</p>}
      {whole.error && <div className="error-box">{whole.error.message}</div>}
      {whole.data && <SpanRecord span={whole.data} t={t} />}
      <button type="button" className="link-button" onClick={onOpenLogs}>
        {t.traceOpenLogs}
      </button>
    </section>
  );
}

function SpanRecord({ span, t }: { span: SpanDetail; t: Messages }) {
  return (
    <>
      <dl className="attributes">
        <AttributeRows attributes={span.attributes} />
      </dl>
      {span.events.length > 0 && (
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
      {span.logs.length === 0 ? (
        <p className="muted">{t.traceNoSpanLogs}</p>
      ) : (
        <ul className="span-logs">
          {span.logs.map((log) => (
            <li key={log.ref} className="mono">
              <span className="nowrap">{formatTime(log.ts)}</span> <span className={`severity sev-${log.severity.toLowerCase()}`}>{log.severity}</span> {log.body}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** A trace as span bars on one time axis, indented by depth; only the rows in view are rendered. */
export function Waterfall({ trace, onOpenLogs }: { trace: Trace; onOpenLogs(traceId: string): void }) {
  const { t } = useI18n();
  const waterfall = useMemo(() => buildWaterfall(trace.spans), [trace]);
  const [selectedIndex, setSelectedIndex] = useState<number | null>(null);
  const { first, last, onScroll, totalHeight } = useVirtualRows(waterfall.rows.length, ROW_HEIGHT, VIEWPORT_HEIGHT);
  const selected = selectedIndex === null ? null : (trace.spans[selectedIndex] ?? null);
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
                key={row.span.index}
                trace={trace}
                row={row}
                totalMs={waterfall.totalMs}
                selected={row.span.index === selectedIndex}
                onSelect={() => setSelectedIndex(row.span.index === selectedIndex ? null : row.span.index)}
                t={t}
              />
            ))}
          </div>
        </div>
      </div>
      {selected && <SpanPanel key={selected.index} trace={trace} span={selected} onOpenLogs={() => onOpenLogs(trace.traceId)} t={t} />}
    </div>
  );
}
