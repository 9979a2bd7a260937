import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFile, planImport } from '../../../ingest/index.js';
import { rebuildDerived } from '../../analysis/index.js';
import { TelemetryStore } from '../../store/store.js';
import { startFakeOpenAiServer, type CapturedRequest, type FakeOpenAiServer, type FakeReply } from '../testing/fakeOpenAiServer.js';
import { answerWithLlm } from './index.js';

const scenarioDir = fileURLToPath(new URL('../../../../shared/scenarios/gc_pause/telemetry', import.meta.url));

const EVERY_TOOL_WITHOUT_INPUT: FakeReply = {
  kind: 'tool_calls',
  calls: [
    { name: 'root_causes', arguments: {} },
    { name: 'service_overview', arguments: {} },
    { name: 'breaker_timeline', arguments: {} },
    { name: 'deadline_findings', arguments: {} },
    { name: 'resilience_events', arguments: {} },
    { name: 'search_logs', arguments: { severity: 'ERROR', limit: 5 } },
    { name: 'run_sql', arguments: { sql: 'SELECT service, count(*) AS spans FROM spans GROUP BY service ORDER BY spans DESC' } },
    { name: 'make_chart', arguments: { title: 'Timeouts', source: { kind: 'event_rate', kinds: ['timeout', 'deadline_exceeded'] } } },
  ],
};

function toolText(request: CapturedRequest): string {
  return (request.body.messages ?? []).filter((m) => m.role === 'tool').map((m) => String(m.content)).join('\n');
}

/** Answers like a model that read the tools: names the top candidate and cites what the tools gave. */
function answerFromTools(request: CapturedRequest): FakeReply {
  const text = toolText(request);
  const service = /"candidates":\[\{"rank":1,[^}]*?"service":"([^"]+)"/.exec(text)?.[1] ?? 'no candidate';
  const refs = [...new Set(text.match(/(?:span:[\w-]+\/[\w-]+|log:\d+:\d+|event:[a-z_]+:[^:"\s]+:\d+)/g) ?? [])].slice(0, 4);
  return { kind: 'text', content: `根因是 ${service}。证据：${refs.map((ref) => `\`${ref}\``).join('，')}。` };
}

describe.skipIf(!existsSync(scenarioDir))('answerWithLlm on a sample incident', () => {
  let dir: string;
  let dbPath: string;
  let store: TelemetryStore;
  let server: FakeOpenAiServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'causeway-llm-scenario-'));
    dbPath = join(dir, 'workspace.duckdb');
    store = await TelemetryStore.open(dbPath);
    for (const file of await planImport([scenarioDir])) {
      const format = file.format;
      if (!format || file.problem) continue;
      await store.importSource({ path: file.path, bytes: { sha256: file.sha256, size: file.size }, format: format.id }, (sink) => parseFile(file, sink));
    }
    await rebuildDerived(store);
    server = await startFakeOpenAiServer();
  });
  afterAll(async () => {
    await server.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every tool on real telemetry and cites only what exists', async () => {
    server.script(EVERY_TOOL_WITHOUT_INPUT, { kind: 'dynamic', reply: answerFromTools });
    const answer = await answerWithLlm('过去 2 小时下载失败率突增的根因是什么？', { baseUrl: server.baseUrl, apiKey: 'k', model: 'fake', redact: true }, { store, dbPath, signal: new AbortController().signal });

    const results = toolText(server.requests[1]!);
    expect(results.match(/Result of \w+ \(error\)[^\n]*\n[^\n]*\n[^\n]*/)?.[0] ?? 'no tool error').toBe('no tool error');
    expect(answer.language).toBe('zh');
    expect(answer.tool_calls).toHaveLength(8);
    expect(answer.charts).toHaveLength(1);
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const citation of answer.citations) expect(results).toContain(citation.ref);
    const named = /根因是 ([^。\s]+)。/.exec(answer.answer)?.[1];
    expect(answer.root_cause?.service ?? 'no candidate').toBe(named);
  });
});
