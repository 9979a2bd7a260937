import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import type { TelemetryFormat } from './format.js';
import { FORMATS } from './formats/index.js';
import { isPlausibleNs } from './normalize.js';
import { formatInput, memorySource } from './read.js';
import { collectingSink, type Collected } from './testdata/collect.js';

/*
 * Property tests: every registered parser is fed its own fixtures, mutated the ways real exports
 * break (cut off mid-write, corrupted bytes, lines repeated or lost, foreign text, absurd numbers,
 * emptied fields), and plain random text. Whatever it reads, a parser must not throw, must finish,
 * and what it emits must be well-formed: plausible UTC-ns times, ids where the record needs them,
 * and issues that point at a line of the file.
 */

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
/** A file's modification time, which formats without their own timestamps (a scrape) fall back on. */
const MODIFIED_NS = 1_726_841_320_000_000_000n;
/** Far above what these small inputs need; only a parser that loops forever can reach it. */
const HANG_LIMIT_MS = 20_000;
/** CAUSEWAY_PROPERTY_RUNS=2000 searches longer than the test run's default. */
const RUNS = Number(process.env['CAUSEWAY_PROPERTY_RUNS'] ?? 60);

const fixtureNames = readdirSync(testdata).filter((name) => !name.endsWith('.ts')).sort();

/** Each format's fixtures: the files in testdata/ that detection assigns to it. */
const fixturesByFormat = new Map<TelemetryFormat, { name: string; bytes: Buffer }[]>();
for (const name of fixtureNames) {
  const bytes = readFileSync(testdata + name);
  const { format } = detectFormat(bytes.toString('utf8'), testdata + name);
  if (!format) continue;
  const list = fixturesByFormat.get(format) ?? [];
  list.push({ name, bytes });
  fixturesByFormat.set(format, list);
}

type Mutation = (bytes: Buffer) => Buffer;

const lines = (bytes: Buffer): string[] => bytes.toString('utf8').split('\n');
const joined = (parts: string[]): Buffer => Buffer.from(parts.join('\n'), 'utf8');
/** An index into a list of `length` items from a random fraction, so one arbitrary fits every file. */
const pick = (fraction: number, length: number): number => Math.min(length - 1, Math.floor(fraction * length));
const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Replaces one match of `pattern` (chosen by `at`) with `replacement`; the input unchanged when none match. */
function replaceOne(text: string, pattern: RegExp, at: number, replacement: (match: string) => string): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const match = matches[pick(at, matches.length)]!;
  return text.slice(0, match.index) + replacement(match[0]) + text.slice(match.index + match[0].length);
}

const HUGE_NUMBERS = ['99999999999999999999999999999', '1e308', '1e400', '-1e400', '18446744073709551616', '9007199254740993', '0.000000000000000000001', 'NaN', 'Infinity'];
const NEGATIVE_TIMES = ['-1', '-6795364578871345152', '-1726841320', '-1726841320885000000', '-0'];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fraction.map((at): Mutation => (bytes) => bytes.subarray(0, Math.floor(at * bytes.length))),
  fc.array(fc.tuple(fraction, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips): Mutation => (bytes) => {
    const copy = Buffer.from(bytes);
    for (const [at, value] of flips) if (copy.length > 0) copy[pick(at, copy.length)] = value;
    return copy;
  }),
  fc.tuple(fraction, fc.integer({ min: 1, max: 4 })).map(([at, times]): Mutation => (bytes) => {
    const parts = lines(bytes);
    const index = pick(at, parts.length);
    parts.splice(index, 0, ...Array<string>(times).fill(parts[index]!));
    return joined(parts);
  }),
  fc.tuple(fraction, fc.integer({ min: 1, max: 5 })).map(([at, count]): Mutation => (bytes) => {
    const parts = lines(bytes);
    parts.splice(pick(at, parts.length), count);
    return joined(parts);
  }),
  fc.tuple(fraction, fc.string({ unit: 'grapheme', maxLength: 40 })).map(([at, text]): Mutation => (bytes) => {
    const whole = bytes.toString('utf8');
    const index = Math.floor(at * whole.length);
    return Buffer.from(whole.slice(0, index) + text + whole.slice(index), 'utf8');
  }),
  fc.tuple(fraction, fc.constantFrom(...HUGE_NUMBERS)).map(([at, huge]): Mutation => (bytes) => Buffer.from(replaceOne(bytes.toString('utf8'), /\d+(?:\.\d+)?/g, at, () => huge), 'utf8')),
  fc.tuple(fraction, fc.constantFrom(...NEGATIVE_TIMES)).map(([at, negative]): Mutation => (bytes) => Buffer.from(replaceOne(bytes.toString('utf8'), /\d{9,}/g, at, () => negative), 'utf8')),
  fc.tuple(fraction, fc.constantFrom('""', '', 'null', '{}', '[]')).map(([at, empty]): Mutation => (bytes) =>
    // a quoted JSON string, a CSV cell, a logfmt value or a bracketed field
    Buffer.from(replaceOne(bytes.toString('utf8'), /"(?:[^"\\\n]|\\.)*"(?=\s*[:,}\]])|(?<=,)[^,\n]*(?=,)|(?<==)[^\s"]+|\[[^\]\n]*\]/g, at, (match) => (match.startsWith('"') ? (empty === '' ? '""' : empty) : empty)), 'utf8'),
  ),
);

