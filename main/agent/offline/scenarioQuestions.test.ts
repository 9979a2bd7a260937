/**
 * Reads the questions real users ask about the sample incidents and checks the offline analyst
 * understands their shape: language, intent, time and the services named. Answers are checked
 * end to end elsewhere, once the analysis runs on the real telemetry.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findEntities } from './entities.js';
import { classifyIntent, type Intent } from './intent.js';
import { detectLanguage } from './language.js';
import { parseTimeRange } from './timeRange.js';

const scenariosDir = fileURLToPath(new URL('../../../../shared/scenarios', import.meta.url));

interface Question {
  id: string;
  lang: 'en' | 'zh';
  q: string;
  asked_at?: string;
  expect: Record<string, unknown>;
}

interface Scenario {
  name: string;
  services: string[];
  dataWindow: { from: string; to: string };
  questions: Question[];
}

function loadScenarios(): Scenario[] {
  if (!existsSync(scenariosDir)) return [];
  return readdirSync(scenariosDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${scenariosDir}/${d.name}/questions.json`))
    .map((d) => {
      const truth = JSON.parse(readFileSync(`${scenariosDir}/${d.name}/ground_truth.json`, 'utf8')) as {
        topology: { services: { name: string }[] };
        data_window: { start: string; end: string };
      };
      const questions = (JSON.parse(readFileSync(`${scenariosDir}/${d.name}/questions.json`, 'utf8')) as { questions: Question[] }).questions;
      return {
        name: d.name,
        services: truth.topology.services.map((s) => s.name),
        dataWindow: { from: truth.data_window.start, to: truth.data_window.end },
        questions,
      };
    });
}

/** The intents that would answer what a question's answer key asks for. */
function sensibleIntents(expectation: Record<string, unknown>): Intent[] {
  if ('breakers_opened' in expectation) return ['breakers'];
  if ('fault_start' in expectation || 'mitigation_at' in expectation) return ['when'];
  if ('trigger' in expectation || 'trigger_service' in expectation) return ['change'];
  if ('answer' in expectation) return ['related', 'suspect', 'impact'];
  return ['why', 'where', 'change', 'suspect', 'related'];
}

const scenarios = loadScenarios();

describe.skipIf(scenarios.length === 0)('questions asked about the sample incidents', () => {
  const cases = scenarios.flatMap((s) => s.questions.map((q) => ({ scenario: s, question: q, label: `${s.name}/${q.id}: ${q.q}` })));

  it.each(cases)('$label', ({ scenario, question }) => {
    expect(detectLanguage(question.q)).toBe(question.lang);

    const scan = findEntities(question.q, scenario.services);
    for (const m of scan.mentions) expect(scenario.services).toContain(m.name);
    const literal = scenario.services.filter((s) => new RegExp(`(?<![\\w-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(question.q));
    const found = scan.mentions.map((m) => m.name);
    for (const name of literal) expect(found).toContain(name);
    expect(scan.unknown.filter((u) => !/[{}/]/.test(u))).toEqual([]);

    const { intent } = classifyIntent(question.q, scan.mentions.length + scan.unknown.length);
    expect(sensibleIntents(question.expect)).toContain(intent);

    const asked = parseTimeRange(question.q, { askedAt: question.asked_at, reference: scenario.dataWindow });
    if (question.asked_at) {
      expect(asked.kind).toBe('relative');
      expect(asked.window?.to).toBe(new Date(question.asked_at).toISOString());
    }
    if (/\d{1,2}:\d{2}/.test(question.q)) {
      const span = asked.window ?? (asked.point ? { from: asked.point, to: asked.point } : null);
      expect(span, 'a clock time in the question lands inside the data').not.toBeNull();
      if (span) {
        expect(Date.parse(span.from)).toBeLessThanOrEqual(Date.parse(scenario.dataWindow.to));
        expect(Date.parse(span.to)).toBeGreaterThanOrEqual(Date.parse(scenario.dataWindow.from));
      }
    }
    if (/\bbetween\b/.test(question.q)) expect(asked.kind).toBe('range');
    if (/\bsince\b|开始/.test(question.q) && /\d{1,2}:\d{2}/.test(question.q)) expect(asked.kind).toBe('since');
  });

  it('finds the service a business word in the question refers to, when the data has one', () => {
    const mentions = cases.map(({ scenario, question }) => findEntities(question.q, scenario.services).mentions.filter((m) => m.match !== 'exact'));
    expect(mentions.flat().length).toBeGreaterThan(0);
    for (const [i, ms] of mentions.entries()) for (const m of ms) expect(cases[i]?.scenario.services).toContain(m.name);
  });
});
