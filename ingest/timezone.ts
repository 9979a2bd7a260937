/**
 * The zone a file's zone-less timestamps are written in. Many services log local wall-clock time with
 * no offset; the engineer importing them says which zone that was, once per import.
 */

export interface TimeZone {
  /** As the user should see it recorded: `UTC`, a fixed offset `+08:00`, or an IANA name `Asia/Shanghai`. */
  readonly name: string;
  /**
   * UTC epoch milliseconds of a wall-clock time in this zone, the wall clock given as if it were UTC
   * (`Date.UTC` of its fields). A time that a daylight-saving change skips is moved forward by the
   * gap; a time that occurs twice is taken at its first occurrence (as Temporal's "compatible").
   */
  wallToUtcMs(wallMs: number): number;
}

export class TimeZoneError extends Error {}

export const UTC: TimeZone = { name: 'UTC', wallToUtcMs: (wallMs) => wallMs };

const FIXED_OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;
/** Real zones lie between -12:00 and +14:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * A zone from what a user typed: `UTC` (also `Z`, `GMT`, or nothing), a fixed offset (`+08:00`,
 * `+0800`, `+8`, `UTC-05:30`) or an IANA name (`Asia/Shanghai`, `America/New_York`).
 * Throws TimeZoneError with a message fit to show the user for anything else.
 */
export function parseTimeZone(text: string): TimeZone {
  const trimmed = text.trim();
  if (trimmed === '' || /^(?:z|utc|gmt)$/i.test(trimmed)) return UTC;
  const fixed = FIXED_OFFSET.exec(trimmed);
  if (fixed) return fixedOffset(trimmed, fixed[1] === '-' ? -1 : 1, Number(fixed[2]), Number(fixed[3] ?? '0'));
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: trimmed, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new TimeZoneError(`unknown time zone "${trimmed}": give an IANA zone name such as Asia/Shanghai, or an offset from UTC such as +08:00`);
  }
  return ianaZone(formatter);
}

function fixedOffset(text: string, sign: number, hours: number, minutes: number): TimeZone {
  const offsetMinutes = sign * (hours * 60 + minutes);
  if (minutes > 59 || Math.abs(offsetMinutes) > MAX_OFFSET_MINUTES) {
    throw new TimeZoneError(`time zone offset "${text}" is out of range: offsets run from -12:00 to +14:00`);
  }
  if (offsetMinutes === 0) return UTC;
  const pad = (n: number) => String(n).padStart(2, '0');
  const name = `${sign < 0 ? '-' : '+'}${pad(hours)}:${pad(minutes)}`;
  const offsetMs = offsetMinutes * 60_000;
  return { name, wallToUtcMs: (wallMs) => wallMs - offsetMs };
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Wall-clock minutes whose offset is remembered; logs revisit the same minutes line after line. */
const CACHED_MINUTES = 1 << 16;

function ianaZone(formatter: Intl.DateTimeFormat): TimeZone {
  /** How far the zone's wall clock runs ahead of UTC at a given instant. */
  const offsetMsAt = (utcMs: number): number => {
    const fields: Record<string, number> = {};
    for (const part of formatter.formatToParts(utcMs)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
    const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
    return wall - Math.floor(utcMs / 1000) * 1000;
  };
  const offsetOfWallMinute = (wallMs: number): number => {
    // Zones change offset at most once around any one day, so the offsets a day either side are
    // the only candidates.
    const before = offsetMsAt(wallMs - DAY_MS);
    const after = offsetMsAt(wallMs + DAY_MS);
    if (before === after) return before;
    const earlier = offsetMsAt(wallMs - before) === before;
    const later = offsetMsAt(wallMs - after) === after;
    if (earlier && later) return Math.max(before, after);
    if (later) return after;
    return before;
  };
  const cache = new Map<number, number>();
  return {
    name: formatter.resolvedOptions().timeZone,
    wallToUtcMs(wallMs) {
      if (!Number.isFinite(wallMs)) return wallMs;
      const minute = Math.floor(wallMs / MINUTE_MS);
      let offset = cache.get(minute);
      if (offset === undefined) {
        if (cache.size >= CACHED_MINUTES) cache.clear();
        offset = offsetOfWallMinute(minute * MINUTE_MS);
        cache.set(minute, offset);
      }
      return wallMs - offset;
    },
  };
}
