import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile, planImport } from './index.js';
import type { LogRecord, SpanRecord } from './records.js';
import { collectingSink } from './testdata/collect.js';
import { parseTimeZone } from './timezone.js';

/*
 * DeepTraLog's Train-Ticket logs print local time (UTC+8) with no offset, while its span CSV holds
 * epoch milliseconds (see ../shared/corpus/SOURCES.md). Read in the right zone, the log starts when
 * the spans start, and a log line that names a trace never comes before that trace began.
 * (SkyWalking reuses a trace id across later requests of the same thread, so a traced line may come
 * after its trace's last exported span; the export holds only the error spans.)
 */

const caseDir = fileURLToPath(new URL('../../shared/corpus/deeptralog-trainticket/F05-01/', import.meta.url));
/** Allowance for a log line written just before its span started or just after it ended. */
const SLACK_NS = 5_000_000_000n;

async function importCase(zone: string): Promise<{ spans: SpanRecord[]; logs: LogRecord[] }> {
  const spans: SpanRecord[] = [];
  const logs: LogRecord[] = [];
  for (const file of await planImport([caseDir])) {
    const { sink, collected } = collectingSink();
    await parseFile(file, sink, undefined, { timezone: parseTimeZone(zone) });
    spans.push(...collected.spans);
    logs.push(...collected.logs);
  }
  return { spans, logs };
}

interface Alignment {
  /** How long after the first span the first log line was written (negative: before). */
  logStartsAfterNs: bigint;
  /** Log lines that name a trace of the spans. */
  traced: number;
  /** Of those, lines within their trace's span. */
  withinTrace: number;
  /** Of those, lines that come before their trace began. */
  beforeTrace: number;
}

function alignment({ spans, logs }: { spans: SpanRecord[]; logs: LogRecord[] }): Alignment {
  const traces = new Map<string, { start: bigint; end: bigint }>();
  for (const span of spans) {
    const range = traces.get(span.traceId);
    if (!range) traces.set(span.traceId, { start: span.startNs, end: span.endNs });
    else {
      if (span.startNs < range.start) range.start = span.startNs;
      if (span.endNs > range.end) range.end = span.endNs;
    }
  }
  const firstNs = spans.reduce((min, span) => (span.startNs < min ? span.startNs : min), spans[0]!.startNs);
  const firstLogNs = logs.reduce((min, log) => (log.tsNs < min ? log.tsNs : min), logs[0]!.tsNs);
  const result: Alignment = { logStartsAfterNs: firstLogNs - firstNs, traced: 0, withinTrace: 0, beforeTrace: 0 };
  for (const log of logs) {
    const range = log.traceId === null ? undefined : traces.get(log.traceId);
    if (!range) continue;
    result.traced += 1;
    if (log.tsNs < range.start - SLACK_NS) result.beforeTrace += 1;
    else if (log.tsNs <= range.end + SLACK_NS) result.withinTrace += 1;
  }
  return result;
}

describe.skipIf(!existsSync(caseDir))('DeepTraLog logs and spans in the import zone', () => {
  it('line up with --timezone +08:00 (or Asia/Shanghai) and not when the local times are taken as UTC', async () => {
    const asUtc = importCase('UTC');
    const utc = alignment(await asUtc);
    const { spans, logs } = await importCase('+08:00');
    const shanghai = alignment({ spans, logs });
    console.log(`DeepTraLog F05-01 at +08:00: ${shanghai.withinTrace}/${shanghai.traced} traced log lines within their trace, ${utc.withinTrace} as UTC`);
    expect(logs.length).toBeGreaterThan(1000);
    const minute = 60_000_000_000n;
    expect(shanghai.logStartsAfterNs > -minute && shanghai.logStartsAfterNs < minute).toBe(true);
    expect(utc.logStartsAfterNs > 7n * 60n * minute).toBe(true);
    expect(shanghai.traced).toBeGreaterThan(1000);
    expect(shanghai.beforeTrace).toBe(0);
    expect(shanghai.withinTrace).toBeGreaterThan(shanghai.traced / 2);
    expect(utc.withinTrace).toBe(0);
    expect(alignment(await importCase('Asia/Shanghai'))).toEqual(shanghai);
  });
});
