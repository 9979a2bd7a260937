/**
 * A deliberately small Markdown reader for answers: paragraphs, headings, lists, tables, fenced
 * code, bold, italic, inline code and links. It produces a tree that the renderer turns into React
 * elements, so no text from the model or the telemetry is ever parsed as HTML.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  /** A link whose target is an evidence reference (span:, trace:, log:, series:, event:). */
  | { type: 'ref'; ref: string; children: Inline[] };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'code'; text: string }
  | { type: 'table'; header: Inline[][]; rows: Inline[][][] };

const SAFE_URL = /^(https?:|mailto:)/i;
const REF_SCHEME = /^(span|trace|log|series|event):\S/;

function pushText(out: Inline[], text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last?.type === 'text') last.text += text;
  else out.push({ type: 'text', text });
}

/** The index of the `]` closing the `[` at `open`, honouring nesting. */
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

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith('`')) {
      const end = text.indexOf('`', i + 1);
      if (end > i) {
        out.push({ type: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('**') || rest.startsWith('__')) {
      const marker = rest.slice(0, 2);
      const end = text.indexOf(marker, i + 2);
      if (end > i + 2) {
        out.push({ type: 'strong', children: parseInline(text.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((rest.startsWith('*') || rest.startsWith('_')) && /\S/.test(rest[1] ?? '')) {
      const marker = rest[0] ?? '*';
      const end = text.indexOf(marker, i + 1);
      const wordInside = marker === '_' && /\w/.test(text[i - 1] ?? '');
      if (end > i + 1 && !wordInside && /\S/.test(text[end - 1] ?? '')) {
        out.push({ type: 'em', children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (rest.startsWith('[')) {
      const close = closingBracket(text, i);
      if (close > i && text[close + 1] === '(') {
        const end = text.indexOf(')', close + 2);
        if (end > close) {
          const href = text.slice(close + 2, end).trim();
          const children = parseInline(text.slice(i + 1, close));
          if (REF_SCHEME.test(href)) out.push({ type: 'ref', ref: href, children });
          else if (SAFE_URL.test(href)) out.push({ type: 'link', href, children });
          else out.push(...children);
          i = end + 1;
          continue;
        }
      }
    }
    const next = text.slice(i + 1).search(/[`*_[]/);
    const stop = next < 0 ? text.length : i + 1 + next;
    pushText(out, text.slice(i, stop));
    i = stop;
  }
  return out;
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const FENCE = /^\s*```/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function tableCells(line: string): Inline[][] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => parseInline(cell.trim()));
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !FENCE.test(lines[i] ?? '')) code.push(lines[i++] ?? '');
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: 'heading', level: heading[1]?.length ?? 1, children: parseInline(heading[2] ?? '') });
      continue;
    }
    if (TABLE_ROW.test(line) && TABLE_RULE.test(lines[i + 1] ?? '')) {
      flush();
      const header = tableCells(line);
      const rows: Inline[][][] = [];
      i += 2;
      while (i < lines.length && TABLE_ROW.test(lines[i] ?? '')) rows.push(tableCells(lines[i++] ?? ''));
      i -= 1;
      blocks.push({ type: 'table', header, rows });
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (ordered || BULLET.test(line)) {
      flush();
      const pattern = ordered ? NUMBERED : BULLET;
      const items: Inline[][] = [];
      let current: string[] = [];
      for (; i < lines.length; i += 1) {
        const itemLine = lines[i] ?? '';
        const item = pattern.exec(itemLine);
        if (item) {
          if (current.length) items.push(parseInline(current.join(' ')));
          current = [item[1] ?? ''];
        } else if (itemLine.trim() && /^\s+/.test(itemLine) && !BULLET.test(itemLine) && !NUMBERED.test(itemLine)) {
          current.push(itemLine.trim());
        } else break;
      }
      if (current.length) items.push(parseInline(current.join(' ')));
      i -= 1;
      blocks.push({ type: 'list', ordered, items });
      continue;
    }
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}
