import { z } from 'zod';
import { analyze } from '../../analysis/index.js';
import { toolDescription } from '../prompts.js';
import { defineTool, windowArgs, windowOf } from './defineTool.js';

const MAX_CAUSES = 5;
const MAX_EVIDENCE = 6;

export const rootCausesTool = defineTool({
  name: 'root_causes',
  description: toolDescription('root_causes', { max_causes: MAX_CAUSES, max_evidence: MAX_EVIDENCE }),
  parameters: z.object({ ...windowArgs }).strict(),
  async run(args, ctx) {
    const report = await analyze(ctx.store, windowOf(args));
    const causes = report.root_causes.slice(0, MAX_CAUSES);
    ctx.artifacts.rootCauses.push(...causes);
    return {
      incident_window: report.window,
      baseline_window: report.baseline,
      candidates: causes.map((cause, rank) => ({ rank: rank + 1, ...cause, evidence: cause.evidence.slice(0, MAX_EVIDENCE) })),
      candidates_omitted: Math.max(0, report.root_causes.length - MAX_CAUSES),
    };
  },
});
