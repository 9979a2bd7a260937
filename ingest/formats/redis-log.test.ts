import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.js';
import { redisLog } from './redis-log.js';
import { fixture, parseFixture, parseText } from './more-formats.testkit.js';

const at = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('redis-log: Redis 3 and later', () => {
  it('reads the date with its year, the level mark, the role and the pid', async () => {
    const sink = await parseFixture(redisLog, 'redis-server.log');
    expect(sink.issues).toEqual([]);
    expect(sink.logRecords.map((record) => record.severity)).toEqual(['WARN', 'WARN', 'INFO', 'INFO', 'WARN', 'DEBUG', 'INFO']);
    const ready = sink.logRecords[3]!;
    expect(ready).toMatchObject({ tsNs: at('2024-09-20T14:08:40.886Z'), body: 'Ready to accept connections tcp', sourceLine: 4 });
    expect(ready.attributes).toEqual({ 'process.pid': '1', 'redis.role': 'master' });
    expect(sink.logRecords[6]!.attributes).toEqual({ 'process.pid': '27', 'redis.role': 'child' });
    expect(sink.logRecords[4]!.body).toBe('WARNING: 32 clients disconnected: maxclients reached');
  });

  it('keeps lines without the prefix with the record before them, and reports leading ones', async () => {
    const sink = await parseText(redisLog, 'logo line\n1:M 20 Sep 2024 14:08:40.885 * Server initialized\n   _._\n  _.-``__ \n', 'cache/redis.log');
    expect(sink.logRecords).toHaveLength(1);
    expect(sink.logRecords[0]!.body).toBe('Server initialized\n   _._\n  _.-``__ ');
    expect(sink.logRecords[0]!.service).toBe('cache');
    expect(sink.issues.map((issue) => issue.line)).toEqual([1]);
    const unnamed = await parseText(redisLog, '1:M 20 Sep 2024 14:08:40.885 * Server initialized\n', 'logs/redis-server.log');
    expect(unnamed.logRecords[0]!.service).toBe('redis');
  });
});

describe('redis-log: Redis 2 (no year)', () => {
  it('takes the year from the path, and reports the lines when the path names none', async () => {
    const text = '[4018] 14 Nov 07:01:22.119 # Server started, Redis version 2.8.4\n[4018] 14 Nov 07:01:22.120 * The server is now ready\n';
    const dated = await parseText(redisLog, text, 'backup/2019-11/redis.log');
    expect(dated.logRecords.map((record) => [record.tsNs, record.severity])).toEqual([
      [at('2019-11-14T07:01:22.119Z'), 'WARN'],
      [at('2019-11-14T07:01:22.120Z'), 'INFO'],
    ]);
    const undated = await parseText(redisLog, text, 'redis.log');
    expect(undated.logRecords).toEqual([]);
    expect(undated.issues.map((issue) => issue.line)).toEqual([1, 2]);
  });
});

describe('redis-log: detection', () => {
  it('is chosen for Redis logs and not for other plain text', () => {
    expect(detectFormat(fixture('redis-server.log').text, 'x.log').format?.id).toBe('redis-log');
    expect(redisLog.detect(fixture('plain-logs-go.log').text, 'redis.log')).toBe(0);
    expect(redisLog.detect(fixture('kafka-server.log').text, 'redis.log')).toBe(0);
  });
});
