import type { Language } from './strings.js';

/** The analysis writes its sentences in both languages; English is the fallback. */
export function inLanguage(language: Language, text: string, textZh: string | undefined): string {
  return language === 'zh' && textZh ? textZh : text;
}
