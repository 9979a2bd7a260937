import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../agent/testing/fakeOpenAiServer.js';
import { writeDemoIncident } from '../demo/index.js';
import type { AnalysisReport, AnswerDelta, ImportProgress, ImportReport, RcaEvents } from './contract.js';
import { TelemetryStore } from '../store/store.js';
import { createRcaService, type RcaService } from './service.js';

/** The whole backend path on the demo incident: files in, root cause and cited evidence out. */
describe('RcaService on the demo incident', () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-service-'));
  const progress: ImportProgress[] = [];
  const deltas: AnswerDelta[] = [];
  const settingsPath = join(dir, 'settings.json');
  let llm: FakeOpenAiServer;
  let service: RcaService;
  let demoFiles: string[];
  let report: ImportReport;

  beforeAll(async () => {
    demoFiles = (await writeDemoIncident(join(dir, 'demo'))).files;
    service = await createRcaService({
      dbPath: join(dir, 'w.duckdb'),
      settingsPath,
      onEvent: (event, payload) => {
        if (event === 'importProgress') progress.push(payload as ImportProgress);
        if (event === 'answerDelta') deltas.push(payload as AnswerDelta);
      },
    });
    llm = await startFakeOpenAiServer();
    report = await service.importPaths([join(dir, 'demo')], 'first');
  }, 180_000);

  afterAll(async () => {
    await llm.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every demo file with no problems and reports progress per file', () => {
    expect(report.files.map((file) => file.path).sort()).toEqual([...demoFiles].sort());
    expect(report.files.filter((file) => file.failed || file.errors.length > 0)).toEqual([]);
    expect(report.totals.spans).toBeGreaterThan(1000);
    expect(report.totals.logs).toBeGreaterThan(100);
    expect(report.totals.metric_points).toBeGreaterThan(100);
    for (const file of demoFiles) {
      const done = progress.find((p) => p.path === file && p.done);
      expect(done, file).toBeDefined();
      expect(done!.bytes_done).toBe(done!.bytes_total);
      // the records counted as the file imported, also those parsed on worker threads
      const imported = report.files.find((f) => f.path === file)!;
      expect(done!.records, file).toBe(imported.spans + imported.logs + imported.metric_points);
    }
  });

  it('adds nothing when the same files are imported again', async () => {
    const again = await service.importPaths([join(dir, 'demo')], 'second');
    expect(again.files.every((file) => file.duplicate)).toBe(true);
    const workspace = await service.getWorkspace();
    expect(workspace.totals.spans).toBe(report.totals.spans);
    expect(workspace.sources).toHaveLength(demoFiles.length);
  });

  it('says when the derivation after an import starts, how far it is and when it ends, and derives nothing for a file it had already', async () => {
    const states: string[] = [];
    const own = await createRcaService({
      dbPath: join(dir, 'derivation.duckdb'),
      settingsPath: null,
      onDerivation: (state) => states.push(state),
      onEvent: (event, payload) => {
        if (event === 'derivationProgress') states.push(`${(payload as RcaEvents['derivationProgress']).fraction}`);
      },
    });
    try {
      // a new workspace has nothing to derive when it opens
      expect(states).toEqual([]);
      const log = demoFiles.find((file) => file.endsWith('.log'))!;
      await own.importPaths([log]);
      // how far it is, told between its start and its end, never going back
      expect(states[0]).toBe('started');
      expect(states.at(-1)).toBe('done');
      const fractions = states.slice(1, -1).map(Number);
      expect(fractions.length).toBeGreaterThan(0);
      for (const [index, fraction] of fractions.entries()) {
        expect(fraction).toBeGreaterThanOrEqual(index === 0 ? 0 : fractions[index - 1]!);
        expect(fraction).toBeLessThanOrEqual(1);
      }
      states.splice(0);
      await own.importPaths([log]);
      expect(states).toEqual([]);
    } finally {
      own.close();
    }
  });

  it('reports a file in no known format with the formats it knows, and keeps the rest', async () => {
    const junk = join(dir, 'notes.txt');
    writeFileSync(junk, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7]));
    const result = await service.importPaths([junk]);
    expect(result.files[0]!.failed).toBeTruthy();
    expect((await service.getWorkspace()).totals.spans).toBe(report.totals.spans);
  });

  it('names the demo root cause with evidence that opens', async () => {
    const analysis = await service.analyze();
    const top = analysis.root_causes[0]!;
    // The demo's fault is GC pauses in the deepest service of the payment path; which service that
    // is comes from the data (the service whose own GC series rises), not from this test.
    const gcSeries = await service.searchLogs({ text: 'GC', limit: 5 });
    expect(gcSeries.length).toBeGreaterThan(0);
    expect(top.kind).toBe('gc_pause');
    expect(gcSeries.some((line) => line.service === top.service)).toBe(true);
    const spanRef = top.evidence.find((e) => e.kind === 'span')!.ref;
    const [, traceId] = /^span:([^/]+)\//.exec(spanRef)!;
    const trace = await service.getTrace(traceId!);
    expect(trace.spans.span_id.some((spanId) => `span:${trace.trace_id}/${spanId}` === spanRef)).toBe(true);
    const spanId = spanRef.slice(`span:${traceId}/`.length);
    expect((await service.getSpan(traceId!, spanId)).span_id).toBe(spanId);
    await expect(service.getSpan(traceId!, `${spanId}-no-such-span`)).rejects.toMatchObject({ code: 'not_found' });
    const breaker = analysis.breakers.find((b) => b.transitions.some((t) => t.from === 'closed' && t.to === 'open'));
    expect(breaker).toBeDefined();
  });

  it.each([
    ['en', 'Why did payments fail?'],
    ['zh', '为什么支付失败了?'],
  ])('answers offline in %s with the root cause, citations and a chart', async (language, question) => {
    const top = (await service.analyze()).root_causes[0]!;
    const answer = await service.ask({ question });
    expect(answer.provider).toBe('offline');
    expect(answer.language).toBe(language);
    expect(answer.root_cause).toEqual({ service: top.service, kind: top.kind });
    expect(answer.answer).toContain(top.service);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.charts.length).toBeGreaterThan(0);
    const logCitation = answer.citations.find((c) => c.kind === 'log');
    if (logCitation) expect(await service.searchLogs({ ref: logCitation.ref })).toHaveLength(1);
  });

  describe('with an LLM configured', () => {
    const apiKey = 'sk-causeway-test-9f8e7d6c5b4a';

    beforeAll(async () => {
      const settings = await service.saveLlmSettings({ base_url: llm.baseUrl, model: 'fake-model', api_key: apiKey });
      expect(settings).toMatchObject({ base_url: llm.baseUrl, model: 'fake-model', has_api_key: true, redact: true });
    });

    it('answers through the endpoint, streaming, with the tools the model called', async () => {
      const top = (await service.analyze()).root_causes[0]!;
      llm.script(
        { kind: 'tool_calls', calls: [{ name: 'root_causes', arguments: {} }] },
        { kind: 'text', content: `The failures come from ${top.service} (${top.kind}); see the ranked causes.` },
      );
      const answer = await service.ask({ question: 'Why did payments fail?', ask_id: 'llm-1' });
      expect(answer.provider).toBe(`openai:fake-model@127.0.0.1:${new URL(llm.baseUrl).port}`);
      expect(answer.tool_calls.map((call) => call.name)).toEqual(['root_causes']);
      expect(answer.root_cause).toEqual({ service: top.service, kind: top.kind });
      expect(deltas.filter((d) => d.ask_id === 'llm-1').map((d) => d.text).join('')).toBe(answer.answer);
      expect(llm.requests[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
    });

    it('falls back to the offline analyst, saying why, when the endpoint fails', async () => {
      llm.script(...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 503, message: 'overloaded' })));
      const answer = await service.ask({ question: 'Why did payments fail?' });
      expect(answer.provider).toBe('offline');
      expect(answer.fallback_reason).toBeTruthy();
      expect(answer.answer).toContain(answer.fallback_reason!);
      expect(answer.answer).toContain('in place of the LLM');
      expect(answer.answer).not.toContain('no LLM configured');
      expect(answer.root_cause).not.toBeNull();
    });

    it('answers offline when asked to, without calling the endpoint', async () => {
      const before = llm.requests.length;
      const answer = await service.ask({ question: 'Why did payments fail?', offline: true });
      expect(answer.provider).toBe('offline');
      expect(answer.answer).not.toContain('in place of the LLM');
      expect(llm.requests.length).toBe(before);
    });

    it('never writes the key to the settings file or the workspace', () => {
      expect(readFileSync(settingsPath, 'utf8')).not.toContain(apiKey);
      expect(readFileSync(join(dir, 'w.duckdb')).includes(apiKey)).toBe(false);
    });
  });

  it('finds failing traces by service and duration', async () => {
    const top = (await service.analyze()).root_causes[0]!;
    const failing = await service.searchTraces({ status: 'error', limit: 5 });
    expect(failing.length).toBeGreaterThan(0);
    for (const trace of failing) {
      expect(trace.error).toBe(true);
      const detail = await service.getTrace(trace.trace_id);
      expect(detail.spans.status_code.some((code) => code === 2)).toBe(true);
      expect(detail.spans.span_id).toHaveLength(trace.spans);
    }
    const spanLine = (await service.searchLogs({ limit: 500 })).find((line) => line.trace_id && line.span_id)!;
    const lineSpan = await service.getSpan(spanLine.trace_id!, spanLine.span_id!);
    expect(lineSpan.logs.map((line) => line.ref)).toContain(spanLine.ref);
    expect(lineSpan.logs.every((line) => line.span_id === lineSpan.span_id)).toBe(true);
    const anyDetail = await service.getTrace(failing[0]!.trace_id);
    const firstSpan = await service.getSpan(anyDetail.trace_id, anyDetail.spans.span_id[0]!);
    const [key, value] = Object.entries(firstSpan.attributes)[0]!;
    expect((await service.searchTraces({ attribute: { key, value }, limit: 3 })).length).toBeGreaterThan(0);
    expect(await service.searchTraces({ attribute: { key, value: `${value}-no-such-value` } })).toEqual([]);
    const slow = await service.searchTraces({ service: top.service, min_duration_ms: 500, limit: 5 });
    for (const trace of slow) {
      expect(trace.services).toContain(top.service);
      expect(trace.duration_ms).toBeGreaterThanOrEqual(500);
    }
  });

  it('exports the investigation with its root cause and conversation', async () => {
    const top = (await service.analyze()).root_causes[0]!;
    const answer = await service.ask({ question: 'Why did payments fail?', offline: true });
    const file = await service.exportReport({ format: 'markdown', answers: [{ question: 'Why did payments fail?', answer }] });
    expect(file.file_name).toMatch(/\.md$/);
    expect(file.content).toContain(top.service);
    expect(file.content).toContain('Why did payments fail?');
    await expect(service.exportReport({ format: 'pdf' as 'html' })).rejects.toThrow(/format/);
  });

  const expectSameAnalysis = (after: AnalysisReport, before: AnalysisReport) => {
    expect(after.deadline_findings).toEqual(before.deadline_findings);
    expect(after.root_causes).toEqual(before.root_causes);
    expect(after.breakers).toEqual(before.breakers);
  };

  it('analyses a reopened workspace as before closing it, from what the import derived', async () => {
    const before = await service.analyze();
    expect(before.deadline_findings.length).toBeGreaterThan(0);
    service.close();
    service = await createRcaService({ dbPath: join(dir, 'w.duckdb'), settingsPath });
    expectSameAnalysis(await service.analyze(), before);
  });

  it('derives again on opening a workspace whose derivation was stopped after an import', async () => {
    const before = await service.analyze();
    service.close();
    // what a process stopped between an import's commit and its derivation leaves behind
    const store = await TelemetryStore.open(join(dir, 'w.duckdb'));
    await store.withWrite(async (w) => {
      for (const table of ['call_pairs', 'resilience_events', 'breaker_transitions', 'call_edges']) await w.run(`DELETE FROM ${table}`);
      await w.run('UPDATE derivation SET stale = true');
    });
    store.close();
    service = await createRcaService({ dbPath: join(dir, 'w.duckdb'), settingsPath });
    expectSameAnalysis(await service.analyze(), before);
  });

  it('removes a source and everything it brought', async () => {
    const before = await service.getWorkspace();
    const traces = before.sources.find((source) => source.spans > 0)!;
    const after = await service.removeSource(traces.source_id);
    expect(after.totals.spans).toBe(before.totals.spans - traces.spans);
    expect(after.sources.map((s) => s.source_id)).not.toContain(traces.source_id);
  });
});
