/**
 * Finds the services and circuit breakers a question mentions, among the names the data holds.
 * A mention matches exactly ("payment-svc"), by a word of the name ("payments" -> "payment-svc"), or
 * through a business word in Chinese or pinyin ("支付" -> "payment", "结算" -> "jiesuan-service"), and
 * only ever resolves to a name present in the data.
 */

export interface EntityMention {
  /** The service (or breaker) name as the data spells it. */
  name: string;
  kind: 'service' | 'breaker';
  /** The text of the question that named it. */
  mention: string;
  index: number;
  match: 'exact' | 'word' | 'glossary';
}

export interface EntityScan {
  mentions: EntityMention[];
  /** Identifier-like words (`foo-service`) that match nothing in the data. */
  unknown: string[];
}

/**
 * Business words as engineers name services in English or pinyin. A generic vocabulary, not a list of
 * anyone's services: a term is used only when some name in the data contains one of its words.
 */
const GLOSSARY: { zh: string[]; words: string[] }[] = [
  { zh: ['支付', '付款'], words: ['payment', 'payments', 'pay', 'zhifu'] },
  { zh: ['订单', '下单'], words: ['order', 'orders', 'dingdan'] },
  { zh: ['结算', '清算'], words: ['settlement', 'settle', 'checkout', 'clearing', 'jiesuan'] },
  { zh: ['下载'], words: ['download', 'downloads', 'xiazai'] },
  { zh: ['上传'], words: ['upload', 'uploads'] },
  { zh: ['播放', '播放器'], words: ['playback', 'player', 'play', 'bofang'] },
  { zh: ['字幕'], words: ['subtitle', 'subtitles', 'caption', 'captions'] },
  { zh: ['预订', '预定', '订票', '预约'], words: ['booking', 'bookings', 'reservation', 'reserve', 'yuding'] },
  { zh: ['计费', '账单', '扣费'], words: ['billing', 'bill', 'charge', 'jifei'] },
  { zh: ['发票', '开票'], words: ['invoice', 'invoices', 'fapiao'] },
  { zh: ['交易'], words: ['trade', 'trading', 'transaction', 'txn', 'jiaoyi'] },
  { zh: ['转账'], words: ['transfer', 'zhuanzhang'] },
  { zh: ['退款'], words: ['refund', 'refunds', 'tuikuan'] },
  { zh: ['风控', '风险'], words: ['risk', 'fraud', 'fengkong'] },
  { zh: ['信用', '征信'], words: ['credit', 'xinyong'] },
  { zh: ['评分', '打分'], words: ['score', 'scoring'] },
  { zh: ['额度', '限额', '限流'], words: ['limit', 'limits', 'quota', 'edu'] },
  { zh: ['实名', '身份认证', '身份验证'], words: ['kyc', 'identity'] },
  { zh: ['用户'], words: ['user', 'users', 'account', 'yonghu'] },
  { zh: ['账户', '账号'], words: ['account', 'accounts', 'zhanghu'] },
  { zh: ['认证', '鉴权', '登录'], words: ['auth', 'login', 'sso', 'renzheng'] },
  { zh: ['网关'], words: ['gateway', 'edge', 'api', 'wangguan'] },
  { zh: ['库存'], words: ['inventory', 'stock', 'kucun'] },
  { zh: ['商品'], words: ['product', 'products', 'item', 'catalog', 'goods', 'shangpin'] },
  { zh: ['价格', '定价'], words: ['price', 'pricing', 'jiage'] },
  { zh: ['优惠券', '优惠', '促销'], words: ['coupon', 'promotion', 'discount', 'youhui'] },
  { zh: ['购物车'], words: ['cart', 'basket', 'gouwuche'] },
  { zh: ['推荐'], words: ['recommend', 'recommendation', 'reco', 'tuijian'] },
  { zh: ['搜索'], words: ['search', 'sousuo'] },
  { zh: ['通知', '消息', '推送'], words: ['notification', 'notify', 'message', 'push', 'tongzhi'] },
  { zh: ['物流', '配送', '快递'], words: ['logistics', 'shipping', 'delivery', 'wuliu'] },
  { zh: ['派单', '调度'], words: ['dispatch', 'scheduler', 'paidan'] },
  { zh: ['路径', '路线', '路由规划'], words: ['routing', 'route'] },
  { zh: ['定位', '位置'], words: ['location', 'geo', 'dingwei'] },
  { zh: ['司机'], words: ['driver', 'siji'] },
  { zh: ['仓库', '仓储'], words: ['warehouse', 'cangku'] },
  { zh: ['库位', '货位'], words: ['slot', 'slots'] },
  { zh: ['标签', '面单'], words: ['label', 'labels'] },
  { zh: ['缓存'], words: ['cache', 'redis', 'huancun'] },
  { zh: ['数据库'], words: ['db', 'database', 'mysql', 'postgres'] },
  { zh: ['会员'], words: ['member', 'membership', 'huiyuan'] },
  { zh: ['权益', '授权'], words: ['entitlement', 'license'] },
  { zh: ['资料', '档案'], words: ['profile', 'profiles'] },
  { zh: ['评论'], words: ['comment', 'review', 'pinglun'] },
  { zh: ['安全检查', '安检', '安全'], words: ['safety', 'security', 'check'] },
];

