import { isIPv4, isIPv6 } from 'node:net';

/**
 * Replaces personal data and secrets with placeholders such as `<email_1>` before text leaves the
 * machine, and remembers each replacement so that the answer shown to the user gets the originals
 * back. The same original always maps to the same placeholder within one Redactor, so the model can
 * still tell two users apart and refer to them.
 */
export class Redactor {
  private readonly placeholderOf = new Map<string, string>();
  private readonly originalOf = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  constructor(private readonly enabled = true) {}

  redact(text: string): string {
    if (!this.enabled) return text;
    let out = text;
    for (const rule of RULES) out = out.replace(rule.pattern, (...match) => this.applyRule(rule, match));
    return out;
  }

  /** Redacts every string inside a JSON-like value (keys stay as they are). */
  redactValue<T>(value: T): T {
    return mapStrings(value, (text) => this.redact(text));
  }

  restore(text: string): string {
    if (this.originalOf.size === 0) return text;
    return text.replace(PLACEHOLDER, (placeholder) => this.originalOf.get(placeholder) ?? placeholder);
  }

  restoreValue<T>(value: T): T {
    return mapStrings(value, (text) => this.restore(text));
  }

  /**
   * Restores placeholders in streamed text. A placeholder may be split across chunks, so text from
   * an unclosed `<` onwards is held back until the next chunk or the end.
   */
  restoringStream(emit: (text: string) => void): { push(chunk: string): void; end(): void } {
    let pending = '';
    return {
      push: (chunk) => {
        pending += chunk;
        const open = pending.lastIndexOf('<');
        const heldFrom = open >= 0 && !pending.includes('>', open) && pending.length - open <= MAX_PLACEHOLDER_LENGTH ? open : pending.length;
        const ready = pending.slice(0, heldFrom);
        pending = pending.slice(heldFrom);
        if (ready.length > 0) emit(this.restore(ready));
      },
      end: () => {
        if (pending.length > 0) emit(this.restore(pending));
        pending = '';
      },
    };
  }

  private applyRule(rule: Rule, match: unknown[]): string {
    const whole = match[0] as string;
    const secret = rule.secretGroup === undefined ? whole : (match[rule.secretGroup] as string | undefined);
    if (secret === undefined || (rule.accept && !rule.accept(secret))) return whole;
    const placeholder = this.placeholderFor(rule.label, secret);
    return rule.secretGroup === undefined ? placeholder : whole.replace(secret, placeholder);
  }

  private placeholderFor(label: string, original: string): string {
    const known = this.placeholderOf.get(original);
    if (known) return known;
    const next = (this.counters.get(label) ?? 0) + 1;
    this.counters.set(label, next);
    const placeholder = `<${label}_${next}>`;
    this.placeholderOf.set(original, placeholder);
    this.originalOf.set(placeholder, original);
    return placeholder;
  }
}

interface Rule {
  label: string;
  pattern: RegExp;
  /** The capture group holding the sensitive part; the whole match when absent. */
  secretGroup?: number;
  accept?: (candidate: string) => boolean;
}

const PLACEHOLDER = /<[a-z]+_\d+>/g;
const MAX_PLACEHOLDER_LENGTH = 24;

const SECRET_KEYS = 'api[_-]?key|apikey|secret|token|password|passwd|pwd|auth|credential|access[_-]?key|private[_-]?key|session[_-]?id|client[_-]?secret';

/** Order matters: specific secrets before generic shapes that could swallow them. */
const RULES: Rule[] = [
  { label: 'token', pattern: /\bBearer\s+([A-Za-z0-9\-._~+/]{8,}=*)/g, secretGroup: 1 },
  { label: 'key', pattern: /\bsk-[A-Za-z0-9_-]{16,}/g },
  { label: 'key', pattern: /\bAKIA[0-9A-Z]{16}\b/g },
  {
    label: 'secret',
    pattern: new RegExp(`\\b(?:${SECRET_KEYS})["']?\\s*[=:]\\s*["']?([A-Za-z0-9+/_\\-]{16,}={0,2})`, 'gi'),
    secretGroup: 1,
  },
  { label: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  {
    label: 'user',
    pattern: /\/(?:users?|customers?|accounts?|members?|profiles?)\/([^/\s?#"'<>]+)/gi,
    secretGroup: 1,
  },
  { label: 'card', pattern: /(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])/g, accept: isCardNumber },
  { label: 'ip', pattern: /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g, accept: (candidate) => isIPv4(candidate) },
  { label: 'ip', pattern: /(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g, accept: (candidate) => candidate !== '::' && isIPv6(candidate) },
];

/** Issuer prefixes of the major card networks: keeps nanosecond timestamps and ids from matching. */
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|6)/;

export function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19 || !CARD_PREFIX.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, fn)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = mapStrings(item, fn);
    return out as T;
  }
  return value;
}
