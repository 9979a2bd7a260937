import type { Overview, ResilienceKind, RootCause, ServiceEdge, TimeWindow } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import { breakerTimelines } from './breakers.js';
import { serviceStats } from './serviceStats.js';
import { nsToIso, toTimeWindow, type IncidentWindows } from './window.js';
import edgesSql from './sql/overview_edges.sql?raw';
import timelineSql from './sql/overview_timeline.sql?raw';

/** Everything the overview screen shows, pre-aggregated: services, call graph, breakers, timeline. */
export async function overviewOf(reader: StoreReader, windows: IncidentWindows | null, given: TimeWindow | undefined, rootCauses: RootCause[]): Promise<Overview> {
  if (!windows) return { window: null, services: [], edges: [], breakers: [], root_causes: [], event_timeline: [] };
  // Services and the timeline cover what was asked for, or everything loaded; the window shown is
  // the incident, so the UI can highlight it.
  const scope = given ? windows.incident : windows.data;
  const [services, edges, breakers, timeline] = await Promise.all([
    serviceStats(reader, scope),
    reader.all<ServiceEdge>(edgesSql),
    breakerTimelines(reader, given ? scope : undefined),
    reader.all<{ bucket_ns: string; kind: ResilienceKind; count: number }>(timelineSql, { from_ns: scope.fromNs, to_ns: scope.toNs }),
  ]);
  return {
    window: toTimeWindow(windows.incident),
    services,
    edges,
    breakers,
    root_causes: rootCauses,
    event_timeline: timeline.map((row) => ({ bucket: nsToIso(BigInt(row.bucket_ns)), kind: row.kind, count: row.count })),
  };
}
