import { describe, expect, it } from 'vitest';
import { LineChunks } from './lineChunks.js';

/** The chunks of `text`, fed in pieces of `piece` bytes. */
function chunksOf(text: string, size: number, piece: number): Buffer[] {
  const bytes = Buffer.from(text);
  const chunks = new LineChunks(size);
  const out: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += piece) {
    chunks.add(bytes.subarray(offset, offset + piece));
    for (let chunk = chunks.take(); chunk; chunk = chunks.take()) out.push(Buffer.from(chunk));
  }
  const rest = chunks.rest();
  if (rest) out.push(Buffer.from(rest));
  return out;
}

describe('LineChunks', () => {
  it('cuts after the first newline at or past the chunk size, keeping every byte in order', () => {
    const text = Array.from({ length: 50 }, (_, index) => `line ${index} 延迟€😀`).join('\n');
    for (const piece of [1, 7, 64, 10_000]) {
      const chunks = chunksOf(text, 40, piece);
      expect(Buffer.concat(chunks).toString()).toBe(text);
      for (const chunk of chunks.slice(0, -1)) {
        expect(chunk.at(-1)).toBe(0x0a);
        expect(chunk.length).toBeGreaterThanOrEqual(40);
        expect(chunk.subarray(0, -1).lastIndexOf(0x0a)).toBeLessThan(39);
      }
    }
  });

  it('grows a chunk until a line longer than the chunk size ends', () => {
    const long = 'x'.repeat(1000);
    expect(chunksOf(`a\n${long}\nb\n`, 16, 10).map((chunk) => chunk.toString())).toEqual([`a\n${long}\n`, 'b\n']);
  });

  it('hands out chunks in buffers of their own, which can be transferred', () => {
    const chunks = new LineChunks(4);
    chunks.add(Buffer.from('abcd\nefgh\nij'));
    const first = chunks.take()!;
    const second = chunks.take()!;
    expect(first.buffer).not.toBe(second.buffer);
    structuredClone(first, { transfer: [first.buffer as ArrayBuffer] });
    expect(Buffer.from(second).toString()).toBe('efgh\n');
    expect(chunks.take()).toBeNull();
    expect(Buffer.from(chunks.rest()!).toString()).toBe('ij');
    expect(chunks.rest()).toBeNull();
  });

  it('fills a buffer given back again instead of taking a new one', () => {
    const chunks = new LineChunks(4);
    chunks.add(Buffer.from('abcd\nef'));
    const first = chunks.take()!;
    chunks.recycle(first.buffer as ArrayBuffer);
    chunks.add(Buffer.from('gh\nij'));
    // the buffer gathering the rest was taken when the first chunk was cut off
    const second = chunks.take()!;
    expect(second.buffer).not.toBe(first.buffer);
    chunks.add(Buffer.from('kl\n'));
    const third = chunks.take()!;
    expect(third.buffer).toBe(first.buffer);
    expect([second, third].map((chunk) => Buffer.from(chunk).toString())).toEqual(['efgh\n', 'ijkl\n']);
  });
});
