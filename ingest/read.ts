import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { FormatInput } from './format.js';
import type { TimeZone } from './timezone.js';

/**
 * Where a file's stored bytes come from: a file on disk, or a member already taken out of an
 * archive. `openStored` must return a fresh stream each call.
 */
export interface StoredSource {
  /** Display path: archive members are "archive.zip/member.json". */
  readonly path: string;
  /** Modification time of the file (of the archive for members), when known. */
  readonly modifiedNs: bigint | null;
  openStored(): Readable;
}

/**
 * A FormatInput that also says when the file was last modified. Formats whose records may carry no
 * timestamp (a Prometheus scrape) use it; `FormatInput` itself has no such field.
 */
export interface StoredInput extends FormatInput {
  readonly modifiedNs: bigint | null;
}

export function hasModifiedTime(input: FormatInput): input is StoredInput {
  return 'modifiedNs' in input;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isGzip(bytes: Uint8Array): boolean {
  return startsWith(bytes, GZIP_MAGIC);
}

export function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, ZIP_MAGIC);
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}

/** UTF-16 with a byte-order mark (what Windows PowerShell redirection writes), otherwise UTF-8. */
function encodingOf(firstBytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (firstBytes[0] === 0xff && firstBytes[1] === 0xfe) return 'utf-16le';
  if (firstBytes[0] === 0xfe && firstBytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** The stored bytes, counting them for `onBytes` as they are consumed. */
async function* countedBytes(stored: Readable, onBytes: ((bytesDone: number) => void) | undefined): AsyncGenerator<Buffer> {
  let done = 0;
  for await (const chunk of stored as AsyncIterable<Buffer>) {
    done += chunk.length;
    onBytes?.(done);
    yield chunk;
  }
}

/**
 * The decompressed bytes of a stored stream: gzip is detected by its magic bytes (so a .gz without
 * the extension still works). Progress counts stored (compressed) bytes.
 */
async function* plainBytes(source: StoredSource, onBytes?: (bytesDone: number) => void): AsyncGenerator<Buffer> {
  const stored = source.openStored();
  const storedBytes = countedBytes(stored, onBytes);
  let gunzip: Readable | null = null;
  try {
    const first = await storedBytes.next();
    if (first.done) return;
    const whole = (async function* rejoined() {
      yield first.value;
      yield* storedBytes;
    })();
    if (isGzip(first.value)) {
      const inflater = createGunzip();
      gunzip = inflater;
      // pipeline destroys the gunzip stream with the error of either side, so iterating it rejects
      pipeline(Readable.from(whole), inflater, () => undefined);
      yield* inflater as AsyncIterable<Buffer>;
    } else {
      yield* whole;
    }
  } finally {
    stored.destroy();
    gunzip?.destroy();
  }
}

/** The decoded text of a stored stream, chunk by chunk, BOM dropped, split characters kept whole. */
export async function* decodedChunks(source: StoredSource, onBytes?: (bytesDone: number) => void): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  for await (const chunk of plainBytes(source, onBytes)) {
    decoder ??= new TextDecoder(encodingOf(chunk));
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield rest;
  }
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Lines of a stored stream. Lines are cut on the newline byte of its UTF-8 bytes (`storedUtf8`),
 * which never occurs inside a multi-byte character, and each line is decoded once: much faster than
 * decoding chunks and searching strings.
 */
export async function* storedLines(source: StoredSource, onBytes?: (bytesDone: number) => void): AsyncGenerator<{ text: string; line: number }> {
  let parts: Buffer[] = [];
  let line = 0;
  for await (const chunk of storedUtf8(source, onBytes)) {
    let start = 0;
    let newline = chunk.indexOf(NEWLINE);
    while (newline !== -1) {
      line += 1;
      if (parts.length > 0) {
        parts.push(chunk.subarray(0, newline));
        const joined = Buffer.concat(parts);
        parts = [];
        yield { text: lineText(joined, 0, joined.length), line };
      } else {
        yield { text: lineText(chunk, start, newline), line };
      }
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) parts.push(start === 0 ? chunk : chunk.subarray(start));
  }
  if (parts.length > 0) {
    const joined = Buffer.concat(parts);
    yield { text: lineText(joined, 0, joined.length), line: line + 1 };
  }
}

/** The text of the line `bytes[start, end)` of UTF-8, without the CR of a CRLF line end. */
export function lineText(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end);
}

/**
 * The decoded text of a stored stream as UTF-8 bytes, chunk by chunk, BOM dropped. UTF-8 (nearly every
 * export) passes through undecoded; UTF-16 is decoded and encoded again. Lines keep their ends (LF or
 * CRLF): whoever splits them drops one CR before each LF (`lineText`).
 */
export async function* storedUtf8(source: StoredSource, onBytes?: (bytesDone: number) => void): AsyncGenerator<Buffer> {
  const bytes = plainBytes(source, onBytes);
  // the first three bytes decide the encoding and the BOM, however small the first chunks are
  const headParts: Buffer[] = [];
  let headLength = 0;
  while (headLength < UTF8_BOM.length) {
    const next = await bytes.next();
    if (next.done) break;
    headParts.push(next.value);
    headLength += next.value.length;
  }
  if (headLength === 0) return;
  const head = headParts.length === 1 ? headParts[0]! : Buffer.concat(headParts);
  const encoding = encodingOf(head);
  if (encoding !== 'utf-8') {
    const decoder = new TextDecoder(encoding);
    yield Buffer.from(decoder.decode(head, { stream: true }), 'utf8');
    for await (const chunk of bytes) yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
    yield Buffer.from(decoder.decode(), 'utf8');
    return;
  }
  yield UTF8_BOM.every((byte, index) => head[index] === byte) ? head.subarray(UTF8_BOM.length) : head;
  yield* bytes;
}

/** The whole decoded text of a stored stream, BOM dropped. */
export async function storedText(source: StoredSource, onBytes?: (bytesDone: number) => void): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of plainBytes(source, onBytes)) chunks.push(chunk);
  if (chunks.length === 0) return '';
  const encoding = encodingOf(chunks[0]!);
  const whole = Buffer.concat(chunks);
  if (encoding !== 'utf-8') return new TextDecoder(encoding).decode(whole);
  const text = whole.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Lines of decoded text with CR removed, numbered from 1. Memory holds one chunk plus one line. */
