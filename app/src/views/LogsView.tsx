import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LogQuery, TimeWindow } from '../../../main/api/contract.js';
import { queryKeys, useClient } from '../api/ClientContext.js';
import { useI18n } from '../i18n/I18n.js';
import { formatTime, formatWindow } from '../format.js';
import { useVirtualRows } from './Waterfall.js';

const ROW_HEIGHT = 26;
const VIEWPORT_HEIGHT = 560;
const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'];

interface LogForm {
  service: string;
  severity: string;
  text: string;
  traceId: string;
}

function toQuery(form: LogForm, window: TimeWindow | null): LogQuery {
  const query: LogQuery = { limit: 5000 };
  if (form.service.trim()) query.service = form.service.trim();
  if (form.severity) query.severity = form.severity;
  if (form.text.trim()) query.text = form.text.trim();
  if (form.traceId.trim()) query.trace_id = form.traceId.trim();
  // A trace's logs are wanted whole, even where they fall outside the chosen window.
  else if (window) query.window = window;
  return query;
}

export function LogsView({ chosenWindow, traceId, onOpenTrace }: { chosenWindow: TimeWindow | null; traceId: string | null; onOpenTrace(traceId: string): void }) {
  const { t } = useI18n();
  const client = useClient();
  const [form, setForm] = useState<LogForm>({ service: '', severity: '', text: '', traceId: traceId ?? '' });
  const [submitted, setSubmitted] = useState<LogForm>(form);
  useEffect(() => {
    // A link from a trace replaces the trace filter.
    setForm((current) => ({ ...current, traceId: traceId ?? '' }));
    setSubmitted((current) => ({ ...current, traceId: traceId ?? '' }));
  }, [traceId]);
  const query = toQuery(submitted, chosenWindow);
  const logs = useQuery({ queryKey: queryKeys.logs(query), queryFn: () => client.searchLogs(query) });
  const rows = logs.data ?? [];
  const { first, last, onScroll, totalHeight } = useVirtualRows(rows.length, ROW_HEIGHT, VIEWPORT_HEIGHT);
  const update = <K extends keyof LogForm>(key: K, value: string) => setForm((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(form);
  };

  return (
    <div className="logs-view">
      <form className="card trace-search" onSubmit={submit}>
        <label className="field">
          <span>{t.traceService}</span>
          <input type="text" value={form.service} onChange={(event) => update('service', event.target.value)} />
        </label>
        <label className="field">
          <span>{t.logLevel}</span>
          <select value={form.severity} onChange={(event) => update('severity', event.target.value)}>
            <option value="">{t.logLevelAny}</option>
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {level}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.logText}</span>
          <input type="text" value={form.text} onChange={(event) => update('text', event.target.value)} />
        </label>
        <label className="field">
          <span>{t.logTraceId}</span>
          <input type="text" className="mono" value={form.traceId} onChange={(event) => update('traceId', event.target.value)} />
        </label>
        <button type="submit" className="button primary">
          {t.logSearchButton}
        </button>
        {chosenWindow && !submitted.traceId && <span className="muted">{formatWindow(chosenWindow)}</span>}
      </form>

      {logs.error && <div className="error-box">{String((logs.error as Error).message)}</div>}
      {logs.data && rows.length === 0 && <p className="muted">{t.logNoResults}</p>}
      {rows.length > 0 && (
        <div className="log-list card" style={{ maxHeight: VIEWPORT_HEIGHT }} onScroll={onScroll}>
          <div role="list" aria-label={t.logResults} style={{ height: totalHeight, position: 'relative' }}>
            <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
              {rows.slice(first, last).map((log) => (
                <div role="listitem" key={log.ref} className="log-entry" style={{ height: ROW_HEIGHT }}>
                  <span className="mono nowrap">{formatTime(log.ts, true)}</span>
                  <span className={`severity sev-${log.severity.toLowerCase()}`}>{log.severity}</span>
                  <span className="log-service nowrap">{log.service ?? ''}</span>
                  <span className="mono log-body" title={log.body}>
                    {log.body}
                  </span>
                  {log.trace_id ? (
                    <button type="button" className="link-button" onClick={() => onOpenTrace(log.trace_id!)}>
                      {t.logOpenTrace}
                    </button>
                  ) : (
                    <span />
                  )}
                </div>
              ))}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
