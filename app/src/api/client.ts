import type { RcaApi, RcaEvents } from '../../../main/api/contract.js';
import { createDesktopClient, type CausewayBridge } from './desktopClient.js';
import { createHttpClient, takeToken } from './httpClient.js';

export type EventListener<E extends keyof RcaEvents> = (payload: RcaEvents[E]) => void;

/** A file the user picked or dropped, with the path it has relative to what was chosen. */
export interface PickedFile {
  file: File;
  relativePath: string;
}

export interface UploadProgress {
  relativePath: string;
  bytesSent: number;
  bytesTotal: number;
}

/**
 * What the renderer talks to: the RcaApi contract, its pushed events, and a way to turn the
 * user's files into paths the backend can read (the desktop reads them in place, the browser
 * uploads them first).
 */
export interface CausewayClient extends RcaApi {
  readonly transport: 'desktop' | 'http';
  on<E extends keyof RcaEvents>(event: E, listener: EventListener<E>): () => void;
  toBackendPath(picked: PickedFile, onProgress: (progress: UploadProgress) => void): Promise<string>;
}

declare global {
  interface Window {
    causeway?: CausewayBridge;
  }
}

/** The desktop bridge when the preload installed one, otherwise HTTP to `causeway serve`. */
export function createClient(): CausewayClient {
  if (window.causeway) return createDesktopClient(window.causeway);
  return createHttpClient(takeToken(window) ?? '');
}