export async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<{ text: string; line: number }> {
  // the pieces of a line that spans chunks are joined once, when its end arrives
  let parts: string[] = [];
  let line = 0;
  const finish = (text: string): string => (text.endsWith('\r') ? text.slice(0, -1) : text);
  for await (const chunk of chunks) {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline !== -1) {
      line += 1;
      const piece = chunk.slice(start, newline);
      if (parts.length > 0) {
        parts.push(piece);
        yield { text: finish(parts.join('')), line };
        parts = [];
      } else {
        yield { text: finish(piece), line };
      }
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) parts.push(chunk.slice(start));
  }
  if (parts.length > 0) yield { text: finish(parts.join('')), line: line + 1 };
}

export async function textOf(chunks: AsyncIterable<string>): Promise<string> {
  const parts: string[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return parts.join('');
}

/** A FormatInput over a stored source. Each `lines()` or `text()` call reads the source afresh. */
export function formatInput(source: StoredSource, onBytes?: (bytesDone: number) => void, timezone?: TimeZone): StoredInput {
  return {
    path: source.path,
    modifiedNs: source.modifiedNs,
    lines: () => storedLines(source, onBytes),
    utf8: () => storedUtf8(source, onBytes),
    text: () => storedText(source, onBytes),
    ...(timezone ? { timezone } : {}),
  };
}

export function fileSource(path: string, modifiedNs: bigint | null): StoredSource {
  return { path, modifiedNs, openStored: () => createReadStream(path, { highWaterMark: 256 * 1024 }) };
}

const MEMORY_CHUNK = 256 * 1024;

/** A source over bytes loaded on demand (an archive member), streamed in slices so progress moves. */
export function memorySource(path: string, modifiedNs: bigint | null, load: () => Promise<Uint8Array>): StoredSource {
  return {
    path,
    modifiedNs,
    openStored: () =>
      Readable.from(
        (async function* slices() {
          const bytes = await load();
          for (let offset = 0; offset < bytes.length; offset += MEMORY_CHUNK) {
            yield Buffer.from(bytes.buffer, bytes.byteOffset + offset, Math.min(MEMORY_CHUNK, bytes.length - offset));
          }
        })(),
        { objectMode: false },
      ),
  };
}

/** The first `limit` characters of decoded text (fewer when the file is shorter). */
export async function decodedHead(source: StoredSource, limit: number): Promise<string> {
  let head = '';
  for await (const chunk of decodedChunks(source)) {
    head += chunk;
    if (head.length >= limit) break;
  }
  return head.length > limit ? head.slice(0, limit) : head;
}

/** Where in the text a JSON.parse error happened, as a 1-based line. */
export function jsonErrorLine(text: string, error: unknown): number | null {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /\(line (\d+) column \d+\)/.exec(message);
  if (lineColumn) return Number(lineColumn[1]);
  const position = /at position (\d+)/.exec(message);
  // V8 in Node 20 often names no position ("Unexpected token ... is not valid JSON"): find it ourselves
  const offset = position ? Number(position[1]) : jsonSyntaxErrorOffset(text);
  if (offset === null) return null;
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

const JSON_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** The offset of the first JSON syntax error in `text`, or null when it is valid (or too deep to check). */
export function jsonSyntaxErrorOffset(text: string): number | null {
  let index = 0;
  const skipSpace = (): void => {
    while (index < text.length && (text[index] === ' ' || text[index] === '\t' || text[index] === '\n' || text[index] === '\r')) index += 1;
  };
  const fail = (): never => {
    throw new SyntaxAt(index);
  };
  const string = (): void => {
    index += 1;
    while (index < text.length) {
      const char = text.charCodeAt(index);
      if (char === 34) {
        index += 1;
        return;
      }
      if (char < 32) fail();
      index += char === 92 ? 2 : 1;
    }
    fail();
  };
  const value = (): void => {
    skipSpace();
    const char = text[index];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      index += 1;
      skipSpace();
      if (text[index] === close) {
        index += 1;
        return;
      }
      for (;;) {
        if (close === '}') {
          skipSpace();
          if (text[index] !== '"') fail();
          string();
          skipSpace();
          if (text[index] !== ':') fail();
          index += 1;
        }
        value();
        skipSpace();
        if (text[index] === ',') {
          index += 1;
          continue;
        }
        if (text[index] === close) {
          index += 1;
          return;
        }
        fail();
      }
    }
    if (char === '"') return string();
    JSON_LITERAL.lastIndex = index;
    if (!JSON_LITERAL.test(text)) fail();
    index = JSON_LITERAL.lastIndex;
  };
  try {
    value();
    skipSpace();
    return index < text.length ? index : null;
  } catch (error) {
    if (error instanceof SyntaxAt) return Math.min(error.offset, Math.max(0, text.length - 1));
    return null;
  }
}

class SyntaxAt {
  constructor(readonly offset: number) {}
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The JSON values of a file that is either one JSON document (pretty-printed or not) or JSON lines.
 * A document that is an array yields its elements. Malformed lines are reported and skipped.
 * `line` is the line number for JSON lines, and 1-based record index for documents.
 */
export async function* jsonValues(
  input: FormatInput,
  onIssue: (line: number, message: string) => void,
): AsyncGenerator<{ value: unknown; line: number; fromLines: boolean }> {
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  for await (const { text, line } of input.lines()) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (mode === 'unknown') {
      const value = tryParse(trimmed);
      if (value !== undefined) {
        mode = 'lines';
        yield { value, line, fromLines: true };
        continue;
      }
      if (!looksLikeWholeLineRecord(trimmed)) {
        mode = 'document';
        break;
      }
      mode = 'lines';
    }
    const value = jsonLineValue(trimmed, line, onIssue);
    if (value !== undefined) yield { value, line, fromLines: true };
  }
  if (mode !== 'document') return;
  const text = await input.text();
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    onIssue(jsonErrorLine(text, error) ?? 1, `malformed JSON document: ${errorMessage(error)}`);
    return;
  }
  if (Array.isArray(document)) {
    for (let index = 0; index < document.length; index += 1) yield { value: document[index] as unknown, line: index + 1, fromLines: false };
  } else {
    yield { value: document, line: 1, fromLines: false };
  }
}

/** The value of one line of JSON lines; a line that does not parse is reported and gives undefined. */
export function jsonLineValue(trimmed: string, line: number, onIssue: (line: number, message: string) => void): unknown {
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    onIssue(line, `malformed JSON: ${errorMessage(error)}`);
    return undefined;
  }
}

/** The value of a JSON text, or undefined when it is not JSON. */
export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A first line that opens and closes an object is a (broken) JSON line, not the top of a document. */
function looksLikeWholeLineRecord(trimmed: string): boolean {
  return trimmed.startsWith('{') && trimmed.endsWith('}') && trimmed.length > 2;
}

/** The first complete lines of a detection head (the last one may be cut off), blank lines skipped. */
export function headLines(head: string, max = 20): string[] {
  const lines = head.split('\n');
  if (lines.length > 1 && !head.endsWith('\n')) lines.pop();
  const out: string[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed) out.push(trimmed);
    if (out.length >= max) break;
  }
  return out;
}
