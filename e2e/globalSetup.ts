import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { causeway, hermeticEnv, startServer } from './causewayServer.js';

/**
 * Writes the demo incident as export files and starts `causeway serve` on an empty workspace with
 * settings of its own (a fresh $XDG_CONFIG_HOME, no $OPENAI_*); the journeys import those files
 * through the UI. Tests read the locations from the environment.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const workDir = await mkdtemp(join(tmpdir(), 'causeway-e2e-'));
  const demoDir = join(workDir, 'demo');
  const configHome = join(workDir, 'config');
  await mkdir(configHome);
  const env = hermeticEnv(configHome);
  const demo = JSON.parse(await causeway(['demo', '--out', demoDir, '--json'], env)) as { dir: string; files: string[] };
  const server = await startServer(['--db', join(workDir, 'e2e.duckdb'), '--port', '0'], env);

  process.env.CAUSEWAY_E2E_URL = server.url;
  process.env.CAUSEWAY_E2E_WORKDIR = workDir;
  process.env.CAUSEWAY_E2E_CONFIG_HOME = configHome;
  process.env.CAUSEWAY_E2E_DEMO_FILES = JSON.stringify(demo.files);

  return async () => {
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  };
}
