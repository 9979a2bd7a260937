import type { BreakerState, Overview } from '../../../main/api/contract.js';

/** How a service looks on the map: the ranked root cause first, then by its error rate. */
export type NodeHealth = 'root_cause' | 'failing' | 'degraded' | 'healthy';
/** How a call edge looks: an open breaker on it first, then timeouts, then errors. */
export type EdgeHealth = 'breaker_open' | 'timeouts' | 'errors' | 'ok';

export const NODE_HEALTHS: readonly NodeHealth[] = ['root_cause', 'failing', 'degraded', 'healthy'];
export const EDGE_HEALTHS: readonly EdgeHealth[] = ['breaker_open', 'timeouts', 'errors', 'ok'];

/** An error rate at or above this is failing; anything above zero is degraded. */
export const FAILING_ERROR_RATE = 0.05;

export interface MapNode {
  service: string;
  requests: number;
  errors: number;
  errorRate: number;
  /** Rank among the root causes (1 = first), null when not ranked. */
  rootCauseRank: number | null;
  health: NodeHealth;
  /** Column in the left-to-right layout: callers sit left of what they call. */
  layer: number;
  /** Row within the column. */
  row: number;
}

export interface MapEdge {
  caller: string;
  callee: string;
  calls: number;
  errors: number;
  timeouts: number;
  /** The worst state the caller's breaker towards the callee reached; null when none is known on this edge. */
  breaker: BreakerState | null;
  health: EdgeHealth;
}

export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
  layers: number;
}

const BREAKER_SEVERITY: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

function worstBreakerState(overview: Pick<Overview, 'breakers'>, caller: string, callee: string): BreakerState | null {
  let worst: BreakerState | null = null;
  for (const breaker of overview.breakers) {
    if (breaker.service !== caller || breaker.protects !== callee) continue;
    for (const state of breaker.transitions.flatMap((transition) => [transition.from, transition.to])) {
      if (worst === null || BREAKER_SEVERITY[state] > BREAKER_SEVERITY[worst]) worst = state;
    }
    worst ??= 'closed';
  }
  return worst;
}

function edgeHealth(edge: { errors: number; timeouts: number }, breaker: BreakerState | null): EdgeHealth {
  if (breaker === 'open') return 'breaker_open';
  if (edge.timeouts > 0) return 'timeouts';
  if (edge.errors > 0) return 'errors';
  return 'ok';
}

/**
 * Columns by distance from the entry points (services nobody calls); services only reachable
 * through a cycle start a column of their own at 0. Breadth-first, so a cycle cannot loop.
 */
function layersOf(services: string[], edges: { caller: string; callee: string }[]): Map<string, number> {
  const callees = new Map<string, string[]>();
  const called = new Set<string>();
  for (const edge of edges) {
    if (edge.caller === edge.callee) continue;
    callees.set(edge.caller, [...(callees.get(edge.caller) ?? []), edge.callee]);
    called.add(edge.callee);
  }
  const layer = new Map<string, number>();
  const walk = (starts: string[]) => {
    const queue = starts.filter((service) => !layer.has(service));
    for (const start of queue) layer.set(start, 0);
    for (let i = 0; i < queue.length; i += 1) {
      const service = queue[i]!;
      for (const next of callees.get(service) ?? []) {
        if (layer.has(next)) continue;
        layer.set(next, layer.get(service)! + 1);
        queue.push(next);
      }
    }
  };
  walk(services.filter((service) => !called.has(service)));
  for (const service of services) if (!layer.has(service)) walk([service]);
  return layer;
}

/** The overview's services and call edges as a map: health per node and edge, and a layered layout. */
export function buildServiceMap(overview: Pick<Overview, 'services' | 'edges' | 'breakers' | 'root_causes'>): ServiceMap {
  const stats = new Map(overview.services.map((row) => [row.service, row]));
  const names = [...new Set([...overview.services.map((row) => row.service), ...overview.edges.flatMap((edge) => [edge.caller, edge.callee])])].sort();
  const rank = new Map<string, number>();
  overview.root_causes.forEach((cause, index) => {
    if (!rank.has(cause.service)) rank.set(cause.service, index + 1);
  });
  const layer = layersOf(names, overview.edges);
  const rows = new Map<number, number>();
  const nodes = names.map((service): MapNode => {
    const row = stats.get(service);
    const requests = row?.requests ?? 0;
    const errors = row?.errors ?? 0;
    const errorRate = requests > 0 ? errors / requests : 0;
    const rootCauseRank = rank.get(service) ?? null;
    const health: NodeHealth = rootCauseRank === 1 ? 'root_cause' : errorRate >= FAILING_ERROR_RATE ? 'failing' : errorRate > 0 ? 'degraded' : 'healthy';
    const column = layer.get(service) ?? 0;
    const index = rows.get(column) ?? 0;
    rows.set(column, index + 1);
    return { service, requests, errors, errorRate, rootCauseRank, health, layer: column, row: index };
  });
  const edges = overview.edges.map((edge): MapEdge => {
    const breaker = worstBreakerState(overview, edge.caller, edge.callee);
    return { caller: edge.caller, callee: edge.callee, calls: edge.calls, errors: edge.errors, timeouts: edge.timeouts, breaker, health: edgeHealth(edge, breaker) };
  });
  return { nodes, edges, layers: Math.max(0, ...nodes.map((node) => node.layer)) + 1 };
}

