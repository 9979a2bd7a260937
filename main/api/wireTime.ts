import { isoToNs } from '../../ingest/normalize.js';
import type { TimeWindow } from './contract.js';

/** Nanoseconds (as DuckDB hands them over: string, number or bigint) to the wire's ISO form. */
export function nsToIso(ns: string | number | bigint): string {
  const big = typeof ns === 'bigint' ? ns : BigInt(typeof ns === 'number' ? Math.round(ns) : ns);
  return new Date(Number(big / 1_000_000n)).toISOString();
}

export class BadWindowError extends Error {}

/** A wire window to nanoseconds, refusing what is not a time or runs backwards. */
export function windowToNs(window: TimeWindow): { fromNs: bigint; toNs: bigint } {
  const fromNs = isoToNs(window.from);
  const toNs = isoToNs(window.to);
  if (fromNs === null) throw new BadWindowError(`"${window.from}" is not a time (use ISO 8601, e.g. 2024-09-20T14:09:00Z)`);
  if (toNs === null) throw new BadWindowError(`"${window.to}" is not a time (use ISO 8601, e.g. 2024-09-20T14:17:00Z)`);
  if (toNs <= fromNs) throw new BadWindowError(`the window ends (${window.to}) before it starts (${window.from})`);
  return { fromNs, toNs };
}
