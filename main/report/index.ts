import type { AnalysisReport, ReportFile, ReportRequest } from '../api/contract.js';
import { reportHtml } from './html.js';
import { reportMarkdown } from './markdown.js';

export interface ReportInputs {
  report: AnalysisReport;
  dbPath: string;
}

/** The investigation as one file the user can keep or send: root cause, timeline, evidence, conversation. */
export function buildReport(inputs: ReportInputs, request: ReportRequest): ReportFile {
  const stamp = inputs.report.window.from.slice(0, 16).replace(/[:T]/g, '-');
  if (request.format === 'html') {
    return { file_name: `causeway-report-${stamp}.html`, mime_type: 'text/html; charset=utf-8', content: reportHtml(inputs.report, request) };
  }
  return { file_name: `causeway-report-${stamp}.md`, mime_type: 'text/markdown; charset=utf-8', content: reportMarkdown(inputs.report, request) };
}
