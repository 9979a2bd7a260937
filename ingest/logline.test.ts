import { describe, expect, it } from 'vitest';
import { keyValuesOf, leadingTimestamp, levelOf, serviceFromPath, traceContextOf, yearFromPath } from './logline.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('leadingTimestamp', () => {
  it.each([
    ['2024-09-20T14:08:40.885Z INFO x', '2024-09-20T14:08:40.885Z'],
    ['2024-09-20 14:08:40,885 - INFO x', '2024-09-20T14:08:40.885Z'],
    ['2024/09/20 14:08:40.885 server.go:9: x', '2024-09-20T14:08:40.885Z'],
    ['[2024-04-18T03:39:00.461+0000][info][gc] GC(1)', '2024-04-18T03:39:00.461Z'],
    ['2024-04-18T05:39:00.461+02:00 x', '2024-04-18T03:39:00.461Z'],
    ['17/06/09 20:10:40 INFO executor', '2017-06-09T20:10:40Z'],
    ['081109 203615 148 INFO dfs', '2008-11-09T20:36:15Z'],
    ['[Sun Dec 04 04:47:44 2005] [notice] ok', '2005-12-04T04:47:44Z'],
    ['- 1117838570 2005.06.03 R02 RAS', '2005-06-03T22:42:50Z'],
    ['nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO', '2017-05-16T00:00:00.008Z'],
    ['[10/Oct/2000:13:55:36 -0700] "GET /"', '2000-10-10T20:55:36Z'],
    ['<34>1 2003-10-11T22:14:15.003Z host app', '2003-10-11T22:14:15.003Z'],
  ])('%s', (line, iso) => {
    const found = leadingTimestamp(line);
    expect(found?.kind).toBe('time');
    expect(found?.kind === 'time' && found.tsNs).toBe(at(iso));
  });

  it('keeps sub-millisecond digits', () => {
    const found = leadingTimestamp('2024/09/20 14:08:40.885123 x');
    expect(found?.kind === 'time' && found.tsNs % 1_000_000n).toBe(123_000n);
  });

  it('needs a year for syslog and glog layouts', () => {
    expect(leadingTimestamp('Dec 10 06:55:46 LabSZ sshd[24200]: x')).toEqual({ kind: 'no-year', end: 15 });
    expect(leadingTimestamp('I0517 15:04:22.619632 1952452992 a.cc:1] x')?.kind).toBe('no-year');
    const dated = leadingTimestamp('Dec 10 06:55:46 LabSZ sshd', 2021);
    expect(dated?.kind === 'time' && dated.tsNs).toBe(at('2021-12-10T06:55:46Z'));
  });

  it('finds no time in continuation lines', () => {
    expect(leadingTimestamp('\tat com.example.Foo.bar(Foo.java:10)')).toBeNull();
    expect(leadingTimestamp('java.net.SocketTimeoutException: Read timed out')).toBeNull();
    expect(leadingTimestamp('gc 12 @35.540s 3%: 0.2+16+0.009 ms clock')).toBeNull();
    expect(leadingTimestamp('2024-13-45 10:00:00 nonsense')).toBeNull();
  });
});

describe('levelOf', () => {
  it.each([
    ['2024/09/20 13:47:14 server.go:91: [WARN] slow', 20, 'WARN'],
    ['2024-01-01T00:00:00Z  INFO [svc,abc,def] 1 --- main', 20, 'INFO'],
    ['2025-04-24T22:09:20.856Z\terror\tqueue.go:128\tExporting failed', 24, 'ERROR'],
    ['[Sun Dec 04 04:47:44 2005] [error] mod_jk', 26, 'ERROR'],
    ['2021-08-07 18:03:43.389 [SW_CTX:[ts-a,inst@10.0.0.1,t.1.2,s.1.2,0]] [http-nio-1] ERROR a.B -fail', 23, 'ERROR'],
    ['E0517 15:04:22.619632 1952 a.cc:253] boom', 21, 'ERROR'],
    ['2024-01-01T00:00:00Z level=warning msg=x', 20, 'WARN'],
  ] as const)('%s', (line, after, level) => expect(levelOf(line, after)).toBe(level));

  it('ignores level words in prose and returns null without one', () => {
    expect(levelOf('2024-01-01T00:00:00Z the error count went down', 20)).toBeNull();
  });
});

