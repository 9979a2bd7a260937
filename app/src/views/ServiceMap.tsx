import { useMemo } from 'react';
import type { Overview } from '../../../main/api/contract.js';
import { useChartPalette } from '../components/ChartTheme.js';
import type { ChartPalette } from '../components/chartTheme.js';
import { EChart } from '../components/EChart.js';
import type { Messages } from '../i18n/strings.js';
import { buildServiceMap, EDGE_HEALTHS, NODE_HEALTHS, serviceMapHeight, serviceMapOption, type EdgeHealth, type MapStyle, type NodeHealth } from './serviceMap.js';

function mapStyle(palette: ChartPalette, t: Messages): MapStyle {
  return {
    nodeColor: { root_cause: palette.rootCause, failing: palette.bad, degraded: palette.warn, healthy: palette.ok },
    edgeColor: { breaker_open: palette.bad, timeouts: palette.warn, errors: palette.rootCause, ok: palette.quiet },
    text: palette.text,
    border: palette.tooltipBackground,
    labels: {
      calls: t.mapCalls,
      errors: t.errors,
      timeouts: t.timeouts,
      errorRate: t.mapErrorRate,
      rank: t.mapRank,
      breaker: t.mapBreaker,
      open: t.open,
      requests: t.requests,
      breakerState: { open: t.open, closed: t.closed, 'half-open': t.halfOpen },
    },
  };
}

function nodeLabel(health: NodeHealth, t: Messages): string {
  return { root_cause: t.mapRootCause, failing: t.mapFailing, degraded: t.mapDegraded, healthy: t.mapHealthy }[health];
}

function edgeLabel(health: EdgeHealth, t: Messages): string {
  return { breaker_open: t.mapBreakerOpen, timeouts: t.mapTimeouts, errors: t.mapCallErrors, ok: t.mapCallsOk }[health];
}

/** Services as nodes coloured by health, calls as edges coloured by timeouts and breaker state; a click shows that service's traces. */
export function ServiceMap({ overview, onShowServiceTraces, t }: { overview: Overview; onShowServiceTraces(service: string): void; t: Messages }) {
  const palette = useChartPalette();
  const style = useMemo(() => mapStyle(palette, t), [palette, t]);
  const map = useMemo(() => buildServiceMap(overview), [overview]);
  const option = useMemo(() => serviceMapOption(map, style), [map, style]);
  if (map.nodes.length === 0) return null;
  return (
    <div className="service-map">
      <figure className="plain-figure" aria-label={t.serviceMap} aria-describedby="service-map-hint">
        <EChart
          option={option}
          height={serviceMapHeight(map)}
          onItemClick={({ data }) => {
            const node = data as { name?: string; source?: string };
            if (node.name && node.source === undefined) onShowServiceTraces(node.name);
          }}
        />
      </figure>
      <div className="legend map-legend" role="group" aria-label={`${t.serviceMap}: ${t.mapNodes}, ${t.mapEdges}`}>
        <span className="legend-group">{t.mapNodes}</span>
        {NODE_HEALTHS.map((health) => (
          <span key={health} className="legend-item">
            <span className={`swatch dot${health === 'root_cause' ? ' ring' : ''}`} style={{ background: style.nodeColor[health] }} />
            {nodeLabel(health, t)}
          </span>
        ))}
        <span className="legend-group">{t.mapEdges}</span>
        {EDGE_HEALTHS.map((health) => (
          <span key={health} className="legend-item">
            <span className={`swatch line${health === 'breaker_open' ? ' dashed' : ''}`} style={{ borderColor: style.edgeColor[health] }} />
            {edgeLabel(health, t)}
          </span>
        ))}
      </div>
      <p id="service-map-hint" className="muted map-hint">
        {t.serviceMapHint}
      </p>
      <ul className="map-services" aria-label={t.showServiceTraces}>
        {map.nodes.map((node) => (
          <li key={node.service}>
            <button type="button" className={`link-button health-${node.health}`} aria-label={`${t.showServiceTraces} ${node.service}`} onClick={() => onShowServiceTraces(node.service)}>
              {node.service}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
