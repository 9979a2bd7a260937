import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted reply of the fake endpoint, consumed in order, one per request. */
export type FakeReply =
  | { kind: 'text'; content: string }
  /** Tool calls, optionally after some text (the "Let me check…" some models write first). */
  | { kind: 'tool_calls'; calls: { name: string; arguments: string | Record<string, unknown>; id?: string }[]; content?: string }
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  /** Sends headers and the first chunk, then nothing more until the client goes away. */
  | { kind: 'stall_after_first_chunk'; content: string }
  /** Never answers; the client must give up (deadline) or cancel. */
  | { kind: 'hang' }
  /** Decides the reply from the request, e.g. to cite what the tools returned. */
  | { kind: 'dynamic'; reply: (request: CapturedRequest) => FakeReply };

export interface CapturedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: {
    model?: string;
    stream?: boolean;
    messages?: { role: string; content?: unknown; tool_call_id?: string; tool_calls?: unknown[] }[];
    tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  };
  /** Resolves when the client closed the connection before the reply was complete. */
  clientGone: Promise<void>;
}

export interface FakeOpenAiServer {
  /** The base URL to give the openai SDK, ending in /v1. */
  baseUrl: string;
  requests: CapturedRequest[];
  script(...replies: FakeReply[]): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that speaks enough of the chat completions API for tests:
 * plain JSON and streamed SSE replies, scripted tool calls, error statuses with headers, and
 * replies that never come. Replies are consumed in order; an unscripted request gets a 500.
 */
export async function startFakeOpenAiServer(replies: FakeReply[] = []): Promise<FakeOpenAiServer> {
  const queue = [...replies];
  const requests: CapturedRequest[] = [];
  const sockets = new Set<Socket>();
  let sequence = 0;

  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      let completed = false;
      const clientGone = new Promise<void>((resolve) => {
        res.on('close', () => {
          if (!completed) resolve();
        });
      });
      const captured: CapturedRequest = { path: req.url ?? '', headers: req.headers, body: parseJson(text), clientGone };
      requests.push(captured);
      const scripted = queue.shift() ?? { kind: 'status', status: 500, message: 'no scripted reply left' };
      let reply = scripted;
      while (reply.kind === 'dynamic') reply = reply.reply(captured);
      sequence += 1;
      completed = respond(res, reply, captured.body.stream === true, `chatcmpl-fake-${sequence}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...more) => queue.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes the reply; returns whether it was complete (false while a hang or stall keeps it open). */
function respond(res: ServerResponse, reply: Exclude<FakeReply, { kind: 'dynamic' }>, stream: boolean, id: string): boolean {
  switch (reply.kind) {
    case 'status':
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify({ error: { message: reply.message ?? `status ${reply.status}`, type: 'fake_error', code: null } }));
      return true;
    case 'hang':
      return false;
    case 'stall_after_first_chunk':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sse(chunk(id, { role: 'assistant', content: reply.content }, null)));
      return false;
    case 'text':
    case 'tool_calls': {
      const toolCalls = reply.kind === 'tool_calls' ? reply.calls.map((call, index) => ({ id: call.id ?? `call_${id}_${index}`, type: 'function', function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) } })) : [];
      const content = reply.kind === 'text' ? reply.content : (reply.content ?? null);
      const finish = reply.kind === 'text' ? 'stop' : 'tool_calls';
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id, object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) } }] }));
        return true;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const piece of splitInPieces(content ?? '', 7)) res.write(sse(chunk(id, { role: 'assistant', content: piece }, null)));
      toolCalls.forEach((call, index) => {
        const half = Math.ceil(call.function.arguments.length / 2);
        res.write(sse(chunk(id, { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments.slice(0, half) } }] }, null)));
        res.write(sse(chunk(id, { tool_calls: [{ index, function: { arguments: call.function.arguments.slice(half) } }] }, null)));
      });
      res.write(sse(chunk(id, {}, finish)));
      res.end('data: [DONE]\n\n');
      return true;
    }
  }
}

function chunk(id: string, delta: Record<string, unknown>, finishReason: string | null): Record<string, unknown> {
  return { id, object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

function sse(payload: Record<string, unknown>): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function splitInPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): CapturedRequest['body'] {
  try {
    return JSON.parse(text) as CapturedRequest['body'];
  } catch {
    return {};
  }
}
