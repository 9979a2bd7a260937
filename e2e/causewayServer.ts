import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));

const run = promisify(execFile);

/** Runs the built `causeway` CLI and returns its stdout. */
export async function causeway(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [cliPath, ...args], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const STARTUP_MS = 60_000;

/** Starts `causeway serve` and resolves with the URL (token included) that it prints. */
export function startServer(args: string[]): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [cliPath, 'serve', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`causeway serve printed no URL within ${STARTUP_MS / 1000} s. Its output:\n${output}`));
    }, STARTUP_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Causeway is serving (http:\/\/\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`causeway serve exited (${code}) before serving. Its output:\n${output}`));
    });
  });
}
