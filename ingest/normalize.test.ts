import { describe, expect, it } from 'vitest';
import { epochToNs, isoToNs, normalizeService, normalizeSeverity, podToService, toNs } from './normalize.js';

describe('normalizeService', () => {
  it.each([
    ['cdn-selector-5svdzpk6mn-btkph', 'cdn-selector'],
    ['ts-contacts-service-866bd68c97-xcqfx', 'ts-contacts-service'],
    ['risk-engine', 'risk-engine'],
    [' payment ', 'payment'],
    ['order-service', 'order-service'],
  ])('%s -> %s', (raw, expected) => expect(normalizeService(raw)).toBe(expected));

  it('strips a lone pod suffix only for pod names', () => {
    expect(podToService('node-exporter-x2k4z')).toBe('node-exporter');
    expect(normalizeService('node-exporter-x2k4z')).toBe('node-exporter-x2k4z');
  });
});

describe('timestamps', () => {
  const expected = 1_726_841_320_885_000_000n; // 2024-09-20T14:08:40.885Z
  it.each([
    ['seconds', '1726841320.885'],
    ['milliseconds', 1726841320885],
    ['microseconds', '1726841320885000'],
    ['nanoseconds', '1726841320885000000'],
  ])('epoch in %s', (_, value) => expect(epochToNs(value)).toBe(expected));

  it.each([
    '2024-09-20T14:08:40.885Z',
    '2024-09-20 14:08:40,885',
    '2024-09-20T16:08:40.885+02:00',
    '2024-09-20T14:08:40.885000000Z',
  ])('ISO-like %s', (text) => expect(isoToNs(text)).toBe(expected));

  it('keeps sub-millisecond digits', () => {
    expect(isoToNs('2024-09-20T14:08:40.885123456Z')).toBe(expected + 123_456n);
  });

  it('refuses absurd and negative times', () => {
    expect(toNs('-6795364578871345152')).toBeNull();
    expect(toNs(42)).toBeNull();
    expect(toNs('not a time')).toBeNull();
  });

  it('refuses numbers in exponent form far beyond any time, without throwing', () => {
    expect(epochToNs('1e308')).toBeNull();
    expect(epochToNs('-1e30')).toBeNull();
    expect(epochToNs('1.72684132e9')).toBe(1_726_841_320_000_000_000n);
  });
});

describe('normalizeSeverity', () => {
  it.each([
    ['warning', 'WARN'],
    ['E', 'ERROR'],
    [50, 'ERROR'],
    [17, 'ERROR'],
    ['9', 'INFO'],
    ['dpanic', 'FATAL'],
  ] as const)('%s -> %s', (value, expected) => expect(normalizeSeverity(value)).toBe(expected));
});
