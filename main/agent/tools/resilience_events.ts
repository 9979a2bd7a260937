import { z } from 'zod';
import type { ResilienceKind } from '../../api/contract.js';
import { toolDescription } from '../prompts.js';
import groupsSql from './sql/resilience_event_groups.sql?raw';
import { defineTool, isoFromNs, nsParams, windowArgs, windowOf } from './defineTool.js';

const KINDS = [
  'timeout', 'deadline_exceeded', 'cancelled', 'unavailable', 'breaker_transition', 'breaker_rejected', 'retry',
  'fallback', 'rate_limited', 'overflow', 'gc_pause', 'pool_wait', 'error',
] as const satisfies readonly ResilienceKind[];

const SAMPLES_PER_GROUP = 3;
const MAX_GROUPS = 40;

export const resilienceEventsTool = defineTool({
  name: 'resilience_events',
  description: toolDescription('resilience_events', { samples_per_group: SAMPLES_PER_GROUP, max_groups: MAX_GROUPS }),
  parameters: z
    .object({
      service: z.string().min(1).optional().describe('Only events recorded by this service.'),
      peer: z.string().min(1).optional().describe('Only events on calls to this peer service.'),
      kinds: z.array(z.enum(KINDS)).min(1).optional().describe('Only these kinds of event.'),
      ...windowArgs,
    })
    .strict(),
  async run(args, ctx) {
    const rows = await ctx.store.withRead((reader) =>
      reader.all<{ service: string; peer: string | null; kind: string; layer: string; events: number; first_ns: string; last_ns: string; sample_events: string[]; sample_sources: string[] }>(groupsSql, {
        service: args.service ?? '',
        peer: args.peer ?? '',
        kinds: (args.kinds ?? []).join(','),
        samples: SAMPLES_PER_GROUP,
        max_groups: MAX_GROUPS + 1,
        ...nsParams(windowOf(args)),
      }),
    );
    return {
      groups: rows.slice(0, MAX_GROUPS).map((row) => ({
        service: row.service,
        peer: row.peer,
        kind: row.kind,
        layer: row.layer,
        events: row.events,
        first: isoFromNs(row.first_ns),
        last: isoFromNs(row.last_ns),
        refs: row.sample_events,
        sources: row.sample_sources,
      })),
      more_groups: rows.length > MAX_GROUPS,
    };
  },
});
