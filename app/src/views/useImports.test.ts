import { describe, expect, it } from 'vitest';
import { isReadableTimezone, timezoneChoices } from './useImports.js';

describe('the import time zone field', () => {
  it('accepts what the backend reads: UTC, fixed offsets and IANA names', () => {
    for (const zone of ['', 'UTC', '+08:00', '-0530', 'UTC+8', 'Asia/Shanghai', 'America/New_York']) expect(isReadableTimezone(zone)).toBe(true);
  });

  it('flags a zone that is neither', () => {
    for (const zone of ['Asia/Atlantis', 'eight', '+08:00:00']) expect(isReadableTimezone(zone)).toBe(false);
  });

  it('offers UTC first, UTC+8 and IANA names, each once', () => {
    const choices = timezoneChoices();
    expect(choices[0]).toBe('UTC');
    expect(choices).toContain('+08:00');
    expect(choices).toContain('Asia/Shanghai');
    expect(new Set(choices).size).toBe(choices.length);
  });
});
