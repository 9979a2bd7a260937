import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { BrowserWindow, app, ipcMain, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { RCA_METHODS, ipcChannel, type RcaApi, type RcaEvents } from '../api/contract.js';
import { APP_CONTENT_SECURITY_POLICY, APP_CONTENT_TYPES } from '../api/appAssets.js';
import { toErrorBody } from '../api/errors.js';
import { createRcaService } from '../api/service.js';
import { keychainSecretStore } from './keychain.js';
import { APP_ORIGIN, APP_SCHEME, eventChannel, type IpcOutcome } from './channels.js';

// Bundled to dist/main/electron/main.cjs; the renderer is built to dist/app.
const appDir = resolve(__dirname, '..', '..', 'app');
const preloadPath = join(__dirname, 'preload.cjs');

// A separate workspace for tests and portable use; the default is the OS user-data folder.
if (process.env.CAUSEWAY_USER_DATA) app.setPath('userData', process.env.CAUSEWAY_USER_DATA);

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Serves dist/app under causeway://app/, and nothing outside it. */
function serveApp(): void {
  const root = resolve(appDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    const wanted = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = resolve(root, normalize(wanted));
    if (!file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': APP_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': APP_CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

/** Only our own page may call the backend: not a frame, not a page navigated elsewhere. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}

function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (navigation) => navigation.preventDefault());
    contents.on('will-redirect', (navigation) => navigation.preventDefault());
    contents.on('will-attach-webview', (attach) => attach.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links in answers open in the user's browser, never inside the app.
      if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

async function main(): Promise<void> {
  // One process owns the workspace file; a second launch focuses the first window instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  harden();
  await app.whenReady();
  serveApp();

  let window: BrowserWindow | null = null;
  const send = <E extends keyof RcaEvents>(event: E, payload: RcaEvents[E]) => {
    if (window && !window.isDestroyed()) window.webContents.send(eventChannel(event), payload);
  };
  const userData = app.getPath('userData');
  const service = await createRcaService({
    dbPath: join(userData, 'workspace.duckdb'),
    settingsPath: join(userData, 'settings.json'),
    secrets: keychainSecretStore(join(userData, 'llm-key.bin')),
    onEvent: send,
  });

  const handlers = {
    getWorkspace: () => service.getWorkspace(),
    importPaths: (paths, importId) => service.importPaths(paths, importId),
    loadDemo: () => service.loadDemo(),
    removeSource: (sourceId) => service.removeSource(sourceId),
    getOverview: (window) => service.getOverview(window),
    analyze: (window) => service.analyze(window),
    ask: (request) => service.ask(request),
    cancelAsk: (askId) => service.cancelAsk(askId),
    getTrace: (traceId) => service.getTrace(traceId),
    getSpan: (traceId, spanId) => service.getSpan(traceId, spanId),
    searchTraces: (query) => service.searchTraces(query),
    searchLogs: (query) => service.searchLogs(query),
    exportReport: (request) => service.exportReport(request),
    getLlmSettings: () => service.getLlmSettings(),
    saveLlmSettings: (update) => service.saveLlmSettings(update),
  } satisfies RcaApi;

  for (const method of RCA_METHODS) {
    const handler = handlers[method] as (...args: unknown[]) => Promise<unknown>;
    ipcMain.handle(ipcChannel(method), async (event, ...args: unknown[]): Promise<IpcOutcome> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'bad_request', message: 'this page may not call Causeway' } };
      try {
        return { ok: true, result: await handler(...args) };
      } catch (error) {
        return { ok: false, error: toErrorBody(error) };
      }
    });
  }

  if ((await service.getWorkspace()).sources.length === 0) await service.loadDemo();

  window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Causeway',
    show: false,
    backgroundColor: '#f4f5f7',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window?.show());
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  await window.loadURL(`${APP_ORIGIN}/index.html`);

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => service.close());
}

main().catch((error: unknown) => {
  console.error(`Causeway could not start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
