import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RcaApi } from '../api/contract.js';
import { RcaError } from '../api/errors.js';
import { startHttpTransport, type HttpTransport } from './httpServer.js';

const notUsed = async (): Promise<never> => {
  throw new Error('not used in this test');
};

const fakeApi: RcaApi = {
  getWorkspace: async () => ({ db_path: 'x', sources: [], time_range: null, totals: { spans: 0, logs: 0, metric_points: 0 } }),
  importPaths: async (paths) => ({ files: paths.map((path) => ({ path, format: 'f', spans: 1, logs: 0, metric_points: 0, errors: [] })), totals: { spans: paths.length, logs: 0, metric_points: 0 } }),
  loadDemo: notUsed,
  removeSource: notUsed,
  getOverview: notUsed,
  analyze: notUsed,
  ask: notUsed,
  cancelAsk: async () => undefined,
  getTrace: async (traceId) => {
    throw new RcaError('not_found', `no trace ${traceId}`);
  },
  getSpan: notUsed,
  searchTraces: notUsed,
  searchLogs: notUsed,
  exportReport: notUsed,
  getLlmSettings: notUsed,
  saveLlmSettings: notUsed,
};

/** A raw request, so that the Host header can be forged as a rebinding page would. */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('HTTP transport', () => {
  let transport: HttpTransport;
  let host: string;
  const appDir = mkdtempSync(join(tmpdir(), 'causeway-app-'));
  writeFileSync(join(appDir, 'index.html'), '<!doctype html><title>Causeway</title>');

  beforeAll(async () => {
    transport = await startHttpTransport({ api: fakeApi, appDir, port: 0 });
    host = `127.0.0.1:${transport.port}`;
  });
  afterAll(() => transport.close());

  const rpc = (method: string, args: unknown[], token = transport.token) =>
    send(transport.port, { method: 'POST', path: `/api/rpc/${method}`, headers: { host, 'x-causeway-token': token, 'content-type': 'application/json' }, body: JSON.stringify({ args }) });

  it('prints a loopback URL that carries the token', () => {
    expect(transport.url).toBe(`http://127.0.0.1:${transport.port}/?token=${transport.token}`);
    expect(transport.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('calls a method with its arguments', async () => {
    const response = await rpc('importPaths', [['/a.json', '/b.json']]);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).result.totals.spans).toBe(2);
  });

  it('refuses a call without the token or with a wrong one', async () => {
    expect((await rpc('getWorkspace', [], '')).status).toBe(401);
    expect((await rpc('getWorkspace', [], 'f'.repeat(48))).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await send(transport.port, { path: '/', headers: { host: 'evil.example:80' } });
    expect(response.status).toBe(421);
  });

  it('maps error codes to statuses', async () => {
    const missing = await rpc('getTrace', ['abc']);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toEqual({ code: 'not_found', message: 'no trace abc' });
    expect((await rpc('dropTables', [])).status).toBe(404);
  });

  it('stores uploads under their relative path and refuses escapes', async () => {
    const upload = (name: string) =>
      send(transport.port, { method: 'POST', path: `/api/upload?name=${encodeURIComponent(name)}`, headers: { host, 'x-causeway-token': transport.token }, body: 'payload' });
    const ok = await upload('folder/sub/trace.json');
    expect(ok.status).toBe(200);
    const stored = JSON.parse(ok.body).path as string;
    expect(stored.endsWith(join('folder', 'sub', 'trace.json'))).toBe(true);
    expect(readFileSync(stored, 'utf8')).toBe('payload');
    expect((await upload('../../etc/passwd')).status).toBe(400);
  });

  it('serves the app with a strict content security policy', async () => {
    const response = await send(transport.port, { path: '/', headers: { host } });
    expect(response.status).toBe(200);
    expect(response.body).toContain('<title>Causeway</title>');
    expect(String(response.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('pushes events to subscribers as server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: transport.port, path: `/api/events?token=${transport.token}`, headers: { host } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('event: answerDelta')) {
            req.destroy();
            resolve(text);
          } else if (text.includes(': connected')) {
            transport.publish('answerDelta', { ask_id: 'a1', text: 'hello' });
          }
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(await received).toContain('data: {"ask_id":"a1","text":"hello"}');
  });
});
