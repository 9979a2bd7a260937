import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { RCA_METHODS, ipcChannel, type RcaApi, type RcaErrorCode, type RcaEvents } from '../api/contract.js';
import { RCA_EVENTS, eventChannel, type IpcOutcome } from './channels.js';

class RcaBridgeError extends Error {
  constructor(
    readonly code: RcaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RcaError';
  }
}

async function invoke(method: keyof RcaApi, args: unknown[]): Promise<unknown> {
  const outcome = (await ipcRenderer.invoke(ipcChannel(method), ...args)) as IpcOutcome;
  if (!outcome.ok) throw new RcaBridgeError(outcome.error.code, outcome.error.message);
  return outcome.result;
}

const methods = Object.fromEntries(RCA_METHODS.map((method) => [method, (...args: unknown[]) => invoke(method, args)])) as unknown as RcaApi;

const knownEvents = new Set<string>(RCA_EVENTS);

const bridge = {
  ...methods,
  on<E extends keyof RcaEvents>(event: E, listener: (payload: RcaEvents[E]) => void): () => void {
    if (!knownEvents.has(event)) throw new Error(`unknown event ${String(event)}`);
    const handler = (_event: IpcRendererEvent, payload: RcaEvents[E]) => listener(payload);
    ipcRenderer.on(eventChannel(event), handler);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), handler);
    };
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('causeway', bridge);
