import { describe, expect, it } from 'vitest';
import { answerHtml, refAnchorId } from './answerHtml.js';

const noAnchors = () => null;

describe('answerHtml', () => {
  it('renders headings, lists, bold, italic, code, quotes, tables and fenced code', () => {
    const html = answerHtml(
      [
        '## Root cause',
        '',
        '**payments** ran out of *connections*; see `pool.max`.',
        '',
        '- first',
        '- second',
        '',
        '1. one',
        '2. two',
        '',
        '> quoted',
        '',
        '| a | b |',
        '| --- | --- |',
        '| 1 | 2 |',
        '',
        '```',
        'SELECT 1',
        '```',
      ].join('\n'),
      noAnchors,
    );
    expect(html).toContain('<h5>Root cause</h5>');
    expect(html).toContain('<p><strong>payments</strong> ran out of <em>connections</em>; see <code>pool.max</code>.</p>');
    expect(html).toContain('<ul><li>first</li><li>second</li></ul>');
    expect(html).toContain('<ol><li>one</li><li>two</li></ol>');
    expect(html).toContain('<blockquote><p>quoted</p></blockquote>');
    expect(html).toContain('<table><thead><tr><th scope="col">a</th><th scope="col">b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>');
    expect(html).toContain('<pre><code>SELECT 1</code></pre>');
  });

  it('shows raw HTML from telemetry as text, in every construct', () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const html = answerHtml(`# ${hostile}\n\n**${hostile}** \`${hostile}\`\n\n- ${hostile}\n\n\`\`\`\n${hostile}\n\`\`\`\n\n[${hostile}](https://example.com/"onmouseover="x)`, noAnchors);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/href="[^"]*"onmouseover/);
  });

  it('links evidence to its place in the report, and keeps unsafe link targets as plain text', () => {
    const anchor = (ref: string) => (ref === 'span:abc/def' ? refAnchorId(ref) : null);
    const html = answerHtml('[slow call](span:abc/def) [gone](log:1:2) [bad](javascript:alert(1)) [docs](https://example.com/x)', anchor);
    expect(html).toContain(`<a href="#${refAnchorId('span:abc/def')}" title="span:abc/def">slow call</a>`);
    expect(html).toContain('gone <code>log:1:2</code>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://example.com/x" rel="noreferrer noopener">docs</a>');
  });

  it('gives each evidence reference a distinct id made of safe characters', () => {
    const ids = ['span:a/b', 'span:a.b', 'series:x{a="1"}', 'log:1:2'].map(refAnchorId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_.-]+$/);
  });
});
