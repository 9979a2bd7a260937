import type { SignalKind, SignalStart } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import signalStartsSql from './sql/signal_starts.sql?raw';
import { nsToIso, type IncidentWindows } from './window.js';

/**
 * The kinds of telemetry loaded that begin at or after the baseline's end, when there is a
 * baseline: comparisons with it rest on the other kinds. Undefined when there are none, so that
 * reports leave the field out.
 */
export async function signalsAfterBaseline(reader: StoreReader, windows: IncidentWindows): Promise<SignalStart[] | undefined> {
  const baseline = windows.baseline;
  if (!baseline) return undefined;
  const rows = await reader.all<{ signal: SignalKind; from_ns: string }>(signalStartsSql);
  const late = rows.filter((row) => BigInt(row.from_ns) >= baseline.toNs).map((row) => ({ signal: row.signal, from: nsToIso(row.from_ns) }));
  return late.length > 0 ? late : undefined;
}
