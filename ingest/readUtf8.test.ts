import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource, formatInput, type StoredSource } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-utf8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('UTF-8 byte reader', () => {
  it('gives the decoded text as UTF-8 bytes: BOM dropped, line ends kept, gzip and UTF-16 undone', async () => {
    const utf8 = async (source: StoredSource): Promise<string> => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of formatInput(source).utf8!()) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    };
    expect(await utf8(fileSource(write('bom.txt', '\uFEFFfirst 延迟\r\nlast'), null))).toBe('first 延迟\r\nlast');
    expect(await utf8(fileSource(write('bom.gz', gzipSync(Buffer.from('\uFEFFa\nb\n'))), null))).toBe('a\nb\n');
    expect(await utf8(fileSource(write('utf16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('x=€\ny=😀\n', 'utf16le').swap16()])), null))).toBe('x=€\ny=😀\n');
    // a BOM split over the stream's first pieces is still dropped
    const pieces: StoredSource = { path: 'pieces.txt', modifiedNs: null, openStored: () => Readable.from([Buffer.from([0xef]), Buffer.from([0xbb]), Buffer.from([0xbf, 0x61]), Buffer.from('\nb')]) };
    expect(await utf8(pieces)).toBe('a\nb');
    expect(await utf8(fileSource(write('empty.txt', ''), null))).toBe('');
  });

});
