import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lazyFileSha256 } from './fingerprint.js';

const dir = mkdtempSync(join(tmpdir(), 'causeway-fingerprint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lazyFileSha256', () => {
  it('hashes small files here and big ones on a worker thread, to the same sha256', async () => {
    for (const size of [10, 20 << 20]) {
      const bytes = Buffer.alloc(size, 'causeway ');
      const path = join(dir, `${size}.bin`);
      writeFileSync(path, bytes);
      expect(await lazyFileSha256(path, size)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('reads nothing until awaited, then reports a file it cannot read by name', async () => {
    const path = join(dir, 'later.bin');
    const fingerprint = lazyFileSha256(path, 32 << 20);
    writeFileSync(path, 'written after planning');
    expect(await fingerprint).toBe(createHash('sha256').update('written after planning').digest('hex'));
    await expect(lazyFileSha256(join(dir, 'missing.bin'), 32 << 20)).rejects.toThrow(/could not read .*missing\.bin/);
  });
});
