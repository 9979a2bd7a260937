import { describe, expect, it } from 'vitest';
import { envoyAccess } from './envoy-access.js';
import { fixture, parseFixture } from './more-formats.testkit.js';

describe('envoy-access', () => {
  it('reads the Istio text format with response flags, details and upstream cluster', async () => {
    const [istio] = (await parseFixture(envoyAccess, 'envoy-access.log')).logRecords;
    expect(istio).toMatchObject({ severity: 'ERROR', tsNs: 1655893034118000000n, sourceLine: 1 });
    expect(istio!.attributes).toMatchObject({
      method: 'GET',
      path: '/status/418',
      status: '503',
      response_flags: 'UH',
      response_code_details: 'no_healthy_upstream',
      duration_ms: '1',
      upstream_cluster: 'outbound|8000||httpbin.default.svc.cluster.local',
      upstream_service: 'httpbin',
      downstream_remote_address: '172.17.0.6:44690',
      route_name: 'default',
    });
  });

  it('reads the Envoy default format, with or without a logger prefix', async () => {
    const [, timeout, ok] = (await parseFixture(envoyAccess, 'envoy-access.log')).logRecords;
    expect(timeout!.severity).toBe('ERROR');
    expect(timeout!.attributes).toMatchObject({ method: 'POST', status: '504', response_flags: 'UT', duration_ms: '15001', authority: 'payments:8080', upstream_host: '10.1.2.3:8080' });
    expect(ok!.severity).toBe('INFO');
    expect(ok!.attributes).toMatchObject({ status: '200', duration_ms: '5', upstream_service_time_ms: '4' });
    expect(ok!.attributes['response_flags']).toBeUndefined();
  });

  it('unwraps Kubernetes JSON lines and reads JSON access logs', async () => {
    const [, , , wrapped, json] = (await parseFixture(envoyAccess, 'envoy-access.log')).logRecords;
    expect(wrapped).toMatchObject({ service: 'ambassador', severity: 'ERROR' });
    expect(wrapped!.attributes).toMatchObject({ response_flags: 'UF,URX', status: '0', 'k8s.pod.name': 'ambassador-76c58d9df4-jwhsg' });
    expect(json).toMatchObject({ severity: 'ERROR', tsNs: 1662641465656000000n });
    expect(json!.attributes).toMatchObject({ status: '503', response_flags: 'UO', duration_ms: '15', upstream_service: 'reviews' });
  });

  it('reports a line that is not an access line', async () => {
    const sink = await parseFixture(envoyAccess, 'envoy-access.log');
    expect(sink.logRecords).toHaveLength(5);
    expect(sink.issues.map((issue) => issue.line)).toEqual([6]);
  });

  it('detects access logs and not ordinary logs', () => {
    expect(envoyAccess.detect(fixture('envoy-access.log').text, 'a.log')).toBeGreaterThanOrEqual(0.85);
    expect(envoyAccess.detect(fixture('plain-logs-go.log').text, 'a.log')).toBe(0);
    expect(envoyAccess.detect(fixture('logfmt.logfmt').text, 'a.log')).toBe(0);
  });
});