const STOP_WORDS = new Set([
  'the', 'and', 'for', 'why', 'did', 'does', 'was', 'were', 'are', 'is', 'its', 'from', 'with', 'between', 'since',
  'what', 'when', 'which', 'who', 'how', 'this', 'that', 'these', 'those', 'calls', 'call', 'requests', 'request',
  'fail', 'failed', 'failing', 'failure', 'failures', 'error', 'errors', 'timeout', 'timeouts', 'timing', 'out',
  'incident', 'service', 'services', 'svc', 'server', 'client', 'root', 'cause', 'caused', 'related', 'during',
  'open', 'opened', 'breaker', 'breakers', 'circuit', 'utc', 'gmt', 'show', 'me', 'trace', 'traces', 'any', 'all',
  'other', 'same', 'see', 'latency', 'slow', 'first', 'start', 'started', 'resolved', 'problem', 'change', 'changed',
  'app', 'api', 'deploy', 'deployed', 'also', 'through', 'via', 'not', 'do', 'go', 'simply', 'too', 'small', 'pool',
]);

/** Lower-cases and strips an English plural or -ing so "payments" and "payment" meet. */
function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

function nameWords(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 2);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Candidate {
  name: string;
  kind: 'service' | 'breaker';
}

/** Names whose words include `word` (stemmed); a bare word that names several things is ambiguous and dropped. */
function byWord(word: string, candidates: Candidate[]): Candidate | null {
  const target = stem(word);
  const hits = candidates.filter((c) => nameWords(c.name).some((w) => stem(w) === target));
  if (hits.length === 0) return null;
  const services = hits.filter((c) => c.kind === 'service');
  const pool = services.length > 0 ? services : hits;
  const exactWord = pool.filter((c) => stem(c.name) === target);
  if (exactWord.length === 1) return exactWord[0] ?? null;
  if (pool.length === 1) return pool[0] ?? null;
  // Prefer the shortest name: "subtitle" over "subtitle-cache" when the user says "subtitle".
  const sorted = [...pool].sort((a, b) => nameWords(a.name).length - nameWords(b.name).length);
  const [best, next] = sorted;
  return best && next && nameWords(best.name).length < nameWords(next.name).length ? best : null;
}

export function findEntities(question: string, services: string[], breakers: string[] = []): EntityScan {
  const candidates: Candidate[] = [
    ...services.map((name) => ({ name, kind: 'service' as const })),
    ...breakers.filter((b) => !services.includes(b)).map((name) => ({ name, kind: 'breaker' as const })),
  ];
  const taken: boolean[] = new Array<boolean>(question.length).fill(false);
  const mentions: EntityMention[] = [];
  const claim = (index: number, length: number): boolean => {
    for (let i = index; i < index + length; i++) if (taken[i]) return false;
    for (let i = index; i < index + length; i++) taken[i] = true;
    return true;
  };
  const add = (candidate: Candidate, mention: string, index: number, match: EntityMention['match']): void => {
    if (!claim(index, mention.length)) return;
    if (mentions.some((m) => m.name === candidate.name)) return;
    mentions.push({ name: candidate.name, kind: candidate.kind, mention, index, match });
  };

  // 1. Exact names, longest first, so "subtitle-cache" is not read as "subtitle".
  const byLength = [...candidates].sort((a, b) => b.name.length - a.name.length);
  for (const candidate of byLength) {
    const pattern = new RegExp(`(?<![\\w-])${escapeRegExp(candidate.name)}(?![\\w-])`, 'gi');
    for (const m of question.matchAll(pattern)) add(candidate, m[0], m.index, 'exact');
  }

  // 2. Words of names: "payments" -> "payment-svc", "jiesuan" -> "jiesuan-service".
  for (const m of question.matchAll(/[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*/g)) {
    if (taken[m.index]) continue;
    const token = m[0];
    const isIdentifier = /[-_]/.test(token);
    if (!isIdentifier && (STOP_WORDS.has(token.toLowerCase()) || token.length < 3)) continue;
    const hit = isIdentifier ? null : byWord(token, candidates);
    if (hit) add(hit, token, m.index, 'word');
  }

  // 3. Business words in Chinese (or English synonyms) that the data's names contain.
  for (const entry of GLOSSARY) {
    for (const term of entry.zh) {
      let from = 0;
      for (let index = question.indexOf(term, from); index >= 0; index = question.indexOf(term, from)) {
        from = index + term.length;
        if (taken[index]) continue;
        const hit = entry.words.map((w) => byWord(w, candidates)).find((c) => c !== null);
        if (hit) add(hit, term, index, 'glossary');
      }
    }
  }
  for (const m of question.matchAll(/[A-Za-z]{3,}/g)) {
    if (taken[m.index] || STOP_WORDS.has(m[0].toLowerCase())) continue;
    const entry = GLOSSARY.find((g) => g.words.includes(stem(m[0])) || g.words.includes(m[0].toLowerCase()));
    const hit = entry?.words.map((w) => byWord(w, candidates)).find((c) => c !== null);
    if (hit) add(hit, m[0], m.index, 'glossary');
  }

  const unknown = [...question.matchAll(/[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+/g)]
    .filter((m) => !taken[m.index] && !/^(?:x-|deadline_exceeded|rpc|half-open|p\d+)/i.test(m[0]) && !/^[A-Z_]+$/.test(m[0]))
    .map((m) => m[0]);

  mentions.sort((a, b) => a.index - b.index);
  return { mentions, unknown };
}
