import type { AnalysisReport, ReportRequest } from '../api/contract.js';
import { reportLabels } from './labels.js';
import { kindText, millisText, percentText, readableTime, reportTimeline, signalsAfterBaselineText, stateLabel } from './timeline.js';

/** Telemetry text on one line: a newline or a table bar inside a log line must not break the document's structure. */
function inline(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** A reference as a code span, with a fence longer than any backtick run inside it. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text}${fence}`;
}

export function reportMarkdown(report: AnalysisReport, request: ReportRequest): string {
  const labels = reportLabels(request.language);
  const timeline = reportTimeline(report);
  const lines: string[] = [`# ${labels.title}`, ''];
  lines.push(`- ${labels.incidentWindow}: ${readableTime(report.window.from)} – ${readableTime(report.window.to)}`);
  lines.push(`- ${labels.baseline}: ${report.baseline ? `${readableTime(report.baseline.from)} – ${readableTime(report.baseline.to)}` : labels.noBaseline}`);
  const late = signalsAfterBaselineText(report, labels);
  if (late) lines.push(`- ${labels.notInBaseline}: ${late}`);
  lines.push('');

  lines.push(`## ${labels.rootCauses}`, '');
  if (report.root_causes.length === 0) lines.push(labels.noRootCauses);
  report.root_causes.forEach((cause, index) => {
    const edge = cause.edge ? `, ${labels.viaEdge} ${inline(cause.edge.caller)} → ${inline(cause.edge.callee)}` : '';
    lines.push(
      `${index + 1}. **${inline(cause.service)}**: ${kindText(cause.kind)} (${labels.confidence} ${percentText(cause.confidence)}, ${labels.startedAt} ${readableTime(cause.started_at)}${edge})`,
    );
    lines.push(`   ${inline(cause.summary)}`);
    if (cause.evidence.length > 0) lines.push('', `   ${labels.evidence}:`, '');
    for (const evidence of cause.evidence) lines.push(`   - ${inline(evidence.summary)} (${code(evidence.ref)})`);
    lines.push('');
  });

  lines.push(`## ${labels.timeline}`, '', `### ${labels.firstAnomaly}`, '');
  const first = timeline.firstAnomaly;
  lines.push(first ? `- ${readableTime(first.started_at)}: **${inline(first.service)}** ${kindText(first.kind)}. ${inline(first.summary)}` : `- ${labels.noRootCauses}`, '');

  lines.push(`### ${labels.breakerTransitions}`, '');
  if (timeline.breakers.length === 0) lines.push(labels.noBreakers, '');
  for (const { breaker, transitions } of timeline.breakers) {
    const protects = breaker.protects ? ` → ${inline(breaker.protects)}` : '';
    lines.push(`#### ${inline(breaker.breaker)} (${inline(breaker.service)}${protects})`, '');
    for (const transition of transitions) {
      const ref = transition.ref ? ` (${code(transition.ref)})` : '';
      lines.push(`- ${readableTime(transition.at)}: ${stateLabel(transition.from, labels)} → ${stateLabel(transition.to, labels)}${ref}`);
    }
    lines.push('');
  }

  lines.push(`### ${labels.deadlineFindings}`, '');
  if (report.deadline_findings.length === 0) lines.push(labels.noDeadlineFindings);
  for (const finding of report.deadline_findings) {
    const refs = (finding.evidence ?? []).map((evidence) => code(evidence.ref)).join(', ');
    lines.push(`- ${inline(finding.caller)} → ${inline(finding.callee)}: ${kindText(finding.kind)} ×${finding.count}. ${inline(finding.summary)}${refs ? ` (${refs})` : ''}`);
  }
  lines.push('', `### ${labels.fallbacks}`, '');
  if (timeline.fallbacks.length === 0) lines.push(labels.noFallbacks);
  for (const fallback of timeline.fallbacks) {
    lines.push(`- ${fallback.at ? `${readableTime(fallback.at)}: ` : ''}${inline(fallback.evidence.summary)} (${code(fallback.evidence.ref)})`);
  }

  lines.push('', `## ${labels.services}`, '');
  lines.push(`| ${labels.service} | ${labels.requests} | ${labels.errors} | ${labels.timeouts} | ${labels.p50} | ${labels.p99} |`, '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of report.services) {
    lines.push(`| ${inline(row.service)} | ${row.requests} | ${row.errors} | ${row.timeouts} | ${millisText(row.p50_ms)} | ${millisText(row.p99_ms)} |`);
  }

  const answers = request.answers ?? [];
  if (answers.length > 0) lines.push('', `## ${labels.questions}`);
  answers.forEach(({ question, answer }, index) => {
    lines.push('', `### ${index + 1}. ${inline(question)}`, '', answer.answer.trim(), '');
    lines.push(`*${labels.provider}: ${inline(answer.provider)}${answer.fallback_reason ? `; ${labels.fallbackReason}: ${inline(answer.fallback_reason)}` : ''}*`);
    if (answer.citations.length > 0) {
      lines.push('', `${labels.citations}:`, '');
      for (const citation of answer.citations) lines.push(`- ${citation.label ? `${inline(citation.label)} ` : ''}${code(citation.ref)}`);
    }
  });
  return `${lines.join('\n')}\n`;
}
