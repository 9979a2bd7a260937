import { logBatcher } from '../batcher.js';
import type { FormatInput, TelemetryFormat } from '../format.js';
import { podToService, toNs } from '../normalize.js';
import { errorMessage } from '../read.js';
import type { Attributes, LogRecord, Sink } from '../records.js';
import { UTC, type TimeZone } from '../timezone.js';

/*
 * Kubernetes events as log records: `kubectl get events -o json` (a List), `kubectl get events -w
 * -o json` (pretty-printed objects one after another), the API's watch stream ({"type":"ADDED",
 * "object":{...}} per line) and JSON lines of events. Both the core/v1 shape (involvedObject,
 * message, lastTimestamp) and events.k8s.io/v1 (regarding, note, deprecatedLastTimestamp) are read.
 * An event's reason (BackOff, Unhealthy, OOMKilling, FailedScheduling...) is kept as `k8s.reason`.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function field(object: unknown, key: string): unknown {
  return isObject(object) ? object[key] : undefined;
}

/** A JSON value of the file and the line it starts on. */
interface Located {
  value: unknown;
  line: number;
}

/**
 * The JSON values of a text holding one or several, one after another: a document, JSON lines, or
 * the pretty-printed objects a watch prints. Text between values that is not JSON is reported and
 * skipped up to the next line. Once the first value has fitted on its line the file is JSON lines,
 * and a value that does not close on its own line is reported alone instead of swallowing the rest.
 */
