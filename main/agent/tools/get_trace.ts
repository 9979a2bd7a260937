import { z } from 'zod';
import { toolDescription } from '../prompts.js';
import spansSql from './sql/trace_spans.sql?raw';
import logsSql from './sql/trace_logs.sql?raw';
import { clip, defineTool, isoFromNs, ToolInputError } from './defineTool.js';

const MAX_SPANS = 80;
const MAX_LOGS = 40;
const MAX_TEXT = 300;

interface SpanRow {
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: string;
  start_ns: string;
  duration_ms: number;
  status_code: number;
  status_message: string | null;
  http_status: number | null;
  rpc_status: number | null;
  peer_service: string | null;
}

export const getTraceTool = defineTool({
  name: 'get_trace',
  description: toolDescription('get_trace', { max_spans: MAX_SPANS, max_logs: MAX_LOGS }),
  parameters: z.object({ trace_id: z.string().min(1).max(128).describe('The trace id, as given by another tool or a `trace:` reference.') }).strict(),
  async run(args, ctx) {
    const traceId = args.trace_id.replace(/^trace:/, '');
    const [spans, logs] = await ctx.store.withRead((reader) =>
      Promise.all([
        reader.all<SpanRow>(spansSql, { trace_id: traceId, limit: MAX_SPANS + 1 }),
        reader.all<{ ref: string; ts_ns: string; service: string | null; severity: string; body: string; span_id: string | null }>(logsSql, { trace_id: traceId, limit: MAX_LOGS + 1 }),
      ]),
    );
    if (spans.length === 0 && logs.length === 0) throw new ToolInputError(`no trace with id "${traceId}" in the workspace`);
    return {
      ref: `trace:${traceId}`,
      spans: spans.slice(0, MAX_SPANS).map((span) => ({
        ref: `span:${traceId}/${span.span_id}`,
        parent: span.parent_span_id,
        service: span.service,
        name: span.name,
        kind: span.kind,
        start: isoFromNs(span.start_ns),
        duration_ms: Math.round(span.duration_ms * 1000) / 1000,
        error: span.status_code === 2,
        status_message: clip(span.status_message, MAX_TEXT),
        http_status: span.http_status,
        rpc_status: span.rpc_status,
        peer_service: span.peer_service,
      })),
      more_spans: spans.length > MAX_SPANS,
      logs: logs.slice(0, MAX_LOGS).map((log) => ({ ref: log.ref, ts: isoFromNs(log.ts_ns), service: log.service, severity: log.severity, span_id: log.span_id, body: clip(log.body, MAX_TEXT) })),
      more_logs: logs.length > MAX_LOGS,
    };
  },
});
