export type Language = 'en' | 'zh';

const HAN = /\p{Script=Han}/gu;
/** Plain English words; identifiers (with - _ . / or digits) and ALL-CAPS terms (UTC, CPU) are language-neutral. */
const ENGLISH_WORD = /(?<![\w\-./{}])[A-Za-z][a-z]+(?![\w\-./{}])/g;

/**
 * Chinese when Han characters outweigh ordinary English words. Service names, metric names and
 * acronyms are ignored, so "subtitle 的 CPU 正常吗" is Chinese and "Why did 下载 fail?" is English.
 */
export function detectLanguage(text: string): Language {
  const han = text.match(HAN)?.length ?? 0;
  if (han === 0) return 'en';
  const englishWords = text.match(ENGLISH_WORD)?.length ?? 0;
  return han >= englishWords ? 'zh' : 'en';
}
