import type { RcaApi, RcaEvents } from '../../../main/api/contract.js';
import type { CausewayClient, EventListener } from './client.js';

/** What main/electron/preload.ts exposes as `window.causeway`. */
export interface CausewayBridge extends RcaApi {
  on<E extends keyof RcaEvents>(event: E, listener: EventListener<E>): () => void;
  pathForFile(file: File): string;
}

export function createDesktopClient(bridge: CausewayBridge): CausewayClient {
  return {
    transport: 'desktop',
    getWorkspace: () => bridge.getWorkspace(),
    importPaths: (paths, importId) => bridge.importPaths(paths, importId),
    loadDemo: () => bridge.loadDemo(),
    removeSource: (sourceId) => bridge.removeSource(sourceId),
    getOverview: (window) => bridge.getOverview(window),
    analyze: (window) => bridge.analyze(window),
    ask: (request) => bridge.ask(request),
    cancelAsk: (askId) => bridge.cancelAsk(askId),
    getTrace: (traceId) => bridge.getTrace(traceId),
    getSpan: (traceId, spanId) => bridge.getSpan(traceId, spanId),
    searchTraces: (query) => bridge.searchTraces(query),
    searchLogs: (query) => bridge.searchLogs(query),
    exportReport: (request) => bridge.exportReport(request),
    getLlmSettings: () => bridge.getLlmSettings(),
    saveLlmSettings: (update) => bridge.saveLlmSettings(update),
    on: (event, listener) => bridge.on(event, listener),
    toBackendPath: async (picked, onProgress) => {
      const path = bridge.pathForFile(picked.file);
      if (!path) throw new Error(`${picked.relativePath}: the desktop shell could not tell where this file is on disk`);
      onProgress({ relativePath: picked.relativePath, bytesSent: picked.file.size, bytesTotal: picked.file.size });
      return path;
    },
  };
}
