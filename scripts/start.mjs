// `npm start`: the desktop app when Electron can run here, otherwise the same UI in the browser.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
/** An Electron that exits this fast did not get as far as opening its window. */
const QUICK_EXIT_MS = 3000;

function run(command, args, options = {}) {
  return spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
}

async function ensureBuilt() {
  const needed = ['dist/main/cli.js', 'dist/main/electron/main.cjs', 'dist/main/electron/preload.cjs', 'dist/app/index.html'];
  if (needed.every((file) => existsSync(join(root, file)))) return;
  console.log('causeway: building dist/ first…');
  const code = await new Promise((resolve) => run(process.execPath, ['scripts/build.mjs']).on('exit', resolve));
  if (code !== 0) {
    console.error('causeway: the build failed; see the errors above.');
    process.exit(code ?? 1);
  }
}

/**
 * The Electron binary's path, or why there is none. Reads what the electron package's installer
 * recorded instead of require('electron'), which would try to download a missing binary.
 */
function electronBinary() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'the Electron binary was never downloaded (no internet during npm install?)' };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary is missing (${binary})` };
  return { binary };
}

function launchElectron(binary) {
  return new Promise((resolve) => {
    const started = Date.now();
    const env = { ...process.env };
    // Set in some shells and CI images; it would make Electron behave as plain Node.
    delete env.ELECTRON_RUN_AS_NODE;
    const child = run(binary, ['.'], { env });
    child.on('error', (error) => resolve({ reason: `Electron could not be started (${error.message})` }));
    child.on('exit', (code, signal) => {
      if (Date.now() - started < QUICK_EXIT_MS && code !== 0) {
        resolve({ reason: `Electron exited at once (${signal ?? `exit code ${code}`}), probably for lack of a display or of its system libraries` });
      } else resolve({ exitCode: code ?? 0 });
    });
    process.on('SIGINT', () => child.kill('SIGINT'));
    process.on('SIGTERM', () => child.kill('SIGTERM'));
  });
}

function serveInBrowser(reason) {
  console.log(`causeway: no desktop window because ${reason}; serving the same app in your browser instead.`);
  const server = run(process.execPath, ['dist/main/cli.js', 'serve', '--demo', '--port', '0']);
  const stop = (signal) => server.kill(signal);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.on('exit', (code) => process.exit(code ?? 0));
}

await ensureBuilt();
const found = electronBinary();
if (!found.binary) serveInBrowser(found.reason);
else {
  const outcome = await launchElectron(found.binary);
  if (outcome.reason) serveInBrowser(outcome.reason);
  else process.exit(outcome.exitCode);
}
