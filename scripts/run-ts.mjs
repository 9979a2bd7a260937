// Runs a TypeScript entry point of this repository (a benchmark, a one-off tool) the way the
// product is built: bundled by esbuild with `.sql?raw` imports, into a temporary file, then executed.
//   node scripts/run-ts.mjs bench/ingest.bench.ts [args...]
import { mkdtempSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { nodeBundle } from './esbuild-raw.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
const outDir = mkdtempSync(join(process.cwd(), '.tmp-run-'));
const outFile = join(outDir, `${basename(entry, '.ts')}.mjs`);
try {
  await build({
    entryPoints: [resolve(entry)],
    outfile: outFile,
    ...nodeBundle,
    format: 'esm',
    define: { 'import.meta.dirname': JSON.stringify(resolve(entry, '..')) },
  });
  process.argv = [process.argv[0], outFile, ...args];
  await import(pathToFileURL(outFile).href);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