/** The colours and words the map is drawn with (the UI theme's chart palette, the UI language). */
export interface MapStyle {
  nodeColor: Record<NodeHealth, string>;
  edgeColor: Record<EdgeHealth, string>;
  text: string;
  border: string;
  labels: { calls: string; errors: string; timeouts: string; errorRate: string; rank: string; breaker: string; open: string; requests: string; breakerState: Record<BreakerState, string> };
}

const COLUMN_GAP = 220;
const ROW_GAP = 90;

function percentText(rate: number): string {
  return `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)}%`;
}

/** Node size grows with traffic, slowly, so one busy gateway does not dwarf the rest. */
function nodeSize(requests: number): number {
  return Math.min(46, 18 + Math.log10(requests + 1) * 6);
}

/** Edge width grows with calls; an edge with an open breaker is drawn wider and dashed. */
function edgeWidth(edge: MapEdge): number {
  const byCalls = 1 + Math.min(3, Math.log10(edge.calls + 1) * 0.8);
  return edge.health === 'breaker_open' ? byCalls + 2 : byCalls;
}

export function serviceMapHeight(map: ServiceMap): number {
  const rows = Math.max(1, ...map.nodes.map((node) => node.row + 1));
  return Math.max(220, Math.min(600, rows * 72 + 88));
}

/** An ECharts graph option: fixed layered positions, so the same data always draws the same map. */
export function serviceMapOption(map: ServiceMap, style: MapStyle): Record<string, unknown> {
  const { labels } = style;
  return {
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params: { dataType: string; data: { tooltip?: string } }) => params.data.tooltip ?? '',
    },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: false,
        left: 70,
        right: 70,
        // Room for the labels under the bottom row and for an edge label above the top one.
        top: 44,
        bottom: 44,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: [0, 9],
        label: { show: true, position: 'bottom', color: style.text, fontSize: 11 },
        emphasis: { focus: 'adjacency', lineStyle: { width: 4 } },
        data: map.nodes.map((node) => ({
          name: node.service,
          x: node.layer * COLUMN_GAP,
          y: node.row * ROW_GAP,
          symbolSize: nodeSize(node.requests),
          health: node.health,
          itemStyle: {
            color: style.nodeColor[node.health],
            borderColor: node.health === 'root_cause' ? style.text : style.border,
            borderWidth: node.health === 'root_cause' ? 3 : 1,
          },
          label: node.health === 'root_cause' ? { fontWeight: 'bold' } : {},
          tooltip: [
            `<strong>${escapeText(node.service)}</strong>`,
            `${labels.requests}: ${node.requests}`,
            `${labels.errorRate}: ${percentText(node.errorRate)}`,
            node.rootCauseRank !== null ? `${labels.rank}: ${node.rootCauseRank}` : '',
          ]
            .filter(Boolean)
            .join('<br/>'),
        })),
        links: map.edges.map((edge) => ({
          source: edge.caller,
          target: edge.callee,
          health: edge.health,
          lineStyle: {
            color: style.edgeColor[edge.health],
            width: edgeWidth(edge),
            type: edge.health === 'breaker_open' ? 'dashed' : 'solid',
            curveness: 0.12,
            opacity: 0.9,
          },
          label: edge.health === 'breaker_open' ? { show: true, formatter: `${labels.breaker} ${labels.open}`, color: style.edgeColor.breaker_open, fontSize: 10, fontWeight: 'bold' } : { show: false },
          tooltip: [
            `<strong>${escapeText(edge.caller)} → ${escapeText(edge.callee)}</strong>`,
            `${labels.calls}: ${edge.calls}`,
            `${labels.errors}: ${edge.errors}`,
            `${labels.timeouts}: ${edge.timeouts}`,
            edge.breaker ? `${labels.breaker}: ${labels.breakerState[edge.breaker]}` : '',
          ]
            .filter(Boolean)
            .join('<br/>'),
        })),
      },
    ],
  };
}

/** Service names come from telemetry; the tooltip renders HTML. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
