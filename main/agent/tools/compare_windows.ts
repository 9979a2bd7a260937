import { z } from 'zod';
import { compareWindows } from '../../analysis/index.js';
import { toolDescription } from '../prompts.js';
import { bounded, defineTool, windowOf } from './defineTool.js';

const MAX_DIFFERENCES = 25;
const instant = z.iso.datetime({ offset: true, message: 'use an ISO 8601 time such as 2024-05-01T12:00:00Z' });

export const compareWindowsTool = defineTool({
  name: 'compare_windows',
  description: toolDescription('compare_windows', {}),
  parameters: z
    .object({
      incident_from: instant,
      incident_to: instant,
      baseline_from: instant,
      baseline_to: instant,
    })
    .strict(),
  async run(args, ctx) {
    const incident = windowOf({ from: args.incident_from, to: args.incident_to });
    const baseline = windowOf({ from: args.baseline_from, to: args.baseline_to });
    if (!incident || !baseline) throw new Error('both windows are required');
    const comparison = await compareWindows(ctx.store, incident, baseline);
    const differences = bounded(comparison.differences, MAX_DIFFERENCES);
    return { ...comparison, differences: differences.items, differences_omitted: differences.omitted };
  },
});
