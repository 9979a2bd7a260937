import { describe, expect, it } from 'vitest';
import type { TelemetryFormat } from '../format.js';
import { parseTimeZone } from '../timezone.js';
import { csvLogs } from './csv-logs.js';
import { csvSpans } from './csv-spans.js';
import { envoyAccess } from './envoy-access.js';
import { jsonLogs } from './json-logs.js';
import { logfmt } from './logfmt.js';
import { collectingSink, textInput } from './more-formats.testkit.js';
import { mysqlSlow } from './mysql-slow.js';
import { plainLogs } from './plain-logs.js';
import { redisLog } from './redis-log.js';

const EIGHT_HOURS_NS = 8n * 3600n * 1_000_000_000n;

async function times(format: TelemetryFormat, text: string, path: string, zone: string): Promise<bigint[]> {
  const sink = collectingSink();
  await format.parse({ ...textInput(text, path), timezone: parseTimeZone(zone) }, sink);
  expect(sink.issues).toEqual([]);
  return [...sink.logRecords.map((record) => record.tsNs), ...sink.spanRecords.map((span) => span.startNs)];
}

/**
 * Each sample has zone-less lines, then (where the format allows it) lines that name their zone or
 * are epoch numbers. Read at +08:00 rather than UTC, only the zone-less ones move, 8 hours earlier.
 */
const SAMPLES: { format: TelemetryFormat; path: string; text: string; zoneless: number }[] = [
  {
    format: plainLogs,
    path: 'app.log',
    text: '2021-08-07 19:10:41.655 INFO started\n21/08/07 19:10:42 WARN slow\n2021-08-07T19:10:43Z ERROR failed\n2021-08-07T19:10:44+08:00 INFO done\n',
    zoneless: 2,
  },
  { format: logfmt, path: 'app.logfmt', text: 'time="2021-08-07 19:10:41" level=info msg=a\ntime=2021-08-07T19:10:42Z level=info msg=b\nts=1628334892 level=info msg=c\n', zoneless: 1 },
  { format: jsonLogs, path: 'app.jsonl', text: '{"time":"2021-08-07 19:10:41","level":"info","msg":"a"}\n{"time":"2021-08-07T19:10:42Z","level":"info","msg":"b"}\n{"ts":1628334892.5,"level":"info","msg":"c"}\n', zoneless: 1 },
  { format: csvLogs, path: 'logs.csv', text: 'time,level,message\n2021-08-07 19:10:41,INFO,a\n2021-08-07T19:10:42Z,INFO,b\n1628334892000,INFO,c\n', zoneless: 1 },
  {
    format: csvSpans,
    path: 'spans.csv',
    text: 'TraceID,SpanID,ParentID,ServiceName,OperationName,StartTime,EndTime\nt1,s1,,svc,op,2021-08-07 19:10:41,2021-08-07 19:10:42\nt1,s2,s1,svc,op,1628334892000,1628334893000\n',
    zoneless: 1,
  },
  {
    format: redisLog,
    path: 'redis.log',
    text: '1:M 07 Aug 2021 19:10:41.655 * Ready to accept connections\n1:M 07 Aug 2021 19:10:42.000 # maxclients reached\n',
    zoneless: 2,
  },
  {
    format: mysqlSlow,
    path: 'mysql-slow.log',
    text: '# Time: 210807 19:10:41\n# Query_time: 3.2  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 10\nSELECT 1;\n# Time: 2021-08-07T19:10:42.000000Z\n# Query_time: 1.0  Lock_time: 0.0 Rows_sent: 1  Rows_examined: 10\nSELECT 2;\n',
    zoneless: 1,
  },
  {
    format: envoyAccess,
    path: 'istio-proxy.log',
    text: '[2021-08-07 19:10:41.655] "GET /a HTTP/1.1" 200 - via_upstream - "-" 0 10 5 4 "-" "curl" "id-1" "svc:80" "10.0.0.1:80" outbound|80||svc.default.svc.cluster.local 10.0.0.2:1 10.0.0.1:80 10.0.0.2:2 - default\n[2021-08-07T19:10:42.000Z] "GET /b HTTP/1.1" 504 UT response_timeout - "-" 0 24 1000 - "-" "curl" "id-2" "svc:80" "10.0.0.1:80" outbound|80||svc.default.svc.cluster.local 10.0.0.2:1 10.0.0.1:80 10.0.0.2:2 - default\n',
    zoneless: 1,
  },
];

describe('zone-less timestamps read in the import zone', () => {
  it.each(SAMPLES.map((sample) => [sample.format.id, sample] as const))('%s', async (_id, { format, path, text, zoneless }) => {
    const asUtc = await times(format, text, path, 'UTC');
    const asShanghai = await times(format, text, path, '+08:00');
    expect(asShanghai).toHaveLength(asUtc.length);
    expect(asUtc.length).toBeGreaterThan(zoneless - 1);
    const shifts = asUtc.map((ns, index) => ns - asShanghai[index]!);
    expect(shifts).toEqual(asUtc.map((_, index) => (index < zoneless ? EIGHT_HOURS_NS : 0n)));
  });
});
