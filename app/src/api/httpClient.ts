import type { RcaApi, RcaErrorBody, RcaErrorCode, RcaEvents } from '../../../main/api/contract.js';
import type { CausewayClient, EventListener, PickedFile, UploadProgress } from './client.js';

const TOKEN_KEY = 'causeway.token';
const TOKEN_HEADER = 'x-causeway-token';

/** An error the backend reported, with its wire code. */
export class RcaError extends Error {
  readonly code: RcaErrorCode;
  constructor(code: RcaErrorCode, message: string) {
    super(message);
    this.name = 'RcaError';
    this.code = code;
  }
}

/**
 * The per-run token arrives once in the URL that `causeway serve` printed; it is kept for reloads
 * of this tab and taken out of the address bar so it does not end up in history or screenshots.
 */
export function takeToken(page: Pick<Window, 'location' | 'sessionStorage' | 'history'>): string | null {
  const url = new URL(page.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    page.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    page.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return page.sessionStorage.getItem(TOKEN_KEY);
}

/** JSON drops trailing `undefined`s as nulls; the backend should see omitted optional arguments. */
function trimUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end -= 1;
  return args.slice(0, end);
}

async function readError(response: Response): Promise<RcaError> {
  try {
    const body = (await response.json()) as { error?: RcaErrorBody };
    if (body.error) return new RcaError(body.error.code, body.error.message);
  } catch {
    // Not a JSON error body: fall through to the HTTP status.
  }
  return new RcaError(response.status === 401 || response.status === 403 ? 'bad_request' : 'internal', `HTTP ${response.status} ${response.statusText}`);
}

/** The RcaApi over `causeway serve`'s HTTP protocol: JSON RPC, raw uploads, server-sent events. */
export function createHttpClient(token: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): CausewayClient {
  async function call<T>(method: keyof RcaApi, args: unknown[]): Promise<T> {
    const response = await fetchImpl(`/api/rpc/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ args: trimUndefined(args) }),
    });
    if (!response.ok) throw await readError(response);
    const body = (await response.json()) as { result: T };
    return body.result;
  }

  const listeners = new Map<keyof RcaEvents, Set<(payload: never) => void>>();
  let source: EventSource | null = null;

  function ensureEventSource(): void {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    for (const name of ['importProgress', 'derivationProgress', 'answerDelta'] as const) {
      source.addEventListener(name, (message) => {
        const payload = JSON.parse((message as MessageEvent<string>).data) as RcaEvents[typeof name];
        for (const listener of listeners.get(name) ?? []) (listener as EventListener<typeof name>)(payload);
      });
    }
  }

  function upload(picked: PickedFile, onProgress: (progress: UploadProgress) => void): Promise<string> {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', `/api/upload?name=${encodeURIComponent(picked.relativePath)}`);
      request.setRequestHeader(TOKEN_HEADER, token);
      request.responseType = 'json';
      request.upload.onprogress = (event) =>
        onProgress({ relativePath: picked.relativePath, bytesSent: event.loaded, bytesTotal: event.total || picked.file.size });
      request.onload = () => {
        const body = request.response as { path?: string; error?: RcaErrorBody } | null;
        if (request.status === 200 && body?.path) resolve(body.path);
        else reject(new RcaError(body?.error?.code ?? 'internal', `${picked.relativePath}: ${body?.error?.message ?? `upload failed (HTTP ${request.status})`}`));
      };
      request.onerror = () => reject(new RcaError('unavailable', `${picked.relativePath}: the Causeway server did not answer`));
      request.send(picked.file);
    });
  }

  return {
    transport: 'http',
    getWorkspace: () => call('getWorkspace', []),
    importPaths: (paths, importId) => call('importPaths', [paths, importId]),
    loadDemo: () => call('loadDemo', []),
    removeSource: (sourceId) => call('removeSource', [sourceId]),
    getOverview: (window) => call('getOverview', [window]),
    analyze: (window) => call('analyze', [window]),
    ask: (request) => call('ask', [request]),
    cancelAsk: (askId) => call('cancelAsk', [askId]),
    getTrace: (traceId) => call('getTrace', [traceId]),
    getSpan: (traceId, spanId) => call('getSpan', [traceId, spanId]),
    searchTraces: (query) => call('searchTraces', [query]),
    searchLogs: (query) => call('searchLogs', [query]),
    exportReport: (request) => call('exportReport', [request]),
    getLlmSettings: () => call('getLlmSettings', []),
    saveLlmSettings: (update) => call('saveLlmSettings', [update]),
    on: (event, listener) => {
      ensureEventSource();
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    toBackendPath: upload,
  };
}
