import { z } from 'zod';
import { breakerTimelines } from '../../analysis/breakers.js';
import { toNsWindow } from '../../analysis/window.js';
import { bounded, defineTool, windowArgs, windowOf } from './defineTool.js';
import { toolDescription } from '../prompts.js';

const MAX_BREAKERS = 30;
const MAX_TRANSITIONS = 30;

export const breakerTimelineTool = defineTool({
  name: 'breaker_timeline',
  description: toolDescription('breaker_timeline', {}),
  parameters: z
    .object({
      service: z.string().min(1).optional().describe('Only breakers in this service or protecting calls to it.'),
      ...windowArgs,
    })
    .strict(),
  async run(args, ctx) {
    const window = windowOf(args);
    const timelines = await ctx.store.withRead((reader) => breakerTimelines(reader, window ? toNsWindow(window) : undefined));
    const wanted = args.service ? timelines.filter((t) => t.service === args.service || t.protects === args.service) : timelines;
    const breakers = bounded(wanted, MAX_BREAKERS);
    return {
      breakers: breakers.items.map((timeline) => {
        const transitions = bounded(timeline.transitions, MAX_TRANSITIONS);
        return { ...timeline, transitions: transitions.items, transitions_omitted: transitions.omitted };
      }),
      breakers_omitted: breakers.omitted,
    };
  },
});