async function parseBytes(format: TelemetryFormat, path: string, bytes: Buffer): Promise<Collected> {
  const { sink, collected } = collectingSink();
  const source = memorySource(path, MODIFIED_NS, async () => bytes);
  await format.parse(formatInput(source), sink);
  return collected;
}

/** How many lines the decoder can hand out for these bytes: issues may name any of them, or 0 for the whole file. */
function lineCount(bytes: Buffer): number {
  let count = 1;
  for (let index = bytes.indexOf(0x0a); index !== -1; index = bytes.indexOf(0x0a, index + 1)) count += 1;
  return count;
}

function expectWellFormed(collected: Collected, bytes: Buffer): void {
  const maxLine = lineCount(bytes);
  for (const issue of collected.issues) {
    expect(Number.isInteger(issue.line), `issue line ${issue.line}: ${issue.message}`).toBe(true);
    expect(issue.line, issue.message).toBeGreaterThanOrEqual(0);
    expect(issue.line, issue.message).toBeLessThanOrEqual(maxLine);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  for (const span of collected.spans) {
    expect(isPlausibleNs(span.startNs), `span start ${span.startNs}`).toBe(true);
    expect(isPlausibleNs(span.endNs), `span end ${span.endNs}`).toBe(true);
    expect(span.traceId.length, 'span trace id').toBeGreaterThan(0);
    expect(span.spanId.length, 'span id').toBeGreaterThan(0);
    expect(span.parentSpanId, 'an empty parent id is written as null').not.toBe('');
    expect(span.service.length, 'span service').toBeGreaterThan(0);
    expect(Number.isInteger(span.sourceLine) && span.sourceLine >= 0).toBe(true);
    for (const event of span.events) expect(isPlausibleNs(event.tsNs), `span event ${event.tsNs}`).toBe(true);
  }
  for (const log of collected.logs) {
    expect(isPlausibleNs(log.tsNs), `log time ${log.tsNs}`).toBe(true);
    expect(log.traceId, 'an absent trace id is written as null').not.toBe('');
    expect(Number.isInteger(log.sourceLine) && log.sourceLine >= 0).toBe(true);
  }
  for (const point of collected.points) {
    expect(isPlausibleNs(point.tsNs), `point time ${point.tsNs}`).toBe(true);
    expect(point.name.length, 'metric name').toBeGreaterThan(0);
    expect(typeof point.value).toBe('number');
    expect(Number.isInteger(point.sourceLine) && point.sourceLine >= 0).toBe(true);
  }
}

describe('properties: fixtures for every format', () => {
  it('has at least one fixture that detection assigns to each registered format', () => {
    const uncovered = FORMATS.filter((format) => !fixturesByFormat.has(format)).map((format) => format.id);
    expect(uncovered).toEqual([]);
  });
});

describe.each(FORMATS.map((format) => [format.id, format] as const))('properties: %s', (_id, format) => {
  const fixtures = fixturesByFormat.get(format) ?? [];

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('reads its fixture %s intact into well-formed records or issues', async (_name, fixture) => {
    const collected = await parseBytes(format, testdata + fixture.name, fixture.bytes);
    expect(collected.spans.length + collected.logs.length + collected.points.length + collected.issues.length).toBeGreaterThan(0);
    expectWellFormed(collected, fixture.bytes);
  });

  it('never throws or emits malformed records for mutated fixtures', async () => {
    if (fixtures.length === 0) return;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (fixture, mutations) => {
        const bytes = mutations.reduce((current, mutate) => mutate(current), fixture.bytes);
        expectWellFormed(await parseBytes(format, testdata + fixture.name, bytes), bytes);
      }),
      { numRuns: RUNS, timeout: HANG_LIMIT_MS, markInterruptAsFailure: true },
    );
  });

  it('never throws or emits malformed records for random text', async () => {
    const randomText = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.array(fc.string({ unit: 'binary-ascii', maxLength: 60 }), { maxLength: 20 }).map((parts) => parts.join('\n')),
      fc.json({ maxDepth: 3 }),
      fc.array(fc.json({ maxDepth: 2 }), { maxLength: 8 }).map((parts) => parts.join('\n')),
    );
    await fc.assert(
      fc.asyncProperty(randomText, async (text) => {
        const bytes = Buffer.from(text, 'utf8');
        expectWellFormed(await parseBytes(format, 'random/input.log', bytes), bytes);
      }),
      { numRuns: RUNS, timeout: HANG_LIMIT_MS, markInterruptAsFailure: true },
    );
  });

  it('detects with a confidence between 0 and 1 whatever the head holds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(fixtures.length > 0 ? fixtures : [{ name: 'x', bytes: Buffer.from('x') }])), mutation, (fixture, mutate) => {
        const confidence = format.detect(mutate(fixture.bytes).toString('utf8'), testdata + fixture.name);
        expect(confidence).toBeGreaterThanOrEqual(0);
        expect(confidence).toBeLessThanOrEqual(1.01);
      }),
      { numRuns: RUNS },
    );
  });
});
