/**
 * Every text recogniser of the resilience analysis, in one place. The same sources run inside
 * DuckDB (RE2, through `regexp_matches(text, $re_<name>, 'i')`) and in JavaScript (tests, small
 * helpers), so they use only the syntax both engines share: no look-behind, no named groups, and
 * case-insensitivity comes from the caller's flag rather than an inline `(?i)`.
 */

const STATE = String.raw`(closed|open|half[-_ ]?open|forced[-_ ]?open|disabled)`;
/** A status code only counts after a status-like key ("status=503", "code": "504"), never as any number. */
const HTTP_STATUS = String.raw`(?:status|code)[\w.]*["']?\s*[=:]\s*"?`;

export const PATTERNS = {
  /** gobreaker "CB x state changed: closed -> open", resilience4j "CircuitBreaker 'x' changed state from CLOSED to OPEN", and "circuit breaker 'x' ... from X to Y". Groups: name, from, to. */
  breaker_transition: String.raw`(?:\bCB|circuit[ _-]?breaker)\s+['"\[]?([\w.:/-]+)['"\]]?[^\n]{0,80}?\b${STATE}\s*(?:->|→|=>|\bto\b)\s*${STATE}\b`,
  /** Polly-style lines that name only the new state: "Circuit breaker opened", "... reset", "... half-open". Group: the verb. */
  breaker_verb: String.raw`\bcircuit[ _-]?breaker\s+(opened|reset|closed|half[-_ ]?open(?:ed)?)\b`,
  /** Calls refused because a breaker is open (gobreaker, resilience4j, Hystrix, Polly). */
  breaker_rejected: String.raw`circuit breaker is open|CallNotPermittedException|does not permit further calls|short-circuited|BrokenCircuitException|ErrOpenState|breaker is open`,
  /** A refusal that names its breaker: resilience4j "CircuitBreaker 'backendA' is OPEN and does not permit further calls". Group: the name. */
  breaker_rejected_name: String.raw`(?:\bCircuitBreaker|\bcircuit[ _-]breaker)\s+['"\[]?([\w.:/-]+)['"\]]?\s+is\s+(?:forced[-_ ]?open|half[-_ ]?open|open)\b`,
  /** gobreaker's ErrTooManyRequests (half-open probe limit); tested after rate limiting so HTTP 429 text wins. */
  breaker_probe_limit: String.raw`\btoo many requests\b`,
  fallback: String.raw`fallback|\bdegrad(?:ed|ing|ation)\b|兜底|降级|returning cached|served from cache|serving cached|stale cache|default response`,
  retry: String.raw`\bretry(?:ing)?\b|\bretries\b|\battempt\s*#?\s*'?[2-9]\d*'?\s*(?:/|of)?\s*\d*|\bresend`,
  pool_wait: String.raw`Connection is not available, request timed out|Timeout waiting for connection from pool|ConnectionPoolTimeoutException|pool (?:is )?exhausted|waiting for (?:a )?(?:free )?connection|connection pool[^\n]{0,30}(?:exhausted|timeout|timed out)`,
  overflow: String.raw`overflow|max_pending_requests|queue (?:is )?full|RejectedExecutionException|bulkhead`,
  rate_limited: String.raw`${HTTP_STATUS}429\b|\b429 Too Many Requests|rate[ _-]?limit|throttl|RESOURCE_EXHAUSTED|ResourceExhausted`,
  deadline_exceeded: String.raw`deadline[ _]exceeded|DeadlineExceeded|Client\.Timeout exceeded`,
  timeout: String.raw`timed out|SocketTimeoutException|TimeoutException|ETIMEDOUT|ESOCKETTIMEDOUT|i/o timeout|timeout exceeded|Gateway Timeout|Request Timeout|upstream request timeout|${HTTP_STATUS}(?:504|408)\b`,
  cancelled: String.raw`context canceled|code = Canceled|status(?:code)?[=: ]+CANCELL?ED|request cancell?ed|operation was cancell?ed|CancellationException|TaskCanceledException|RST_STREAM`,
  unavailable: String.raw`connection refused|ECONNREFUSED|code = Unavailable|\bUNAVAILABLE\b|no healthy upstream|Service Unavailable|${HTTP_STATUS}503\b|connection reset|ECONNRESET|broken pipe|socket hang up|no route to host|EHOSTUNREACH`,
  /** Text that puts a failure on the network layer rather than the protocol layer. */
  network_layer: String.raw`connection refused|ECONNREFUSED|connection reset|ECONNRESET|no route to host|EHOSTUNREACH|broken pipe|socket hang up|network is unreachable|dial tcp`,
  /** Socket-level timeouts: the transport layer. */
  transport_layer: String.raw`Read timed out|SocketTimeout|ETIMEDOUT|ESOCKETTIMEDOUT|i/o timeout|connect timed out|ConnectTimeout`,
  cache_layer: String.raw`\bredis\b|memcache|\bcache\b`,
  /** Go gctrace: "gc 12 @3.4s 2%: 0.1+25+0.2 ms clock"; groups: the two stop-the-world phases. */
  gc_go_trace: String.raw`\bgc \d+ @[\d.]+s \d+%: ([\d.]+)\+[\d.]+\+([\d.]+) ms clock`,
  /** JVM unified logging: "GC(12) Pause Young (Normal) ... 419M->189M(768M) 6.005ms"; group: the pause. */
  gc_jvm_pause: String.raw`\bPause (?:Young|Full|Remark|Cleanup|Initial Mark|Mixed)[^\n]*?([\d.]+)\s*ms\b`,
  /** Structured GC lines ("GC pause", pause_ms=...); group: the pause in ms when the line states one. */
  gc_generic: String.raw`\bGC pause\b|\bgc_pause\b|\bpause_ms\b|stop[- ]the[- ]world`,
  /** The pause a structured GC line states ("duration_ms=67.0", "pause_ms": 12). Group: milliseconds. */
  gc_pause_value: String.raw`(?:pause_ms|duration_ms|pause)["']?\s*[=:]\s*"?([\d.]+)`,
  /** Envoy access-log response flags after the status code: `" 504 UT 0 24 ...`. Group: the flags. */
  envoy_flags: String.raw`" \d{3} ((?:UT|UO|URX|UF|UH|UC|DC|NR|RL|LH)(?:,(?:UT|UO|URX|UF|UH|UC|DC|NR|RL|LH))*) `,
  /** The peer a log line names. Group: the peer. */
  /** resilience4j "Retry 'backendA', waiting 50ms until attempt '2'": the retried backend. Group: its name. */
  retry_name: String.raw`\bRetry '([\w.-]+)'`,
  log_peer: String.raw`\b(?:peer(?:[._]service)?|upstream(?:_cluster)?|callee|dependency|downstream)["']?\s*[=:]\s*["']?([\w.-]+)`,

  // Span attributes, matched against the attributes' JSON text because the key names vary by SDK.
  /** Any key containing "grpc-timeout" ("rpc.grpc.request.metadata.grpc-timeout"). Groups: amount, unit. */
  attr_grpc_timeout: String.raw`"[^"]*grpc-timeout[^"]*"\s*:\s*"?\[?"?(\d{1,8})([HMSmun])"`,
  /** deadline_ms / timeout_ms, bare or namespaced ("rpc.deadline_ms"). Group: milliseconds. */
  attr_timeout_ms: String.raw`"(?:[^"]*[._])?(?:deadline|timeout)[._]ms"\s*:\s*"?(\d+(?:\.\d+)?)`,
  /** The seed's X-Request-Timeout header in milliseconds, under any prefix. Group: milliseconds. */
  attr_request_timeout: String.raw`"[^"]*x-request-timeout[^"]*"\s*:\s*"?\[?"?(\d+(?:\.\d+)?)`,
  /** An absolute deadline ("x-deadline-timestamp", "deadline_at", "grpc.deadline"): ISO 8601 or epoch s/ms/µs/ns. Group: the value. */
  attr_deadline_timestamp: String.raw`"[^"]*deadline(?:[-_.]?(?:timestamp|ts|at|time|unix(?:[-_.]?(?:ms|nanos?))?))?"\s*:\s*"?\[?"?(\d{4}-\d\d-\d\d[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?|\d{10,19})\b`,
  attr_fallback: String.raw`"[^"]*(?:fallback|degraded)[^"]*"\s*:\s*"?(?:true|1|yes)\b`,
  /** Resend/retry counters (0 on a first attempt). Group: the count. */
  attr_retry_count: String.raw`"(?:[^"]*[._])?(?:resend_count|retry_count|retries)"\s*:\s*"?(\d+)`,
  /** Attempt numbers (1 on a first attempt). Group: the attempt. */
  attr_attempt: String.raw`"(?:[^"]*[._])?(?:attempt|attempt_number|retry_attempt)"\s*:\s*"?(\d+)`,
  /** Time spent queued for a connection or worker before the call ran. Group: milliseconds. */
  attr_wait_ms: String.raw`"[^"]*(?:pool|queue|conn(?:ection)?)[._]?wait[._]ms"\s*:\s*"?(\d+(?:\.\d+)?)`,

  // Metric names.
  breaker_state_metric: String.raw`(?:circuit_?breaker|gobreaker|breaker)[\w:]*state`,
  /** Envoy's circuit-breaker gauges, 1 while that threshold is tripped: Prometheus `envoy_cluster_circuit_breakers_default_rq_pending_open` or statsd `cluster.<name>.circuit_breakers.default.cx_open`. Groups: the cluster (statsd only), the resource. */
  envoy_breaker_gauge: String.raw`(?:cluster\.([\w-]+)\.)?circuit_breakers[._](?:default|high)[._](cx|cx_pool|rq|rq_pending|rq_retry)_open$`,
  /** Istio's cluster names ("outbound|9080||reviews.default.svc.cluster.local"). Group: the service's short name. */
  istio_cluster: String.raw`^(?:outbound|inbound)\|\d*\|[\w.-]*\|([\w-]+)`,
  gc_pause_metric: String.raw`gc[\w:]*(?:pause|duration)[\w:]*(?:seconds|ms)?(?:_max)?$`,
  timeout_counter: String.raw`time_?out|timedout`,
  overflow_counter: String.raw`overflow`,
  retry_counter: String.raw`retr(?:y|ies)`,
  rejected_labels: String.raw`rejected|not_permitted|short_circuited`,
  pool_counter: String.raw`hikari|pool|connections?_`,
  /** Cumulative parts of summaries and histograms, which are not pauses themselves. */
  cumulative_suffix: String.raw`_(?:count|sum|total|bucket)$`,
} as const;

