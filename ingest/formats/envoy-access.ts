import { logBatcher } from '../batcher.js';
import { type FormatInput, type TelemetryFormat, byContentThenName } from '../format.js';
import { leadingTimestamp, serviceFromPath, traceContextOf } from '../logline.js';
import { isoToNs, normalizeService, podToService, toNs } from '../normalize.js';
import type { Attributes, Severity, Sink } from '../records.js';
import { UTC, type TimeZone } from '../timezone.js';

/**
 * Envoy and Istio access logs: Envoy's default text format, Istio's longer default text format, JSON
 * access logs, and either one wrapped in a Kubernetes JSON log line. Each request becomes a log
 * record whose attributes hold the method, path, status, response flags (UT, UO, URX, UF, UH, NR,
 * DC, ...), duration and upstream; the body is the access line itself.
 */

const TEXT_LINE = /^(?:[A-Za-z_-]+ )?\[(\d{4}-\d{2}-\d{2}[T ][^\]]+)\] "([^"]*)" (\d{1,3}) (\S+) (.*)$/;
const TOKEN = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
const NUMBER_OR_DASH = /^(\d+|-)$/;
/** Flags that mean the proxy could not get a good answer from upstream. */
const UPSTREAM_FAILURE_FLAGS = new Set(['UH', 'UF', 'UO', 'UT', 'URX', 'UC', 'UR', 'LR', 'UPE', 'NC', 'DT', 'UMSDR', 'OM', 'SI']);
const SAMPLE_LINES = 20;

function tokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(TOKEN)) out.push(match[1] ?? match[2]!);
  return out;
}

function set(attributes: Attributes, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const text = typeof value === 'string' ? value : String(value);
  if (text === '' || text === '-') return;
  attributes[key] = text;
}

/** `outbound|9080||reviews.default.svc.cluster.local` -> `reviews`. */
function serviceOfCluster(cluster: string | undefined): string | null {
  if (!cluster) return null;
  const host = cluster.split('|').at(-1) ?? '';
  const name = /^([a-z0-9-]+)\.[a-z0-9-]+\.svc(\.|$)/i.exec(host)?.[1];
  return name ?? null;
}

function severityOf(status: number, flags: string): Severity {
  const flagList = flags === '-' ? [] : flags.split(',');
  if (status >= 500 || flagList.some((flag) => UPSTREAM_FAILURE_FLAGS.has(flag))) return 'ERROR';
  if (status >= 400 || flagList.length > 0) return 'WARN';
  return 'INFO';
}

interface Parsed {
  tsNs: bigint;
  attributes: Attributes;
  status: number;
  flags: string;
}

/** One text access line; null when it is not one. */
function parseTextLine(line: string, zone: TimeZone): Parsed | null {
  const match = TEXT_LINE.exec(line);
  if (!match) return null;
  const [, time, request, status, flags, rest] = match;
  const tsNs = isoToNs(time!, zone);
  if (tsNs === null) return null;
  const attributes: Attributes = {};
  const [method, path, protocol] = request!.split(' ');
  set(attributes, 'method', method);
  set(attributes, 'path', path);
  set(attributes, 'protocol', protocol);
  set(attributes, 'status', status);
  set(attributes, 'response_flags', flags);
  const fields = tokens(rest!);
  // Istio adds response code details, termination details and a transport failure reason before the
  // byte counts; Envoy's default goes straight to them. The counts are where four number-or-dash
  // fields start with a number.
  let counts = fields.findIndex((_, i) => /^\d+$/.test(fields[i]!) && fields.slice(i, i + 4).length === 4 && fields.slice(i, i + 4).every((f) => NUMBER_OR_DASH.test(f)));
  if (counts < 0) counts = fields.length;
  const details = fields.slice(0, counts);
  set(attributes, 'response_code_details', details[0]);
  set(attributes, 'connection_termination_details', details[1]);
  set(attributes, 'upstream_transport_failure_reason', details[2]);
  const [bytesReceived, bytesSent, duration, upstreamTime, forwardedFor, userAgent, requestId, authority, upstreamHost, upstreamCluster, upstreamLocal, downstreamLocal, downstreamRemote, serverName, routeName] = fields.slice(counts);
  set(attributes, 'bytes_received', bytesReceived);
  set(attributes, 'bytes_sent', bytesSent);
  set(attributes, 'duration_ms', duration);
  set(attributes, 'upstream_service_time_ms', upstreamTime);
  set(attributes, 'x_forwarded_for', forwardedFor);
  set(attributes, 'user_agent', userAgent);
  set(attributes, 'request_id', requestId);
  set(attributes, 'authority', authority);
  set(attributes, 'upstream_host', upstreamHost);
  set(attributes, 'upstream_cluster', upstreamCluster);
  set(attributes, 'upstream_local_address', upstreamLocal);
  set(attributes, 'downstream_local_address', downstreamLocal);
  set(attributes, 'downstream_remote_address', downstreamRemote);
  set(attributes, 'requested_server_name', serverName);
  set(attributes, 'route_name', routeName);
  return { tsNs, attributes, status: Number(status), flags: flags! };
}

const JSON_FIELDS: Record<string, string> = {
  method: 'method',
  path: 'path',
  protocol: 'protocol',
  response_code: 'status',
  response_flags: 'response_flags',
  response_code_details: 'response_code_details',
  connection_termination_details: 'connection_termination_details',
  upstream_transport_failure_reason: 'upstream_transport_failure_reason',
  bytes_received: 'bytes_received',
  bytes_sent: 'bytes_sent',
  duration: 'duration_ms',
  upstream_service_time: 'upstream_service_time_ms',
  x_forwarded_for: 'x_forwarded_for',
  user_agent: 'user_agent',
  request_id: 'request_id',
  authority: 'authority',
  upstream_host: 'upstream_host',
  upstream_cluster: 'upstream_cluster',
  upstream_local_address: 'upstream_local_address',
  downstream_local_address: 'downstream_local_address',
  downstream_remote_address: 'downstream_remote_address',
  requested_server_name: 'requested_server_name',
  route_name: 'route_name',
};

