/**
 * Answers are Markdown written by an analyst that quotes telemetry, so they are untrusted text. This
 * renders a small, safe subset (headings, paragraphs, lists, block quotes, tables, fenced code, bold,
 * italic, inline code, links) by escaping every piece of text first and only then wrapping it in
 * tags this file writes itself: raw HTML in an answer stays visible text, never markup.
 */
import { escapeHtml } from './escape.js';

const SAFE_URL = /^(https?:|mailto:)/i;
const EVIDENCE_REF = /^(span|trace|log|series|event):\S/;

/** Where an evidence reference points inside the report: the element listing it, when the report lists it. */
export type RefAnchor = (ref: string) => string | null;

/** An element id for an evidence reference: letters, digits, '-' and '_' kept, anything else spelled as its code point. */
export function refAnchorId(ref: string): string {
  return `ref-${[...ref].map((char) => (/[A-Za-z0-9_-]/.test(char) ? char : `.${char.codePointAt(0)!.toString(16)}.`)).join('')}`;
}

function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '[') depth += 1;
    else if (text[i] === ']') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function link(href: string, label: string, anchor: RefAnchor): string {
  if (EVIDENCE_REF.test(href)) {
    const id = anchor(href);
    // A reference the report lists links there; one it does not is spelled out, so it can still be looked up.
    return id ? `<a href="#${escapeHtml(id)}" title="${escapeHtml(href)}">${label}</a>` : `${label} <code>${escapeHtml(href)}</code>`;
  }
  if (SAFE_URL.test(href)) return `<a href="${escapeHtml(href)}" rel="noreferrer noopener">${label}</a>`;
  return label;
}

export function inlineHtml(text: string, anchor: RefAnchor): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith('`')) {
      const end = text.indexOf('`', i + 1);
      if (end > i) {
        out += `<code>${escapeHtml(text.slice(i + 1, end))}</code>`;
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('**') || rest.startsWith('__')) {
      const end = text.indexOf(rest.slice(0, 2), i + 2);
      if (end > i + 2) {
        out += `<strong>${inlineHtml(text.slice(i + 2, end), anchor)}</strong>`;
        i = end + 2;
        continue;
      }
    }
    if ((rest.startsWith('*') || rest.startsWith('_')) && /\S/.test(rest[1] ?? '')) {
      const marker = rest[0]!;
      const end = text.indexOf(marker, i + 1);
      const insideWord = marker === '_' && /\w/.test(text[i - 1] ?? '');
      if (end > i + 1 && !insideWord && /\S/.test(text[end - 1] ?? '')) {
        out += `<em>${inlineHtml(text.slice(i + 1, end), anchor)}</em>`;
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('[')) {
      const close = closingBracket(text, i);
      if (close > i && text[close + 1] === '(') {
        const end = text.indexOf(')', close + 2);
        if (end > close) {
          out += link(text.slice(close + 2, end).trim(), inlineHtml(text.slice(i + 1, close), anchor), anchor);
          i = end + 1;
          continue;
        }
      }
    }
    const next = text.slice(i + 1).search(/[`*_[]/);
    const stop = next < 0 ? text.length : i + 1 + next;
    out += escapeHtml(text.slice(i, stop));
    i = stop;
  }
  return out;
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;
const FENCE = /^\s*```/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

/**
 * An answer as HTML. Headings start at `baseLevel` (the answer sits under a heading of its own);
 * links to evidence references go to `anchor(ref)` inside the report.
 */
export function answerHtml(source: string, anchor: RefAnchor, baseLevel = 4): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inlineHtml(paragraph.join(' '), anchor)}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      for (i += 1; i < lines.length && !FENCE.test(lines[i]!); i += 1) code.push(lines[i]!);
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, baseLevel + heading[1]!.length - 1);
      out.push(`<h${level}>${inlineHtml(heading[2]!, anchor)}</h${level}>`);
      continue;
    }
    if (TABLE_ROW.test(line) && TABLE_RULE.test(lines[i + 1] ?? '')) {
      flush();
      const head = cells(line).map((cell) => `<th scope="col">${inlineHtml(cell, anchor)}</th>`).join('');
      const rows: string[] = [];
      for (i += 2; i < lines.length && TABLE_ROW.test(lines[i]!); i += 1) {
        rows.push(`<tr>${cells(lines[i]!).map((cell) => `<td>${inlineHtml(cell, anchor)}</td>`).join('')}</tr>`);
      }
      i -= 1;
      out.push(`<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`);
      continue;
    }
    if (QUOTE.test(line)) {
      flush();
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]!); i += 1) quoted.push(QUOTE.exec(lines[i]!)![1]!);
      i -= 1;
      out.push(`<blockquote>${answerHtml(quoted.join('\n'), anchor, baseLevel)}</blockquote>`);
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (ordered || BULLET.test(line)) {
      flush();
      const pattern = ordered ? NUMBERED : BULLET;
      const items: string[] = [];
      let current: string[] = [];
      for (; i < lines.length; i += 1) {
        const itemLine = lines[i]!;
        const item = pattern.exec(itemLine);
        if (item) {
          if (current.length) items.push(current.join(' '));
          current = [item[1]!];
        } else if (itemLine.trim() && /^\s+/.test(itemLine) && !BULLET.test(itemLine) && !NUMBERED.test(itemLine)) {
          current.push(itemLine.trim());
        } else break;
      }
      if (current.length) items.push(current.join(' '));
      i -= 1;
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((item) => `<li>${inlineHtml(item, anchor)}</li>`).join('')}</${tag}>`);
      continue;
    }
    paragraph.push(line.trim());
  }
  flush();
  return out.join('');
}
