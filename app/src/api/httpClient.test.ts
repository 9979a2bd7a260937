import { describe, expect, it } from 'vitest';
import { RcaError, createHttpClient } from './httpClient.js';

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeServer(reply: (sent: Sent) => Response) {
  const sent: Sent[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request: Sent = { url: String(input), headers: init?.headers as Record<string, string>, body: JSON.parse(String(init?.body)) };
    sent.push(request);
    return reply(request);
  }) as typeof fetch;
  return { sent, fetchImpl };
}

describe('createHttpClient', () => {
  it('posts the arguments in order with the token and returns the result', async () => {
    const server = fakeServer(() => Response.json({ result: [{ ref: 'log:1:2' }] }));
    const client = createHttpClient('secret', server.fetchImpl);
    const rows = await client.searchLogs({ text: 'timeout', limit: 5 });
    expect(rows).toEqual([{ ref: 'log:1:2' }]);
    expect(server.sent[0]).toEqual({
      url: '/api/rpc/searchLogs',
      headers: { 'content-type': 'application/json', 'x-causeway-token': 'secret' },
      body: { args: [{ text: 'timeout', limit: 5 }] },
    });
  });

  it('omits trailing optional arguments instead of sending nulls', async () => {
    const server = fakeServer(() => Response.json({ result: { window: null } }));
    const client = createHttpClient('t', server.fetchImpl);
    await client.getOverview();
    await client.importPaths(['/a'], undefined);
    expect(server.sent.map((request) => request.body)).toEqual([{ args: [] }, { args: [['/a']] }]);
  });

  it('turns an error body into an RcaError with its code and message', async () => {
    const server = fakeServer(() => Response.json({ error: { code: 'not_found', message: 'no trace abc' } }, { status: 404 }));
    const client = createHttpClient('t', server.fetchImpl);
    const failure = await client.getTrace('abc').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RcaError);
    expect(failure).toMatchObject({ code: 'not_found', message: 'no trace abc' });
  });

  it('names the HTTP status when the body is not an error body', async () => {
    const server = fakeServer(() => new Response('oops', { status: 502, statusText: 'Bad Gateway' }));
    const client = createHttpClient('t', server.fetchImpl);
    await expect(client.getWorkspace()).rejects.toThrow('HTTP 502 Bad Gateway');
  });
});
