import type { RcaErrorBody, RcaEvents } from '../api/contract.js';

/** The channel on which the main process pushes one kind of RcaEvents to the window. */
export const eventChannel = (event: keyof RcaEvents): string => `causeway:event:${event}`;

export const RCA_EVENTS = ['importProgress', 'derivationProgress', 'answerDelta'] as const satisfies readonly (keyof RcaEvents)[];

/**
 * What an IPC handler resolves to. Electron reduces a rejected invoke to a prefixed message, so
 * failures travel as values and the preload turns them back into errors with their wire code.
 */
export type IpcOutcome = { ok: true; result: unknown } | { ok: false; error: RcaErrorBody };

/** The custom scheme the renderer is served from: no file:// access, one origin to trust. */
export const APP_SCHEME = 'causeway';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
