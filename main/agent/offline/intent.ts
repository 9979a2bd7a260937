/**
 * What the user wants to know, read from the wording of the question in English or Chinese.
 * Several cues can appear in one question ("when did it start and which breakers opened"); the
 * first matching rule in priority order decides, the others are kept as secondary intents.
 */
export type Intent =
  | 'traces'
  | 'breakers'
  | 'deadlines'
  | 'compare'
  | 'related'
  | 'impact'
  | 'suspect'
  | 'when'
  | 'change'
  | 'why'
  | 'where'
  | 'summary';

export interface IntentReading {
  intent: Intent;
  /** Every intent whose cues appear, in priority order (the first is `intent`). */
  all: Intent[];
}

interface Rule {
  intent: Intent;
  /** Cues; `entities` is how many distinct services the question names. */
  test: (q: string, entities: number) => boolean;
}

const has = (q: string, pattern: RegExp): boolean => pattern.test(q);

/** A "why" question asks for the cause even when it also mentions who else failed. */
const WHY = /\bwhy\b|为什么|为何/i;

const RULES: Rule[] = [
  {
    intent: 'traces',
    test: (q) =>
      has(q, /\b(?:show|list|give|find|sample|example)s?\b[^?]*\btraces?\b|\btrace ids?\b|\bfailing traces?\b|\bexample requests?\b/i) ||
      has(q, /(?:看看|列出|给出|找出|展示|显示|有哪些)[^?？]*(?:trace|追踪|链路|调用链)|(?:trace|调用链|链路追踪)\s*(?:id|列表)?\s*(?:在哪|有哪些|发给我)/i),
  },
  {
    intent: 'breakers',
    test: (q) => has(q, /\bcircuit[- ]?breakers?\b|\bbreakers?\b|\bcircuit (?:opened|open|tripped)\b|\bhalf-open\b/i) || has(q, /熔断/),
  },
  {
    intent: 'deadlines',
    test: (q) =>
      has(q, /\bdeadline (?:findings?|budget|propagation)|\borphan(?:ed)? work\b|\btimeout (?:settings?|config(?:uration)?|budgets?|findings?)\b|\b(?:timeouts?|deadlines?) (?:too short|too long|below|above|misconfigured)\b|\bwhich (?:deadline|timeout)s?\b/i) ||
      has(q, /超时(?:配置|设置|预算|阈值)|deadline\s*(?:传递|预算|衰减)|孤儿(?:请求|任务)|截止时间/i),
  },
  {
    intent: 'compare',
    test: (q) =>
      has(q, /\bcompare\b|\bcomparison\b|\bbefore (?:vs\.?|versus|and|compared)|\bvs\.?\b|\bversus\b|\bbaseline\b|\bbefore and during\b|\bdiff(?:erence)? between\b/i) ||
      has(q, /对比|比较|相比|基线|故障前后|之前和(?:之后|期间)/),
  },
  {
    intent: 'related',
    test: (q, entities) =>
      (has(q, /\brelated to\b|\bcorrelated with\b|\bconnected to\b|\blinked to\b|\bdue to\b|\bbecause of\b|\bcaused by\b/i) && entities >= 1) ||
      has(q, /是否与.+(?:相关|有关|关联)|(?:和|与|跟).+(?:相关|有关|有关系)(?:吗|么|\?|？)|是不是(?:因为|由于)|是否(?:因为|由于)|是否由/),
  },
  {
    intent: 'impact',
    test: (q) =>
      !has(q, WHY) &&
      (has(q, /\bother callers\b|\balso (?:suffer|fail|affected|slow|see)|\bwho else\b|\baffected\b|\bimpact(?:ed)?\b|\bblast radius\b|\bdownstream of\b|\bupstream of\b/i) ||
        has(q, /其他调用方|其它调用方|也受(?:到)?影响|也失败|也变慢|受影响|影响范围|波及|还有谁|哪些服务/)),
  },
  {
    intent: 'suspect',
    test: (q, entities) =>
      entities >= 1 &&
      (has(q, /^\s*(?:is|was|are|were|did|does|do|could)\b[^?]*\b(?:root cause|the cause|culprit|to blame|slow(?:er)?|degraded|healthy|performance|cause the (?:incident|outage|failure)|too small|too short|responsible)\b/i) ||
        has(q, /变慢|慢了吗|是不是(?:这次)?(?:故障的)?根因|是否是?根因|是根因吗|本身(?:是否)?有(?:性能)?问题|有问题吗|正常吗|有关吗|导致的吗|引起的吗|负责吗/)),
  },
  {
    intent: 'when',
    test: (q) =>
      has(q, /^\s*when\b|\bwhat time\b|\bstart(?:ed)? (?:at|when)\b|\bwhen did\b|\bwhen was\b|\bhow long\b|\bresolved\b|\brecover(?:ed|y)?\b/i) ||
      has(q, /几点|什么时候|何时|多久|开始时间|恢复时间|持续了|哪个时间/),
  },
  {
    intent: 'change',
    test: (q) =>
      has(q, /\bwhat (?:changed|triggered|happened at)\b|\btrigger(?:ed)?\b|\bdeploy(?:ed|ment)?\b|\brelease\b|\bmitigat/i) ||
      has(q, /触发|发布|变更|上线|改了什么|发生了什么|止血|缓解/),
  },
  {
    intent: 'why',
    test: (q) =>
      has(q, /\bwhy\b|\broot cause\b|\bwhat caused\b|\bcause of\b|\breason\b|\bexplain\b|\bwhat went wrong\b/i) ||
      has(q, /为什么|为何|根因|原因|怎么回事|怎么了|导致|引起/),
  },
  {
    intent: 'where',
    test: (q) =>
      has(q, /\bwhich (?:service|dependency|component|hop|node)\b|\bwhere\b|\bwhat service\b/i) ||
      has(q, /哪个(?:服务|依赖|组件|环节)|哪里|在哪/),
  },
];

export function classifyIntent(question: string, entityCount: number): IntentReading {
  const all = RULES.filter((rule) => rule.test(question, entityCount)).map((rule) => rule.intent);
  return { intent: all[0] ?? 'summary', all };
}
