import { z } from 'zod';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { fenceTelemetry } from '../prompts.js';
import type { Redactor } from '../redaction.js';
import { SqlRefusedError } from '../sqlGuard.js';
import { ToolInputError, toolParametersSchema, type AgentTool, type ToolContext } from '../tools/defineTool.js';
import { LlmUnavailableError, type ChatRequest, type ChatTurn, type ToolCallRequest } from './chatClient.js';

/** The part of LlmClient the loop needs, so tests can script a model without a server. */
export interface ChatModel {
  chat(request: ChatRequest): Promise<ChatTurn>;
}

export interface ToolLoopOptions {
  model: ChatModel;
  tools: readonly AgentTool[];
  ctx: ToolContext;
  systemPrompt: string;
  question: string;
  redactor: Redactor;
  /** Fences tool results; must match the nonce the system prompt names. */
  nonce: string;
  maxRounds: number;
  onDelta?: (text: string) => void;
}

export interface ExecutedToolCall {
  name: string;
  /** As the tool received them: placeholders restored to the user's own values. */
  arguments: Record<string, unknown>;
  error: string | null;
}

export interface ToolLoopOutcome {
  answer: string;
  toolCalls: ExecutedToolCall[];
  rounds: number;
}

/** The most characters of one tool result the model reads; the rest is cut with a note. */
const MAX_RESULT_CHARS = 12_000;

/**
 * Asks the model, runs the tools it calls, and feeds their results back until it answers or the
 * rounds run out; the last round offers no tools, so the model has to answer. Unknown tools, bad
 * JSON, invalid arguments and refused queries go back to the model as tool messages it can correct.
 * Everything sent is redacted; everything shown to the user is restored.
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopOutcome> {
  const { model, tools, ctx, redactor } = options;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const specs: ChatCompletionTool[] = tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: toolParametersSchema(tool) },
  }));
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: options.systemPrompt },
    { role: 'user', content: redactor.redact(options.question) },
  ];
  const executed: ExecutedToolCall[] = [];

  for (let round = 1; round <= options.maxRounds; round += 1) {
    const lastRound = round === options.maxRounds;
    const stream = options.onDelta ? redactor.restoringStream(options.onDelta) : null;
    const turn = await model.chat({
      messages,
      ...(lastRound ? {} : { tools: specs }),
      signal: ctx.signal,
      ...(stream ? { onContent: (text: string) => stream.push(text) } : {}),
    });
    stream?.end();
    if (turn.toolCalls.length === 0 || lastRound) {
      if (turn.content.trim() === '') throw new LlmUnavailableError(`the model gave no answer after ${round} rounds`);
      return { answer: redactor.restore(turn.content), toolCalls: executed, rounds: round };
    }
    messages.push({
      role: 'assistant',
      content: turn.content === '' ? null : turn.content,
      tool_calls: turn.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    });
    for (const call of turn.toolCalls) {
      const { record, text } = await runOneCall(call, byName, options);
      executed.push(record);
      messages.push({ role: 'tool', tool_call_id: call.id, content: text });
    }
  }
  throw new LlmUnavailableError('the tool loop needs at least one round');
}

async function runOneCall(
  call: ToolCallRequest,
  byName: ReadonlyMap<string, AgentTool>,
  { ctx, redactor, nonce }: ToolLoopOptions,
): Promise<{ record: ExecutedToolCall; text: string }> {
  const fail = (args: Record<string, unknown>, message: string) => ({
    record: { name: call.name, arguments: args, error: message },
    text: fenceTelemetry(`${call.name} (error)`, nonce, redactor.redact(`Error: ${message}`)),
  });
  const tool = byName.get(call.name);
  if (!tool) return fail({}, `unknown tool "${call.name}"; the tools are ${[...byName.keys()].join(', ')}`);

  let parsedJson: unknown;
  try {
    parsedJson = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return fail({}, `the arguments are not valid JSON (${error instanceof Error ? error.message : String(error)}); send one JSON object`);
  }
  if (parsedJson === null || typeof parsedJson !== 'object' || Array.isArray(parsedJson)) return fail({}, 'the arguments must be one JSON object');
  const args = redactor.restoreValue(parsedJson as Record<string, unknown>);

  const validated = tool.parameters.safeParse(args);
  if (!validated.success) return fail(args, `invalid arguments for ${tool.name}:\n${z.prettifyError(validated.error)}`);

  let result: unknown;
  try {
    result = await tool.run(validated.data, ctx);
  } catch (error) {
    ctx.signal.throwIfAborted();
    if (error instanceof ToolInputError || error instanceof SqlRefusedError) return fail(args, error.message);
    return fail(args, `${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    record: { name: tool.name, arguments: args, error: null },
    text: fenceTelemetry(tool.name, nonce, redactor.redact(boundedJson(result))),
  };
}

function boundedJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  if (text.length <= MAX_RESULT_CHARS) return text;
  return `${text.slice(0, MAX_RESULT_CHARS)}\n… (cut: ${text.length - MAX_RESULT_CHARS} more characters; narrow the request to see them)`;
}
