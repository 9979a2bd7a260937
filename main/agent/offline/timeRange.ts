import type { TimeWindow } from '../../api/contract.js';

/** What the question says about time, resolved to absolute UTC instants. */
export interface AskedTime {
  kind: 'range' | 'since' | 'at' | 'relative' | 'none';
  /** The absolute window the question asks about (null for 'at' and 'none'). */
  window: TimeWindow | null;
  /** The instant of "at 10:02" or the start of "since 05:21". */
  point: string | null;
  /** Minutes east of UTC of the zone the user spoke in, when the question names one. */
  tzOffsetMinutes: number | null;
  /** The date was not in the question and was taken from asked_at or the data. */
  dateAssumed: boolean;
  /** A relative range had no asked_at and was measured back from the end of the data. */
  nowAssumed: boolean;
}

export interface TimeContext {
  askedAt?: string;
  /** The span of the loaded data (or the analysis window), used to place times given without a date. */
  reference: TimeWindow | null;
}

interface ClockTime {
  hour: number;
  minute: number;
  second: number;
  index: number;
  end: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const CLOCK = /(?<![\d:.])([01]?\d|2[0-3])\s*(?:[:：]\s*([0-5]\d)(?:[:：]([0-5]\d))?|点(?:\s*(\d{1,2})\s*分?|半)?)(?![\d])/g;
const ISO_DATE = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/;
const ZH_DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/;
const ZONE_OFFSET = /\b(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?/i;
const CHINA_TIME = /北京时间|中国时间|东八区|beijing time|china (?:standard )?time/i;
const UTC_ZONE = /\bUTC\b|\bGMT\b|协调世界时|世界时/i;

const RANGE_JOINER = /^\s*(?:and|to|until|till|through|-|–|—|~|到|至|和|与|直到)\s*$/i;
const SINCE_BEFORE = /(?:since|from|starting(?: at)?|beginning(?: at)?|自|从)\s*(?:北京时间|UTC)?\s*$/i;
const SINCE_AFTER = /^\s*(?:UTC|GMT)?\s*(?:开始|起|以来|之后|以后|onwards|on)/i;

const EN_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, twelve: 12, half: 0.5 };
const ZH_DIGITS: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 半: 0.5 };

const RELATIVE_EN = /\b(?:past|last|previous|over the (?:past|last))\s+(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|twelve|half(?: an)?)?\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d)\b/i;
const RELATIVE_ZH = /(?:过去|最近|近|前)\s*(\d+(?:\.\d+)?|[一两二三四五六七八九十半]+)?\s*(?:个)?\s*(分钟|小时|钟头|天|h|min)/i;

function zhNumber(text: string): number {
  if (/^\d/.test(text)) return Number(text);
  if (text === '十') return 10;
  if (text.startsWith('十')) return 10 + (ZH_DIGITS[text.slice(1)] ?? 0);
  if (text.includes('十')) {
    const [tens, ones] = text.split('十');
    return (ZH_DIGITS[tens ?? ''] ?? 1) * 10 + (ZH_DIGITS[ones ?? ''] ?? 0);
  }
  if (text.endsWith('半') && text.length > 1) return (ZH_DIGITS[text[0] ?? ''] ?? 0) + 0.5;
  return ZH_DIGITS[text] ?? 1;
}

function unitMs(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('d') || u === '天') return DAY_MS;
  if (u.startsWith('h') || u === '小时' || u === '钟头') return 60 * MINUTE_MS;
  return MINUTE_MS;
}

function relativeDurationMs(question: string): number | null {
  const en = RELATIVE_EN.exec(question);
  if (en) {
    const raw = (en[1] ?? 'one').toLowerCase().replace(/ an$/, '');
    const amount = /^\d/.test(raw) ? Number(raw) : (EN_NUMBERS[raw] ?? 1);
    return amount * unitMs(en[2] ?? 'h');
  }
  const zh = RELATIVE_ZH.exec(question);
  if (zh) return zhNumber(zh[1] ?? '一') * unitMs(zh[2] ?? '小时');
  return null;
}

function zoneOffsetMinutes(question: string): number | null {
  const offset = ZONE_OFFSET.exec(question);
  if (offset) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    return offset[1] === '-' ? -minutes : minutes;
  }
  if (CHINA_TIME.test(question)) return 8 * 60;
  if (UTC_ZONE.test(question)) return 0;
  return null;
}

