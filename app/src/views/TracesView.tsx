import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TimeWindow, TraceQuery } from '../../../main/api/contract.js';
import { useClient } from '../api/ClientContext.js';
import { useI18n } from '../i18n/I18n.js';
import { formatMs, formatTime, formatWindow } from '../format.js';
import { TraceCompare } from './TraceCompare.js';
import { typicalTrace } from './traceCompare.js';
import { traceQuery } from './traceQueries.js';
import { Waterfall } from './Waterfall.js';

interface TraceForm {
  service: string;
  operation: string;
  status: '' | 'error' | 'ok';
  minDuration: string;
  attribute: string;
  inWindow: boolean;
}

/** A pointer resting this long on a result is about to open it. */
const HOVER_INTENT_MS = 120;

const EMPTY_FORM: TraceForm = { service: '', operation: '', status: '', minDuration: '', attribute: '', inWindow: true };

/** The form as a query; null when the attribute filter is not key=value. */
function toQuery(form: TraceForm, window: TimeWindow | null): TraceQuery | null {
  const query: TraceQuery = { limit: 200 };
  if (form.service.trim()) query.service = form.service.trim();
  if (form.operation.trim()) query.operation = form.operation.trim();
  if (form.status) query.status = form.status;
  const minDuration = Number(form.minDuration);
  if (form.minDuration.trim() && Number.isFinite(minDuration) && minDuration > 0) query.min_duration_ms = minDuration;
  if (form.attribute.trim()) {
    const separator = form.attribute.indexOf('=');
    if (separator <= 0) return null;
    query.attribute = { key: form.attribute.slice(0, separator).trim(), value: form.attribute.slice(separator + 1).trim() };
  }
  if (form.inWindow && window) query.window = window;
  return query;
}

