import { describe, expect, it } from 'vitest';
import { metricKind } from './kinds.js';

describe('metricKind', () => {
  it.each([
    ['go_gc_duration_seconds', 'gc_pause'],
    ['jvm_gc_pause_seconds_max', 'gc_pause'],
    ['process_cpu_seconds_total', 'cpu_saturation'],
    ['container_cpu_cfs_throttled_seconds_total', 'cpu_saturation'],
    ['jvm_memory_used_bytes', 'memory_pressure'],
    ['process_resident_memory_bytes', 'memory_pressure'],
    ['hikaricp_connections_pending', 'connection_pool_exhaustion'],
    ['httpcomponents_httpclient_pool_total_pending', 'connection_pool_exhaustion'],
    ['go_sql_wait_count_total', 'connection_pool_exhaustion'],
    ['pg_stat_activity_max_tx_duration', 'slow_query'],
    ['node_netstat_Tcp_RetransSegs', 'network_latency'],
  ])('classifies %s as %s', (name, kind) => {
    expect(metricKind(name)).toBe(kind);
  });

  it('leaves traffic and breaker metrics out', () => {
    expect(metricKind('http_requests_total')).toBeNull();
    expect(metricKind('circuit_breaker_state')).toBeNull();
    expect(metricKind('grpc_server_handled_total')).toBeNull();
  });
});
