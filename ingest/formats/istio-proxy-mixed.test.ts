import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.js';
import type { LogRecord } from '../records.js';
import { fixture, parseText } from './more-formats.testkit.js';
import { plainLogs } from './plain-logs.js';

/**
 * An istio-proxy container's log: the Istio agent's and Envoy's own lines with a few access lines
 * among them (hand-built in testdata/istio-proxy-mixed.log: 7 own lines, 3 access lines).
 */
const { text, path } = fixture('istio-proxy-mixed.log');
const PATH = path.replace(/[^/]+$/, 'istio-proxy.log');
const byLine = (records: LogRecord[]) => new Map(records.map((record) => [record.sourceLine, record]));
const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('istio-proxy logs: access lines among the proxy\'s own lines', () => {
  it('are read as plain logs, every line loaded', async () => {
    expect(detectFormat(text, PATH).format?.id).toBe('plain-logs');
    const sink = await parseText(plainLogs, text, PATH);
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords).toHaveLength(text.trim().split('\n').length);
  });

  it('keep the access lines\' fields: response flags, upstream cluster and service, durations', async () => {
    const lines = byLine((await parseText(plainLogs, text, PATH)).logRecords);
    expect(lines.get(4)).toMatchObject({ severity: 'INFO', tsNs: at('2024-06-01T10:00:01.234Z') });
    expect(lines.get(4)!.attributes).toMatchObject({ method: 'GET', path: '/productpage', status: '200', duration_ms: '41', upstream_service_time_ms: '40', upstream_cluster: 'inbound|9080||' });
    expect(lines.get(4)!.body).toMatch(/^\[2024-06-01T10:00:01.234Z\] "GET \/productpage/);
    expect(lines.get(6)).toMatchObject({ severity: 'ERROR', tsNs: at('2024-06-01T10:00:03.100Z') });
    expect(lines.get(6)!.attributes).toMatchObject({
      status: '504',
      response_flags: 'UT',
      response_code_details: 'response_timeout',
      duration_ms: '10001',
      upstream_cluster: 'outbound|9080||reviews.default.svc.cluster.local',
      upstream_service: 'reviews',
    });
    expect(lines.get(9)!.attributes).toMatchObject({ status: '503', response_flags: 'UO', upstream_service: 'ratings', response_code_details: 'upstream_reset_before_response_started{overflow}' });
  });

  it('leave the proxy\'s own lines as ordinary log records with their levels', async () => {
    const lines = byLine((await parseText(plainLogs, text, PATH)).logRecords);
    expect(lines.get(2)).toMatchObject({ severity: 'INFO', body: expect.stringContaining('connected to upstream XDS server') });
    expect(lines.get(5)).toMatchObject({ severity: 'WARN', body: expect.stringContaining('StreamAggregatedResources') });
    expect(lines.get(8)).toMatchObject({ severity: 'WARN', tsNs: at('2024-06-01T10:00:04.125Z') });
    expect(lines.get(10)).toMatchObject({ severity: 'ERROR' });
    for (const own of [1, 2, 3, 5, 7, 8, 10]) expect(lines.get(own)!.attributes['response_flags']).toBeUndefined();
  });

  it('keep the fields too when each line carries the container runtime\'s prefix', async () => {
    const cri = text
      .trim()
      .split('\n')
      .map((line, index) => `2024-06-01T10:00:${String(10 + index).padStart(2, '0')}.000000000Z stdout F ${line}`)
      .join('\n');
    expect(detectFormat(cri, PATH).format?.id).toBe('plain-logs');
    const sink = await parseText(plainLogs, cri, PATH);
    expect(sink.issues).toEqual([]);
    const lines = byLine(sink.logRecords);
    expect(lines.get(6)).toMatchObject({ severity: 'ERROR', tsNs: at('2024-06-01T10:00:03.100Z') });
    expect(lines.get(6)!.attributes).toMatchObject({ response_flags: 'UT', upstream_service: 'reviews', stream: 'stdout' });
    expect(lines.get(6)!.body.startsWith('[2024-06-01T10:00:03.100Z] "GET /reviews/0')).toBe(true);
    expect(lines.get(5)!.attributes['response_flags']).toBeUndefined();
  });

  it('are read as plain logs, own lines too, when access lines are the majority', async () => {
    const lines = text.trim().split('\n');
    const mostlyAccess = [lines[3], lines[5], lines[8], lines[4], lines[5], lines[8]].join('\n');
    expect(detectFormat(mostlyAccess, PATH).format?.id).toBe('plain-logs');
    const sink = await parseText(plainLogs, mostlyAccess, PATH);
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords.map((record) => record.attributes['response_flags'] ?? null)).toEqual([null, 'UT', 'UO', null, 'UT', 'UO']);
  });

  it('leave a file of access lines only to the access-log format', () => {
    const accessOnly = text
      .split('\n')
      .filter((line) => line.startsWith('[2024-06-01T'))
      .join('\n');
    expect(detectFormat(`${accessOnly}\n`, PATH).format?.id).toBe('envoy-access');
  });
});
