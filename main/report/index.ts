import type { AnalysisReport, ReportFile, ReportRequest } from '../api/contract.js';
import { reportMarkdown } from './markdown.js';

export interface ReportInputs {
  report: AnalysisReport;
  dbPath: string;
}

/** The investigation as one file the user can keep or send: root cause, timeline, evidence, conversation. */
export function buildReport(inputs: ReportInputs, request: ReportRequest): ReportFile {
  const markdown = reportMarkdown(inputs.report, request);
  const stamp = inputs.report.window.from.slice(0, 16).replace(/[:T]/g, '-');
  return { file_name: `causeway-report-${stamp}.md`, mime_type: 'text/markdown; charset=utf-8', content: markdown };
}
