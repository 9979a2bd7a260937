import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RCA_METHODS, type RcaApi, type RcaEvents, type RcaMethod } from '../api/contract.js';
import { APP_CONTENT_SECURITY_POLICY, APP_CONTENT_TYPES } from '../api/appAssets.js';
import { RcaError, toErrorBody } from '../api/errors.js';

/**
 * The HTTP transport of RcaApi for `causeway serve` and the browser fallback of `npm start`.
 * It listens on 127.0.0.1 only, requires a per-run token on every API call, and checks the Host
 * header so that a page on another origin cannot reach it through DNS rebinding.
 */
export interface HttpTransport {
  url: string;
  port: number;
  token: string;
  publish: <E extends keyof RcaEvents>(event: E, payload: RcaEvents[E]) => void;
  close(): Promise<void>;
}

export interface HttpTransportOptions {
  api: RcaApi;
  appDir: string;
  port?: number;
}

const MAX_JSON_BODY = 10 * 1024 * 1024;
const SSE_HEARTBEAT_MS = 15_000;

export async function startHttpTransport(options: HttpTransportOptions): Promise<HttpTransport> {
  const token = randomBytes(24).toString('hex');
  const uploadDir = await mkdtemp(join(tmpdir(), 'causeway-upload-'));
  const subscribers = new Set<ServerResponse>();
  const methods = new Set<string>(RCA_METHODS);
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const hasToken = (request: IncomingMessage, url: URL): boolean => {
    const given = (request.headers['x-causeway-token'] as string | undefined) ?? url.searchParams.get('token') ?? '';
    const expected = Buffer.from(token);
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!allowedHosts().has(request.headers.host ?? '')) return sendJson(response, 421, { error: { code: 'bad_request', message: 'unexpected Host header' } });
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (url.pathname.startsWith('/api/')) {
      if (!hasToken(request, url)) return sendJson(response, 401, { error: { code: 'bad_request', message: 'missing or wrong token' } });
      if (url.pathname === '/api/events' && request.method === 'GET') return openEventStream(request, response, subscribers);
      if (url.pathname === '/api/upload' && request.method === 'POST') return receiveUpload(request, response, url, uploadDir);
      const rpc = /^\/api\/rpc\/([A-Za-z]+)$/.exec(url.pathname);
      if (rpc && request.method === 'POST') return callMethod(request, response, rpc[1]!);
      return sendJson(response, 404, { error: { code: 'not_found', message: `no endpoint ${request.method} ${url.pathname}` } });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: { code: 'bad_request', message: 'method not allowed' } });
    return serveStatic(response, options.appDir, url.pathname);
  };

  const callMethod = async (request: IncomingMessage, response: ServerResponse, method: string): Promise<void> => {
    if (!methods.has(method)) return sendJson(response, 404, { error: { code: 'not_found', message: `no method ${method}` } });
    let args: unknown[];
    try {
      const body = JSON.parse((await readBody(request, MAX_JSON_BODY)).toString('utf8') || '{}') as { args?: unknown };
      args = Array.isArray(body.args) ? body.args : [];
    } catch {
      return sendJson(response, 400, { error: { code: 'bad_request', message: 'the body must be JSON: {"args": [...]}' } });
    }
    try {
      const fn = options.api[method as RcaMethod] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn(...args);
      sendJson(response, 200, { result: result ?? null });
    } catch (error) {
      const body = toErrorBody(error);
      const status = body.code === 'not_found' ? 404 : body.code === 'bad_request' ? 400 : body.code === 'cancelled' ? 499 : body.code === 'unavailable' ? 503 : 500;
      sendJson(response, status, { error: body });
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: toErrorBody(error) });
      else response.destroy();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the HTTP server has no port');
  port = address.port;
  const heartbeat = setInterval(() => {
    for (const subscriber of subscribers) subscriber.write(': keep-alive\n\n');
  }, SSE_HEARTBEAT_MS);
  heartbeat.unref();

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    publish(event, payload) {
      const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const subscriber of subscribers) subscriber.write(frame);
    },
    close: () =>
      new Promise<void>((resolvePromise) => {
        clearInterval(heartbeat);
        for (const subscriber of subscribers) subscriber.end();
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RcaError('bad_request', `the request body is over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function openEventStream(request: IncomingMessage, response: ServerResponse, subscribers: Set<ServerResponse>): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write(': connected\n\n');
  subscribers.add(response);
  request.on('close', () => subscribers.delete(response));
}

/** Stores an uploaded file under the run's upload folder, keeping its relative path (folders dropped whole). */
async function receiveUpload(request: IncomingMessage, response: ServerResponse, url: URL, uploadDir: string): Promise<void> {
  const name = url.searchParams.get('name') ?? '';
  const relative = normalize(name).replace(/^([/\\])+/, '');
  if (!relative || relative.split(/[/\\]/).some((part) => part === '..' || part === '')) {
    return sendJson(response, 400, { error: { code: 'bad_request', message: `"${name}" is not a valid file name` } });
  }
  const batch = await mkdtemp(join(uploadDir, 'u-'));
  const target = resolve(batch, relative);
  if (!target.startsWith(batch + sep)) return sendJson(response, 400, { error: { code: 'bad_request', message: `"${name}" is not a valid file name` } });
  await mkdir(dirname(target), { recursive: true });
  await pipeline(request, createWriteStream(target));
  sendJson(response, 200, { path: target });
}

async function serveStatic(response: ServerResponse, appDir: string, pathname: string): Promise<void> {
  const root = resolve(appDir);
  const wanted = pathname === '/' ? '/index.html' : decodeURIComponent(pathname);
  let file = resolve(root, `.${wanted}`);
  if (!file.startsWith(root + sep)) file = join(root, 'index.html');
  const exists = await stat(file).then((info) => info.isFile(), () => false);
  if (!exists) file = join(root, 'index.html');
  const body = await readFile(file).catch(() => null);
  if (!body) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The Causeway app is not built. Run `npm run build`.');
    return;
  }
  response.writeHead(200, {
    'content-type': APP_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': APP_CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
  });
  response.end(body);
}