function clockTimes(question: string): ClockTime[] {
  const withoutDates = question.replace(ISO_DATE, (m) => ' '.repeat(m.length)).replace(ZONE_OFFSET, (m) => ' '.repeat(m.length));
  const times: ClockTime[] = [];
  for (const m of withoutDates.matchAll(CLOCK)) {
    const isZhHour = m[0].includes('点');
    const minute = isZhHour ? (m[0].endsWith('半') ? 30 : Number(m[4] ?? 0)) : Number(m[2]);
    times.push({ hour: Number(m[1]), minute, second: Number(m[3] ?? 0), index: m.index, end: m.index + m[0].length });
  }
  return times;
}

function explicitDate(question: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(question) ?? ZH_DATE.exec(question);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  return Date.parse(a.from) <= Date.parse(b.to) && Date.parse(b.from) <= Date.parse(a.to);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The local midnight (as UTC ms) of the day that contains `instant` in the user's zone. */
function localMidnight(instantMs: number, offsetMinutes: number): number {
  const local = instantMs + offsetMinutes * MINUTE_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - offsetMinutes * MINUTE_MS;
}

function at(midnightMs: number, t: ClockTime): number {
  return midnightMs + ((t.hour * 60 + t.minute) * 60 + t.second) * 1000;
}

/**
 * Reads the time the question asks about: "between 14:09 and 14:17 UTC on 2024-09-20", "since 05:21",
 * "at 10:02", "北京时间 20:00 开始", "past 2 hours" / "过去 2 小时" (relative to asked_at). Times without a
 * date land on the day of asked_at, or of the data, whichever makes the window meet the data.
 */
export function parseTimeRange(question: string, context: TimeContext): AskedTime {
  const tzOffsetMinutes = zoneOffsetMinutes(question);
  const offset = tzOffsetMinutes ?? 0;
  const base: Omit<AskedTime, 'kind' | 'window' | 'point'> = { tzOffsetMinutes, dateAssumed: false, nowAssumed: false };

  const relative = relativeDurationMs(question);
  if (relative !== null) {
    const nowIso = context.askedAt ?? context.reference?.to;
    if (nowIso === undefined) return { ...base, kind: 'none', window: null, point: null };
    const now = Date.parse(nowIso);
    return { ...base, kind: 'relative', window: { from: iso(now - relative), to: iso(now) }, point: null, nowAssumed: context.askedAt === undefined };
  }

  const times = clockTimes(question);
  const first = times[0];
  if (first === undefined) return { ...base, kind: 'none', window: null, point: null };

  const date = explicitDate(question);
  const anchorIso = context.askedAt ?? context.reference?.from;
  let midnight: number;
  if (date) midnight = Date.UTC(date.year, date.month - 1, date.day) - offset * MINUTE_MS;
  else if (anchorIso !== undefined) midnight = localMidnight(Date.parse(anchorIso), offset);
  else midnight = localMidnight(0, offset);
  const dateAssumed = date === null;

  const second = times[1];
  const isRange = second !== undefined && RANGE_JOINER.test(question.slice(first.end, second.index).replace(/UTC|GMT|北京时间/gi, ''));
  const isSince = !isRange && (SINCE_BEFORE.test(question.slice(0, first.index)) || SINCE_AFTER.test(question.slice(first.end)));

  const build = (day: number): { window: TimeWindow | null; point: string | null; kind: AskedTime['kind'] } => {
    const start = at(day, first);
    if (isRange && second) {
      let end = at(day, second);
      if (end < start) end += DAY_MS;
      return { kind: 'range', window: { from: iso(start), to: iso(end) }, point: null };
    }
    if (isSince) {
      const end = Math.max(start, Date.parse(context.askedAt ?? context.reference?.to ?? iso(start)));
      return { kind: 'since', window: { from: iso(start), to: iso(end) }, point: iso(start) };
    }
    return { kind: 'at', window: null, point: iso(start) };
  };

  let resolved = build(midnight);
  const reference = context.reference;
  if (dateAssumed && reference) {
    const meets = (r: ReturnType<typeof build>): boolean => {
      const w = r.window ?? (r.point ? { from: r.point, to: r.point } : null);
      return w !== null && overlaps(w, reference);
    };
    if (!meets(resolved)) {
      const candidates = [localMidnight(Date.parse(reference.from), offset), localMidnight(Date.parse(reference.to), offset), midnight - DAY_MS];
      const better = candidates.map(build).find(meets);
      if (better) resolved = better;
    }
  }
  return { ...base, ...resolved, dateAssumed };
}