export type PatternName = keyof typeof PATTERNS;

/** The recognisers that classify a log line (events_from_logs.sql), in its order. */
const LOG_EVENT_PATTERNS: readonly PatternName[] = [
  'breaker_transition', 'breaker_verb', 'fallback', 'retry', 'breaker_rejected', 'rate_limited', 'breaker_probe_limit', 'pool_wait',
  'gc_go_trace', 'gc_jvm_pause', 'gc_generic', 'overflow', 'deadline_exceeded', 'timeout', 'cancelled', 'unavailable',
];

/**
 * Statement parameters made of several patterns: `$re_any_log_event` matches a line that any log
 * recogniser matches, so that a line none of them matches (most lines) is read by one automaton
 * instead of by each recogniser in turn.
 */
const PATTERN_UNIONS: Record<string, readonly PatternName[]> = { any_log_event: LOG_EVENT_PATTERNS };

/** The SQL parameter that carries a pattern: `$re_<name>`. */
export const sqlParam = (name: PatternName): string => `re_${name}`;

/** The pattern parameters a statement refers to (DuckDB refuses parameters a statement lacks). */
export function patternParams(sql: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of Object.keys(PATTERNS) as PatternName[]) {
    const param = sqlParam(name);
    if (new RegExp(String.raw`\$${param}\b`).test(sql)) params[param] = PATTERNS[name];
  }
  for (const [name, members] of Object.entries(PATTERN_UNIONS)) {
    if (new RegExp(String.raw`\$re_${name}\b`).test(sql)) params[`re_${name}`] = members.map((member) => `(?:${PATTERNS[member]})`).join('|');
  }
  return params;
}