function* concatenatedValues(whole: string, onIssue: (line: number, message: string) => void): Generator<Located> {
  let index = 0;
  let line = 1;
  let jsonLines = false;
  let first = true;
  while (index < whole.length) {
    const char = whole[index]!;
    if (char === '\n') {
      line += 1;
      index += 1;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      index += 1;
      continue;
    }
    const startLine = line;
    if (char !== '{' && char !== '[') {
      const end = whole.indexOf('\n', index);
      onIssue(startLine, 'not a Kubernetes event (not a JSON object); line skipped');
      index = end === -1 ? whole.length : end;
      continue;
    }
    let depth = 0;
    let inString = false;
    let end = -1;
    for (let at = index; at < whole.length; at += 1) {
      const c = whole.charCodeAt(at);
      if (c === 10) {
        if (jsonLines) break;
        line += 1;
      }
      if (inString) {
        if (c === 92) at += 1;
        else if (c === 34) inString = false;
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth += 1;
      else if (c === 125 || c === 93) {
        depth -= 1;
        if (depth === 0) {
          end = at + 1;
          break;
        }
      }
    }
    if (end === -1 && jsonLines) {
      onIssue(startLine, 'malformed JSON line (it never closes); line skipped');
      const next = whole.indexOf('\n', index);
      index = next === -1 ? whole.length : next;
      continue;
    }
    if (end === -1) {
      onIssue(startLine, 'JSON value never closes (file cut off?); the rest of the file was not read');
      return;
    }
    if (first) jsonLines = line === startLine;
    first = false;
    const piece = whole.slice(index, end);
    index = end;
    try {
      yield { value: JSON.parse(piece) as unknown, line: startLine };
    } catch (error) {
      onIssue(startLine, `malformed JSON: ${errorMessage(error)}`);
    }
  }
}

const WATCH_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED']);
/**
 * Container states that are no event reason of their own but show up in events' messages ("Back-off
 * restarting failed container ... CrashLoopBackOff", "... OOMKilled"); kept so they can be searched.
 */
const CONTAINER_STATE = /\b(OOMKilled|CrashLoopBackOff|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|CreateContainerError|RunContainerError|ContainerCannotRun|Evicted)\b/;
/** A ReplicaSet's name is its Deployment's plus a pod-template hash. */
const REPLICA_SET_HASH = /-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/;

function isEvent(value: Json): boolean {
  return isObject(value.involvedObject) || isObject(value.regarding) || value.kind === 'Event';
}

/** The events a JSON value holds, each with the line to report it at and its record number. */
function* eventsOf(located: Located, onIssue: (line: number, message: string) => void): Generator<{ event: Json; sourceLine: number; issueLine: number; label: string }> {
  const { value, line } = located;
  if (!isObject(value)) {
    onIssue(line, 'not a Kubernetes event (not a JSON object)');
    return;
  }
  if (Array.isArray(value.items)) {
    let index = 0;
    for (const item of value.items) {
      index += 1;
      // an item inside one document has no line of its own: its issues name it and point at the document
      if (isObject(item) && isEvent(item)) yield { event: item, sourceLine: index, issueLine: line, label: `item #${index}: ` };
      else onIssue(line, `item #${index} is not a Kubernetes event; skipped`);
    }
    return;
  }
  if (typeof value.type === 'string' && 'object' in value) {
    if (value.type === 'BOOKMARK') return;
    if (!WATCH_TYPES.has(value.type) || !isObject(value.object) || !isEvent(value.object)) {
      onIssue(line, `watch entry of type ${value.type} holds no event; skipped`);
      return;
    }
    yield { event: value.object, sourceLine: line, issueLine: line, label: '' };
    return;
  }
  if (isEvent(value)) yield { event: value, sourceLine: line, issueLine: line, label: '' };
  else onIssue(line, 'not a Kubernetes event (no involvedObject or regarding); skipped');
}

const TIME_FIELDS: readonly (readonly string[])[] = [['series', 'lastObservedTime'], ['lastTimestamp'], ['deprecatedLastTimestamp'], ['eventTime'], ['firstTimestamp'], ['deprecatedFirstTimestamp'], ['metadata', 'creationTimestamp']];

/** When the event was last seen: a repeated event's latest occurrence; the first is kept as an attribute. */
function timeOf(event: Json, zone: TimeZone): bigint | null {
  for (const path of TIME_FIELDS) {
    const raw = path.reduce<unknown>((object, key) => field(object, key), event);
    if (typeof raw !== 'string' || raw === '') continue;
    const ns = toNs(raw, zone);
    if (ns !== null) return ns;
  }
  return null;
}

function serviceOf(kind: string | null, name: string | null): string | null {
  if (!name || kind === 'Node') return null;
  if (kind === 'ReplicaSet') return name.replace(REPLICA_SET_HASH, '');
  return podToService(name);
}

function logFromEvent(event: Json, sourceLine: number, zone: TimeZone): LogRecord | null {
  const tsNs = timeOf(event, zone);
  if (tsNs === null) return null;
  const object = isObject(event.involvedObject) ? event.involvedObject : isObject(event.regarding) ? event.regarding : {};
  const kind = text(object.kind);
  const name = text(object.name);
  const namespace = text(object.namespace) ?? text(field(event.metadata, 'namespace'));
  const reason = text(event.reason);
  const message = text(event.message) ?? text(event.note);
  const attributes: Attributes = {};
  const put = (key: string, value: string | null): void => {
    if (value !== null) attributes[key] = value;
  };
  put('k8s.reason', reason);
  put('k8s.event.type', text(event.type));
  put('k8s.object.kind', kind);
  put('k8s.object.name', name);
  put('k8s.namespace.name', namespace);
  if (kind === 'Pod') put('k8s.pod.name', name);
  put('k8s.node.name', kind === 'Node' ? name : text(field(event.source, 'host')) ?? text(event.reportingInstance));
  put('k8s.field_path', text(object.fieldPath));
  put('k8s.event.count', text(event.count) ?? text(field(event.series, 'count')) ?? text(event.deprecatedCount));
  put('k8s.event.first_timestamp', text(event.firstTimestamp) ?? text(event.deprecatedFirstTimestamp));
  put('k8s.container.status_reason', message === null ? null : (CONTAINER_STATE.exec(message)?.[1] ?? null));
  put('k8s.source', text(field(event.source, 'component')) ?? text(event.reportingComponent) ?? text(event.reportingController));
  return {
    tsNs,
    service: serviceOf(kind, name),
    severity: event.type === 'Warning' ? 'WARN' : 'INFO',
    body: message ?? reason ?? '',
    traceId: null,
    spanId: null,
    attributes,
    sourceLine,
  };
}

async function parse(input: FormatInput, sink: Sink): Promise<void> {
  const issue = (line: number, message: string): void => sink.issue({ line, message });
  const batch = logBatcher(sink);
  const zone = input.timezone ?? UTC;
  for (const located of concatenatedValues(await input.text(), issue)) {
    for (const { event, sourceLine, issueLine, label } of eventsOf(located, issue)) {
      const record = logFromEvent(event, sourceLine, zone);
      if (!record) {
        issue(issueLine, `${label}event has no plausible time (lastTimestamp, eventTime, firstTimestamp); skipped`);
        continue;
      }
      await batch.add(record);
    }
  }
  await batch.flush();
}

function detect(head: string, path: string): number {
  const start = head.trimStart();
  if (!start.startsWith('{') && !start.startsWith('[')) return 0;
  const sample = start.slice(0, 16 * 1024);
  const core = /"involvedObject"\s*:\s*\{/.test(sample);
  const newer = /"regarding"\s*:\s*\{/.test(sample) && /"(?:note|reportingController)"\s*:/.test(sample);
  if (!(core || newer) || !/"reason"\s*:/.test(sample)) return 0;
  return /event/i.test(path) ? 0.96 : 0.95;
}

export const k8sEvents: TelemetryFormat = {
  id: 'k8s-events',
  label: 'Kubernetes events (kubectl get events -o json, watch streams)',
  signal: 'logs',
  detect,
  parse,
};
