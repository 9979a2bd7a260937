import { describe, expect, it } from 'vitest';
import { classifyIntent, type Intent } from './intent.js';

describe('classifyIntent', () => {
  it.each<[string, number, Intent]>([
    ['Why did payment requests fail between 10:02 and 10:07 UTC?', 1, 'why'],
    ['为什么 order 失败了?', 1, 'why'],
    ['过去 2 小时支付失败率突增的原因是什么?', 1, 'why'],
    ['支付失败率突增是否与风控服务超时相关?', 2, 'related'],
    ['Is the payment failure spike related to risk-engine timeouts?', 2, 'related'],
    ['Which service is at fault?', 0, 'where'],
    ['故障出在哪个服务?', 0, 'where'],
    ['When did it start?', 0, 'when'],
    ['故障是几点开始、几点恢复的?', 0, 'when'],
    ['Which circuit breakers opened and when?', 0, 'breakers'],
    ['哪些熔断器打开了?', 0, 'breakers'],
    ['Which deadline findings are there? Any orphan work?', 0, 'deadlines'],
    ['有哪些超时配置问题?', 0, 'deadlines'],
    ['Compare before vs during the incident', 0, 'compare'],
    ['对比一下故障前后', 0, 'compare'],
    ['Show me the traces', 0, 'traces'],
    ['给我看看相关的 trace', 0, 'traces'],
    ['Is risk-engine the root cause?', 1, 'suspect'],
    ['risk-engine 变慢了吗?', 1, 'suspect'],
    ['Do other callers of risk-engine see the same latency?', 1, 'impact'],
    ['哪些服务受影响?', 0, 'impact'],
    ['What changed at 10:02 UTC?', 0, 'change'],
    ['这次故障的触发点是什么?', 0, 'change'],
    ['Summarise the incident', 0, 'summary'],
    ['说说这次事故', 0, 'summary'],
  ])('%s -> %s', (question, entities, intent) => {
    expect(classifyIntent(question, entities).intent).toBe(intent);
  });

  it('needs a named service before reading "is X slow" as a suspicion', () => {
    expect(classifyIntent('Is it slow?', 0).intent).not.toBe('suspect');
  });

  it('keeps every intent whose cues appear', () => {
    expect(classifyIntent('Why did it fail and when did it start?', 0).all).toEqual(expect.arrayContaining(['why', 'when']));
  });
});