function isJsonAccess(record: Record<string, unknown>): boolean {
  return 'response_code' in record && ('response_flags' in record || 'upstream_cluster' in record || 'start_time' in record);
}

function parseJsonAccess(record: Record<string, unknown>, zone: TimeZone): Parsed | null {
  const tsNs = toNs(record.start_time ?? record.timestamp ?? record['@timestamp'], zone);
  if (tsNs === null) return null;
  const attributes: Attributes = {};
  for (const [key, name] of Object.entries(JSON_FIELDS)) set(attributes, name, record[key]);
  const status = Number(record.response_code ?? 0);
  return { tsNs, attributes, status: Number.isFinite(status) ? status : 0, flags: typeof record.response_flags === 'string' ? record.response_flags : '-' };
}

interface Wrapper {
  inner: string;
  pod: string | null;
  service: string | null;
}

/** A Kubernetes / Docker JSON log line around the access line. */
function unwrapContainerLine(record: Record<string, unknown>): Wrapper | null {
  const inner = record.message ?? record.log;
  if (typeof inner !== 'string') return null;
  const kubernetes = typeof record.kubernetes === 'object' && record.kubernetes !== null ? (record.kubernetes as Record<string, unknown>) : {};
  const pod = typeof kubernetes.pod === 'object' && kubernetes.pod !== null ? (kubernetes.pod as Record<string, unknown>).name : kubernetes.pod_name;
  const labels = typeof kubernetes.labels === 'object' && kubernetes.labels !== null ? (kubernetes.labels as Record<string, unknown>) : {};
  const labelService = labels.app ?? labels['app.kubernetes.io/name'] ?? labels.service;
  return { inner: inner.replace(/\n$/, ''), pod: typeof pod === 'string' ? pod : null, service: typeof labelService === 'string' ? labelService : null };
}

function parseLine(line: string, zone: TimeZone = UTC): { parsed: Parsed; wrapper: Wrapper | null; body: string } | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) {
    const parsed = parseTextLine(trimmed, zone);
    return parsed ? { parsed, wrapper: null, body: trimmed } : null;
  }
  let record: unknown;
  try {
    record = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null) return null;
  const object = record as Record<string, unknown>;
  if (isJsonAccess(object)) {
    const parsed = parseJsonAccess(object, zone);
    return parsed ? { parsed, wrapper: null, body: trimmed } : null;
  }
  const wrapper = unwrapContainerLine(object);
  if (!wrapper) return null;
  const inner = parseLine(wrapper.inner, zone);
  return inner ? { ...inner, wrapper: { ...wrapper, service: wrapper.service ?? inner.wrapper?.service ?? null } } : null;
}

export interface AccessLine {
  /** When the request started. */
  tsNs: bigint;
  severity: Severity;
  /** Method, path, status, response flags, durations, upstream cluster and its service, ... */
  attributes: Attributes;
}

/** The fields of one access line, text or JSON; null when the line is not one. */
export function parseAccessLine(line: string, zone: TimeZone = UTC): AccessLine | null {
  const result = parseLine(line, zone);
  return result ? accessLine(result.parsed) : null;
}

function accessLine({ tsNs, attributes, status, flags }: Parsed): AccessLine {
  const upstreamService = serviceOfCluster(attributes['upstream_cluster']);
  if (upstreamService) attributes['upstream_service'] = upstreamService;
  return { tsNs, severity: severityOf(status, flags), attributes };
}

/** Below plain-logs' score for a file of timestamped lines, above the threshold for anything else. */
const MIXED_SCORE = 0.55;

function detectByContent(head: string): number {
  const lines = head.split('\n');
  if (lines.length > 1) lines.pop();
  const sample = lines.filter((line) => line.trim().length > 0).slice(0, SAMPLE_LINES);
  if (sample.length === 0) return 0;
  const others = sample.filter((line) => parseLine(line) === null);
  const share = 1 - others.length / sample.length;
  if (share < 0.5) return 0;
  // The proxy's own log lines between the access lines (istio-proxy containers): plain-logs reads
  // both kinds, so it should have the file.
  if (others.some((line) => leadingTimestamp(line) !== null)) return MIXED_SCORE;
  return 0.6 + 0.36 * share;
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const fileService = serviceFromPath(input.path);
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  for await (const { text, line } of input.lines()) {
    if (text.trim().length === 0) continue;
    const result = parseLine(text, zone);
    if (!result) {
      sink.issue({ line, message: 'not an Envoy / Istio access log line; skipped' });
      continue;
    }
    const { parsed, wrapper, body } = result;
    const { tsNs, severity, attributes } = accessLine(parsed);
    if (wrapper?.pod) attributes['k8s.pod.name'] = wrapper.pod;
    const context = traceContextOf(body);
    const service = wrapper?.service ? normalizeService(wrapper.service) : wrapper?.pod ? podToService(wrapper.pod) : fileService;
    await batch.add({
      tsNs,
      service,
      severity,
      body,
      traceId: context.traceId,
      spanId: context.spanId,
      attributes,
      sourceLine: line,
    });
  }
  await batch.flush();
}

const detect = byContentThenName(detectByContent, /access|envoy|istio|proxy/i);

export const envoyAccess: TelemetryFormat = {
  id: 'envoy-access',
  label: 'Envoy / Istio access logs',
  signal: 'logs',
  detect,
  parse,
};
