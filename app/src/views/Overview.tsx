import { useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { BreakerState, BreakerTimeline, ChangeMarker, Overview as OverviewData, RootCause, ServiceStats, TimeWindow } from '../../../main/api/contract.js';
import { queryKeys, useClient } from '../api/ClientContext.js';
import { useChartPalette } from '../components/ChartTheme.js';
import type { ChartPalette } from '../components/chartTheme.js';
import { EChart, type ChartOption } from '../components/EChart.js';
import { EvidenceList } from '../components/EvidenceList.js';
import { moveFocusInList } from '../components/listKeys.js';
import { useI18n } from '../i18n/I18n.js';
import { inLanguage } from '../i18n/analysisText.js';
import type { Language, MessageKey, Messages } from '../i18n/strings.js';
import { formatCount, formatDuration, formatMs, formatTime, formatWindow, percent } from '../format.js';
import { breakerSegments, sharedRange, type BreakerSegment } from './breakerSegments.js';
import { DeadlineFindings } from './DeadlineFindings.js';
import { ReportButtons } from './ReportButtons.js';
import { ServiceMap } from './ServiceMap.js';

export function breakerColors(palette: ChartPalette): Record<BreakerState, string> {
  return { closed: palette.ok, 'half-open': palette.warn, open: palette.bad };
}

function stateName(state: BreakerState, t: Messages): string {
  return state === 'closed' ? t.closed : state === 'open' ? t.open : t.halfOpen;
}

/** A root-cause kind in the UI's language. */
export function kindLabel(kind: string, t: Messages): string {
  return t[`kind_${kind}` as MessageKey] ?? kind.replace(/_/g, ' ');
}

/** A resilience-event kind in the UI's language. */
function eventKindLabel(kind: string, t: Messages): string {
  return t[`event_${kind}` as MessageKey] ?? kind.replace(/_/g, ' ');
}


function ServicesTable({ services, highlighted, t }: { services: ServiceStats[]; highlighted: Set<string>; t: Messages }) {
  return (
    <div className="table-scroll">
      <table className="data-table services-table" aria-label={t.services}>
        <thead>
          <tr>
            <th scope="col">{t.service}</th>
            <th scope="col" className="num">
              {t.requests}
            </th>
            <th scope="col" className="num">
              {t.errors}
            </th>
            <th scope="col" className="num">
              {t.timeouts}
            </th>
            <th scope="col" className="num">
              {t.p50}
            </th>
            <th scope="col" className="num">
              {t.p99}
            </th>
          </tr>
        </thead>
        <tbody>
          {services.map((row) => {
            const errorRate = row.requests > 0 ? row.errors / row.requests : 0;
            return (
              <tr key={row.service} className={highlighted.has(row.service) ? 'suspect' : undefined}>
                <th scope="row" className="service-cell">
                  {row.service}
                </th>
                <td className="num">{formatCount(row.requests)}</td>
                <td className={`num${errorRate >= 0.05 ? ' bad' : errorRate > 0 ? ' warn' : ''}`}>
                  {formatCount(row.errors)}
                  {row.errors > 0 && <span className="rate"> {percent(errorRate)}</span>}
                </td>
                <td className={`num${row.timeouts > 0 ? ' warn' : ''}`}>{formatCount(row.timeouts)}</td>
                <td className="num">{formatMs(row.p50_ms)}</td>
                <td className="num">{formatMs(row.p99_ms)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function breakerOption(segments: BreakerSegment[], range: { min: number; max: number }, palette: ChartPalette, t: Messages): ChartOption {
  return {
    useUTC: true,
    grid: { left: 8, right: 12, top: 4, bottom: 20, containLabel: false },
    tooltip: {
      trigger: 'item',
      formatter: (params: { data: { value: [number, number, number, string] } }) => {
        const [start, end, , state] = params.data.value;
        const from = new Date(start).toISOString();
        const to = new Date(end).toISOString();
        return `${state}<br/>${formatTime(from)} – ${formatTime(to)} UTC (${formatDuration(from, to)})`;
      },
    },
    xAxis: {
      type: 'time',
      min: range.min,
      max: range.max,
      axisLabel: { fontSize: 10, hideOverlap: true },
      splitLine: { show: true },
    },
    yAxis: { type: 'category', data: [''], show: false },
    series: [
      {
        type: 'custom',
        encode: { x: [0, 1], y: 2 },
        renderItem: (
          _params: unknown,
          api: { value(dim: number): number; coord(point: number[]): number[]; size(size: number[]): number[]; style(): Record<string, unknown> },
        ) => {
          const start = api.coord([api.value(0), api.value(2)]);
          const end = api.coord([api.value(1), api.value(2)]);
          const height = (api.size([0, 1])[1] ?? 20) * 0.7;
          const x = start[0] ?? 0;
          return {
            type: 'rect',
            shape: { x, y: (start[1] ?? 0) - height / 2, width: Math.max(1, (end[0] ?? x) - x), height },
            style: api.style(),
          };
        },
        data: segments.map((segment) => ({
          value: [segment.startMs, segment.endMs, 0, stateName(segment.state, t)],
          itemStyle: { color: breakerColors(palette)[segment.state] },
          ref: segment.ref,
        })),
      },
    ],
  };
}

function BreakerCharts({ breakers, window, onOpenRef, t }: { breakers: BreakerTimeline[]; window: OverviewData['window']; onOpenRef(ref: string): void; t: Messages }) {
  const palette = useChartPalette();
  const charts = useMemo(() => {
    const perBreaker = breakers.map((breaker) => ({ breaker, segments: breakerSegments(breaker, window) }));
    const base = sharedRange(breakers, window);
    if (!base) return [];
    const max = Math.max(base.max, ...perBreaker.flatMap(({ segments }) => segments.map((segment) => segment.endMs)));
    const range = { min: base.min, max };
    return perBreaker.map(({ breaker, segments }) => ({ breaker, option: breakerOption(segments, range, palette, t) }));
  }, [breakers, window, palette, t]);

  if (breakers.length === 0) return <p className="muted">{t.noBreakers}</p>;
  return (
    <div className="breaker-list">
      <div className="legend" aria-hidden="true">
        {(['closed', 'half-open', 'open'] as const).map((state) => (
          <span key={state} className="legend-item">
            <span className="swatch" style={{ background: breakerColors(palette)[state] }} />
            {stateName(state, t)}
          </span>
        ))}
      </div>
      {charts.map(({ breaker, option }) => (
        <figure key={`${breaker.service}/${breaker.breaker}`} className="breaker" aria-label={breaker.breaker}>
          <figcaption>
            <span className="breaker-name">{breaker.breaker}</span>
            <span className="muted">
              {breaker.service}
              {breaker.protects ? ` → ${breaker.protects}` : ''}
              {breaker.source ? ` · ${t.breakerSource} ${breaker.source}` : ''}
            </span>
          </figcaption>
          <EChart
            option={option}
            height={52}
            onItemClick={({ data }) => {
              const ref = (data as { ref?: string | null }).ref;
              if (ref) onOpenRef(ref);
            }}
          />
        </figure>
      ))}
    </div>
  );
}

function RootCauses({ causes, onOpenRef, t, language }: { causes: RootCause[]; onOpenRef(ref: string): void; t: Messages; language: Language }) {
  if (causes.length === 0) return <p className="muted">{t.noRootCauses}</p>;
  return (
    <ol className="root-causes">
      {causes.map((cause, index) => (
        <li key={`${cause.service}/${cause.kind}/${index}`} className="root-cause">
          <div className="root-cause-head">
            <span className="rank">{index + 1}</span>
            <span className="root-cause-service">{cause.service}</span>
            <span className="badge kind">{kindLabel(cause.kind, t)}</span>
            <span className="confidence" title={`${t.confidence} ${percent(cause.confidence)}`}>
              <span className="confidence-bar">
                <span style={{ width: percent(cause.confidence) }} />
              </span>
              {percent(cause.confidence)}
            </span>
          </div>
          <p className="root-cause-summary">{inLanguage(language, cause.summary, cause.summary_zh)}</p>
          <p className="meta">
            {t.startedAt} {formatTime(cause.started_at, true)} UTC
            {cause.edge ? ` · ${t.viaEdge} ${cause.edge.caller} → ${cause.edge.callee}` : ''}
          </p>
          <EvidenceList evidence={cause.evidence} label={`${t.evidence}: ${cause.service}`} language={language} onOpenRef={onOpenRef} />
        </li>
      ))}
    </ol>
  );
}

const MAX_CHANGE_TEXT = 160;

/** Deploys and config changes the logs record before the fault: when, where, what, and the line. */
function Changes({ changes, onOpenRef, t }: { changes: ChangeMarker[]; onOpenRef(ref: string): void; t: Messages }) {
  return (
    <ul className="evidence-list changes-list" aria-label={t.changesTitle} onKeyDown={moveFocusInList}>
      {changes.map((change) => (
        <li key={change.ref}>
          <button type="button" className="evidence" title={change.body} onClick={() => onOpenRef(change.ref)}>
            <span className="ref-kind ref-log">{formatTime(change.at, true)}</span>
            <span className="evidence-summary">
              {change.service ? <strong>{change.service}</strong> : null} {change.body.length > MAX_CHANGE_TEXT ? `${change.body.slice(0, MAX_CHANGE_TEXT)}…` : change.body}
              {change.lines > 1 ? ` (×${change.lines})` : ''}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function eventTimelineOption(timeline: OverviewData['event_timeline'], changes: ChangeMarker[], t: Messages): ChartOption {
  const kinds = [...new Set(timeline.map((row) => row.kind))];
  return {
    useUTC: true,
    grid: { left: 44, right: 12, top: 34, bottom: 24 },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'time', axisLabel: { fontSize: 10, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 10 } },
    series: kinds.map((kind, index) => ({
      name: eventKindLabel(kind, t),
      // Changes logged before the fault are drawn once, as dashed lines across the stacked bars.
      ...(index === 0 && changes.length > 0
        ? { markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed' }, label: { show: false }, data: changes.map((c) => ({ xAxis: new Date(c.at).getTime(), name: c.service ?? '' })) } }
        : {}),
      type: 'bar',
      stack: 'events',
      barMaxWidth: 18,
      data: timeline.filter((row) => row.kind === kind).map((row) => [new Date(row.bucket).getTime(), row.count]),
    })),
  };
}

/** `datetime-local` holds no zone; the UI reads and writes it as UTC, like every time it shows. */
function toInputValue(iso: string): string {
  return iso.slice(0, 19);
}

function fromInputValue(value: string): string | null {
  const date = new Date(`${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function WindowChooser({ shown, onChoose, t }: { shown: TimeWindow; onChoose(window: TimeWindow): void; t: Messages }) {
  const [from, setFrom] = useState(toInputValue(shown.from));
  const [to, setTo] = useState(toInputValue(shown.to));
  const chosen = { from: fromInputValue(from), to: fromInputValue(to) };
  const valid = chosen.from !== null && chosen.to !== null && chosen.from < chosen.to;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.from && chosen.to && valid) onChoose({ from: chosen.from, to: chosen.to });
  };
  return (
    <form className="window-chooser" onSubmit={onSubmit}>
      <label>
        <span>{t.windowFrom}</span>
        <input type="datetime-local" step={1} value={from} aria-invalid={!valid} onChange={(event) => setFrom(event.target.value)} />
      </label>
      <label>
        <span>{t.windowTo}</span>
        <input type="datetime-local" step={1} value={to} aria-invalid={!valid} onChange={(event) => setTo(event.target.value)} />
      </label>
      <button type="submit" className="button primary" disabled={!valid}>
        {t.applyWindow}
      </button>
    </form>
  );
}

export function Overview({
  chosenWindow,
  onChooseWindow,
  onOpenRef,
  onShowServiceTraces,
}: {
  chosenWindow: TimeWindow | null;
  onChooseWindow(window: TimeWindow | null): void;
  onOpenRef(ref: string): void;
  onShowServiceTraces(service: string): void;
}) {
  const { t, language } = useI18n();
  const client = useClient();
  const [choosing, setChoosing] = useState(false);
  const overview = useQuery({ queryKey: queryKeys.overview(chosenWindow), queryFn: () => client.getOverview(chosenWindow ?? undefined) });
  const data = overview.data;
  const suspects = useMemo(() => new Set(data?.root_causes.slice(0, 1).map((cause) => cause.service)), [data]);
  const timelineOption = useMemo(() => (data ? eventTimelineOption(data.event_timeline, data.changes ?? [], t) : null), [data, t]);

  if (overview.isPending) return <p className="muted pad">{t.loading}</p>;
  if (overview.error)
    return (
      <div className="error-box" role="alert">
        <strong>{t.errorTitle}</strong> {overview.error.message}{' '}
        <button type="button" className="button" onClick={() => void overview.refetch()}>
          {t.retry}
        </button>
      </div>
    );
  if (!data || data.services.length === 0) return <p className="muted pad">{overview.isFetching ? t.loading : t.emptyWorkspace}</p>;

  return (
    <div className="overview">
      <div className="window-strip">
        <span className="label">{chosenWindow ? t.chosenWindow : t.incidentWindow}</span>
        {data.window ? (
          <>
            <span className="window-range">{formatWindow(data.window)}</span>
            <span className="muted">{formatDuration(data.window.from, data.window.to)}</span>
          </>
        ) : (
          <span className="muted">{t.noWindow}</span>
        )}
        <span className="window-actions">
          {chosenWindow && (
            <button type="button" className="link-button" onClick={() => onChooseWindow(null)}>
              {t.detectedWindow}
            </button>
          )}
          <button type="button" className="link-button" aria-expanded={choosing} onClick={() => setChoosing((open) => !open)}>
            {t.chooseWindow}
          </button>
        </span>
      </div>
      {choosing && (
        <WindowChooser
          key={JSON.stringify(data.window)}
          shown={chosenWindow ?? data.window ?? { from: new Date().toISOString(), to: new Date().toISOString() }}
          onChoose={(window) => {
            setChoosing(false);
            onChooseWindow(window);
          }}
          t={t}
        />
      )}

      <div className="overview-grid">
        <section className="card" aria-labelledby="root-causes-title">
          <h2 id="root-causes-title" className="card-title">
            {t.rootCauses}
          </h2>
          <ReportButtons chosenWindow={chosenWindow} />
          {data.signals_after_baseline && (
            <p className="late-signals" role="note">
              {t.signalsAfterBaseline}{' '}
              {data.signals_after_baseline.map((start) => `${t[`signal_${start.signal}`]} ${t.signalFrom} ${formatTime(start.from, true)} UTC`).join(', ')}
            </p>
          )}
          <RootCauses causes={data.root_causes} onOpenRef={onOpenRef} t={t} language={language} />
        </section>

        {data.changes && data.changes.length > 0 && (
          <section className="card" aria-labelledby="changes-title">
            <h2 id="changes-title" className="card-title">
              {t.changesTitle}
            </h2>
            <p className="muted">{t.changesHint}</p>
            <Changes changes={data.changes} onOpenRef={onOpenRef} t={t} />
          </section>
        )}

        <section className="card" aria-labelledby="services-title">
          <h2 id="services-title" className="card-title">
            {t.services}
          </h2>
          <ServicesTable services={data.services} highlighted={suspects} t={t} />
        </section>

        <section className="card wide" aria-labelledby="service-map-title">
          <h2 id="service-map-title" className="card-title">
            {t.serviceMap}
          </h2>
          <ServiceMap overview={data} onShowServiceTraces={onShowServiceTraces} t={t} />
        </section>

        <section className="card" aria-labelledby="deadline-findings-title">
          <h2 id="deadline-findings-title" className="card-title">
            {t.deadlineFindings}
          </h2>
          <DeadlineFindings findings={data.deadline_findings ?? []} onOpenRef={onOpenRef} t={t} language={language} />
        </section>

        <section className="card" aria-labelledby="breakers-title">
          <h2 id="breakers-title" className="card-title">
            {t.breakers}
          </h2>
          <BreakerCharts breakers={data.breakers} window={data.window} onOpenRef={onOpenRef} t={t} />
        </section>

        {timelineOption && data.event_timeline.length > 0 && (
          <section className="card" aria-labelledby="events-title">
            <h2 id="events-title" className="card-title">
              {t.resilienceEvents}
            </h2>
            <figure aria-label={t.resilienceEvents} className="plain-figure">
              <EChart option={timelineOption} height={180} />
            </figure>
          </section>
        )}
      </div>
    </div>
  );
}
