import { useEffect, useMemo, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LogRow } from '../../../main/api/contract.js';
import { queryKeys, useClient } from '../api/ClientContext.js';
import { useI18n } from '../i18n/I18n.js';
import type { Messages } from '../i18n/strings.js';
import { nsToIso, parseRef, type ParsedRef } from '../evidence.js';
import { formatMs, formatTime } from '../format.js';
import { buildWaterfall } from './traceModel.js';
import { spanQuery, traceQuery } from './traceQueries.js';
import { AttributeRows } from '../components/AttributeRows.js';

const NEARBY_MS = 5_000;

/** OpenTelemetry span status codes. */
const SPAN_STATUS: Record<number, string> = { 0: 'unset', 1: 'ok', 2: 'error' };

function LogTable({ logs, highlight, t }: { logs: LogRow[]; highlight?: string; t: Messages }) {
  return (
    <div className="table-scroll">
      <table className="data-table log-table">
        <thead>
          <tr>
            <th scope="col">{t.time}</th>
            <th scope="col">{t.service}</th>
            <th scope="col">{t.severity}</th>
            <th scope="col">{t.message}</th>
          </tr>
        </thead>
        <tbody>
          {logs.map((log) => (
            <tr key={log.ref} className={log.ref === highlight ? 'highlight' : undefined}>
              <td className="mono nowrap">{formatTime(log.ts)}</td>
              <td className="nowrap">{log.service ?? ''}</td>
              <td className={`severity sev-${log.severity.toLowerCase()}`}>{log.severity}</td>
              <td className="mono log-body">{log.body}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TraceView({ traceId, spanId, t }: { traceId: string; spanId?: string; t: Messages }) {
  const client = useClient();
  const trace = useQuery(traceQuery(client, traceId));
  const rows = useMemo(() => (trace.data ? buildWaterfall(trace.data.spans).rows : []), [trace.data]);
  if (trace.isPending) return <p className="muted">{t.loading}</p>;
  if (trace.error) return <p className="issue-failed">{trace.error.message}</p>;

  const total = Math.max(1, ...rows.map(({ span }) => span.offsetMs + span.durationMs));
  return (
    <>
      <p className="meta mono">trace {traceId}</p>
      <h4>{t.traceSpans}</h4>
      <ol className="span-list">
        {rows.map(({ span, depth }) => {
          const failed = span.statusCode === 2 || (span.httpStatus ?? 0) >= 500 || (span.rpcStatus ?? 0) > 0;
          const left = (span.offsetMs / total) * 100;
          const width = Math.max(0.5, (span.durationMs / total) * 100);
          return (
            <li key={span.index} className={`span-line${span.spanId === spanId ? ' highlight' : ''}${failed ? ' failed' : ''}`}>
              <div className="span-label" style={{ paddingLeft: depth * 12 }} title={`${span.service} ${span.name}`}>
                <span className="span-service">{span.service}</span> <span className="span-name">{span.name}</span>
              </div>
              <div className="span-bar-track" aria-hidden="true">
                <span className="span-bar" style={{ left: `${left}%`, width: `${Math.min(width, 100 - left)}%` }} />
              </div>
              <span className="span-duration num">{formatMs(span.durationMs)}</span>
            </li>
          );
        })}
      </ol>
      {spanId && trace.data.spans.some((span) => span.spanId === spanId) && <CitedSpan traceId={traceId} spanId={spanId} t={t} />}
      {trace.data.logs.length > 0 && (
        <>
          <h4>{t.traceLogs}</h4>
          <LogTable logs={trace.data.logs} t={t} />
        </>
      )}
    </>
  );
}

function CitedSpan({ traceId, spanId, t }: { traceId: string; spanId: string; t: Messages }) {
  const client = useClient();
  const span = useQuery(spanQuery(client, traceId, spanId));
  if (span.isPending) return <p className="muted">{t.loading}</p>;
  if (span.error) return <p className="issue-failed">{span.error.message}</p>;
  const selected = span.data;
  return (
    <>
      <h4>
        {t.span} {selected.span_id}
      </h4>
      <dl className="attributes">
        <dt>{t.status}</dt>
        <dd>
          {SPAN_STATUS[selected.status_code] ?? selected.status_code}
          {selected.status_message ? ` · ${selected.status_message}` : ''}
          {selected.http_status ? ` · HTTP ${selected.http_status}` : ''}
          {selected.rpc_status !== null ? ` · gRPC ${selected.rpc_status}` : ''}
        </dd>
        <dt>{t.time}</dt>
        <dd className="mono">{formatTime(selected.start, true)}</dd>
        <dt>{t.duration}</dt>
        <dd>{formatMs(selected.duration_ms)}</dd>
        <AttributeRows attributes={selected.attributes} />
      </dl>
    </>
  );
}

function LogView({ logRef, onOpenRef, t }: { logRef: string; onOpenRef(ref: string): void; t: Messages }) {
  const client = useClient();
  const line = useQuery({ queryKey: queryKeys.logs({ ref: logRef }), queryFn: () => client.searchLogs({ ref: logRef, limit: 1 }) });
  const row = line.data?.[0];
  const nearby = useQuery({
    queryKey: queryKeys.logs({ near: logRef }),
    enabled: Boolean(row),
    queryFn: () => {
      const at = new Date(row?.ts ?? 0).getTime();
      return client.searchLogs({
        service: row?.service ?? undefined,
        window: { from: new Date(at - NEARBY_MS).toISOString(), to: new Date(at + NEARBY_MS).toISOString() },
        limit: 40,
      });
    },
  });
  if (line.isPending) return <p className="muted">{t.loading}</p>;
  if (line.error) return <p className="issue-failed">{line.error.message}</p>;
  if (!row) return <p className="muted">{t.notFound}</p>;
  return (
    <>
      <p className="meta mono">{logRef}</p>
      <pre className="log-line">{row.body}</pre>
      <p className="meta">
        {formatTime(row.ts, true)} UTC · {row.service ?? ''} · {row.severity}
      </p>
      {row.trace_id && (
        <button type="button" className="link-button mono" onClick={() => onOpenRef(`trace:${row.trace_id}`)}>
          trace {row.trace_id}
        </button>
      )}
      {nearby.data && nearby.data.length > 1 && (
        <>
          <h4>{t.logsNearby}</h4>
          <LogTable logs={nearby.data} highlight={logRef} t={t} />
        </>
      )}
    </>
  );
}

function EventView({ parsed, t }: { parsed: Extract<ParsedRef, { kind: 'event' }>; t: Messages }) {
  const client = useClient();
  const at = nsToIso(parsed.tsNs);
  const atMs = new Date(at).getTime();
  const logs = useQuery({
    queryKey: queryKeys.logs({ event: parsed }),
    queryFn: () =>
      client.searchLogs({
        service: parsed.service,
        window: { from: new Date(atMs - NEARBY_MS).toISOString(), to: new Date(atMs + NEARBY_MS).toISOString() },
        limit: 40,
      }),
  });
  return (
    <>
      <dl className="attributes">
        <dt>{t.eventRef}</dt>
        <dd>{parsed.eventKind.replace(/_/g, ' ')}</dd>
        <dt>{t.service}</dt>
        <dd>{parsed.service}</dd>
        <dt>{t.time}</dt>
        <dd className="mono">{formatTime(at, true)} UTC</dd>
      </dl>
      <h4>{t.logsNearby}</h4>
      {logs.isPending && <p className="muted">{t.loading}</p>}
      {logs.data && <LogTable logs={logs.data} t={t} />}
    </>
  );
}

function RecordBody({ parsed, rawRef, onOpenRef, t }: { parsed: ParsedRef | null; rawRef: string; onOpenRef(ref: string): void; t: Messages }) {
  if (!parsed) return <p className="meta mono">{rawRef}</p>;
  switch (parsed.kind) {
    case 'span':
      return <TraceView traceId={parsed.traceId} spanId={parsed.spanId} t={t} />;
    case 'trace':
      return <TraceView traceId={parsed.traceId} t={t} />;
    case 'log':
      return <LogView logRef={rawRef} onOpenRef={onOpenRef} t={t} />;
    case 'event':
      return <EventView parsed={parsed} t={t} />;
    case 'series':
      return (
        <dl className="attributes">
          <dt>{t.seriesRef}</dt>
          <dd className="mono">{parsed.name}</dd>
          <AttributeRows attributes={parsed.labels} />
        </dl>
      );
  }
}

/** The side panel that opens a cited record: a trace's spans, a log line, an event or a series. */
export function RecordPanel({ evidenceRef, onOpenRef, onClose }: { evidenceRef: string; onOpenRef(ref: string): void; onClose(): void }) {
  const { t } = useI18n();
  const parsed = useMemo(() => parseRef(evidenceRef), [evidenceRef]);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeButton.current?.focus();
  }, [evidenceRef]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="record-panel" role="dialog" aria-modal="false" aria-labelledby="record-title">
      <header className="record-head">
        <h3 id="record-title">
          {t.recordTitle}
          {parsed ? <span className={`ref-kind ref-${parsed.kind}`}>{parsed.kind}</span> : null}
        </h3>
        <button ref={closeButton} type="button" className="icon-button" aria-label={t.closePanel} title={t.closePanel} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="record-body">
        <RecordBody key={evidenceRef} parsed={parsed} rawRef={evidenceRef} onOpenRef={onOpenRef} t={t} />
      </div>
    </aside>
  );
}
