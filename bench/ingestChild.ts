// Runs one `causeway ingest` in its own process, the way the CLI does it, and prints its wall time
// and peak RSS as JSON, so that the benchmark measures the product path and nothing of its own.
import { createRcaService } from '../main/api/service.js';

const [dbPath, ...paths] = process.argv.slice(2);
const started = performance.now();
const service = await createRcaService({ dbPath: dbPath! });
const report = await service.importPaths(paths);
service.close();
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, spans: report.totals.spans, failed: report.files.filter((f) => f.failed).length, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
