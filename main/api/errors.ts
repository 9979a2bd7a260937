import type { RcaErrorBody, RcaErrorCode } from './contract.js';
import { BadSettingError } from './llmSettings.js';
import { BadWindowError } from './wireTime.js';

/** An error that crosses the wire with a code the front ends can act on. */
export class RcaError extends Error {
  constructor(
    readonly code: RcaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function toErrorBody(error: unknown): RcaErrorBody {
  if (error instanceof RcaError) return { code: error.code, message: error.message };
  if (error instanceof BadWindowError || error instanceof BadSettingError) return { code: 'bad_request', message: error.message };
  if (error instanceof Error && error.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
