// Builds everything `npm start`, the `causeway` CLI and the packaged app run:
//   dist/main/cli.js            the CLI and `causeway serve` (ESM, Node)
//   dist/main/**/otlpWorker.mjs the OTLP JSON-lines parsing worker (opt-in parallel import)
//   dist/main/electron/*.cjs    Electron main and preload (CommonJS, as a sandboxed preload requires)
//   dist/app/                   the renderer (Vite)
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { nodeBundle } from './esbuild-raw.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const common = {
  ...nodeBundle,
  absWorkingDir: root,
  sourcemap: 'linked',
  loader: { '.md': 'text' },
};

const quiet = process.argv.includes('--quiet');
const started = Date.now();

await Promise.all([
  esbuild({ ...common, entryPoints: { cli: 'main/cli.ts' }, outdir: 'dist/main', format: 'esm' }),
  // The OTLP parsing worker sits beside each bundle that may start it (every OTLP JSON-lines import).
  ...['dist/main', 'dist/main/electron'].map((outdir) =>
    esbuild({ ...common, entryPoints: { otlpWorker: 'ingest/parallel/otlpWorker.ts' }, outdir, outExtension: { '.js': '.mjs' }, format: 'esm' }),
  ),
  esbuild({
    ...common,
    entryPoints: { main: 'main/electron/main.ts', preload: 'main/electron/preload.ts' },
    outdir: 'dist/main/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
    // CommonJS has no import.meta; code that needs its own location falls back to __filename.
    define: { 'import.meta.url': 'undefined' },
  }),
]);

const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: `${root}app/vite.config.ts`, logLevel: 'warn' });

if (!quiet) console.log(`causeway: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
