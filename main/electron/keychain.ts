import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { safeStorage } from 'electron';
import type { SecretStore } from '../api/llmSettings.js';

/**
 * The LLM API key, encrypted with the OS keychain through Electron's safeStorage and kept in its
 * own file in the user-data folder: never in the workspace, the settings file, logs or exports.
 * Where the OS offers no encryption (a Linux session without a keyring), the key is kept in memory
 * for this run only rather than written in the clear.
 */
export function keychainSecretStore(path: string): SecretStore {
  let inMemory: string | null = process.env.OPENAI_API_KEY ?? null;
  return {
    async getApiKey() {
      if (safeStorage.isEncryptionAvailable() && existsSync(path)) {
        return safeStorage.decryptString(await readFile(path));
      }
      return inMemory;
    },
    async setApiKey(key) {
      if (!safeStorage.isEncryptionAvailable()) {
        inMemory = key;
        return;
      }
      if (key) await writeFile(path, safeStorage.encryptString(key), { mode: 0o600 });
      else await rm(path, { force: true });
    },
  };
}
