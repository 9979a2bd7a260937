import { describe, expect, it } from 'vitest';
import { leadingTimestamp } from './logline.js';
import { isoToNs, toNs } from './normalize.js';
import { TimeZoneError, UTC, parseTimeZone } from './timezone.js';

const wall = (iso: string) => Date.parse(`${iso}Z`);
const utc = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('parseTimeZone', () => {
  it('reads UTC in its spellings, and a zero offset, as UTC', () => {
    for (const text of ['', 'UTC', 'utc', 'Z', 'GMT', '+00:00', '-0000']) expect(parseTimeZone(text).name).toBe('UTC');
  });

  it('reads fixed offsets written with or without a colon or minutes', () => {
    for (const text of ['+08:00', '+0800', '+8', 'UTC+08:00', ' +08 ']) {
      const zone = parseTimeZone(text);
      expect(zone.name).toBe('+08:00');
      expect(zone.wallToUtcMs(wall('2021-08-07T19:10:41'))).toBe(utc('2021-08-07T11:10:41'));
    }
    expect(parseTimeZone('-05:30').wallToUtcMs(wall('2024-01-01T00:00:00'))).toBe(utc('2024-01-01T05:30:00'));
  });

  it('reads an IANA zone, recording its canonical name', () => {
    const zone = parseTimeZone('Asia/Shanghai');
    expect(zone.name).toBe('Asia/Shanghai');
    expect(zone.wallToUtcMs(wall('2021-08-07T19:10:41.655'))).toBe(utc('2021-08-07T11:10:41.655'));
  });

  it('follows daylight saving time on both sides of a change', () => {
    const newYork = parseTimeZone('America/New_York');
    expect(newYork.wallToUtcMs(wall('2024-03-10T01:59:59'))).toBe(utc('2024-03-10T06:59:59'));
    expect(newYork.wallToUtcMs(wall('2024-03-10T03:00:00'))).toBe(utc('2024-03-10T07:00:00'));
    expect(newYork.wallToUtcMs(wall('2024-07-01T12:00:00'))).toBe(utc('2024-07-01T16:00:00'));
    expect(newYork.wallToUtcMs(wall('2024-12-01T12:00:00'))).toBe(utc('2024-12-01T17:00:00'));
  });

  it('moves a wall time that the spring change skips forward by the gap', () => {
    const newYork = parseTimeZone('America/New_York');
    // 02:30 does not exist on 2024-03-10 in New York: clocks went from 02:00 EST to 03:00 EDT
    expect(newYork.wallToUtcMs(wall('2024-03-10T02:30:00'))).toBe(utc('2024-03-10T07:30:00'));
  });

  it('takes a wall time that the autumn change repeats at its first occurrence', () => {
    const newYork = parseTimeZone('America/New_York');
    // 01:30 happens twice on 2024-11-03: first in EDT (05:30Z), then in EST (06:30Z)
    expect(newYork.wallToUtcMs(wall('2024-11-03T01:30:00'))).toBe(utc('2024-11-03T05:30:00'));
    expect(newYork.wallToUtcMs(wall('2024-11-03T02:30:00'))).toBe(utc('2024-11-03T07:30:00'));
  });

  it('rejects an unknown zone or an impossible offset with a message that says what to give', () => {
    expect(() => parseTimeZone('Mars/Olympus_Mons')).toThrow(TimeZoneError);
    expect(() => parseTimeZone('Mars/Olympus_Mons')).toThrow(/unknown time zone "Mars\/Olympus_Mons".*Asia\/Shanghai.*\+08:00/);
    expect(() => parseTimeZone('+25:00')).toThrow(/out of range/);
    expect(() => parseTimeZone('+08:75')).toThrow(TimeZoneError);
  });
});

describe('timestamp helpers in a zone', () => {
  const shanghai = parseTimeZone('Asia/Shanghai');

  it('apply the zone to zone-less ISO times only', () => {
    expect(isoToNs('2021-08-07 19:10:41.655', shanghai)).toBe(ns('2021-08-07T11:10:41.655Z'));
    expect(isoToNs('2021-08-07T19:10:41Z', shanghai)).toBe(ns('2021-08-07T19:10:41Z'));
    expect(isoToNs('2021-08-07T19:10:41+02:00', shanghai)).toBe(ns('2021-08-07T17:10:41Z'));
    expect(isoToNs('2021-08-07 19:10:41', UTC)).toBe(ns('2021-08-07T19:10:41Z'));
  });

  it('leave epoch numbers alone', () => {
    expect(toNs(1628334892205, shanghai)).toBe(ns('2021-08-07T11:14:52.205Z'));
    expect(toNs('1628334892', shanghai)).toBe(ns('2021-08-07T11:14:52Z'));
    const epochLine = leadingTimestamp('1628334892 INFO started', undefined, shanghai);
    expect(epochLine).toMatchObject({ kind: 'time', tsNs: ns('2021-08-07T11:14:52Z') });
  });

  it('apply the zone to every zone-less leading layout, and the written offset where there is one', () => {
    const lead = (line: string, year?: number) => {
      const found = leadingTimestamp(line, year, shanghai);
      return found?.kind === 'time' ? found.tsNs : null;
    };
    expect(lead('2021-08-07 19:10:41.655 [main] INFO x')).toBe(ns('2021-08-07T11:10:41.655Z'));
    expect(lead('21/08/07 19:10:41 INFO x')).toBe(ns('2021-08-07T11:10:41Z'));
    expect(lead('210807 191041 INFO x')).toBe(ns('2021-08-07T11:10:41Z'));
    expect(lead('Sat Aug 07 19:10:41 2021 error x')).toBe(ns('2021-08-07T11:10:41Z'));
    expect(lead('Aug  7 19:10:41 host sshd[1]: x', 2021)).toBe(ns('2021-08-07T11:10:41Z'));
    expect(lead('I0807 19:10:41.000001 1 main.go:1] x', 2021)).toBe(ns('2021-08-07T11:10:41Z') + 1_000n);
    expect(lead('2021-08-07T19:10:41.655Z x')).toBe(ns('2021-08-07T19:10:41.655Z'));
    expect(lead('2021-08-07T19:10:41+0100 x')).toBe(ns('2021-08-07T18:10:41Z'));
    expect(lead('[07/Aug/2021:19:10:41 -0700] x')).toBe(ns('2021-08-08T02:10:41Z'));
  });
});
