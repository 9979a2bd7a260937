/**
 * A small CSV reader for telemetry exports: RFC 4180 quoting (quoted fields, doubled quotes, newlines
 * inside quotes), comma, semicolon or tab delimiters, and header lookup by the many names exporters use.
 */

export interface CsvRow {
  fields: string[];
  /** 1-based line where the row starts. */
  line: number;
}

export type CsvDelimiter = ',' | ';' | '\t';

const QUOTE = 34;

/** The delimiter of a header line: the candidate that splits it into the most fields. */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t'] as const) {
    const count = splitCsvLine(headerLine, candidate).fields.length;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Splits one physical line. `open` is true when a quoted field is still open at the end of the line,
 * so the caller must append the next line (with its newline) and split again.
 */
export function splitCsvLine(text: string, delimiter: CsvDelimiter = ','): { fields: string[]; open: boolean } {
  if (!text.includes('"')) return { fields: text.split(delimiter), open: false };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const quote = text.indexOf('"', j);
        if (quote < 0) {
          fields.push(value + text.slice(j));
          return { fields, open: true };
        }
        value += text.slice(j, quote);
        if (text.charCodeAt(quote + 1) === QUOTE) {
          value += '"';
          j = quote + 2;
        } else {
          j = quote + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept as written.
      const next = text.indexOf(delimiter, j);
      fields.push(value + text.slice(j, next < 0 ? undefined : next));
      if (next < 0) return { fields, open: false };
      i = next + 1;
    } else {
      const next = text.indexOf(delimiter, i);
      fields.push(text.slice(i, next < 0 ? undefined : next));
      if (next < 0) return { fields, open: false };
      i = next + 1;
    }
  }
}

/** The most physical lines one quoted field may span before the row is reported as unterminated. */
const MAX_ROW_LINES = 10_000;

/**
 * Rows of a CSV stream, joining physical lines while a quoted field is open. An unterminated quote is
 * given up after MAX_ROW_LINES lines; `onUnterminated` hears the row's first line, and reading
 * resumes on the line after it so one stray quote cannot swallow the rest of the file. The delimiter
 * is taken from the first non-empty line unless given.
 */
export async function* csvRows(
  lines: AsyncIterable<{ text: string; line: number }>,
  onUnterminated?: (line: number) => void,
  fixedDelimiter?: CsvDelimiter,
): AsyncGenerator<CsvRow> {
  let delimiter: CsvDelimiter = fixedDelimiter ?? ',';
  let first = fixedDelimiter === undefined;
  let pending: { text: string; line: number; parts: { text: string; line: number }[] } | null = null;
  for await (const physical of lines) {
    if (first && physical.text.trim().length > 0) {
      delimiter = detectDelimiter(physical.text);
      first = false;
    }
    if (pending) {
      pending.text += '\n' + physical.text;
      pending.parts.push(physical);
      // A line without a quote cannot close the open field, so the row need not be split again yet.
      const split = physical.text.includes('"') ? splitCsvLine(pending.text, delimiter) : { fields: [], open: true };
      if (!split.open) {
        yield { fields: split.fields, line: pending.line };
        pending = null;
      } else if (pending.parts.length > MAX_ROW_LINES) {
        onUnterminated?.(pending.line);
        const rest = pending.parts.slice(1);
        pending = null;
        for (const row of resplit(rest, delimiter, onUnterminated)) yield row;
      }
      continue;
    }
    const split = splitCsvLine(physical.text, delimiter);
    if (split.open) pending = { text: physical.text, line: physical.line, parts: [physical] };
    else yield { fields: split.fields, line: physical.line };
  }
  if (pending) {
    onUnterminated?.(pending.line);
    for (const row of resplit(pending.parts.slice(1), delimiter, onUnterminated)) yield row;
  }
}

/** After a runaway quote, reads the lines it swallowed as ordinary rows (without joining). */
function* resplit(parts: { text: string; line: number }[], delimiter: CsvDelimiter, onUnterminated?: (line: number) => void): Generator<CsvRow> {
  for (const part of parts) {
    const split = splitCsvLine(part.text, delimiter);
    if (split.open) onUnterminated?.(part.line);
    else yield { fields: split.fields, line: part.line };
  }
}

/** Header names compared without case, spaces, underscores, dashes, dots or unit suffixes like "(ms)". */
export function headerKey(name: string): string {
  return name
    .trim()
    .replace(/\(.*?\)\s*$/, '')
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');
}

/** Maps header names to column indexes; `find` returns the first of several accepted names present. */
export class CsvHeader {
  readonly names: string[];
  private readonly index = new Map<string, number>();

  constructor(names: string[]) {
    this.names = names.map((name) => name.trim());
    this.names.forEach((name, i) => {
      const key = headerKey(name);
      if (!this.index.has(key)) this.index.set(key, i);
    });
  }

  find(...candidates: string[]): number | undefined {
    for (const candidate of candidates) {
      const i = this.index.get(headerKey(candidate));
      if (i !== undefined) return i;
    }
    return undefined;
  }

  has(...candidates: string[]): boolean {
    return this.find(...candidates) !== undefined;
  }
}

/** The header row and delimiter of the first non-empty line of `head`, or null if there is none. */
export function readHeader(head: string): { header: CsvHeader; delimiter: CsvDelimiter } | null {
  const first = head.replace(/^\uFEFF/, '').split(/\r?\n/).find((line) => line.trim().length > 0);
  if (!first) return null;
  const delimiter = detectDelimiter(first);
  return { header: new CsvHeader(splitCsvLine(first, delimiter).fields), delimiter };
}

/** The non-empty lines of `head` after the header (the last, possibly cut-off line dropped). */
export function sampleDataLines(head: string, max = 20): string[] {
  const lines = head.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 1) lines.pop();
  return lines.filter((line) => line.trim().length > 0).slice(1, max + 1);
}
