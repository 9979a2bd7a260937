import type { AnalysisReport, AskAnswer, ReportRequest } from '../api/contract.js';
import { answerChartOption, breakerChartHeight, breakerChartOption, CHART_WIDTH, renderSvg } from './charts.js';
import { reportLabels, type ReportLabels } from './labels.js';
import { kindText, millisText, percentText, readableTime, reportTimeline, signalsAfterBaselineText, stateLabel } from './timeline.js';
import { answerHtml, refAnchorId, type RefAnchor } from './answerHtml.js';
import { escapeHtml } from './escape.js';

export { escapeHtml } from './escape.js';

const ANSWER_CHART_HEIGHT = 300;

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2329; background: #f5f6f8; margin: 0; }
main { max-width: 920px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #dfe2e6; }
h3 { font-size: 15px; margin: 18px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
section, figure.chart { background: #fff; border: 1px solid #dfe2e6; border-radius: 8px; padding: 4px 16px 12px; margin: 0 0 14px; }
figure.chart { padding: 8px; margin: 8px 0 12px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-weight: 600; font-size: 13px; margin: 0 0 4px 4px; }
dl.window { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0 0; }
dt { color: #5c6370; }
dd { margin: 0; }
ol.causes { padding-left: 22px; }
ol.causes > li { margin: 0 0 12px; }
.service { font-weight: 700; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; background: #eef0f3; font-size: 12px; }
.muted, .meta { color: #5c6370; }
.meta { font-size: 12px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f3f5; padding: 0 3px; border-radius: 3px; word-break: break-all; }
ul { padding-left: 20px; }
li { margin: 2px 0; }
.state-closed { color: #2f9e44; } .state-open { color: #e03131; } .state-half-open { color: #f08c00; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eef0f3; text-align: left; }
td.num, th.num { text-align: right; }
.answer blockquote { margin: 8px 0; padding: 2px 12px; border-left: 3px solid #c9ced6; color: #5c6370; }
.answer pre { background: #f1f3f5; padding: 8px; border-radius: 4px; overflow-x: auto; }
.answer pre code { background: none; padding: 0; word-break: normal; white-space: pre; }
.answer table { margin: 8px 0; }
:target { background: #fff3bf; }
footer { color: #5c6370; font-size: 12px; margin-top: 24px; }
@media print { body { background: #fff; } section, figure.chart { break-inside: avoid; } }
`;

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

function state(value: Parameters<typeof stateLabel>[0], labels: ReportLabels): string {
  return `<span class="state-${value}">${escapeHtml(stateLabel(value, labels))}</span>`;
}

function figure(caption: string, svg: string): string {
  return `<figure class="chart"><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
}

function rootCausesSection(report: AnalysisReport, labels: ReportLabels): string {
  if (report.root_causes.length === 0) return `<p class="muted">${escapeHtml(labels.noRootCauses)}</p>`;
  // Answers link to evidence by these ids, so each reference is given one, where it is first listed.
  const anchored = new Set<string>();
  const items = report.root_causes.map((cause) => {
    const edge = cause.edge ? ` · ${escapeHtml(labels.viaEdge)} ${escapeHtml(cause.edge.caller)} → ${escapeHtml(cause.edge.callee)}` : '';
    const evidence = cause.evidence
      .map((item) => {
        const first = !anchored.has(item.ref);
        anchored.add(item.ref);
        return `<li${first ? ` id="${escapeHtml(refAnchorId(item.ref))}"` : ''}>${escapeHtml(item.summary)} ${code(item.ref)}</li>`;
      })
      .join('');
    return [
      '<li>',
      `<div><span class="service">${escapeHtml(cause.service)}</span> <span class="badge">${escapeHtml(kindText(cause.kind))}</span> ${escapeHtml(labels.confidence)} <strong>${percentText(cause.confidence)}</strong></div>`,
      `<p>${escapeHtml(cause.summary)}</p>`,
      `<div class="meta">${escapeHtml(labels.startedAt)} ${escapeHtml(readableTime(cause.started_at))}${edge}</div>`,
      evidence ? `<h4>${escapeHtml(labels.evidence)}</h4><ul>${evidence}</ul>` : '',
      '</li>',
    ].join('');
  });
  return `<ol class="causes">${items.join('')}</ol>`;
}

function timelineSection(report: AnalysisReport, labels: ReportLabels): string {
  const timeline = reportTimeline(report);
  const parts: string[] = [`<h3>${escapeHtml(labels.firstAnomaly)}</h3>`];
  const first = timeline.firstAnomaly;
  parts.push(
    first
      ? `<p>${escapeHtml(readableTime(first.started_at))}: <span class="service">${escapeHtml(first.service)}</span> ${escapeHtml(kindText(first.kind))}. ${escapeHtml(first.summary)}</p>`
      : `<p class="muted">${escapeHtml(labels.noRootCauses)}</p>`,
  );

  parts.push(`<h3>${escapeHtml(labels.breakerTransitions)}</h3>`);
  if (timeline.breakers.length === 0) parts.push(`<p class="muted">${escapeHtml(labels.noBreakers)}</p>`);
  else {
    const svg = renderSvg(breakerChartOption(report.breakers, report.window, labels), CHART_WIDTH, breakerChartHeight(report.breakers.length));
    parts.push(figure(labels.breakerChart, svg));
  }
  for (const { breaker, transitions } of timeline.breakers) {
    const protects = breaker.protects ? ` → ${escapeHtml(breaker.protects)}` : '';
    parts.push(`<h4>${escapeHtml(breaker.breaker)} <span class="muted">(${escapeHtml(breaker.service)}${protects})</span></h4><ul>`);
    for (const transition of transitions) {
      const ref = transition.ref ? ` ${code(transition.ref)}` : '';
      parts.push(`<li>${escapeHtml(readableTime(transition.at))}: ${state(transition.from, labels)} → ${state(transition.to, labels)}${ref}</li>`);
    }
    parts.push('</ul>');
  }

  parts.push(`<h3>${escapeHtml(labels.deadlineFindings)}</h3>`);
  if (report.deadline_findings.length === 0) parts.push(`<p class="muted">${escapeHtml(labels.noDeadlineFindings)}</p>`);
  else {
    const findings = report.deadline_findings.map((finding) => {
      const refs = (finding.evidence ?? []).map((evidence) => code(evidence.ref)).join(' ');
      return `<li>${escapeHtml(finding.caller)} → ${escapeHtml(finding.callee)}: <span class="badge">${escapeHtml(kindText(finding.kind))}</span> ×${finding.count}. ${escapeHtml(finding.summary)} ${refs}</li>`;
    });
    parts.push(`<ul>${findings.join('')}</ul>`);
  }

  parts.push(`<h3>${escapeHtml(labels.fallbacks)}</h3>`);
  if (timeline.fallbacks.length === 0) parts.push(`<p class="muted">${escapeHtml(labels.noFallbacks)}</p>`);
  else {
    const fallbacks = timeline.fallbacks.map(
      (fallback) => `<li>${fallback.at ? `${escapeHtml(readableTime(fallback.at))}: ` : ''}${escapeHtml(fallback.evidence.summary)} ${code(fallback.evidence.ref)}</li>`,
    );
    parts.push(`<ul>${fallbacks.join('')}</ul>`);
  }
  return parts.join('');
}

function servicesSection(report: AnalysisReport, labels: ReportLabels): string {
  const head = `<tr><th scope="col">${escapeHtml(labels.service)}</th>${[labels.requests, labels.errors, labels.timeouts, labels.p50, labels.p99]
    .map((label) => `<th scope="col" class="num">${escapeHtml(label)}</th>`)
    .join('')}</tr>`;
  const rows = report.services.map(
    (row) =>
      `<tr><th scope="row">${escapeHtml(row.service)}</th><td class="num">${row.requests}</td><td class="num">${row.errors}</td><td class="num">${row.timeouts}</td><td class="num">${millisText(row.p50_ms)}</td><td class="num">${millisText(row.p99_ms)}</td></tr>`,
  );
  return `<table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function answerCharts(answer: AskAnswer): string {
  return answer.charts
    .map((chart) => {
      try {
        return figure(chart.title, renderSvg(answerChartOption(chart.option), CHART_WIDTH, ANSWER_CHART_HEIGHT));
      } catch (error) {
        // One chart the renderer cannot draw must not cost the user the whole report.
        return figure(chart.title, `<p class="muted">${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`);
      }
    })
    .join('');
}

/** Evidence links in answers go to the first place the report lists that reference; each id is given once. */
function citationAnchors(report: AnalysisReport, request: ReportRequest): { anchor: RefAnchor; idFor(ref: string): string | null } {
  const listed = new Set(report.root_causes.flatMap((cause) => cause.evidence.map((item) => item.ref)));
  const given = new Set<string>();
  const cited = new Set((request.answers ?? []).flatMap(({ answer }) => answer.citations.map((citation) => citation.ref)));
  return {
    anchor: (ref) => (listed.has(ref) || cited.has(ref) ? refAnchorId(ref) : null),
    idFor: (ref) => {
      if (listed.has(ref) || given.has(ref)) return null;
      given.add(ref);
      return refAnchorId(ref);
    },
  };
}

function answersSection(report: AnalysisReport, request: ReportRequest, labels: ReportLabels): string {
  const { anchor, idFor } = citationAnchors(report, request);
  return (request.answers ?? [])
    .map(({ question, answer }, index) => {
      const citations = answer.citations
        .map((citation) => {
          const id = idFor(citation.ref);
          return `<li${id ? ` id="${escapeHtml(id)}"` : ''}>${citation.label ? `${escapeHtml(citation.label)} ` : ''}${code(citation.ref)}</li>`;
        })
        .join('');
      const fallback = answer.fallback_reason ? `; ${escapeHtml(labels.fallbackReason)}: ${escapeHtml(answer.fallback_reason)}` : '';
      return [
        `<h3>${index + 1}. ${escapeHtml(question)}</h3>`,
        `<div class="answer">${answerHtml(answer.answer.trim(), anchor)}</div>`,
        answerCharts(answer),
        `<p class="meta">${escapeHtml(labels.provider)}: ${escapeHtml(answer.provider)}${fallback}</p>`,
        citations ? `<h4>${escapeHtml(labels.citations)}</h4><ul>${citations}</ul>` : '',
      ].join('');
    })
    .join('');
}

/** One self-contained page: inline style, inline SVG charts, no script and nothing fetched from anywhere. */
export function reportHtml(report: AnalysisReport, request: ReportRequest): string {
  const labels = reportLabels(request.language);
  const baseline = report.baseline ? `${readableTime(report.baseline.from)} – ${readableTime(report.baseline.to)}` : labels.noBaseline;
  const late = signalsAfterBaselineText(report, labels);
  const answers = answersSection(report, request, labels);
  const body = [
    `<header><h1>${escapeHtml(labels.title)}</h1>`,
    `<dl class="window"><dt>${escapeHtml(labels.incidentWindow)}</dt><dd>${escapeHtml(`${readableTime(report.window.from)} – ${readableTime(report.window.to)}`)}</dd>`,
    `<dt>${escapeHtml(labels.baseline)}</dt><dd>${escapeHtml(baseline)}</dd>`,
    late ? `<dt>${escapeHtml(labels.notInBaseline)}</dt><dd>${escapeHtml(late)}</dd>` : '',
    '</dl></header>',
    `<h2>${escapeHtml(labels.rootCauses)}</h2><section>${rootCausesSection(report, labels)}</section>`,
    `<h2>${escapeHtml(labels.timeline)}</h2><section>${timelineSection(report, labels)}</section>`,
    `<h2>${escapeHtml(labels.services)}</h2><section>${servicesSection(report, labels)}</section>`,
    answers ? `<h2>${escapeHtml(labels.questions)}</h2><section>${answers}</section>` : '',
    `<footer>${escapeHtml(labels.generatedBy)}</footer>`,
  ].join('\n');
  return [
    '<!doctype html>',
    `<html lang="${request.language === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head><meta charset="utf-8">',
    // No script, no fetch: the policy holds even if some text escaped the escaping.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${labels.title} ${readableTime(report.window.from)}`)}</title>`,
    `<style>${STYLE}</style></head>`,
    `<body><main>\n${body}\n</main></body></html>`,
    '',
  ].join('\n');
}
