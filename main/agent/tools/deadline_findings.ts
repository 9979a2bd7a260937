import { z } from 'zod';
import type { DeadlineFindingKind } from '../../api/contract.js';
import { deadlineFindings } from '../../analysis/deadlines.js';
import { toNsWindow } from '../../analysis/window.js';
import { toolDescription } from '../prompts.js';
import { bounded, defineTool, windowArgs, windowOf } from './defineTool.js';

const KINDS = [
  'deadline_exceeded', 'orphan_work', 'timeout_below_callee_p99', 'child_timeout_exceeds_budget', 'retry_exceeds_budget', 'budget_decay',
] as const satisfies readonly DeadlineFindingKind[];

const MAX_FINDINGS = 30;
const MAX_EVIDENCE = 4;

export const deadlineFindingsTool = defineTool({
  name: 'deadline_findings',
  description: toolDescription('deadline_findings', {}),
  parameters: z
    .object({
      caller: z.string().min(1).optional().describe('Only findings where this service is the caller.'),
      callee: z.string().min(1).optional().describe('Only findings where this service is the callee.'),
      kinds: z.array(z.enum(KINDS)).min(1).optional(),
      ...windowArgs,
    })
    .strict(),
  async run(args, ctx) {
    const window = windowOf(args);
    const findings = await ctx.store.withRead((reader) => deadlineFindings(reader, window ? toNsWindow(window) : undefined));
    const wanted = findings.filter(
      (finding) =>
        (!args.caller || finding.caller === args.caller) &&
        (!args.callee || finding.callee === args.callee) &&
        (!args.kinds || (args.kinds as readonly string[]).includes(finding.kind)),
    );
    const shown = bounded(wanted, MAX_FINDINGS);
    return {
      findings: shown.items.map((finding) => ({ ...finding, evidence: (finding.evidence ?? []).slice(0, MAX_EVIDENCE) })),
      findings_omitted: shown.omitted,
    };
  },
});
