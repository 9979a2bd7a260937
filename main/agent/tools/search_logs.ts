import { z } from 'zod';
import { toolDescription } from '../prompts.js';
import searchSql from './sql/search_logs.sql?raw';
import { clip, defineTool, isoFromNs, nsParams, windowArgs, windowOf } from './defineTool.js';

const MAX_LIMIT = 50;
const MAX_BODY = 400;

export const searchLogsTool = defineTool({
  name: 'search_logs',
  description: toolDescription('search_logs', { max_limit: MAX_LIMIT }),
  parameters: z
    .object({
      text: z.string().min(1).max(200).optional().describe('Case-insensitive text the log line must contain.'),
      service: z.string().min(1).optional(),
      severity: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']).optional(),
      trace_id: z.string().min(1).optional(),
      limit: z.number().int().min(1).max(MAX_LIMIT).default(20),
      ...windowArgs,
    })
    .strict(),
  async run(args, ctx) {
    const rows = await ctx.store.withRead((reader) =>
      reader.all<{ ref: string; ts_ns: string; service: string | null; severity: string; body: string; trace_id: string | null; span_id: string | null; total: number }>(searchSql, {
        text: args.text ?? '',
        service: args.service ?? '',
        severity: args.severity ?? '',
        trace_id: args.trace_id ?? '',
        limit: args.limit,
        ...nsParams(windowOf(args)),
      }),
    );
    return {
      total_matches: rows[0]?.total ?? 0,
      lines: rows.map((row) => ({
        ref: row.ref,
        ts: isoFromNs(row.ts_ns),
        service: row.service,
        severity: row.severity,
        trace_id: row.trace_id,
        span_id: row.span_id,
        body: clip(row.body, MAX_BODY),
      })),
    };
  },
});
