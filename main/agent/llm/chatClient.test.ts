import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../testing/fakeOpenAiServer.js';
import { CircuitBreaker } from './breaker.js';
import { LlmClient, LlmUnavailableError } from './chatClient.js';

const quickRetry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const user = [{ role: 'user' as const, content: 'why?' }];

describe('LlmClient against a fake endpoint', () => {
  let server: FakeOpenAiServer;
  afterEach(async () => server.close());

  function client(options: Partial<ConstructorParameters<typeof LlmClient>[0]> = {}): LlmClient {
    return new LlmClient({ baseUrl: server.baseUrl, apiKey: 'test-key', model: 'fake-model', retry: quickRetry, breaker: new CircuitBreaker(), ...options });
  }

  it('streams text to onContent and returns it whole', async () => {
    const answer = 'The ledger service was slow: its p99 rose from 20 ms to 2 s, so the frontend calls ran into their 500 ms deadline and failed with 504.';
    server = await startFakeOpenAiServer([{ kind: 'text', content: answer }]);
    const pieces: string[] = [];
    const turn = await client().chat({ messages: user, signal: new AbortController().signal, onContent: (text) => pieces.push(text) });
    expect(turn.content).toBe(answer);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(turn.content);
    expect(server.requests[0]?.body.stream).toBe(true);
    expect(server.requests[0]?.body.model).toBe('fake-model');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer test-key');
  });

  it('talks to a local endpoint that needs no key', async () => {
    server = await startFakeOpenAiServer([{ kind: 'text', content: 'local' }]);
    const turn = await client({ apiKey: '' }).chat({ messages: user, signal: new AbortController().signal });
    expect(turn.content).toBe('local');
  });

  it('streams a short answer whole at the end', async () => {
    server = await startFakeOpenAiServer([{ kind: 'text', content: 'Short.' }]);
    const pieces: string[] = [];
    await client().chat({ messages: user, signal: new AbortController().signal, onContent: (text) => pieces.push(text) });
    expect(pieces).toEqual(['Short.']);
  });

  it('does not stream a preamble that turns out to precede tool calls', async () => {
    server = await startFakeOpenAiServer([{ kind: 'tool_calls', content: 'Let me check the logs first.', calls: [{ name: 'search_logs', arguments: {} }] }]);
    const pieces: string[] = [];
    const turn = await client().chat({ messages: user, signal: new AbortController().signal, onContent: (text) => pieces.push(text) });
    expect(turn.content).toBe('Let me check the logs first.');
    expect(turn.toolCalls).toHaveLength(1);
    expect(pieces).toEqual([]);
  });

  it('assembles tool calls streamed in pieces', async () => {
    server = await startFakeOpenAiServer([{ kind: 'tool_calls', calls: [{ name: 'search_logs', arguments: { text: 'deadline', limit: 5 } }, { name: 'root_causes', arguments: {} }] }]);
    const turn = await client().chat({ messages: user, signal: new AbortController().signal });
    expect(turn.toolCalls.map((call) => call.name)).toEqual(['search_logs', 'root_causes']);
    expect(JSON.parse(turn.toolCalls[0]!.arguments)).toEqual({ text: 'deadline', limit: 5 });
    expect(turn.finishReason).toBe('tool_calls');
  });

  it('retries a 429 after the Retry-After the endpoint asked for, then succeeds', async () => {
    server = await startFakeOpenAiServer([
      { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
      { kind: 'text', content: 'ok' },
    ]);
    const turn = await client().chat({ messages: user, signal: new AbortController().signal });
    expect(turn.content).toBe('ok');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up when Retry-After is longer than it will wait, and says so', async () => {
    server = await startFakeOpenAiServer([{ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }]);
    await expect(client().chat({ messages: user, signal: new AbortController().signal })).rejects.toThrow(/rate limiting.*asked to wait 3600 s/);
    expect(server.requests).toHaveLength(1);
  });

  it('opens the breaker after consecutive 500s and then refuses without calling the endpoint', async () => {
    server = await startFakeOpenAiServer(Array.from({ length: 10 }, () => ({ kind: 'status' as const, status: 500 })));
    const breaker = new CircuitBreaker({ failureThreshold: 4, cooldownMs: 60_000, halfOpenMaxRequests: 1 });
    const llm = client({ breaker });
    await expect(llm.chat({ messages: user, signal: new AbortController().signal })).rejects.toThrow(/failed with 500.*after 3 attempts/);
    expect(breaker.state).toBe('closed');
    await expect(llm.chat({ messages: user, signal: new AbortController().signal })).rejects.toThrow(/circuit breaker .* is open/);
    expect(breaker.state).toBe('open');
    expect(server.requests).toHaveLength(4);
    await expect(llm.chat({ messages: user, signal: new AbortController().signal })).rejects.toBeInstanceOf(LlmUnavailableError);
    expect(server.requests).toHaveLength(4);
  });

  it('lets one probe through after the cool-down and closes again when it succeeds', async () => {
    server = await startFakeOpenAiServer([{ kind: 'status', status: 502 }, { kind: 'text', content: 'back' }]);
    const clock = { now: 0 };
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000, halfOpenMaxRequests: 1 }, () => clock.now);
    const llm = client({ breaker });
    await expect(llm.chat({ messages: user, signal: new AbortController().signal })).rejects.toThrow(/circuit breaker .* is open .* in 10 s/);
    expect(server.requests).toHaveLength(1);
    clock.now = 10_000;
    expect(breaker.state).toBe('half-open');
    const turn = await llm.chat({ messages: user, signal: new AbortController().signal });
    expect(turn.content).toBe('back');
    expect(breaker.state).toBe('closed');
  });

  it('does not retry a refused key and keeps the key out of the message', async () => {
    const key = 'sk-secret-abcdefghijklmnop';
    server = await startFakeOpenAiServer([{ kind: 'status', status: 401, message: `Incorrect API key provided: ${key}` }]);
    const error = await client({ apiKey: key }).chat({ messages: user, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(String((error as Error).message)).toMatch(/refused the API key \(401\)/);
    expect(String((error as Error).message)).not.toContain(key);
    expect(server.requests).toHaveLength(1);
  });

  it('abandons a reply slower than the deadline and retries it', async () => {
    server = await startFakeOpenAiServer([{ kind: 'hang' }, { kind: 'hang' }]);
    const llm = client({ requestTimeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(llm.chat({ messages: user, signal: new AbortController().signal })).rejects.toThrow(/did not answer within the 100 ms deadline \(after 2 attempts\)/);
    expect(server.requests).toHaveLength(2);
    await Promise.all(server.requests.map((request) => request.clientGone));
  });

  it('applies the deadline to a stream that stalls, without retrying once text was shown', async () => {
    const partial = 'Partial answer, long enough to be shown before the endpoint went quiet. '.repeat(3);
    server = await startFakeOpenAiServer([{ kind: 'stall_after_first_chunk', content: partial }, { kind: 'text', content: 'never asked' }]);
    const pieces: string[] = [];
    // Generous, so the first chunk always arrives before it even on a loaded machine.
    const llm = client({ requestTimeoutMs: 1500 });
    await expect(llm.chat({ messages: user, signal: new AbortController().signal, onContent: (text) => pieces.push(text) })).rejects.toThrow(/deadline/);
    expect(pieces).toEqual([partial]);
    expect(server.requests).toHaveLength(1);
  });

  it('cancels a request when the caller aborts, closing the connection', async () => {
    server = await startFakeOpenAiServer([{ kind: 'hang' }]);
    const controller = new AbortController();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000, halfOpenMaxRequests: 1 });
    const pending = client({ breaker }).chat({ messages: user, signal: controller.signal });
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    await server.requests[0]!.clientGone;
    expect(breaker.state).toBe('closed');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
