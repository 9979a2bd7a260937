import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));

const run = promisify(execFile);

/**
 * The environment every `causeway` the journeys start runs in: its settings folder
 * ($XDG_CONFIG_HOME/Causeway) is the journeys' own, and the developer's LLM variables are left
 * out, so no one's configured model or key leaks into a journey.
 */
export function hermeticEnv(configHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: configHome };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CAUSEWAY_MODEL']) delete env[name];
  return env;
}

/** Runs the built `causeway` CLI and returns its stdout. */
export async function causeway(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { stdout } = await run(process.execPath, [cliPath, ...args], { cwd: repoRoot, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** A location globalSetup.ts put in the environment for the journeys. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the journeys through e2e/playwright.config.ts (its globalSetup sets it)`);
  return value;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

const STARTUP_MS = 60_000;

/** Starts `causeway serve` and resolves with the URL (token included) that it prints. */
export function startServer(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, [cliPath, 'serve', ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
