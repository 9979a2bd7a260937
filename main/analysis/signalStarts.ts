import type { SignalKind, SignalStart } from '../api/contract.js';
import type { StoreReader } from '../store/store.js';
import signalStartsSql from './sql/signal_starts.sql?raw';
import { nsToIso, type IncidentWindows } from './window.js';

/**
 * The kinds of telemetry loaded that begin at or after the baseline's end, when there is a
 * baseline: comparisons with it rest on the other kinds.
 */
export async function signalsAfterBaseline(reader: StoreReader, windows: IncidentWindows): Promise<SignalStart[]> {
  const baseline = windows.baseline;
  if (!baseline) return [];
  const rows = await reader.all<{ signal: SignalKind; from_ns: string }>(signalStartsSql);
  return rows.filter((row) => BigInt(row.from_ns) >= baseline.toNs).map((row) => ({ signal: row.signal, from: nsToIso(row.from_ns) }));
}
