import { describe, expect, it } from 'vitest';
import { detectLanguage } from './language.js';

describe('detectLanguage', () => {
  it.each([
    ['Why did payments fail between 10:02 and 10:07 UTC?', 'en'],
    ['为什么支付失败了?', 'zh'],
    ['subtitle 的 CPU 和下游依赖都正常,为什么调用它的请求会超时?', 'zh'],
    ['zeta-credit-score-svc 服务本身是否有性能问题?', 'zh'],
    ['yonghu-center-service 变慢了吗?', 'zh'],
    ['Why did 下载 requests fail yesterday?', 'en'],
    ['Is risk-engine the root cause?', 'en'],
    ['DEADLINE_EXCEEDED 是什么意思', 'zh'],
    ['', 'en'],
  ])('%s -> %s', (question, language) => {
    expect(detectLanguage(question)).toBe(language);
  });
});
