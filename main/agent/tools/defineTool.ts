import { z } from 'zod';
import type { Chart, RootCause, TimeWindow } from '../../api/contract.js';
import type { TelemetryStore } from '../../store/store.js';
import type { GuardedResult } from '../sqlGuard.js';

/** What the agent's tools see: read-only data access and the question's abort signal. */
export interface ToolContext {
  store: TelemetryStore;
  guardedSql: (sql: string) => Promise<GuardedResult>;
  signal: AbortSignal;
  /** What tools produce for the answer beside their text for the model: charts and ranked causes. */
  artifacts: ToolArtifacts;
}

export interface ToolArtifacts {
  charts: Chart[];
  rootCauses: RootCause[];
}

export interface AgentTool<Schema extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  parameters: Schema;
  /** Returns what the model reads, already bounded in size; throw ToolInputError for bad input. */
  run(args: z.infer<Schema>, ctx: ToolContext): Promise<unknown>;
}

/** A problem with the model's arguments that validation could not see; goes back as a tool error. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}

/** Keeps the argument type tied to the schema, so the model's contract and the code cannot drift. */
export function defineTool<Schema extends z.ZodObject>(tool: AgentTool<Schema>): AgentTool<Schema> {
  return tool;
}

/** The JSON Schema of a tool's parameters as the chat completions API wants it. */
export function toolParametersSchema(tool: AgentTool): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(tool.parameters, { io: 'input' }) as Record<string, unknown>;
  return schema;
}

const ISO_INSTANT = z.iso.datetime({ offset: true, message: 'use an ISO 8601 time such as 2024-05-01T12:00:00Z' });

/** The optional time window most tools accept; both ends or neither. */
export const windowArgs = {
  from: ISO_INSTANT.optional().describe('Start of the time window (ISO 8601, UTC). Omit both ends for the whole incident.'),
  to: ISO_INSTANT.optional().describe('End of the time window (ISO 8601, UTC).'),
};

export function windowOf(args: { from?: string | undefined; to?: string | undefined }): TimeWindow | undefined {
  if (args.from === undefined && args.to === undefined) return undefined;
  if (args.from === undefined || args.to === undefined) throw new ToolInputError('give both "from" and "to", or neither');
  if (Date.parse(args.from) >= Date.parse(args.to)) throw new ToolInputError('"from" must be before "to"');
  return { from: new Date(args.from).toISOString(), to: new Date(args.to).toISOString() };
}

/** Caps an array for the model and says how many were left out, so nothing is hidden silently. */
export function bounded<T>(items: readonly T[], max: number): { items: T[]; omitted: number } {
  return { items: items.slice(0, max), omitted: Math.max(0, items.length - max) };
}

const ALL_TIME = { from_ns: -(2n ** 62n), to_ns: 2n ** 62n };

/** SQL parameters for a time filter in nanoseconds; the whole data when no window is given. */
export function nsParams(window: TimeWindow | undefined): { from_ns: bigint; to_ns: bigint } {
  if (!window) return ALL_TIME;
  return { from_ns: BigInt(Date.parse(window.from)) * 1_000_000n, to_ns: BigInt(Date.parse(window.to)) * 1_000_000n };
}

/** An exact nanosecond timestamp (as selected VARCHAR) as ISO 8601 with milliseconds. */
export function isoFromNs(ns: string | number | bigint): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}

/** Cuts long telemetry text so one record cannot flood the model's context. */
export function clip(text: string | null, max: number): string | null {
  if (text === null || text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length} chars)`;
}
