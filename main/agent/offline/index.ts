import type { AskAnswer } from '../../api/contract.js';
import { composeAnswer } from './answer.js';
import type { OfflineContext } from './context.js';

export type { MetricSeries, OfflineContext } from './context.js';

/**
 * The built-in analyst a user meets when no LLM is configured: deterministic, English or Chinese
 * (following the question), answering from the analysis report with citations and charts.
 */
export async function answerOffline(question: string, ctx: OfflineContext): Promise<AskAnswer> {
  return composeAnswer(question, ctx);
}
