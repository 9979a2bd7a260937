import type { RootCauseKind } from '../api/contract.js';

/**
 * Metric families that can explain a service's own slowness, recognised by the words metric names
 * use across runtimes and exporters. Order matters twice: a name is given the first family that
 * matches (so "hikaricp_connections_pending" is a pool, not a database), and when one service shows
 * several, the earlier family is the likelier mechanism (GC pauses come with heap growth and CPU;
 * a starved pool comes with slow work behind it).
 */
export const METRIC_FAMILIES: readonly { kind: RootCauseKind; words: RegExp }[] = [
  { kind: 'gc_pause', words: /(^|[_.:])gc|pause/ },
  { kind: 'connection_pool_exhaustion', words: /pool|connections?_(pending|active|acquire|timeout|wait)|(sql|db)_wait|wait_(count|duration)|in_use_connections|acquire/ },
  { kind: 'cpu_saturation', words: /cpu|throttl/ },
  { kind: 'memory_pressure', words: /mem|heap|rss|resident/ },
  { kind: 'slow_query', words: /(^|[_.])(db|sql|query|queries|statement|tx)|^(pg|mysql|mssql|oracle|mongodb)_/ },
  { kind: 'network_latency', words: /retrans|netstat|tcp_|packet|network/ },
];

/** Names that look like a family but describe traffic or breakers: symptoms, never mechanisms. */
const SYMPTOM_WORDS = /requests?_total|handled_total|breaker|_up$|^up$|questions|commit|processed|connected_clients/;

/** One regular expression (for SQL) that preselects every family's metrics. */
export const METRIC_FAMILY_PATTERN = METRIC_FAMILIES.map((family) => family.words.source).join('|');

export function metricKind(name: string): RootCauseKind | null {
  const lower = name.toLowerCase();
  if (SYMPTOM_WORDS.test(lower)) return null;
  return METRIC_FAMILIES.find((family) => family.words.test(lower))?.kind ?? null;
}

export function familyPriority(kind: RootCauseKind): number {
  const index = METRIC_FAMILIES.findIndex((family) => family.kind === kind);
  return index < 0 ? METRIC_FAMILIES.length : index;
}

/** Resilience event kinds (from logs and spans) that name a mechanism on the service that logs them. */
export const EVENT_KINDS: Partial<Record<string, RootCauseKind>> = {
  gc_pause: 'gc_pause',
  pool_wait: 'connection_pool_exhaustion',
};
