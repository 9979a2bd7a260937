import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes `spanCount` spans of OTLP JSON lines as the collector's file exporter does: one
 * ExportTraceServiceRequest per line, `spansPerLine` spans each, spread over a few services.
 */
export async function writeOtlpSpans(path: string, spanCount: number, spansPerLine = 100): Promise<number> {
  const out = createWriteStream(path);
  const services = ['gateway', 'order', 'payment', 'risk-engine', 'inventory', 'shipping', 'catalog', 'auth'];
  const startNs = 1_741_945_800_000_000_000n;
  let written = 0;
  let bytes = 0;
  while (written < spanCount) {
    const count = Math.min(spansPerLine, spanCount - written);
    const service = services[(written / spansPerLine) % services.length]!;
    const spans: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const n = written + i;
      const traceId = (BigInt((n >> 3) + 1) * 2654435761n).toString(16).padStart(32, '0');
      const spanId = (BigInt(n) * 40503n + 1n).toString(16).padStart(16, '0');
      const parent = n % 8 === 0 ? '' : (BigInt(n - 1) * 40503n + 1n).toString(16).padStart(16, '0');
      const start = startNs + BigInt(n) * 1_000_000n;
      const end = start + BigInt(1_000_000 + (n % 97) * 50_000);
      const error = n % 50 === 0;
      spans.push(
        JSON.stringify({
          traceId,
          spanId,
          parentSpanId: parent,
          name: `${service}.v1.Service/Method${n % 5}`,
          kind: n % 2 ? 2 : 3,
          startTimeUnixNano: start.toString(),
          endTimeUnixNano: end.toString(),
          attributes: [
            { key: 'rpc.system', value: { stringValue: 'grpc' } },
            { key: 'rpc.grpc.status_code', value: { intValue: error ? '4' : '0' } },
            { key: 'net.peer.name', value: { stringValue: services[(n + 1) % services.length] } },
          ],
          status: error ? { code: 2, message: 'context deadline exceeded' } : {},
        }),
      );
    }
    const line = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"${service}"}}]},"scopeSpans":[{"scope":{"name":"bench"},"spans":[${spans.join(',')}]}]}]}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
    written += count;
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