export function TracesView({ chosenWindow, traceId, compareId, service, onOpenTrace, onOpenLogs, onCompare, onSwapCompared, onSearchService }: {
  chosenWindow: TimeWindow | null;
  traceId: string | null;
  /** The trace compared with the open one, from the URL. */
  compareId: string | null;
  /** The service filter from the URL (a click on the service map sets it). */
  service: string | null;
  onOpenTrace(traceId: string | null): void;
  onOpenLogs(traceId: string): void;
  onCompare(traceId: string | null): void;
  onSwapCompared(): void;
  onSearchService(service: string | null): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const [form, setForm] = useState<TraceForm>({ ...EMPTY_FORM, service: service ?? '' });
  const [submitted, setSubmitted] = useState<TraceForm>({ ...EMPTY_FORM, service: service ?? '' });
  const [noTypical, setNoTypical] = useState(false);
  useEffect(() => {
    // Back, forward and the service map change the filter through the URL.
    setForm((current) => ({ ...current, service: service ?? '' }));
    setSubmitted((current) => ({ ...current, service: service ?? '' }));
  }, [service]);
  useEffect(() => setNoTypical(false), [traceId]);
  const query = toQuery(submitted, chosenWindow);
  const badAttribute = toQuery(form, chosenWindow) === null;
  const results = useQuery({ queryKey: ['traces', query], queryFn: () => client.searchTraces(query ?? {}), enabled: query !== null });
  const queryClient = useQueryClient();
  const detail = useQuery({ ...traceQuery(client, traceId ?? ''), enabled: traceId !== null });
  // The trace is asked for when the pointer rests on its row or goes down on it (and before the view
  // re-renders on the click), so the request is on its way while the app switches to the waterfall.
  const fetchTrace = (id: string) => void queryClient.prefetchQuery(traceQuery(client, id));
  const hoverTimer = useRef<number | undefined>(undefined);
  const stopHover = () => window.clearTimeout(hoverTimer.current);
  const startHover = (id: string) => {
    stopHover();
    hoverTimer.current = window.setTimeout(() => fetchTrace(id), HOVER_INTENT_MS);
  };
  useEffect(() => stopHover, []);
  const open = (id: string) => {
    fetchTrace(id);
    onOpenTrace(id);
  };
  const update = <K extends keyof TraceForm>(key: K, value: TraceForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (badAttribute) return;
    setSubmitted(form);
    onSearchService(form.service.trim() || null);
  };
  const compareWithTypical = async () => {
    const root = detail.data?.spans.find((span) => span.parent < 0);
    if (!root || !traceId) return;
    const candidates = await client.searchTraces({ service: root.service, operation: root.name, status: 'ok', limit: 100 });
    const typical = typicalTrace(candidates.filter((trace) => trace.root_service === root.service && trace.root_name === root.name), traceId);
    setNoTypical(typical === null);
    if (typical) onCompare(typical.trace_id);
  };

  return (
    <div className="traces-view">
      <form className="card trace-search" onSubmit={submit} aria-label={t.traceSearch}>
        <label className="field">
          <span>{t.traceService}</span>
          <input type="text" value={form.service} onChange={(event) => update('service', event.target.value)} />
        </label>
        <label className="field">
          <span>{t.traceOperation}</span>
          <input type="text" value={form.operation} onChange={(event) => update('operation', event.target.value)} />
        </label>
        <label className="field">
          <span>{t.traceStatus}</span>
          <select value={form.status} onChange={(event) => update('status', event.target.value as TraceForm['status'])}>
            <option value="">{t.traceStatusAny}</option>
            <option value="error">{t.traceStatusError}</option>
            <option value="ok">{t.traceStatusOk}</option>
          </select>
        </label>
        <label className="field">
          <span>{t.traceMinDuration}</span>
          <input type="text" inputMode="decimal" value={form.minDuration} onChange={(event) => update('minDuration', event.target.value)} />
        </label>
        <label className="field">
          <span>{t.traceAttribute}</span>
          <input type="text" value={form.attribute} aria-invalid={badAttribute} title={badAttribute ? t.traceBadAttribute : undefined} onChange={(event) => update('attribute', event.target.value)} />
        </label>
        {chosenWindow && (
          <label className="check">
            <input type="checkbox" checked={form.inWindow} onChange={(event) => update('inWindow', event.target.checked)} />
            {t.traceWindowFilter} <span className="muted">({formatWindow(chosenWindow)})</span>
          </label>
        )}
        <button type="submit" className="button primary" disabled={badAttribute}>
          {t.traceSearchButton}
        </button>
      </form>

      {service && submitted.service === service && (
        <p className="service-filter">
          {t.traceFilteredService} <strong className="mono">{service}</strong>{' '}
          <button type="button" className="link-button" onClick={() => onSearchService(null)}>
            {t.traceClearService}
          </button>
        </p>
      )}
      {results.error && <div className="error-box">{String((results.error as Error).message)}</div>}
      {results.data && results.data.length === 0 && <p className="muted">{t.traceNoResults}</p>}
      {results.data && results.data.length > 0 && (
        <div className="table-scroll trace-results">
          <table className="data-table" aria-label={t.traceResults}>
            <thead>
              <tr>
                <th scope="col">{t.traceStart}</th>
                <th scope="col">{t.traceRoot}</th>
                <th scope="col" className="num">{t.traceDuration}</th>
                <th scope="col" className="num">{t.traceSpanCount}</th>
                <th scope="col">{t.traceServices}</th>
                <th scope="col">{t.traceError}</th>
                {traceId && <th scope="col"><span className="visually-hidden">{t.traceCompareWithOpen}</span></th>}
              </tr>
            </thead>
            <tbody>
              {results.data.map((trace) => (
                <tr
                  key={trace.trace_id}
                  className={`trace-result${trace.trace_id === traceId ? ' highlight' : ''}`}
                  aria-selected={trace.trace_id === traceId}
                  tabIndex={0}
                  onPointerEnter={() => startHover(trace.trace_id)}
                  onPointerLeave={stopHover}
                  onPointerDown={() => fetchTrace(trace.trace_id)}
                  onClick={() => open(trace.trace_id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') open(trace.trace_id);
                  }}
                >
                  <td className="mono nowrap">{formatTime(trace.start, true)}</td>
                  <td>
                    <span className="span-service">{trace.root_service}</span> {trace.root_name}
                  </td>
                  <td className="num">{formatMs(trace.duration_ms)}</td>
                  <td className="num">{trace.spans}</td>
                  <td>{trace.services.join(', ')}</td>
                  <td className={trace.error ? 'bad' : undefined}>{trace.error ? t.traceStatusError : ''}</td>
                  {traceId && (
                    <td>
                      {trace.trace_id !== traceId && (
                        <button
                          type="button"
                          className="link-button nowrap"
                          onClick={(event) => {
                            event.stopPropagation();
                            onCompare(trace.trace_id);
                          }}
                          onKeyDown={(event) => event.stopPropagation()}
                        >
                          {t.traceCompareWithOpen}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {traceId && compareId && <TraceCompare traceA={traceId} traceB={compareId} onClose={() => onCompare(null)} onSwap={onSwapCompared} />}

      {traceId && (
        <section className="card trace-detail" aria-label={t.traceWaterfall}>
          <header className="trace-detail-head">
            <h2 className="card-title mono">{traceId}</h2>
            <span className="trace-detail-actions">
              {!compareId && (
                <button type="button" className="link-button" disabled={!detail.data} onClick={() => void compareWithTypical()}>
                  {t.traceCompareNormal}
                </button>
              )}
              <button type="button" className="link-button" onClick={() => onOpenTrace(null)}>
                {t.traceClose}
              </button>
            </span>
          </header>
          {noTypical && <p className="muted">{t.traceCompareNoNormal}</p>}
          {detail.isPending && <p className="muted">{t.traceLoading}</p>}
          {detail.error && <div className="error-box">{String((detail.error as Error).message)}</div>}
          {detail.data && <Waterfall key={detail.data.traceId} trace={detail.data} onOpenLogs={onOpenLogs} />}
        </section>
      )}
    </div>
  );
}
