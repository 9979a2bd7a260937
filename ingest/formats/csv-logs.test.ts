import { describe, expect, it } from 'vitest';
import { csvLogs } from './csv-logs.js';
import { fixture, parseFixture, parseText } from './more-formats.testkit.js';

describe('csv-logs: container JSON lines with trace columns', () => {
  it('unwraps the runtime JSON, keeps trace ids, and takes the service from the pod', async () => {
    const [travel] = (await parseFixture(csvLogs, 'csv-logs-nezha.csv')).logRecords;
    expect(travel).toMatchObject({
      tsNs: 1674981805207315911n,
      service: 'ts-travel-service',
      severity: 'INFO',
      traceId: '8f2f08a9dbda62dfbdfb1c7d381c5962',
      spanId: '969330b364c60a84',
      sourceLine: 2,
    });
    expect(travel!.body).toBe('16:43:25.207 INFO  t.s.TravelServiceImpl#457 TraceID: 8f2f08a9dbda62dfbdfb1c7d381c5962 [getTickets]');
    expect(travel!.attributes['stream']).toBe('stdout');
  });

  it('falls back to the next time column when the first is negative, and keeps stack lines in the body', async () => {
    const [, travel2] = (await parseFixture(csvLogs, 'csv-logs-nezha.csv')).logRecords;
    expect(travel2!.tsNs).toBe(BigInt(Date.parse('2023-01-30T13:16:20.908Z')) * 1_000_000n);
    expect(travel2!.severity).toBe('ERROR');
    expect(travel2!.body).toContain('\n\tat a.b.C(C.java:1)');
  });

  it('reads a JSON application log inside the runtime line', async () => {
    const [, , recommendation] = (await parseFixture(csvLogs, 'csv-logs-nezha.csv')).logRecords;
    expect(recommendation).toMatchObject({ severity: 'WARN', body: 'List Recommendations', service: 'recommendationservice' });
  });

  it('reports a row with no time anywhere', async () => {
    const sink = await parseFixture(csvLogs, 'csv-logs-nezha.csv');
    expect(sink.logRecords).toHaveLength(3);
    expect(sink.issues.map((issue) => issue.line)).toEqual([5]);
  });
});

describe('csv-logs: datetime,service,message', () => {
  it('takes the time of day from the message when the time column holds only a date', async () => {
    const sink = await parseFixture(csvLogs, 'csv-logs-gaia.csv');
    const [memory, login] = sink.logRecords;
    expect(memory).toMatchObject({ service: 'dbservice1', severity: 'WARN', tsNs: BigInt(Date.parse('2021-07-01T11:54:27.616Z')) * 1_000_000n });
    expect(login).toMatchObject({ service: 'webservice2', severity: 'ERROR' });
    expect(memory!.attributes).toEqual({});
  });

  it('reports a date-only row without inventing a time of day, and skips empty messages', async () => {
    const sink = await parseFixture(csvLogs, 'csv-logs-gaia.csv');
    expect(sink.logRecords).toHaveLength(2);
    expect(sink.issues).toHaveLength(1);
    expect(sink.issues[0]!.line).toBe(6);
  });

  it('combines separate Date and Time columns of log-parser output', async () => {
    const text = 'LineId,Date,Time,Pid,Level,Component,Content,EventId\n1,081109,203615,148,INFO,dfs.DataNode,PacketResponder 1 terminating,E10\n';
    const [record] = (await parseText(csvLogs, text, 'loghub/HDFS/HDFS_2k.log_structured.csv')).logRecords;
    expect(record).toMatchObject({ tsNs: BigInt(Date.parse('2008-11-09T20:36:15Z')) * 1_000_000n, severity: 'INFO', body: 'PacketResponder 1 terminating', service: 'HDFS' });
    expect(record!.attributes['EventId']).toBe('E10');
  });

  it('detects log tables and not span tables', () => {
    expect(csvLogs.detect(fixture('csv-logs-nezha.csv').text, 'a.csv')).toBeGreaterThanOrEqual(0.85);
    expect(csvLogs.detect(fixture('csv-logs-gaia.csv').text, 'a.csv')).toBeGreaterThanOrEqual(0.85);
    expect(csvLogs.detect(fixture('csv-spans-nezha.csv').text, 'a.csv')).toBe(0);
  });
});
