import { z } from 'zod';
import { overview } from '../../analysis/index.js';
import { toolDescription } from '../prompts.js';
import { bounded, defineTool, windowArgs, windowOf } from './defineTool.js';

const MAX_SERVICES = 40;
const MAX_EDGES = 60;

export const serviceOverviewTool = defineTool({
  name: 'service_overview',
  description: toolDescription('service_overview', {}),
  parameters: z.object({ ...windowArgs }).strict(),
  async run(args, ctx) {
    const result = await overview(ctx.store, windowOf(args));
    const services = bounded(result.services, MAX_SERVICES);
    const edges = bounded([...result.edges].sort((a, b) => b.errors + b.timeouts - (a.errors + a.timeouts)), MAX_EDGES);
    const eventTotals: Record<string, number> = {};
    for (const bucket of result.event_timeline) eventTotals[bucket.kind] = (eventTotals[bucket.kind] ?? 0) + bucket.count;
    return {
      window: result.window,
      services: services.items,
      services_omitted: services.omitted,
      edges: edges.items,
      edges_omitted: edges.omitted,
      resilience_event_totals: eventTotals,
      breakers: result.breakers.map((breaker) => ({ service: breaker.service, breaker: breaker.breaker, protects: breaker.protects ?? null, transitions: breaker.transitions.length })),
      root_cause_candidates: result.root_causes.length,
    };
  },
});
