import { describe, expect, it } from 'vitest';
import { anomalousRun, bucketBadness, stepFor, toNsWindow } from './window.js';

describe('incident window detection', () => {
  it('finds the run of bad buckets around the worst one, bridging short calm gaps', () => {
    const badness = [0, 0.01, 0, 0, 0.02, 0, 0, 0.9, 1.2, 0, 1.1, 0.8, 0, 0, 0, 0, 0.01, 0];
    expect(anomalousRun(badness)).toEqual({ first: 7, last: 11 });
  });

  it('finds nothing in steady noise', () => {
    expect(anomalousRun([0.01, 0.02, 0.01, 0.03, 0.02, 0.01, 0.02])).toBeNull();
  });

  it("measures each service against its own usual error ratio, so steady errors are not badness", () => {
    const rows = [];
    for (let bucket = 0; bucket < 20; bucket += 1) {
      rows.push({ bucket, service: 'noisy', n: 10, errors: 3, mean_ms: 5 });
      rows.push({ bucket, service: 'leaf', n: 10, errors: bucket >= 12 && bucket < 15 ? 8 : 0, mean_ms: bucket >= 12 && bucket < 15 ? 400 : 10 });
    }
    const badness = bucketBadness(rows, 20);
    expect(badness.slice(0, 12).every((b) => b === 0)).toBe(true);
    expect(badness[13]).toBeGreaterThan(1);
    expect(anomalousRun(badness)).toEqual({ first: 12, last: 14 });
  });

  it('chooses buckets of at least ten seconds, more for long ranges', () => {
    expect(stepFor({ fromNs: 0n, toNs: 60_000_000_000n })).toBe(10_000_000_000n);
    expect(stepFor({ fromNs: 0n, toNs: 3_600_000_000_000n })).toBe(30_000_000_000n);
  });

  it('rejects a window that ends before it starts, naming both ends', () => {
    expect(() => toNsWindow({ from: '2024-01-01T10:00:00Z', to: '2024-01-01T09:00:00Z' })).toThrow(/not after/);
    expect(() => toNsWindow({ from: 'yesterday', to: '2024-01-01T09:00:00Z' })).toThrow(/yesterday/);
  });
});
