import type { AnalysisReport, ReportRequest } from '../api/contract.js';

export function reportMarkdown(report: AnalysisReport, request: ReportRequest): string {
  const lines: string[] = ['# Incident report', '', `Incident window: ${report.window.from} – ${report.window.to}`, ''];
  lines.push('## Root causes', '');
  if (report.root_causes.length === 0) lines.push('No root cause stands out in the loaded telemetry.', '');
  report.root_causes.forEach((cause, index) => {
    lines.push(`${index + 1}. **${cause.service}**: ${cause.kind} (confidence ${Math.round(cause.confidence * 100)}%, from ${cause.started_at})`);
    lines.push(`   ${cause.summary}`);
    for (const evidence of cause.evidence) lines.push(`   - ${evidence.summary} (\`${evidence.ref}\`)`);
  });
  lines.push('', '## Circuit breakers', '');
  for (const breaker of report.breakers) {
    lines.push(`- ${breaker.service} / ${breaker.breaker}: ${breaker.transitions.map((t) => `${t.at} ${t.from} → ${t.to}`).join('; ')}`);
  }
  lines.push('', '## Deadline findings', '');
  for (const finding of report.deadline_findings) lines.push(`- ${finding.caller} → ${finding.callee}: ${finding.kind} ×${finding.count}. ${finding.summary}`);
  for (const { question, answer } of request.answers ?? []) lines.push('', `## Q: ${question}`, '', answer.answer);
  return `${lines.join('\n')}\n`;
}
