import type * as OpenAiSdk from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { CircuitBreaker, breakerForEndpoint } from './breaker.js';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, retryAfterMs, sleep, type RetryPolicy } from './retry.js';
import { onFirstUse } from '../../packages.js';

/**
 * The endpoint could not give an answer: it failed after retries, its breaker is open, or it refused
 * the request. The message says why in words a user can act on and never contains the API key.
 */
export class LlmUnavailableError extends Error {
  override readonly name = 'LlmUnavailableError';
}

export interface LlmClientOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** The deadline for one request, the whole streamed response included. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Defaults to the process-wide breaker of this base URL. */
  breaker?: CircuitBreaker;
  random?: () => number;
}

export interface ToolCallRequest {
  id: string;
  name: string;
  /** The raw JSON text the model wrote; parsed and validated by the loop. */
  arguments: string;
}

export interface ChatTurn {
  content: string;
  toolCalls: ToolCallRequest[];
  finishReason: string | null;
}

export interface ChatRequest {
  messages: ChatCompletionMessageParam[];
  /** Omitted on the last round so that the model has to answer. */
  tools?: ChatCompletionTool[];
  signal: AbortSignal;
  /** Content as it streams in, for rounds that carry no tool calls. */
  onContent?: (text: string) => void;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const KEYLESS = 'no-key';
/** Text held back at the start of a reply in case tool calls follow it. */
const PREAMBLE_CHARS = 120;

/** The OpenAI SDK, loaded with the first client: it takes ~0.3 s, and most commands never ask a model. */
const sdk = onFirstUse<typeof OpenAiSdk>('openai');

interface Failure {
  message: string;
  retryable: boolean;
  /** Whether the failure says the endpoint is unhealthy (counted by the breaker). */
  unhealthy: boolean;
  retryAfterMs: number | null;
}

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * A chat-completions client for any OpenAI-compatible endpoint that practises what Causeway
 * diagnoses: a deadline per request, retries with jittered exponential backoff that honour
 * Retry-After, a circuit breaker around the endpoint, and cancellation through an AbortSignal.
 * The SDK's own retries are off so that every attempt passes through the breaker.
 */
export class LlmClient {
  private readonly openai: OpenAiSdk.OpenAI;
  private readonly breaker: CircuitBreaker;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  readonly host: string;

  constructor(private readonly options: LlmClientOptions) {
    this.openai = new (sdk().OpenAI)({
      baseURL: options.baseUrl,
      // Local servers (Ollama, llama.cpp, LM Studio) take no key, but the SDK insists on one.
      apiKey: options.apiKey === '' ? KEYLESS : options.apiKey,
      maxRetries: 0,
      logLevel: 'off',
    });
    this.breaker = options.breaker ?? breakerForEndpoint(options.baseUrl);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.host = hostOf(options.baseUrl);
  }

  get model(): string {
    return this.options.model;
  }

  async chat(request: ChatRequest): Promise<ChatTurn> {
    for (let attempt = 1; ; attempt += 1) {
      request.signal.throwIfAborted();
      if (!this.breaker.tryAcquire()) {
        const seconds = Math.ceil(this.breaker.remainingOpenMs() / 1000);
        throw new LlmUnavailableError(
          `the circuit breaker for ${this.host} is open after ${this.breaker.settings.failureThreshold} consecutive failures; it lets a request through again in ${seconds} s`,
        );
      }
      const progress = { emitted: false };
      try {
        const turn = await this.attempt(request, progress);
        this.breaker.onSuccess();
        return turn;
      } catch (error) {
        if (request.signal.aborted) {
          this.breaker.onRelease();
          throw abortError(request.signal);
        }
        const failure = this.classify(error);
        if (failure.unhealthy) this.breaker.onFailure();
        else this.breaker.onSuccess();
        if (!failure.retryable || progress.emitted) throw new LlmUnavailableError(failure.message);
        if (attempt >= this.retry.maxAttempts) {
          throw new LlmUnavailableError(`${failure.message} (after ${attempt} attempts)`);
        }
        const asked = failure.retryAfterMs;
        if (asked !== null && asked > this.retry.maxRetryAfterMs) {
          throw new LlmUnavailableError(`${failure.message}; the endpoint asked to wait ${Math.ceil(asked / 1000)} s`);
        }
        await sleep(asked ?? backoffDelayMs(attempt, this.retry, this.options.random), request.signal).catch(() => {
          throw abortError(request.signal);
        });
      }
    }
  }

