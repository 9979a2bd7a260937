import { createHash } from 'node:crypto';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { HEAD_CHARS, detectFormat, unknownFormatMessage } from './detect.js';
import type { FormatInput, TelemetryFormat } from './format.js';
import { lazyFileSha256 } from './fingerprint.js';
import { FORMATS } from './formats/index.js';
import { decodedHead, errorMessage, fileSource, formatInput, isZip, memorySource, type StoredSource } from './read.js';
import type { Sink } from './records.js';
import type { TimeZone } from './timezone.js';

export { FORMATS };
export { parseTimeZone, TimeZoneError, UTC, type TimeZone } from './timezone.js';

export interface PlannedFile {
  /** Display path; archive members as "archive.zip/member.json". */
  path: string;
  /** Bytes of the file as stored (compressed size for .gz; a zip member's own size). */
  size: number;
  /** Of the stored bytes (for dedupe); a file's is computed once first awaited, on a worker thread when big. */
  sha256: PromiseLike<string>;
  format: TelemetryFormat | null;
  /** Why it cannot be imported: unreadable, empty, binary, unknown format. */
  problem: string | null;
  /** Fresh decoded input each call; reports progress in stored bytes. */
  open(onBytes?: (bytesDone: number) => void, timezone?: TimeZone): FormatInput;
}

/** Files, folders (recursive, skipping hidden entries), .gz and .zip (members expanded), in order. */
export async function planImport(paths: string[]): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  const seen = new Set<string>();
  const visitedFolders = new Set<string>();
  for (const path of paths) {
    for (const file of await filesUnder(path, visitedFolders)) {
      // a file named twice (itself and through its folder) is planned once
      if (seen.has(file)) continue;
      seen.add(file);
      planned.push(...(await planPath(file)));
    }
  }
  return planned;
}

/** The files a path stands for: itself, or for a folder every visible file below it, sorted. */
async function filesUnder(path: string, visitedFolders: Set<string>): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return [path];
  }
  if (!info.isDirectory()) return [path];
  // symbolic links can make a folder its own descendant
  const identity = `${info.dev}:${info.ino}`;
  if (visitedFolders.has(identity)) return [];
  visitedFolders.add(identity);
  let entries: string[];
  try {
    entries = (await readdir(path)).sort();
  } catch {
    return [path];
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (isHidden(entry)) continue;
    files.push(...(await filesUnder(join(path, entry), visitedFolders)));
  }
  return files;
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX';
}

function unreadable(path: string, size: number, problem: string): PlannedFile {
  return { path, size, sha256: Promise.resolve(''), format: null, problem, open: (onBytes, timezone) => formatInput(fileSource(path, null), onBytes, timezone) };
}

async function planPath(path: string): Promise<PlannedFile[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return [unreadable(path, 0, `unreadable: ${errorMessage(error)}`)];
  }
  if (info.isDirectory()) return [];
  if (!info.isFile()) return [unreadable(path, 0, 'unreadable: not a regular file')];
  const modifiedNs = BigInt(Math.round(info.mtimeMs)) * 1_000_000n;
  let magic: Uint8Array;
  try {
    magic = await firstBytes(path, 4);
  } catch (error) {
    return [unreadable(path, info.size, `unreadable: ${errorMessage(error)}`)];
  }
  if (info.size === 0) return [unreadable(path, 0, 'empty file')];
  if (isZip(magic)) return planArchive(path, modifiedNs);
  return [await planSource(fileSource(path, modifiedNs), info.size, lazyFileSha256(path, info.size))];
}

