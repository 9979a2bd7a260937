import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a workspace lives when no --db is given: the OS user-data folder, as Electron's app.getPath('userData'). */
export function defaultWorkspacePath(): string {
  return join(userDataFolder(), 'workspace.duckdb');
}

/** The LLM settings the desktop app saves (base URL, model, redaction; never the key), shared with the CLI. */
export function defaultSettingsPath(): string {
  return join(userDataFolder(), 'settings.json');
}

function userDataFolder(): string {
  const home = homedir();
  const base =
    process.platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : process.platform === 'win32'
        ? (process.env.APPDATA ?? join(home, 'AppData', 'Roaming'))
        : (process.env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return join(base, 'Causeway');
}
