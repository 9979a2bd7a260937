import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.js';
import { k8sEvents } from './k8s-events.js';
import { fixture, parseFixture, parseText } from './more-formats.testkit.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('k8s-events: kubectl get events -o json', () => {
  it('turns each event into a log record at its last occurrence, with the workload as service', async () => {
    const sink = await parseFixture(k8sEvents, 'k8s-events-list.json');
    const [backOff, created, unhealthy] = sink.logRecords;
    expect(sink.logRecords).toHaveLength(3);
    expect(backOff).toMatchObject({ service: 'payment', severity: 'WARN', tsNs: at('2024-09-20T14:08:40Z'), sourceLine: 1 });
    expect(backOff!.body).toMatch(/^Back-off restarting failed container payment/);
    expect(backOff!.attributes).toMatchObject({
      'k8s.reason': 'BackOff',
      'k8s.object.kind': 'Pod',
      'k8s.pod.name': 'payment-7d9f8c6b5-x2k4z',
      'k8s.namespace.name': 'shop',
      'k8s.node.name': 'node-a',
      'k8s.event.count': '7',
      'k8s.event.first_timestamp': '2024-09-20T14:02:11Z',
      'k8s.field_path': 'spec.containers{payment}',
    });
    expect(created).toMatchObject({ service: 'cart', severity: 'INFO' });
    expect(created!.attributes['k8s.object.kind']).toBe('ReplicaSet');
    expect(unhealthy).toMatchObject({ service: 'checkout', severity: 'WARN', tsNs: at('2024-09-20T14:06:30Z') });
    expect(unhealthy!.attributes['k8s.reason']).toBe('Unhealthy');
  });

  it('reports an event without any time, naming its item', async () => {
    const sink = await parseFixture(k8sEvents, 'k8s-events-list.json');
    expect(sink.issues).toEqual([{ line: 1, message: expect.stringMatching(/^item #4: event has no plausible time/) }]);
  });
});

describe('k8s-events: watch streams', () => {
  it('reads ADDED and MODIFIED entries of both event APIs, skips bookmarks and reports broken and error lines', async () => {
    const sink = await parseFixture(k8sEvents, 'k8s-events-watch.jsonl');
    const [oom, killing] = sink.logRecords;
    expect(sink.logRecords).toHaveLength(2);
    expect(oom).toMatchObject({ service: null, severity: 'WARN', body: 'System OOM encountered, victim process: java, pid: 4321', sourceLine: 1 });
    expect(oom!.attributes).toMatchObject({ 'k8s.reason': 'SystemOOM', 'k8s.node.name': 'node-a', 'k8s.object.kind': 'Node' });
    expect(killing).toMatchObject({ service: 'payment', severity: 'WARN', tsNs: at('2024-09-20T14:08:02Z') + 500_000n, sourceLine: 3 });
    expect(killing!.body).toBe('Container payment failed liveness probe, will be restarted');
    expect(killing!.attributes).toMatchObject({ 'k8s.reason': 'Killing', 'k8s.event.count': '4', 'k8s.source': 'kubelet' });
    expect(sink.issues.map((issue) => issue.line)).toEqual([4, 5]);
  });

  it('reads the pretty-printed objects kubectl prints one after another when watching', async () => {
    const event = (name: string, time: string) => JSON.stringify({ kind: 'Event', involvedObject: { kind: 'Pod', name, namespace: 'shop' }, reason: 'OOMKilling', message: 'Memory cgroup out of memory', lastTimestamp: time, type: 'Warning' }, null, 4);
    const sink = await parseText(k8sEvents, `${event('cart-6f8d9c7b5d-k2m4p', '2024-09-20T14:00:00Z')}\n${event('cart-6f8d9c7b5d-k2m4p', '2024-09-20T14:00:05Z')}\n`, 'events.json');
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords.map((record) => [record.service, record.sourceLine])).toEqual([
      ['cart', 1],
      ['cart', 13],
    ]);
  });

  it('keeps a container state named in the message beside the event reason', async () => {
    const event = { kind: 'Event', involvedObject: { kind: 'Pod', name: 'cart-6f8d9c7b5d-k2m4p' }, reason: 'BackOff', message: 'container cart is waiting: CrashLoopBackOff (last state: OOMKilled)', lastTimestamp: '2024-09-20T14:00:00Z', type: 'Warning' };
    const [record] = (await parseText(k8sEvents, JSON.stringify(event), 'e.json')).logRecords;
    expect(record!.attributes).toMatchObject({ 'k8s.reason': 'BackOff', 'k8s.container.status_reason': 'CrashLoopBackOff' });
    const [plain] = (await parseFixture(k8sEvents, 'k8s-events-list.json')).logRecords;
    expect(plain!.attributes['k8s.container.status_reason']).toBeUndefined();
  });

  it('reports a document cut off in the middle', async () => {
    const text = fixture('k8s-events-list.json').text;
    const sink = await parseText(k8sEvents, text.slice(0, text.length / 2), 'events.json');
    expect(sink.logRecords).toEqual([]);
    expect(sink.issues).toEqual([{ line: 1, message: expect.stringMatching(/never closes/) }]);
  });
});

describe('k8s-events: detection', () => {
  it('wins over JSON logs for event files and leaves other JSON alone', () => {
    expect(detectFormat(fixture('k8s-events-list.json').text, 'events.json').format?.id).toBe('k8s-events');
    expect(detectFormat(fixture('k8s-events-watch.jsonl').text, 'watch.jsonl').format?.id).toBe('k8s-events');
    expect(k8sEvents.detect(fixture('zap.jsonl').text, 'x.jsonl')).toBe(0);
    expect(k8sEvents.detect(fixture('jaeger-download.json').text, 'x.json')).toBe(0);
  });
});