const compiled = new Map<PatternName, RegExp>();

/** The JavaScript form of a pattern, case-insensitive like its SQL use. */
export function regex(name: PatternName): RegExp {
  let re = compiled.get(name);
  if (!re) {
    re = new RegExp(PATTERNS[name], 'i');
    compiled.set(name, re);
  }
  return re;
}

export type BreakerStateName = 'closed' | 'open' | 'half-open';

/** Normalises the state spellings of the libraries to the contract's three states. */
export function normalizeBreakerState(raw: string): BreakerStateName {
  const s = raw.toLowerCase().replace(/[_ ]/g, '-');
  if (s.startsWith('half')) return 'half-open';
  if (s === 'open' || s === 'opened' || s === 'forced-open') return 'open';
  return 'closed';
}

/** Decodes gRPC's `grpc-timeout` header (at most 8 digits and a unit) to milliseconds. */
export function parseGrpcTimeout(value: string): number | null {
  const match = /^\s*(\d{1,8})\s*([HMSmun])\s*$/.exec(value);
  if (!match) return null;
  const amount = Number(match[1]);
  const unitMs: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };
  return amount * unitMs[match[2]!]!;
}

/** The suffixes client-side breakers are commonly named with ("<service>-client"). */
const BREAKER_NAME_SUFFIX = /[-_.]?(client|cb|breaker|circuit|circuitbreaker|grpc|http|rpc)$/i;

/**
 * The service a breaker protects, from its name and the services the data knows: an exact match,
 * else the name without a client suffix, else the one service whose name ends or starts with it.
 */
export function breakerProtects(breaker: string, knownServices: readonly string[]): string | null {
  const known = new Set(knownServices);
  if (known.has(breaker)) return breaker;
  const stem = breaker.replace(BREAKER_NAME_SUFFIX, '');
  if (!stem) return null;
  if (known.has(stem)) return stem;
  const lowerStem = stem.toLowerCase();
  const candidates = knownServices.filter((service) => {
    const s = service.toLowerCase();
    return s.endsWith(`-${lowerStem}`) || s.startsWith(`${lowerStem}-`) || s.endsWith(`_${lowerStem}`) || s.startsWith(`${lowerStem}_`);
  });
  return candidates.length === 1 ? candidates[0]! : null;
}
