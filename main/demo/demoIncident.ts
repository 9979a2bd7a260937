/**
 * The built-in demo incident (story.ts), written as the real export files an engineer would hand
 * to Causeway: OTLP/JSON lines from the collector's file exporter, one zap JSON log per service,
 * and one Prometheus query_range answer per query. The same seed gives byte-identical files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { incidentMetrics } from './metrics.js';
import { SeededRandom } from './random.js';
import { simulateIncident } from './simulation.js';
import { allServices, defaultDemoSeed, defaultDemoStart } from './story.js';
import { batchLikeSdk, defaultBatchSpanProcessor, otlpTraceLines } from './writers/otlpTraces.js';
import { queryRangeJson } from './writers/prometheusQueryRange.js';
import { zapLogLines } from './writers/zapLogs.js';

export interface DemoFiles {
  dir: string;
  /** Absolute paths, sorted. */
  files: string[];
}

export interface DemoOptions {
  seed?: number;
  start?: Date;
}

export async function writeDemoIncident(outDir: string, options: DemoOptions = {}): Promise<DemoFiles> {
  const seed = options.seed ?? defaultDemoSeed;
  const start = options.start ?? defaultDemoStart;
  const startEpochMs = start.getTime();
  if (!Number.isFinite(startEpochMs)) throw new Error('demo start is not a valid date');
  const random = new SeededRandom(seed);
  const incident = simulateIncident(random);
  const resources = allServices.map((service) => incident.resources[service]);
  const exportPhases = new Map(allServices.map((service) => [service, random.between(0, defaultBatchSpanProcessor.scheduleDelayMs)]));
  const metrics = incidentMetrics(incident, startEpochMs, random);

  const dir = resolve(outDir);
  const contents = new Map<string, string>();
  contents.set(join(dir, 'traces', 'otel-traces.jsonl'), otlpTraceLines(batchLikeSdk(incident.spans, resources, exportPhases), startEpochMs));
  for (const service of allServices) {
    contents.set(join(dir, 'logs', `${service}.log`), zapLogLines(incident.logs.filter((line) => line.service === service), startEpochMs));
  }
  for (const result of metrics) contents.set(join(dir, 'metrics', result.fileName), queryRangeJson(result.series));

  for (const sub of ['traces', 'logs', 'metrics']) await mkdir(join(dir, sub), { recursive: true });
  for (const [path, text] of contents) await writeFile(path, text, 'utf8');
  return { dir, files: [...contents.keys()].sort() };
}
