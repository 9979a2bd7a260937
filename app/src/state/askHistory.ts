/** Questions asked in one workspace, newest first, kept in localStorage under the workspace's db_path. */
export const HISTORY_LIMIT = 50;

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function historyKey(dbPath: string): string {
  return `causeway.askHistory:${dbPath}`;
}

export function readHistory(storage: KeyValueStore, dbPath: string): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(historyKey(dbPath)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string').slice(0, HISTORY_LIMIT) : [];
  } catch {
    // Damaged history is not worth an error: start a new one.
    return [];
  }
}

/** Puts the question first; asking it again moves it up instead of repeating it. */
export function rememberQuestion(storage: KeyValueStore, dbPath: string, question: string): string[] {
  const next = [question, ...readHistory(storage, dbPath).filter((item) => item !== question)].slice(0, HISTORY_LIMIT);
  storage.setItem(historyKey(dbPath), JSON.stringify(next));
  return next;
}

export function clearHistory(storage: KeyValueStore, dbPath: string): void {
  storage.removeItem(historyKey(dbPath));
}
