import { describe, expect, it } from 'vitest';
import { dictionaries } from './strings.js';

/** Strings that read the same in both languages: names, units and the sample questions. */
const SAME_IN_BOTH = new Set(['appName', 'p50', 'p99', 'span', 'suggestion1', 'suggestion3']);

describe('dictionaries', () => {
  it('translate every English string into Chinese', () => {
    const { en, zh } = dictionaries;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const untranslated = Object.entries(en)
      .filter(([key, text]) => !SAME_IN_BOTH.has(key) && zh[key as keyof typeof zh] === text)
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
    for (const text of Object.values(zh)) expect(text.trim()).not.toBe('');
  });
});
