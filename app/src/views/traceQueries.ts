import { queryOptions } from '@tanstack/react-query';
import type { RcaApi } from '../../../main/api/contract.js';
import { queryKeys } from '../api/ClientContext.js';
import { toTrace } from './traceModel.js';

/** A trace as every view reads it (waterfall, comparison, record panel): one cache entry, shaped once. */
export function traceQuery(client: Pick<RcaApi, 'getTrace'>, traceId: string) {
  return queryOptions({ queryKey: queryKeys.trace(traceId), queryFn: async () => toTrace(await client.getTrace(traceId)) });
}

/** What only a selected span's detail shows: its attributes, events and log lines. */
export function spanQuery(client: Pick<RcaApi, 'getSpan'>, traceId: string, spanId: string) {
  return queryOptions({ queryKey: queryKeys.span(traceId, spanId), queryFn: () => client.getSpan(traceId, spanId) });
}