async function firstBytes(path: string, count: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Detects the format of one stored source and wraps it as a PlannedFile. */
async function planSource(source: StoredSource, size: number, sha256: PromiseLike<string>, headSource: StoredSource = source): Promise<PlannedFile> {
  const base = { path: source.path, size, sha256, open: (onBytes?: (bytesDone: number) => void, timezone?: TimeZone) => formatInput(source, onBytes, timezone) };
  let head: string;
  try {
    head = await decodedHead(headSource, HEAD_CHARS);
  } catch (error) {
    return { ...base, format: null, problem: `unreadable: ${errorMessage(error)}` };
  }
  const problem = contentProblem(head);
  if (problem) return { ...base, format: null, problem };
  const { format } = detectFormat(head, source.path);
  return { ...base, format, problem: format ? null : unknownFormatMessage() };
}

function contentProblem(head: string): string | null {
  if (head.trim() === '') return 'empty file';
  if (head.includes('\u0000')) return 'binary file (not text)';
  let replaced = 0;
  for (let index = head.indexOf('\uFFFD'); index !== -1; index = head.indexOf('\uFFFD', index + 1)) replaced += 1;
  // a few bad bytes happen in real logs; a large share means this is not text at all
  if (replaced > 16 && replaced / head.length > 0.05) return 'binary file (not UTF-8 text)';
  return null;
}

/**
 * Every visible member of a .zip as its own file. Members are decompressed one at a time, at plan
 * time to hash and sniff them and again when opened, so no more than one is held in memory.
 */
async function planArchive(path: string, modifiedNs: bigint): Promise<PlannedFile[]> {
  let archive: Uint8Array;
  const members: UnzipFileInfo[] = [];
  try {
    archive = await readFile(path);
    unzipSync(archive, {
      filter: (member) => {
        members.push(member);
        return false;
      },
    });
  } catch (error) {
    return [unreadable(path, 0, `unreadable: not a valid zip archive (${errorMessage(error)})`)];
  }
  const planned: PlannedFile[] = [];
  for (const member of members) {
    if (member.name.endsWith('/') || member.name.split('/').some(isHidden)) continue;
    const displayPath = `${path}/${member.name}`;
    const extract = (bytes: Uint8Array): Uint8Array => {
      const out = unzipSync(bytes, { filter: (candidate) => candidate.name === member.name })[member.name];
      if (!out) throw new Error(`${basename(path)} has no member ${member.name}`);
      return out;
    };
    let bytes: Uint8Array;
    try {
      bytes = extract(archive);
    } catch (error) {
      planned.push(unreadable(displayPath, member.size, `unreadable: ${errorMessage(error)}`));
      continue;
    }
    if (bytes.length === 0) {
      planned.push(unreadable(displayPath, 0, 'empty file'));
      continue;
    }
    const sha256 = Promise.resolve(createHash('sha256').update(bytes).digest('hex'));
    if (isZip(bytes)) {
      planned.push({ ...unreadable(displayPath, bytes.length, 'a zip inside a zip is not expanded: unpack the outer archive first'), sha256 });
      continue;
    }
    const source = memorySource(displayPath, modifiedNs, async () => extract(await readFile(path)));
    const extracted = bytes;
    planned.push(await planSource(source, bytes.length, sha256, memorySource(displayPath, modifiedNs, async () => extracted)));
  }
  return planned;
}

/** Issues beyond this many per file are counted, not listed: a broken file must not flood memory. */
export const MAX_ISSUES_PER_FILE = 1000;

/** Marks errors thrown by the sink so they are passed on, never taken for a parser's fault. */
class SinkFailure extends Error {
  constructor(readonly original: unknown) {
    super(errorMessage(original));
  }
}

function guardedSink(sink: Sink): { sink: Sink; finish(): void } {
  let issues = 0;
  const wrap =
    <T>(write: (batch: T[]) => void | Promise<void>) =>
    async (batch: T[]): Promise<void> => {
      try {
        await write(batch);
      } catch (error) {
        throw new SinkFailure(error);
      }
    };
  return {
    sink: {
      spans: wrap((batch) => sink.spans(batch)),
      logs: wrap((batch) => sink.logs(batch)),
      metricPoints: wrap((batch) => sink.metricPoints(batch)),
      issue: (issue) => {
        issues += 1;
        if (issues <= MAX_ISSUES_PER_FILE) sink.issue(issue);
      },
    },
    finish: () => {
      if (issues > MAX_ISSUES_PER_FILE) sink.issue({ line: 0, message: `${issues - MAX_ISSUES_PER_FILE} more problems not listed` });
    },
  };
}

/** Node's system errors (ENOENT, EACCES, EIO...) mean the file could not be read. */
function isIoError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !code.startsWith('Z_');
}

/** Choices that hold for every file of one import. */
export interface ParseOptions {
  /** The zone of timestamps written without one; UTC when absent. */
  timezone?: TimeZone;
}

/**
 * Parses one planned file into the sink. Bad content never throws: it becomes `sink.issue` (line 0
 * for problems with the whole file). Throws only when the file cannot be read or the sink fails.
 */
export async function parseFile(file: PlannedFile, sink: Sink, onBytes?: (bytesDone: number) => void, options: ParseOptions = {}): Promise<void> {
  if (!file.format) {
    sink.issue({ line: 0, message: file.problem ?? unknownFormatMessage() });
    return;
  }
  const guarded = guardedSink(sink);
  try {
    await file.format.parse(file.open(onBytes, options.timezone), guarded.sink);
  } catch (error) {
    if (error instanceof SinkFailure) throw error.original;
    if (isIoError(error)) throw error;
    const zlibCode = (error as { code?: unknown } | null)?.code;
    const message = typeof zlibCode === 'string' ? `compressed data is corrupt (${errorMessage(error)}); the rest of the file was not read` : `${file.format.label}: ${errorMessage(error)}`;
    guarded.sink.issue({ line: 0, message });
  } finally {
    guarded.finish();
  }
}
