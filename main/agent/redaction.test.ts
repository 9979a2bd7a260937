import { describe, expect, it } from 'vitest';
import { Redactor, isCardNumber } from './redaction.js';

describe('Redactor', () => {
  const sensitive: [string, string][] = [
    ['email', 'payment failed for alice.smith+test@example.co.uk after retry'],
    ['ipv4', 'connect to 10.42.7.199:5432 refused'],
    ['ipv6', 'peer 2001:db8:85a3::8a2e:370:7334 reset the stream'],
    ['bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc123'],
    ['openai key', 'using key sk-proj-abcdefghijklmnop1234567890'],
    ['aws key', 'AKIAIOSFODNN7EXAMPLE used to sign'],
    ['generic secret', 'config api_key=9f86d081884c7d659a2feaa0c55ad015 loaded'],
    ['card', 'charged card 4111 1111 1111 1111 for 20 EUR'],
    ['user id in url', 'GET /api/users/83421/orders 500'],
  ];

  it.each(sensitive)('hides a %s and restores it', (_label, text) => {
    const redactor = new Redactor();
    const redacted = redactor.redact(text);
    expect(redacted).not.toBe(text);
    expect(redacted).toMatch(/<[a-z]+_1>/);
    expect(redactor.restore(redacted)).toBe(text);
  });

  it('names user ids in URLs as the brief shows', () => {
    const redactor = new Redactor();
    expect(redactor.redact('/users/123')).toBe('/users/<user_1>');
  });

  it('keeps ordinary telemetry readable', () => {
    const redactor = new Redactor();
    const text =
      'ts=1717000000123456789 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7 deadline exceeded after 250ms at 12:30:45';
    expect(redactor.redact(text)).toBe(text);
  });

  it('gives one original one placeholder and different originals different ones', () => {
    const redactor = new Redactor();
    const redacted = redactor.redact('a@x.io b@x.io a@x.io');
    expect(redacted).toBe('<email_1> <email_2> <email_1>');
  });

  it('does nothing when switched off', () => {
    const redactor = new Redactor(false);
    expect(redactor.redact('mail bob@example.com')).toBe('mail bob@example.com');
  });

  it('redacts and restores nested values', () => {
    const redactor = new Redactor();
    const value = { rows: [['bob@example.com', 3]], note: 'from 192.168.1.20' };
    const redacted = redactor.redactValue(value);
    expect(JSON.stringify(redacted)).not.toContain('bob@example.com');
    expect(JSON.stringify(redacted)).not.toContain('192.168.1.20');
    expect(redactor.restoreValue(redacted)).toEqual(value);
  });

  it('restores placeholders split across streamed chunks', () => {
    const redactor = new Redactor();
    const redacted = redactor.redact('The failing user was carol@example.com from 10.0.0.8.');
    const out: string[] = [];
    const stream = redactor.restoringStream((text) => out.push(text));
    for (let i = 0; i < redacted.length; i += 3) stream.push(redacted.slice(i, i + 3));
    stream.end();
    expect(out.join('')).toBe('The failing user was carol@example.com from 10.0.0.8.');
  });

  it('checks card numbers with Luhn', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('4111111111111112')).toBe(false);
    expect(isCardNumber('1717000000123456789')).toBe(false);
  });
});