  private async attempt(request: ChatRequest, progress: { emitted: boolean }): Promise<ChatTurn> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineExceeded()), this.timeoutMs);
    const signal = AbortSignal.any([request.signal, deadline.signal]);
    try {
      const stream = await this.openai.chat.completions.create(
        {
          model: this.options.model,
          messages: request.messages,
          stream: true,
          ...(request.tools && request.tools.length > 0 ? { tools: request.tools } : {}),
        },
        { signal, timeout: this.timeoutMs, maxRetries: 0 },
      );
      const turn = new TurnAccumulator();
      // A short preamble ("Let me check the logs.") followed by tool calls is not the answer: hold
      // the first characters back until the reply is clearly text, or ends without tool calls.
      let held = '';
      const emit = (text: string) => {
        progress.emitted = true;
        request.onContent?.(text);
      };
      for await (const chunk of stream) {
        const text = turn.add(chunk);
        if (!text || !request.onContent || turn.hasToolCalls) continue;
        if (progress.emitted) emit(text);
        else if ((held += text).length >= PREAMBLE_CHARS) emit(held);
      }
      // An aborted stream can end quietly instead of throwing: an unfinished reply is not an answer.
      if (signal.aborted) throw signal.reason;
      if (!progress.emitted && held && !turn.hasToolCalls) emit(held);
      return turn.result();
    } catch (error) {
      if (deadline.signal.aborted && !request.signal.aborted) throw new DeadlineExceeded();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private classify(error: unknown): Failure {
    const { APIConnectionError, APIConnectionTimeoutError, APIError } = sdk();
    if (error instanceof DeadlineExceeded || error instanceof APIConnectionTimeoutError) {
      return { message: `${this.host} did not answer within the ${this.timeoutMs} ms deadline`, retryable: true, unhealthy: true, retryAfterMs: null };
    }
    if (error instanceof APIConnectionError) {
      return { message: `could not reach ${this.host}: ${this.sanitize(error.message)}`, retryable: true, unhealthy: true, retryAfterMs: null };
    }
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      const detail = this.sanitize(error.message);
      const asked = retryAfterMs(error.headers);
      if (status === 429) return { message: `${this.host} is rate limiting requests (429)`, retryable: true, unhealthy: true, retryAfterMs: asked };
      if (status >= 500) return { message: `${this.host} failed with ${status}: ${detail}`, retryable: true, unhealthy: true, retryAfterMs: asked };
      if (status === 408 || status === 409) return { message: `${this.host} answered ${status}: ${detail}`, retryable: true, unhealthy: false, retryAfterMs: asked };
      if (status === 401 || status === 403) return { message: `${this.host} refused the API key (${status}); check the key in the settings`, retryable: false, unhealthy: false, retryAfterMs: null };
      return { message: `${this.host} rejected the request (${status}): ${detail}`, retryable: false, unhealthy: false, retryAfterMs: null };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { message: `the reply from ${this.host} could not be read: ${this.sanitize(message)}`, retryable: true, unhealthy: true, retryAfterMs: null };
  }

  /** Server messages sometimes echo the key (or a prefix of it); neither may reach a log or the UI. */
  private sanitize(message: string): string {
    const key = this.options.apiKey;
    const withoutKey = key.length > 0 ? message.split(key).join('[api key]') : message;
    return withoutKey.replace(/\bsk-[A-Za-z0-9_*.-]{4,}/g, '[api key]').slice(0, 300);
  }
}

/** Collects one streamed reply: the text and the tool calls, whose pieces arrive by index. */
class TurnAccumulator {
  private content = '';
  private finishReason: string | null = null;
  private readonly calls = new Map<number, ToolCallRequest>();

  get hasToolCalls(): boolean {
    return this.calls.size > 0;
  }

  /** Adds one chunk and returns the text it carried. */
  add(chunk: ChatCompletionChunk): string {
    const choice = chunk.choices[0];
    if (!choice) return '';
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = this.calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
      this.calls.set(delta.index, call);
    }
    const text = choice.delta.content ?? '';
    this.content += text;
    return text;
  }

  result(): ChatTurn {
    const toolCalls = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ ...call, id: call.id || `call_${index}` }));
    return { content: this.content, toolCalls, finishReason: this.finishReason };
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('the question was cancelled', 'AbortError');
}

export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
