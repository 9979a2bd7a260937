/**
 * The analysis tells its findings in English and Chinese: every root cause and deadline finding it
 * writes has a Chinese twin stating the same figures, and its evidence labels have Chinese twins.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TelemetryStore } from '../store/store.js';
import { analyze, rebuildDerived } from './index.js';
import { buildSpans, importRecords, type IncidentSpec } from './testdata/rank_incidents.js';

const stores: TelemetryStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

const slowLeaf: IncidentSpec = { normal: { leafWorkMs: 10 }, incident: { leafWorkMs: 800 }, apiTimeoutMs: 500 };

/** The figures a sentence states: both languages must state the same ones. */
function figures(text: string): string[] {
  return (text.match(/\d+(?:\.\d+)?/g) ?? []).sort();
}

describe('root causes in both languages', () => {
  it('writes a Chinese summary with the same figures for each cause, and Chinese evidence labels', async () => {
    const store = await TelemetryStore.open(':memory:');
    stores.push(store);
    await importRecords(store, { spans: buildSpans(slowLeaf) });
    await rebuildDerived(store);
    const report = await analyze(store);
    expect(report.root_causes.length).toBeGreaterThan(0);
    for (const cause of report.root_causes) {
      expect(cause.summary_zh).toMatch(/\p{Script=Han}/u);
      expect(figures(cause.summary_zh ?? '')).toEqual(figures(cause.summary));
      for (const evidence of cause.evidence.filter((e) => e.summary_zh !== undefined)) {
        expect(evidence.summary_zh).toMatch(/\p{Script=Han}/u);
      }
    }
    expect(report.root_causes[0]!.evidence.some((e) => e.summary_zh !== undefined)).toBe(true);

    expect(report.deadline_findings.length).toBeGreaterThan(0);
    for (const finding of report.deadline_findings) {
      expect(finding.summary_zh).toMatch(/\p{Script=Han}/u);
      expect(figures(finding.summary_zh ?? '')).toEqual(figures(finding.summary));
      for (const evidence of finding.evidence ?? []) expect(evidence.summary_zh).toMatch(/\p{Script=Han}/u);
    }
  });
});
