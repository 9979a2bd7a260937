import { describe, expect, it } from 'vitest';
import { withoutFallbackNotice } from './fallbackNotice.js';

describe('withoutFallbackNotice', () => {
  const reason = 'connect ECONNREFUSED 127.0.0.1:9';
  const body = '## Root cause\n\nThe database pool ran dry.\n\n> a quote the analyst wrote';

  it('drops the leading notice that repeats the fallback reason', () => {
    const answer = `> The LLM could not answer (${reason}); the built-in offline analyst answers instead.\n\n${body}`;
    expect(withoutFallbackNotice(answer, reason)).toBe(body);
  });

  it('drops the Chinese notice the same way', () => {
    const answer = `> 大模型暂不可用(${reason}),以下由内置离线分析器回答。\n\n${body}`;
    expect(withoutFallbackNotice(answer, reason)).toBe(body);
  });

  it('keeps the text whole when there is no reason or the first paragraph is not that notice', () => {
    expect(withoutFallbackNotice(`> ${reason}\n\n${body}`, undefined)).toBe(`> ${reason}\n\n${body}`);
    expect(withoutFallbackNotice(body, reason)).toBe(body);
    const quoteOfSomethingElse = `> an unrelated quote\n\n${body}`;
    expect(withoutFallbackNotice(quoteOfSomethingElse, reason)).toBe(quoteOfSomethingElse);
  });
});
