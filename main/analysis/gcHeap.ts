import type { TimeWindow } from '../api/contract.js';
import type { StoreReader, TelemetryStore } from '../store/store.js';
import { patternParams, regex } from './patterns.js';
import { nsToIso, toNsWindow } from './window.js';
import gcLinesSql from './sql/gc_pause_lines.sql?raw';

/**
 * How full the heap was at a service's longest stop-the-world GC pause, read from the runtime's own
 * GC log lines. A collector that pauses long with the heap at its goal or capacity is fighting for
 * memory; the same pause with a half-empty heap points elsewhere (a huge live set, a safepoint).
 */
export interface GcHeapAtPause {
  at: string;
  pauseMs: number;
  /** Heap in MB before and after the collection, and the goal (Go) or capacity (JVM) it ran against. */
  heapBeforeMb: number;
  heapAfterMb: number;
  heapLimitMb: number;
  /** `log:<source>:<line>` */
  ref: string;
}

/** JVM -verbose:gc without unified logging: "[Full GC (Allocation Failure) 1469M->1400M(1500M), 1.3921 secs]". */
const JVM_CLASSIC_GC = String.raw`\[(?:Full )?GC\b[^\]]*?\d+[KMG]->\d+[KMG]\(\d+[KMG]\),\s*[\d.]+\s*secs`;
const GO_HEAP = /(\d+)->(\d+)->(\d+) MB, (\d+) MB goal/;
const JVM_HEAP = /(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)/;
const JVM_CLASSIC_PAUSE = /,\s*([\d.]+)\s*secs/;
const MAX_LINES = 50_000;

function toMb(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'G' ? n * 1024 : unit === 'K' ? n / 1024 : n;
}

/** The pause and heap figures of one GC line, or null when the line states no heap. */
export function readGcLine(body: string): Omit<GcHeapAtPause, 'at' | 'ref'> | null {
  const go = regex('gc_go_trace').exec(body);
  const goHeap = GO_HEAP.exec(body);
  if (go && goHeap) {
    return {
      pauseMs: Number(go[1]) + Number(go[2]),
      heapBeforeMb: Number(goHeap[1]),
      heapAfterMb: Number(goHeap[3]),
      heapLimitMb: Number(goHeap[4]),
    };
  }
  const jvmHeap = JVM_HEAP.exec(body);
  if (!jvmHeap) return null;
  const unified = regex('gc_jvm_pause').exec(body);
  const classic = JVM_CLASSIC_PAUSE.exec(body);
  const pauseMs = unified ? Number(unified[1]) : classic ? Number(classic[1]) * 1000 : null;
  if (pauseMs === null) return null;
  return {
    pauseMs,
    heapBeforeMb: toMb(jvmHeap[1] ?? '0', jvmHeap[2] ?? 'M'),
    heapAfterMb: toMb(jvmHeap[3] ?? '0', jvmHeap[4] ?? 'M'),
    heapLimitMb: toMb(jvmHeap[5] ?? '0', jvmHeap[6] ?? 'M'),
  };
}

export async function heapAtLongestPauseFrom(reader: StoreReader, q: { service: string; window: TimeWindow }): Promise<GcHeapAtPause | null> {
  const { fromNs, toNs } = toNsWindow(q.window);
  const rows = await reader.all<{ ts_ns: string; body: string; source_id: number; source_line: number }>(gcLinesSql, {
    ...patternParams(gcLinesSql),
    jvm_classic_gc: JVM_CLASSIC_GC,
    service: q.service,
    from_ns: fromNs,
    to_ns: toNs,
    limit: MAX_LINES,
  });
  let longest: GcHeapAtPause | null = null;
  for (const row of rows) {
    const figures = readGcLine(row.body);
    if (!figures || figures.heapLimitMb <= 0) continue;
    if (!longest || figures.pauseMs > longest.pauseMs) longest = { ...figures, at: nsToIso(row.ts_ns), ref: `log:${row.source_id}:${row.source_line}` };
  }
  return longest;
}

export async function heapAtLongestPause(store: TelemetryStore, q: { service: string; window: TimeWindow }): Promise<GcHeapAtPause | null> {
  return store.withRead((reader) => heapAtLongestPauseFrom(reader, q));
}
