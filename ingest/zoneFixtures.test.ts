import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import { formatInput, memorySource } from './read.js';
import type { Collected } from './testdata/collect.js';
import { collectingSink } from './testdata/collect.js';
import { parseTimeZone } from './timezone.js';

/*
 * Every fixture, read in zones far from UTC: the same records and problems come out, and each
 * time moves by no more than a zone can move it (zone-less times) or not at all.
 */

const testdata = fileURLToPath(new URL('./testdata/', import.meta.url));
const MODIFIED_NS = 1_726_841_320_000_000_000n;
const HOUR_NS = 3_600_000_000_000n;
const ZONES = ['+14:00', '-12:00', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe'];

async function parseIn(name: string, zone: string): Promise<Collected> {
  const bytes = readFileSync(testdata + name);
  const { format } = detectFormat(bytes.toString('utf8'), testdata + name);
  const { sink, collected } = collectingSink();
  const input = formatInput(memorySource(testdata + name, MODIFIED_NS, async () => bytes), undefined, parseTimeZone(zone));
  await format!.parse(input, sink);
  return collected;
}

const times = (collected: Collected): bigint[] => [
  ...collected.spans.flatMap((span) => [span.startNs, span.endNs]),
  ...collected.logs.map((log) => log.tsNs),
  ...collected.points.map((point) => point.tsNs),
];
const withoutTimes = (collected: Collected) => ({
  spans: collected.spans.map(({ startNs: _start, endNs: _end, events, ...span }) => ({ ...span, events: events.map(({ tsNs: _ts, ...event }) => event) })),
  logs: collected.logs.map(({ tsNs: _ts, ...log }) => log),
  points: collected.points.map(({ tsNs: _ts, ...point }) => point),
  issues: collected.issues,
});

const fixtures = readdirSync(testdata)
  .filter((name) => !name.endsWith('.ts'))
  .filter((name) => detectFormat(readFileSync(testdata + name, 'utf8'), testdata + name).format !== null)
  .sort();

describe('fixtures read in another zone', () => {
  it.each(fixtures)('%s', async (name) => {
    const utc = await parseIn(name, 'UTC');
    for (const zone of ZONES) {
      const zoned = await parseIn(name, zone);
      expect(withoutTimes(zoned), zone).toEqual(withoutTimes(utc));
      const before = times(utc);
      const after = times(zoned);
      for (let index = 0; index < before.length; index++) {
        const shift = before[index]! - after[index]!;
        expect(shift >= -12n * HOUR_NS && shift <= 14n * HOUR_NS, `${zone}: time ${index} moved by ${shift} ns`).toBe(true);
      }
    }
  });
});
