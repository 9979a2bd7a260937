import { describe, expect, it } from 'vitest';
import { CsvHeader, csvRows, detectDelimiter, headerKey, splitCsvLine } from './csv.js';

async function* linesOf(text: string) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) yield { text: lines[i]!, line: i + 1 };
}

async function rowsOf(text: string, onUnterminated?: (line: number) => void) {
  const out: { fields: string[]; line: number }[] = [];
  for await (const row of csvRows(linesOf(text), onUnterminated)) out.push(row);
  return out;
}

describe('splitCsvLine', () => {
  it('splits plain, quoted and doubled-quote fields', () => {
    expect(splitCsvLine('a,b,,c').fields).toEqual(['a', 'b', '', 'c']);
    expect(splitCsvLine('1,"x, y","say ""hi""",z').fields).toEqual(['1', 'x, y', 'say "hi"', 'z']);
    expect(splitCsvLine('"{""log"":""a""}",2').fields).toEqual(['{"log":"a"}', '2']);
  });

  it('keeps a quote inside an unquoted field literally', () => {
    expect(splitCsvLine('a"b,c').fields).toEqual(['a"b', 'c']);
  });

  it('says when a quoted field is still open', () => {
    expect(splitCsvLine('1,"open').open).toBe(true);
    expect(splitCsvLine('1,"closed"').open).toBe(false);
  });
});

describe('csvRows', () => {
  it('joins physical lines inside quotes and numbers rows by their first line', async () => {
    const rows = await rowsOf('h1,h2\n1,"line one\nline two"\n2,x');
    expect(rows).toEqual([
      { fields: ['h1', 'h2'], line: 1 },
      { fields: ['1', 'line one\nline two'], line: 2 },
      { fields: ['2', 'x'], line: 4 },
    ]);
  });

  it('takes the delimiter from the header line', async () => {
    const rows = await rowsOf('a;b;c\n1;"2;3";4');
    expect(rows[1]!.fields).toEqual(['1', '2;3', '4']);
  });

  it('reports a quote that never closes and still reads the lines after it', async () => {
    const unterminated: number[] = [];
    const rows = await rowsOf('a,b\n1,"oops\n2,x\n3,y', (line) => unterminated.push(line));
    expect(unterminated).toEqual([2]);
    expect(rows.map((row) => row.fields)).toEqual([['a', 'b'], ['2', 'x'], ['3', 'y']]);
  });
});

describe('headers', () => {
  it('compares names without case, separators or unit suffixes', () => {
    expect(headerKey('Start_Time (ms)')).toBe('starttime');
    const header = new CsvHeader(['TraceID', 'span-id', 'Duration(us)']);
    expect(header.find('trace_id')).toBe(0);
    expect(header.find('nope', 'SpanId')).toBe(1);
    expect(header.find('duration')).toBe(2);
    expect(header.has('parent')).toBe(false);
  });

  it('detects comma, semicolon and tab delimiters', () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });
});
