import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodedHead, fileSource, formatInput, jsonErrorLine, jsonSyntaxErrorOffset, jsonValues, memorySource } from './read.js';
import { memoryInput } from './testdata/collect.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-read-'));

function write(name: string, bytes: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function lines(path: string): Promise<Array<[number, string]>> {
  const out: Array<[number, string]> = [];
  for await (const { text, line } of formatInput(fileSource(path, null)).lines()) out.push([line, text]);
  return out;
}

describe('line reader', () => {
  it('strips the BOM and CR, numbers lines from 1 and keeps a last line without newline', async () => {
    const path = write('crlf.txt', '\uFEFFfirst\r\n\r\nthird\r\nlast');
    expect(await lines(path)).toEqual([
      [1, 'first'],
      [2, ''],
      [3, 'third'],
      [4, 'last'],
    ]);
  });

  it('decodes gzip by its magic bytes, whatever the name', async () => {
    const path = write('no-extension', gzipSync(Buffer.from('\uFEFFa\nb\n')));
    expect(await lines(path)).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
  });

  it('decodes UTF-16 with a byte-order mark', async () => {
    const path = write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x=1\ny=2\n', 'utf16le')]));
    expect(await lines(path)).toEqual([
      [1, 'x=1'],
      [2, 'y=2'],
    ]);
  });

  it('keeps multi-byte characters whole across chunk boundaries and reports progress in stored bytes', async () => {
    const text = `${'a'.repeat(256 * 1024 - 1)}€ 延迟\nend\n`;
    const bytes = new TextEncoder().encode(text);
    const progress: number[] = [];
    const input = formatInput(memorySource('mem.txt', null, async () => bytes), (done) => progress.push(done));
    expect(await input.text()).toBe(text);
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress.length).toBeGreaterThan(1);
  });

  it('reads a fresh stream on every call', async () => {
    const input = formatInput(fileSource(write('twice.txt', 'one\ntwo\n'), null));
    expect(await input.text()).toBe('one\ntwo\n');
    expect(await input.text()).toBe('one\ntwo\n');
  });

  it('gives the head of a compressed file decoded', async () => {
    const path = write('big.gz', gzipSync(Buffer.from('x'.repeat(200_000))));
    expect(await decodedHead(fileSource(path, null), 1000)).toBe('x'.repeat(1000));
  });

  it('fails with the file system error when the file is gone', async () => {
    await expect(formatInput(fileSource(join(dir, 'missing'), null)).text()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('jsonValues', () => {
  async function collect(text: string) {
    const issues: Array<[number, string]> = [];
    const values: Array<[number, unknown]> = [];
    for await (const { value, line } of jsonValues(memoryInput('x.json', text), (line, message) => issues.push([line, message]))) values.push([line, value]);
    return { issues, values };
  }

  it('reads JSON lines, reporting a broken first line without giving up', async () => {
    const { issues, values } = await collect('{"a":1,}\n{"b":2}\n\n{"c":3}');
    expect(values).toEqual([
      [2, { b: 2 }],
      [4, { c: 3 }],
    ]);
    expect(issues.map(([line]) => line)).toEqual([1]);
  });

  it('reads a pretty-printed document, and the elements of an array document', async () => {
    expect((await collect('{\n  "a": [1,\n 2]\n}\n')).values).toEqual([[1, { a: [1, 2] }]]);
    expect((await collect('[\n{"a":1},\n{"a":2}\n]')).values).toEqual([
      [1, { a: 1 }],
      [2, { a: 2 }],
    ]);
  });

  it('reports the line of a syntax error in a document', async () => {
    const { issues, values } = await collect('{\n  "a": 1,\n  "b": [1, 2,,]\n}');
    expect(values).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]![0]).toBe(3);
  });
});

describe('JSON syntax error location', () => {
  it.each([
    ['{"a":1}', null],
    ['{"a":1', 5],
    ['[1,2,]', 5],
    ['{"a" 1}', 5],
    ['{"a":"x\ny"}', 7],
    ['{"a":tru}', 5],
  ])('%j -> %s', (text, offset) => expect(jsonSyntaxErrorOffset(text)).toBe(offset));

  it('turns an offset into a line', () => {
    const text = '{\n"a":\n}';
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (caught) {
      error = caught;
    }
    expect(jsonErrorLine(text, error)).toBe(3);
  });
});
