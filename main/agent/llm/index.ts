import { randomBytes } from 'node:crypto';
import type { AskAnswer, TimeWindow } from '../../api/contract.js';
import type { TelemetryStore } from '../../store/store.js';
import { detectLanguage } from '../offline/language.js';
import { systemPrompt } from '../prompts.js';
import { Redactor } from '../redaction.js';
import { openSqlGuard } from '../sqlGuard.js';
import { AGENT_TOOLS } from '../tools/index.js';
import type { ToolContext } from '../tools/defineTool.js';
import { LlmClient } from './chatClient.js';
import { namedRootCause, validCitations } from './citations.js';
import { runToolLoop } from './loop.js';
import tableColumnsSql from './sql/table_columns.sql?raw';
import dataRangeSql from './sql/data_range.sql?raw';

export { LlmUnavailableError } from './chatClient.js';

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Redact personal data and secrets before anything is sent; on unless the user turns it off. */
  redact: boolean;
  requestTimeoutMs?: number;
  maxRounds?: number;
}

export interface LlmAskContext {
  store: TelemetryStore;
  /** The workspace file, opened a second time read-only for the model's SQL. */
  dbPath: string;
  signal: AbortSignal;
  onDelta?: (text: string) => void;
  /** The window the user has selected in the UI, if any; the model is told to prefer it. */
  window?: TimeWindow;
}

const DEFAULT_MAX_ROUNDS = 8;

/**
 * Answers a question with an OpenAI-compatible model that calls Causeway's tools. Throws
 * LlmUnavailableError when the endpoint cannot answer (after retries, or with its breaker open),
 * so the caller can fall back to the offline analyst and say why; an AbortError when cancelled.
 */
export async function answerWithLlm(question: string, config: LlmConfig, ctx: LlmAskContext): Promise<AskAnswer> {
  const client = new LlmClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, model: config.model, requestTimeoutMs: config.requestTimeoutMs });
  const redactor = new Redactor(config.redact);
  const language = detectLanguage(question);
  const maxRounds = Math.max(1, config.maxRounds ?? DEFAULT_MAX_ROUNDS);
  const nonce = randomBytes(9).toString('base64url');
  const guard = await openSqlGuard(ctx.dbPath);
  try {
    const toolContext: ToolContext = {
      store: ctx.store,
      guardedSql: (sql) => guard.query(sql, ctx.signal),
      signal: ctx.signal,
      artifacts: { charts: [], rootCauses: [] },
    };
    const { schema, dataRange } = await describeWorkspace(ctx.store);
    const outcome = await runToolLoop({
      model: client,
      tools: AGENT_TOOLS,
      ctx: toolContext,
      systemPrompt: systemPrompt({
        language: language === 'zh' ? 'Chinese (简体中文)' : 'English',
        max_rounds: maxRounds,
        nonce,
        data_range: dataRange,
        focus: ctx.window
          ? `${ctx.window.from} to ${ctx.window.to} (pass it as "from"/"to" to the tools unless the question names another time)`
          : 'the whole incident (no window selected)',
        schema,
      }),
      question,
      redactor,
      nonce,
      maxRounds,
      onDelta: ctx.onDelta,
    });
    const citations = await ctx.store.withRead((reader) => validCitations(reader, outcome.answer));
    return {
      answer: outcome.answer,
      provider: `openai:${config.model}@${client.host}`,
      root_cause: namedRootCause(outcome.answer, toolContext.artifacts.rootCauses),
      citations,
      charts: toolContext.artifacts.charts,
      tool_calls: outcome.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })),
      language,
    };
  } finally {
    guard.close();
  }
}

async function describeWorkspace(store: TelemetryStore): Promise<{ schema: string; dataRange: string }> {
  return store.withRead(async (reader) => {
    const tables = await reader.all<{ table_name: string; columns: string }>(tableColumnsSql);
    const range = (await reader.all<{ from_ns: string | null; to_ns: string | null }>(dataRangeSql))[0];
    const iso = (ns: string) => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
    return {
      schema: tables.map((table) => `- ${table.table_name}(${table.columns})`).join('\n'),
      dataRange: range?.from_ns && range.to_ns ? `${iso(range.from_ns)} to ${iso(range.to_ns)}` : 'no data yet',
    };
  });
}
