// Builds everything `npm start`, the `causeway` CLI and the packaged app run:
//   dist/main/cli.js            the CLI and `causeway serve` (ESM, Node)
//   dist/main/electron/*.cjs    Electron main and preload (CommonJS, as a sandboxed preload requires)
//   dist/app/                   the renderer (Vite)
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { rawText } from './esbuild-raw.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  packages: 'external',
  plugins: [rawText],
  logLevel: 'warning',
  loader: { '.md': 'text' },
};

const quiet = process.argv.includes('--quiet');
const started = Date.now();

await Promise.all([
  esbuild({ ...common, entryPoints: { cli: 'main/cli.ts' }, outdir: 'dist/main', format: 'esm' }),
  esbuild({
    ...common,
    entryPoints: { main: 'main/electron/main.ts', preload: 'main/electron/preload.ts' },
    outdir: 'dist/main/electron',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  }),
]);

const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: `${root}app/vite.config.ts`, logLevel: 'warn' });

if (!quiet) console.log(`causeway: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
