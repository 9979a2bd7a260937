import type { Evidence, EvidenceKind, ResilienceKind } from '../api/contract.js';

/**
 * A sentence of the analysis in both languages Causeway speaks. The analysis knows the facts, so it
 * writes them in English and Chinese together; the reader (the app, the offline analyst, the
 * report) picks the language it was asked in.
 */
export interface Said {
  en: string;
  zh: string;
}

export function said(en: string, zh: string): Said {
  return { en, zh };
}

/** Evidence with its label in both languages. */
export function evidenceSaid(kind: EvidenceKind, ref: string, summary: Said): Evidence {
  return { kind, ref, summary: summary.en, summary_zh: summary.zh };
}

const EVENT_KIND_ZH: Record<ResilienceKind, string> = {
  timeout: '超时',
  deadline_exceeded: 'deadline 超时',
  cancelled: '取消',
  unavailable: '不可用',
  breaker_transition: '熔断状态变化',
  breaker_rejected: '熔断拒绝',
  retry: '重试',
  fallback: '降级',
  rate_limited: '限流',
  overflow: '过载拒绝',
  gc_pause: 'GC 停顿',
  pool_wait: '连接池等待',
  error: '错误',
};

/** The name of a kind of resilience event, in both languages. */
export function eventKindSaid(kind: string): Said {
  return said(kind.replace('_', ' '), (EVENT_KIND_ZH as Record<string, string | undefined>)[kind] ?? kind);
}
