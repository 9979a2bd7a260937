/**
 * `causeway analyze --json` carries everything the analysis derives, read here through the service
 * on the built-in demo incident: the events are checked against the raw tables, not against the
 * analysis' own numbers.
 */
import { describe, expect, it } from 'vitest';
import { useDemoService } from './demoServiceFixture.js';

describe('analyzeInDepth on the demo incident', () => {
  const demo = useDemoService();

  it('keeps the report and adds events, edge diagnostics, the window comparison and SLO burn', async () => {
    const depth = await demo.service.analyzeInDepth();
    const report = await demo.service.analyze();
    expect(depth.root_causes).toEqual(report.root_causes);

    expect(depth.resilience_events.length).toBeGreaterThan(0);
    for (const group of depth.resilience_events) {
      expect(group.events).toBeGreaterThan(0);
      expect(Date.parse(group.first_at)).toBeGreaterThanOrEqual(Date.parse(report.window.from));
      expect(group.first_ref).toMatch(/^(span|log|series|trace):/);
    }
    const breakerEvents = depth.resilience_events.filter((g) => g.kind === 'breaker_transition').reduce((sum, g) => sum + g.events, 0);
    const transitions = report.breakers.flatMap((b) => b.transitions).filter((t) => Date.parse(t.at) <= Date.parse(report.window.to)).length;
    expect(breakerEvents).toBeGreaterThanOrEqual(transitions);

    expect(depth.edge_diagnostics.length).toBeGreaterThan(0);
    for (const edge of depth.edge_diagnostics) {
      expect(edge.calls).toBeGreaterThanOrEqual(edge.errors);
      expect(edge.retry_amplification).toBeGreaterThanOrEqual(1);
    }

    expect(depth.window_comparison?.differences.length).toBeGreaterThan(0);
    const top = depth.window_comparison!.differences[0]!;
    expect(top.incident.failed_share + top.incident.error_ratio).toBeGreaterThan(top.baseline.failed_share + top.baseline.error_ratio);

    expect(depth.slo_burn.services.length).toBeGreaterThan(0);
    expect(Math.max(...depth.slo_burn.services.map((s) => s.peak_5m?.burn ?? 0))).toBeGreaterThan(1);
  }, 120_000);
});
