import { describe, expect, it } from 'vitest';
import { findEntities } from './entities.js';

const services = ['gateway', 'order', 'payment', 'risk-engine', 'subtitle', 'subtitle-cache', 'download', 'jiesuan-service', 'acme-booking-service'];

describe('findEntities', () => {
  it.each([
    ['Why did payment fail?', ['payment']],
    ['Why did payments fail?', ['payment']],
    ['Is risk-engine the root cause?', ['risk-engine']],
    ['subtitle-cache 挂了吗', ['subtitle-cache']],
    ['过去 2 小时下载失败率突增是否与 subtitle 超时相关?', ['download', 'subtitle']],
    ['支付失败率突增是否与风控服务超时相关?', ['payment', 'risk-engine']],
    ['过去 2 小时结算失败率突增的原因是什么?', ['jiesuan-service']],
    ['Why did jiesuan requests fail?', ['jiesuan-service']],
    ['预订失败率为什么突增', ['acme-booking-service']],
    ['Why did booking requests fail?', ['acme-booking-service']],
    ['Why did the order service fail?', ['order']],
  ])('%s', (question, names) => {
    expect(findEntities(question, services).mentions.map((m) => m.name)).toEqual(names);
  });

  it('resolves a business word only when the data offers a matching name', () => {
    expect(findEntities('下载失败了', ['edge-api', 'library']).mentions).toEqual([]);
    expect(findEntities('下载失败了', ['edge-api', 'media-download-svc']).mentions.map((m) => m.name)).toEqual(['media-download-svc']);
  });

  it('prefers an exact name over a longer name that contains it', () => {
    expect(findEntities('is subtitle slow', services).mentions.map((m) => m.name)).toEqual(['subtitle']);
  });

  it('reports identifier-like names that are not in the data', () => {
    const scan = findEntities('Is billing-svc related to payment?', services);
    expect(scan.unknown).toEqual(['billing-svc']);
    expect(scan.mentions.map((m) => m.name)).toEqual(['payment']);
  });

  it('matches breaker names too', () => {
    const scan = findEntities('When did risk-engine-client open?', services, ['risk-engine-client']);
    expect(scan.mentions).toEqual([expect.objectContaining({ name: 'risk-engine-client', kind: 'breaker' })]);
  });

  it('does not treat ordinary words as services', () => {
    expect(findEntities('Which circuit breakers opened during the incident?', ['circuit-svc', 'incident-api']).mentions).toEqual([]);
  });
});
