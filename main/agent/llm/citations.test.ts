import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RootCause } from '../../api/contract.js';
import { incidentRecords, openFixture, type TelemetryFixture } from '../testing/telemetryFixture.js';
import { namedRootCause, validCitations } from './citations.js';

describe('citations', () => {
  const records = incidentRecords();
  const span = records.spans[0]!;
  let fixture: TelemetryFixture;
  let logRef: string;
  let eventRef: string;

  beforeAll(async () => {
    fixture = await openFixture(records, 'citations');
    const rows = await fixture.store.withRead((reader) =>
      reader.all<{ log_ref: string; event_ref: string }>(
        "SELECT (SELECT 'log:' || source_id || ':' || source_line FROM logs LIMIT 1) AS log_ref, (SELECT 'event:' || kind || ':' || service || ':' || CAST(ts_ns AS VARCHAR) FROM resilience_events LIMIT 1) AS event_ref",
      ),
    );
    logRef = rows[0]!.log_ref;
    eventRef = rows[0]!.event_ref;
  });
  afterAll(() => fixture.dispose());

  it('keeps references to records that exist, in order of first mention, once each', async () => {
    const answer = `See \`${logRef}\` and span:${span.traceId}/${span.spanId}, again ${logRef}, trace:${span.traceId}, ${eventRef}.`;
    const citations = await fixture.store.withRead((reader) => validCitations(reader, answer));
    expect(citations).toEqual([
      { kind: 'log', ref: logRef },
      { kind: 'span', ref: `span:${span.traceId}/${span.spanId}` },
      { kind: 'trace', ref: `trace:${span.traceId}` },
      { kind: 'event', ref: eventRef },
    ]);
  });

  it('drops references the data does not have', async () => {
    const answer = `span:${span.traceId}/nope trace:unknown log:999:1 series:no_such_metric{service="x"} event:timeout:ghost:1`;
    expect(await fixture.store.withRead((reader) => validCitations(reader, answer))).toEqual([]);
  });

  it('takes the root cause from the ranking when the answer names its service', () => {
    const cause = (service: string, kind: RootCause['kind']): RootCause => ({ service, kind, confidence: 0.5, started_at: '2024-01-01T00:00:00.000Z', summary: '', evidence: [] });
    const ranked = [cause('payments-db', 'slow_query'), cause('payments', 'retry_storm')];
    expect(namedRootCause('The payments service retried too much.', ranked)).toEqual({ service: 'payments', kind: 'retry_storm' });
    expect(namedRootCause('payments-db ran slow queries, and payments retried.', ranked)).toEqual({ service: 'payments-db', kind: 'slow_query' });
    expect(namedRootCause('Nothing in particular.', ranked)).toBeNull();
  });
});