describe('traceContextOf', () => {
  it('reads SkyWalking SW_CTX as trace, segment.span, service and instance', () => {
    expect(traceContextOf('x [SW_CTX:[ts-travel,abc@10.0.0.1,t.46.1627,s.46.1626,3]] y')).toEqual({ traceId: 't.46.1627', spanId: 's.46.1626.3', service: 'ts-travel', instance: 'abc@10.0.0.1' });
    expect(traceContextOf('x [SW_CTX: N/A] y').traceId).toBeNull();
  });

  it('reads W3C traceparent, Sleuth brackets and trace_id keys', () => {
    expect(traceContextOf('traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
    expect(traceContextOf(' INFO [gateway,cd45b3fa5e88fca8129e21bcaef98822,63ff849abe9a8c23] 7 ---')).toMatchObject({ traceId: 'cd45b3fa5e88fca8129e21bcaef98822', spanId: '63ff849abe9a8c23', service: 'gateway' });
    expect(traceContextOf('done trace_id=ce855f615be0c4c5 span_id=3f5ab657461f05d5')).toMatchObject({ traceId: 'ce855f615be0c4c5', spanId: '3f5ab657461f05d5' });
    expect(traceContextOf('{"traceId":"abcdef0123456789"}').traceId).toBe('abcdef0123456789');
    expect(traceContextOf('TraceID: 8f2f08a9dbda62dfbdfb1c7d381c5962 SpanID: 969330b364c60a84 x')).toMatchObject({ traceId: '8f2f08a9dbda62dfbdfb1c7d381c5962', spanId: '969330b364c60a84' });
  });

  it('treats placeholders as no trace', () => {
    expect(traceContextOf(' INFO [gateway,,] 7 ---').traceId).toBeNull();
    expect(traceContextOf('trace_id=00000000000000000000000000000000').traceId).toBeNull();
  });
});

describe('serviceFromPath', () => {
  it.each([
    ['logs/subtitle/subtitle-6jfdv2jws9-slzh5.log', 'subtitle'],
    ['/var/log/pods/payment-7d9f8c6b5-x2k4z.log', 'payment'],
    ['loghub/Zookeeper/Zookeeper_2k.log', 'Zookeeper'],
    ['telemetry/logs/app-logs.logfmt', null],
    ['app.log', null],
  ])('%s -> %s', (path, service) => expect(serviceFromPath(path)).toBe(service));

  it('finds a year in a path', () => {
    expect(yearFromPath('F08-01/raw_log2021-07-29_19-16-08.log')).toBe(2021);
    expect(yearFromPath('archive/2019/auth.log')).toBe(2019);
    expect(yearFromPath('logs/app.log')).toBeUndefined();
    expect(yearFromPath('logs/app-2048.log')).toBeUndefined();
  });
});

describe('keyValuesOf', () => {
  it('reads key=value pairs with quoted values', () => {
    expect(keyValuesOf('[ERROR] call failed peer=payments attempt=2 error="503 Service Unavailable" took=1.5s')).toEqual({ peer: 'payments', attempt: '2', error: '503 Service Unavailable', took: '1.5s' });
  });

  it('reads the JSON fields zap console lines end with', () => {
    expect(keyValuesOf('error\tqueue.go:128\tExporting failed.\t{"error": "HTTP 500", "dropped_items": 27}')).toEqual({ error: 'HTTP 500', dropped_items: '27' });
  });

  it('finds nothing in prose', () => {
    expect(keyValuesOf('connection refused while dialing the database')).toEqual({});
  });
});
