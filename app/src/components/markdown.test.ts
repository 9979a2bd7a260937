import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './markdown.js';

describe('parseInline', () => {
  it('reads bold, italic, code and links', () => {
    expect(parseInline('a **b** *c* `d` [e](https://x.test/)')).toEqual([
      { type: 'text', text: 'a ' },
      { type: 'strong', children: [{ type: 'text', text: 'b' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'c' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'd' },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'https://x.test/', children: [{ type: 'text', text: 'e' }] },
    ]);
  });

  it('turns evidence links into references and drops unsafe targets to their text', () => {
    expect(parseInline('[trace](trace:abc)')).toEqual([{ type: 'ref', ref: 'trace:abc', children: [{ type: 'text', text: 'trace' }] }]);
    const unsafe = parseInline('[click](javascript:alert(1))');
    expect(unsafe.some((node) => node.type === 'link' || node.type === 'ref')).toBe(false);
  });

  it('keeps markup characters that do not close as plain text', () => {
    expect(parseInline('2 * 3 and snake_case_name and `open')).toEqual([{ type: 'text', text: '2 * 3 and snake_case_name and `open' }]);
  });

  it('passes HTML through as text', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ type: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });
});

describe('parseMarkdown', () => {
  it('splits headings, paragraphs, lists, code and tables', () => {
    const blocks = parseMarkdown(
      ['# Title', '', 'one', 'two', '', '- a', '- b', '  continued', '1. x', '```', '<b>raw</b>', '```', '| h1 | h2 |', '|---|---|', '| c1 | c2 |'].join('\n'),
    );
    expect(blocks.map((block) => block.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'code', 'table']);
    expect(blocks[1]).toEqual({ type: 'paragraph', children: [{ type: 'text', text: 'one two' }] });
    expect(blocks[2]).toEqual({ type: 'list', ordered: false, items: [[{ type: 'text', text: 'a' }], [{ type: 'text', text: 'b continued' }]] });
    expect(blocks[4]).toEqual({ type: 'code', text: '<b>raw</b>' });
    const table = blocks[5];
    expect(table?.type === 'table' && table.rows.length).toBe(1);
  });
});
