import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LlmSettings, LlmSettingsUpdate } from './contract.js';

/**
 * Where the API key lives. The desktop keeps it with Electron's safeStorage; the CLI and
 * `causeway serve` hold it in memory from $OPENAI_API_KEY. It is never written to the workspace,
 * to the settings file, to logs or to exports.
 */
export interface SecretStore {
  getApiKey(): Promise<string | null>;
  setApiKey(key: string | null): Promise<void>;
}

export function memorySecretStore(initial: string | null): SecretStore {
  let key = initial && initial.length > 0 ? initial : null;
  return {
    getApiKey: async () => key,
    setApiKey: async (next) => {
      key = next && next.length > 0 ? next : null;
    },
  };
}

/** What the user chose, kept as JSON beside the workspace: base URL, model and redaction, never the key. */
interface StoredSettings {
  base_url: string | null;
  model: string | null;
  redact: boolean;
}

export interface LlmEndpoint {
  baseUrl: string;
  apiKey: string;
  model: string;
  redact: boolean;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4o-mini';

export class LlmSettingsStore {
  private constructor(
    private readonly path: string | null,
    private stored: StoredSettings,
    private readonly secrets: SecretStore,
    private readonly overrides: { baseUrl?: string; model?: string },
  ) {}

  /**
   * Settings from the file (when there is one), with the CLI's flags and the environment
   * ($OPENAI_BASE_URL, $CAUSEWAY_MODEL) filling what the file leaves open.
   */
  static async load(path: string | null, secrets: SecretStore, overrides: { baseUrl?: string; model?: string } = {}): Promise<LlmSettingsStore> {
    let stored: StoredSettings = { base_url: null, model: null, redact: true };
    if (path) {
      const text = await readFile(path, 'utf8').catch(() => null);
      if (text) {
        try {
          const parsed = JSON.parse(text) as Partial<StoredSettings>;
          stored = {
            base_url: typeof parsed.base_url === 'string' ? parsed.base_url : null,
            model: typeof parsed.model === 'string' ? parsed.model : null,
            redact: parsed.redact !== false,
          };
        } catch {
          // A damaged settings file falls back to the defaults; the user can save new settings over it.
        }
      }
    }
    return new LlmSettingsStore(path, stored, secrets, overrides);
  }

  async view(): Promise<LlmSettings> {
    return {
      base_url: this.overrides.baseUrl ?? this.stored.base_url ?? process.env.OPENAI_BASE_URL ?? null,
      model: this.overrides.model ?? this.stored.model ?? process.env.CAUSEWAY_MODEL ?? null,
      has_api_key: (await this.secrets.getApiKey()) !== null,
      redact: this.stored.redact,
    };
  }

  async update(update: LlmSettingsUpdate): Promise<LlmSettings> {
    if (update.base_url !== undefined) this.stored.base_url = normalizeBaseUrl(update.base_url);
    if (update.model !== undefined) this.stored.model = update.model?.trim() || null;
    if (update.redact !== undefined) this.stored.redact = update.redact;
    if (update.api_key !== undefined) await this.secrets.setApiKey(update.api_key.trim() || null);
    if (this.path) {
      await mkdir(dirname(this.path), { recursive: true });
      await writeFile(this.path, `${JSON.stringify(this.stored, null, 2)}\n`);
    }
    return this.view();
  }

  /** The endpoint to ask, or null when no LLM is configured (no base URL and no key). */
  async endpoint(overrides: { baseUrl?: string; model?: string } = {}): Promise<LlmEndpoint | null> {
    const view = await this.view();
    const apiKey = await this.secrets.getApiKey();
    const baseUrl = overrides.baseUrl ?? view.base_url;
    if (!baseUrl && !apiKey) return null;
    return {
      baseUrl: baseUrl ?? OPENAI_BASE_URL,
      apiKey: apiKey ?? '',
      model: overrides.model ?? view.model ?? DEFAULT_MODEL,
      redact: view.redact,
    };
  }
}

function normalizeBaseUrl(value: string | null): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new BadSettingError(`"${trimmed}" is not a URL (for example http://127.0.0.1:11434/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadSettingError(`the base URL must be http or https, not ${url.protocol}`);
  return trimmed.replace(/\/+$/, '');
}

export class BadSettingError extends Error {}
