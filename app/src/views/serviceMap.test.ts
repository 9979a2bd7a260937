import { describe, expect, it } from 'vitest';
import type { Overview } from '../../../main/api/contract.js';
import { buildServiceMap, serviceMapOption, type MapStyle } from './serviceMap.js';

const base: Pick<Overview, 'services' | 'edges' | 'breakers' | 'root_causes'> = {
  services: [
    { service: 'edge', requests: 1000, errors: 100, timeouts: 40, p50_ms: 10, p99_ms: 900 },
    { service: 'middle', requests: 800, errors: 8, timeouts: 0, p50_ms: 5, p99_ms: 50 },
    { service: 'leaf', requests: 500, errors: 0, timeouts: 0, p50_ms: 2, p99_ms: 20 },
    { service: 'quiet', requests: 10, errors: 0, timeouts: 0, p50_ms: 1, p99_ms: 2 },
  ],
  edges: [
    { caller: 'edge', callee: 'middle', calls: 800, errors: 8, timeouts: 5 },
    { caller: 'middle', callee: 'leaf', calls: 500, errors: 0, timeouts: 0 },
    { caller: 'edge', callee: 'leaf', calls: 100, errors: 3, timeouts: 0 },
  ],
  breakers: [
    {
      service: 'edge',
      breaker: 'to-middle',
      protects: 'middle',
      transitions: [
        { at: '2026-01-01T00:01:00Z', from: 'closed', to: 'open' },
        { at: '2026-01-01T00:02:00Z', from: 'open', to: 'half-open' },
      ],
    },
    { service: 'middle', breaker: 'to-leaf', protects: 'leaf', transitions: [] },
  ],
  root_causes: [
    { service: 'leaf', kind: 'slow_query', confidence: 0.8, started_at: '2026-01-01T00:00:00Z', summary: '', evidence: [] },
    { service: 'middle', kind: 'unknown', confidence: 0.2, started_at: '2026-01-01T00:00:00Z', summary: '', evidence: [] },
  ],
};

describe('buildServiceMap', () => {
  const map = buildServiceMap(base);
  const node = (name: string) => map.nodes.find((n) => n.service === name)!;
  const edge = (caller: string, callee: string) => map.edges.find((e) => e.caller === caller && e.callee === callee)!;

  it('colours the first-ranked root cause as such, whatever its error rate, and others by error rate', () => {
    expect(node('leaf').health).toBe('root_cause');
    expect(node('leaf').rootCauseRank).toBe(1);
    expect(node('edge').health).toBe('failing');
    expect(node('middle').health).toBe('degraded');
    expect(node('middle').rootCauseRank).toBe(2);
    expect(node('quiet').health).toBe('healthy');
  });

  it('marks an edge whose breaker opened, above its timeouts; then timeouts, then errors', () => {
    expect(edge('edge', 'middle')).toMatchObject({ breaker: 'open', health: 'breaker_open' });
    expect(edge('middle', 'leaf')).toMatchObject({ breaker: 'closed', health: 'ok' });
    expect(edge('edge', 'leaf')).toMatchObject({ breaker: null, health: 'errors' });
    const timeoutsOnly = buildServiceMap({ ...base, breakers: [] }).edges.find((e) => e.caller === 'edge' && e.callee === 'middle')!;
    expect(timeoutsOnly.health).toBe('timeouts');
  });

  it('lays callers out left of their callees, by shortest distance from the entry points', () => {
    expect(node('edge').layer).toBe(0);
    expect(node('middle').layer).toBe(1);
    expect(node('leaf').layer).toBe(1);
    expect(node('quiet').layer).toBe(0);
    expect(map.layers).toBe(2);
    const rowsInLayer1 = map.nodes.filter((n) => n.layer === 1).map((n) => n.row).sort();
    expect(rowsInLayer1).toEqual([0, 1]);
  });

  it('places services that are only reachable through a cycle, and services known only from edges', () => {
    const cyclic = buildServiceMap({
      services: [],
      edges: [
        { caller: 'a', callee: 'b', calls: 1, errors: 0, timeouts: 0 },
        { caller: 'b', callee: 'a', calls: 1, errors: 0, timeouts: 0 },
      ],
      breakers: [],
      root_causes: [],
    });
    expect(cyclic.nodes.map((n) => [n.service, n.layer])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(cyclic.nodes.every((n) => n.health === 'healthy' && n.requests === 0)).toBe(true);
  });
});

describe('serviceMapOption', () => {
  const style: MapStyle = {
    nodeColor: { root_cause: 'RC', failing: 'F', degraded: 'D', healthy: 'H' },
    edgeColor: { breaker_open: 'BO', timeouts: 'T', errors: 'E', ok: 'OK' },
    text: 'text',
    border: 'border',
    labels: { calls: 'calls', errors: 'errors', timeouts: 'timeouts', errorRate: 'rate', rank: 'rank', breaker: 'breaker', open: 'open', requests: 'requests', breakerState: { open: 'open', closed: 'closed', 'half-open': 'half' } },
  };

  it('colours nodes and edges by health and draws an open breaker dashed and labelled', () => {
    const hostile = { ...base, services: [...base.services, { service: '<img src=x>', requests: 1, errors: 0, timeouts: 0, p50_ms: null, p99_ms: null }] };
    const option = serviceMapOption(buildServiceMap(hostile), style) as { series: [{ data: Record<string, unknown>[]; links: Record<string, unknown>[] }] };
    const [series] = option.series;
    const node = (name: string) => series.data.find((d) => d.name === name) as { itemStyle: { color: string }; tooltip: string };
    expect(node('leaf').itemStyle.color).toBe('RC');
    expect(node('edge').itemStyle.color).toBe('F');
    expect(node('<img src=x>').tooltip).not.toContain('<img');
    const link = (source: string, target: string) => series.links.find((l) => l.source === source && l.target === target) as { lineStyle: { color: string; type: string }; label: { show: boolean } };
    expect(link('edge', 'middle').lineStyle).toMatchObject({ color: 'BO', type: 'dashed' });
    expect(link('edge', 'middle').label.show).toBe(true);
    expect(link('edge', 'leaf').lineStyle).toMatchObject({ color: 'E', type: 'solid' });
    expect(link('middle', 'leaf').label.show).toBe(false);
  });
});
