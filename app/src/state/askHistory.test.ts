import { describe, expect, it } from 'vitest';
import { clearHistory, HISTORY_LIMIT, historyKey, readHistory, rememberQuestion } from './askHistory.js';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
    map,
  };
}

describe('ask history', () => {
  it('keeps each workspace apart, newest first, without repeats', () => {
    const storage = memoryStorage();
    rememberQuestion(storage, '/a.duckdb', 'first');
    rememberQuestion(storage, '/a.duckdb', 'second');
    rememberQuestion(storage, '/b.duckdb', 'other');
    expect(rememberQuestion(storage, '/a.duckdb', 'first')).toEqual(['first', 'second']);
    expect(readHistory(storage, '/b.duckdb')).toEqual(['other']);
    clearHistory(storage, '/a.duckdb');
    expect(readHistory(storage, '/a.duckdb')).toEqual([]);
    expect(readHistory(storage, '/b.duckdb')).toEqual(['other']);
  });

  it('stops at the limit and survives damaged storage', () => {
    const storage = memoryStorage();
    for (let index = 0; index < HISTORY_LIMIT + 5; index += 1) rememberQuestion(storage, '/w', `q${index}`);
    const history = readHistory(storage, '/w');
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]).toBe(`q${HISTORY_LIMIT + 4}`);
    storage.setItem(historyKey('/w'), '{not json');
    expect(readHistory(storage, '/w')).toEqual([]);
    storage.setItem(historyKey('/w'), JSON.stringify(['ok', 3, null]));
    expect(readHistory(storage, '/w')).toEqual(['ok']);
  });
});
