import { describe, expect, it } from 'vitest';
import type { AnalysisReport, AskAnswer, ReportRequest } from '../api/contract.js';
import { buildReport } from './index.js';

const HOSTILE = '<script>alert("x")</script><img src=http://evil.example/x.png>';

function fabricatedReport(): AnalysisReport {
  return {
    window: { from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T10:20:00.000Z' },
    baseline: { from: '2026-03-01T09:40:00.000Z', to: '2026-03-01T10:00:00.000Z' },
    root_causes: [
      {
        service: 'svc-late',
        kind: 'retry_storm',
        confidence: 0.31,
        started_at: '2026-03-01T10:06:00.000Z',
        summary: 'retries multiplied the load',
        evidence: [{ kind: 'log', ref: 'log:1:9', summary: `log said ${HOSTILE}` }],
      },
      {
        service: 'svc-first',
        kind: 'gc_pause',
        confidence: 0.87,
        started_at: '2026-03-01T10:02:30.000Z',
        edge: { caller: 'svc-edge', callee: 'svc-first' },
        summary: 'long GC pauses stalled every request',
        evidence: [
          { kind: 'series', ref: 'series:jvm_gc_pause_seconds{service="svc-first"}', summary: 'GC pause p99 4.2 s' },
          { kind: 'event', ref: 'event:fallback:svc-edge:1772359500000000000', summary: 'svc-edge served cached prices' },
        ],
      },
    ],
    breakers: [
      {
        service: 'svc-edge',
        breaker: 'first-breaker',
        protects: 'svc-first',
        source: 'log',
        transitions: [
          { at: '2026-03-01T10:09:00.000Z', from: 'half-open', to: 'closed' },
          { at: '2026-03-01T10:03:00.000Z', from: 'closed', to: 'open', ref: 'log:1:40' },
          { at: '2026-03-01T10:08:00.000Z', from: 'open', to: 'half-open' },
        ],
      },
    ],
    deadline_findings: [{ caller: 'svc-edge', callee: 'svc-first', kind: 'orphan_work', count: 12, summary: 'work went on after the caller gave up' }],
    services: [
      { service: 'svc-edge', requests: 1200, errors: 90, timeouts: 40, p50_ms: 12.5, p99_ms: 2100 },
      { service: 'svc-first', requests: 800, errors: 5, timeouts: 0, p50_ms: 3.2, p99_ms: null },
    ],
  };
}

const answer: AskAnswer = {
  answer: `The breaker opened. A log line read ${HOSTILE}`,
  provider: 'offline',
  root_cause: { service: 'svc-first', kind: 'gc_pause' },
  citations: [{ kind: 'log', ref: 'log:1:40', label: 'breaker opened' }],
  charts: [
    {
      title: 'Errors per minute',
      option: {
        xAxis: { type: 'category', data: ['10:00', '10:01', HOSTILE] },
        yAxis: { type: 'value' },
        series: [{ type: 'line', name: HOSTILE, data: [1, 5, 9] }],
      },
    },
  ],
  tool_calls: [],
  language: 'en',
};

function build(request: ReportRequest): string {
  return buildReport({ report: fabricatedReport(), dbPath: '/tmp/unused.duckdb' }, request).content;
}

describe('Markdown report', () => {
  const markdown = build({ format: 'markdown', answers: [{ question: 'Why did checkout fail?', answer }] });

  it('has every section, with the baseline and the ranked causes', () => {
    for (const heading of ['# Incident report', '## Root causes', '## Timeline', '### First anomaly', '### Circuit breaker transitions', '### Deadline findings', '### Fallbacks', '## Services', '## Questions and answers']) {
      expect(markdown).toContain(`${heading}\n`);
    }
    expect(markdown).toContain('2026-03-01 09:40:00.000 UTC');
    expect(markdown).toMatch(/1\. \*\*svc-late\*\*.*31%/);
    expect(markdown).toMatch(/2\. \*\*svc-first\*\*.*87%/);
    expect(markdown).toContain('`series:jvm_gc_pause_seconds{service="svc-first"}`');
  });

  it('names the kinds of telemetry that begin after the baseline, in the header of both formats and languages, and only then', () => {
    expect(markdown).not.toContain('Begin after the baseline');
    const late = { ...fabricatedReport(), signals_after_baseline: [{ signal: 'spans' as const, from: '2026-03-01T10:00:30.000Z' }, { signal: 'logs' as const, from: '2026-03-01T10:00:31.000Z' }] };
    const of = (request: ReportRequest) => buildReport({ report: late, dbPath: '/tmp/unused.duckdb' }, request).content;
    expect(of({ format: 'markdown' })).toContain('- Begin after the baseline (not compared): spans from 2026-03-01 10:00:30.000 UTC, logs from 2026-03-01 10:00:31.000 UTC\n');
    expect(of({ format: 'markdown', language: 'zh' })).toContain('- 基线期之后才开始(未参与对比): 链路 开始于 2026-03-01 10:00:30.000 UTC');
    expect(of({ format: 'html' })).toContain('<dt>Begin after the baseline (not compared)</dt><dd>spans from 2026-03-01 10:00:30.000 UTC, logs from 2026-03-01 10:00:31.000 UTC</dd>');
  });

  it('puts the earliest cause first on the timeline and breaker transitions in time order', () => {
    const timeline = markdown.slice(markdown.indexOf('## Timeline'));
    expect(timeline).toMatch(/### First anomaly\n\n- 2026-03-01 10:02:30.000 UTC: \*\*svc-first\*\*/);
    const opened = timeline.indexOf('closed → open');
    const halfOpened = timeline.indexOf('open → half-open');
    const closed = timeline.indexOf('half-open → closed');
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThan(halfOpened);
    expect(halfOpened).toBeLessThan(closed);
    expect(timeline).toContain('2026-03-01 10:05:00.000 UTC: svc-edge served cached prices');
  });

  it('lists services and the conversation with its citations', () => {
    expect(markdown).toMatch(/\| svc-edge \| 1200 \| 90 \| 40 \| 13 ms \| 2100 ms \|/);
    expect(markdown).toMatch(/\| svc-first \| .* \| – \|/);
    expect(markdown).toContain('### 1. Why did checkout fail?');
    expect(markdown).toContain('- breaker opened `log:1:40`');
  });

  it('translates every heading into Chinese when asked', () => {
    const chinese = build({ format: 'markdown', language: 'zh', answers: [{ question: '为什么失败？', answer }] });
    const headings = chinese.split('\n').filter((line) => /^#{1,3} /.test(line) && !/^### \d+\./.test(line));
    expect(headings.length).toBeGreaterThanOrEqual(9);
    for (const heading of headings) expect(heading, heading).not.toMatch(/[A-Za-z]{3,}/);
    expect(chinese).toContain('打开');
  });
});

describe('HTML report', () => {
  const file = buildReport({ report: fabricatedReport(), dbPath: '/tmp/unused.duckdb' }, { format: 'html', answers: [{ question: `Q ${HOSTILE}`, answer }] });
  const html = file.content;

  it('is an HTML file with the same sections', () => {
    expect(file.mime_type).toMatch(/^text\/html/);
    expect(file.file_name).toMatch(/\.html$/);
    for (const heading of ['Root causes', 'Timeline', 'First anomaly', 'Circuit breaker transitions', 'Deadline findings', 'Fallbacks', 'Services', 'Questions and answers']) {
      expect(html).toMatch(new RegExp(`<h[1-4]>${heading}</h[1-4]>`));
    }
    expect(html).toContain('svc-first');
    expect(html).toContain('work went on after the caller gave up');
  });

  it('draws the breaker timeline and each answer chart as inline SVG', () => {
    const svgs = html.match(/<svg[\s>]/g) ?? [];
    expect(svgs.length).toBe(2);
    expect(html).toContain('#e03131');
    expect(html).toContain('Errors per minute');
  });

  it('escapes telemetry text everywhere, including inside charts', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('loads nothing from elsewhere', () => {
    // Only real tags count: the hostile log line mentions a URL, as escaped text.
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href|xlink:href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).toContain("default-src 'none'");
  });

  it('drops images an answer chart would fetch', () => {
    const withImage: AskAnswer = {
      ...answer,
      charts: [{
          title: 'picture',
          option: { xAxis: {}, yAxis: {}, series: [{ type: 'scatter', symbol: 'image://http://evil.example/x.png', data: [[1, 2]] }] },
        },],
    };
    const page = build({ format: 'html', answers: [{ question: 'q', answer: withImage }] });
    expect(page).toContain('<figcaption>picture</figcaption>');
    expect(page).not.toMatch(/<[a-z][^>]*evil\.example/i);
  });

  it('renders an answer as Markdown, with evidence links to where the report lists them and no live markup', () => {
    const markdownAnswer: AskAnswer = {
      ...answer,
      answer: `## Why\n\n**svc-first** paused; see [the breaker log](log:1:40) and [the GC series](series:jvm_gc_pause_seconds{service="svc-first"}).\n\n- first point\n- ${HOSTILE}`,
    };
    const page = build({ format: 'html', answers: [{ question: 'q', answer: markdownAnswer }] });
    const answerPart = page.slice(page.indexOf('<div class="answer">'));
    expect(answerPart).toMatch(/<h[4-6]>Why<\/h[4-6]>/);
    expect(answerPart).toContain('<strong>svc-first</strong>');
    expect(answerPart).toMatch(/<ul><li>first point<\/li><li>&lt;script&gt;/);
    expect(page).not.toMatch(/<script|<img/i);
    for (const target of page.match(/href="#([^"]+)"/g) ?? []) {
      const id = /href="#([^"]+)"/.exec(target)![1]!;
      expect(page, `the anchor ${id} exists`).toContain(`id="${id}"`);
    }
    expect((page.match(/href="#/g) ?? []).length).toBe(2);
  });

  it('is in Chinese when asked', () => {
    const chinese = build({ format: 'html', language: 'zh' });
    expect(chinese).toContain('<html lang="zh-CN">');
    expect(chinese).toContain('<h2>根因</h2>');
    expect(chinese).toContain('<h3>熔断器状态变化</h3>');
  });
});
