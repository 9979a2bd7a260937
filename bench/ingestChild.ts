// Runs one `causeway ingest` in its own process, the way the CLI does it, and prints its wall time,
// CPU time, peak RSS and the time of the derivation that ends the import as JSON, so that the
// benchmark measures the product path and nothing of its own.
import { createRcaService } from '../main/api/service.js';

const [dbPath, ...paths] = process.argv.slice(2);
// the JS heap's share of the peak RSS (the rest is mostly DuckDB's), sampled since V8 keeps no peak
let maxHeapBytes = 0;
const heapSampler = setInterval(() => {
  maxHeapBytes = Math.max(maxHeapBytes, process.memoryUsage().heapTotal);
}, 200);
let derivationStarted = 0;
let derivationMs = 0;
const started = performance.now();
const service = await createRcaService({
  dbPath: dbPath!,
  onDerivation: (state) => {
    if (state === 'started') derivationStarted = performance.now();
    else derivationMs += performance.now() - derivationStarted;
  },
});
const report = await service.importPaths(paths);
service.close();
const ms = performance.now() - started;
clearInterval(heapSampler);
const { userCPUTime, systemCPUTime, maxRSS } = process.resourceUsage();
// CPU time of every thread (workers and DuckDB's included): unlike wall time, barely moved by other load
const cpuMs = (userCPUTime + systemCPUTime) / 1000;
console.log(JSON.stringify({ ms, cpuMs, derivationMs, spans: report.totals.spans, failed: report.files.filter((f) => f.failed).length, maxRssMb: maxRSS / 1024, maxHeapMb: maxHeapBytes / 2 ** 20 }));
