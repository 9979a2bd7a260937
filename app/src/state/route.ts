import type { TimeWindow } from '../../../main/api/contract.js';

export const TABS = ['overview', 'ask', 'traces', 'logs', 'settings'] as const;
export type Tab = (typeof TABS)[number];

/** Everything a deep link restores: the tab, the open record and the chosen incident window. */
export interface Route {
  tab: Tab;
  record: string | null;
  window: TimeWindow | null;
  /** The trace open in the traces tab, or the trace the logs tab is filtered to. */
  trace: string | null;
  /** The trace compared with the open one (the traces tab shows both, aligned). */
  compare: string | null;
  /** The service the trace search is filtered to (a click on the service map). */
  service: string | null;
}

export const HOME: Route = { tab: 'overview', record: null, window: null, trace: null, compare: null, service: null };

function isTab(value: string | null): value is Tab {
  return value !== null && (TABS as readonly string[]).includes(value);
}

function isInstant(value: string | null): value is string {
  return value !== null && value !== '' && !Number.isNaN(Date.parse(value));
}

/** Reads a route from a query string; unknown or malformed parts fall back to the defaults. */
export function parseRoute(search: string): Route {
  const params = new URLSearchParams(search);
  const tab = params.get('tab');
  const from = params.get('from');
  const to = params.get('to');
  return {
    tab: isTab(tab) ? tab : HOME.tab,
    record: params.get('record') || null,
    window: isInstant(from) && isInstant(to) && Date.parse(from) < Date.parse(to) ? { from, to } : null,
    trace: params.get('trace') || null,
    compare: params.get('compare') || null,
    service: params.get('service') || null,
  };
}

/** The query string for a route ('' for the home view); defaults are left out so links stay short. */
export function formatRoute(route: Route): string {
  const params = new URLSearchParams();
  if (route.tab !== HOME.tab) params.set('tab', route.tab);
  if (route.record) params.set('record', route.record);
  if (route.window) {
    params.set('from', route.window.from);
    params.set('to', route.window.to);
  }
  if (route.trace) params.set('trace', route.trace);
  if (route.compare) params.set('compare', route.compare);
  if (route.service) params.set('service', route.service);
  const text = params.toString();
  return text ? `?${text}` : '';
}
