import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LlmSettings, LlmSettingsUpdate } from '../../../main/api/contract.js';
import { queryKeys, useClient } from '../api/ClientContext.js';
import { useI18n } from '../i18n/I18n.js';
import { languageNames, type Language, type Messages } from '../i18n/strings.js';
import { THEME_PREFERENCES, type ThemePreference } from '../state/theme.js';

function themeName(preference: ThemePreference, t: Messages): string {
  return preference === 'system' ? t.themeSystem : preference === 'dark' ? t.themeDark : t.themeLight;
}

function LlmForm({ stored }: { stored: LlmSettings }) {
  const { t } = useI18n();
  const client = useClient();
  const queryClient = useQueryClient();
  const [baseUrl, setBaseUrl] = useState(stored.base_url ?? '');
  const [model, setModel] = useState(stored.model ?? '');
  const [apiKey, setApiKey] = useState('');
  const [redact, setRedact] = useState(stored.redact);
  const save = useMutation({
    mutationFn: (update: LlmSettingsUpdate) => client.saveLlmSettings(update),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.llmSettings, saved);
      setBaseUrl(saved.base_url ?? '');
      setModel(saved.model ?? '');
      setRedact(saved.redact);
      setApiKey('');
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      base_url: baseUrl.trim() || null,
      model: model.trim() || null,
      redact,
      ...(apiKey.trim() ? { api_key: apiKey.trim() } : {}),
    });
  };

  return (
    <form className="settings-form" onSubmit={onSubmit} aria-labelledby="llm-title" noValidate>
      <h3 id="llm-title">{t.llmTitle}</h3>
      <p className="hint">{t.llmHint}</p>
      <label className="field">
        <span>{t.baseUrl}</span>
        <input
          type="text"
          inputMode="url"
          spellCheck={false}
          placeholder="https://api.openai.com/v1"
          value={baseUrl}
          aria-invalid={save.isError}
          aria-describedby={save.isError ? 'llm-error' : undefined}
          onChange={(event) => setBaseUrl(event.target.value)}
        />
      </label>
      <label className="field">
        <span>{t.model}</span>
        <input type="text" spellCheck={false} placeholder="gpt-4o-mini" value={model} onChange={(event) => setModel(event.target.value)} />
      </label>
      <div className="field">
        <label htmlFor="llm-api-key">{t.apiKey}</label>
        <div className="key-status">
          <span className={stored.has_api_key ? 'key-stored' : 'muted'}>{stored.has_api_key ? t.apiKeyStored : t.apiKeyNone}</span>
          {stored.has_api_key && (
            <button type="button" className="link-button" disabled={save.isPending} onClick={() => save.mutate({ api_key: '' })}>
              {t.removeKey}
            </button>
          )}
        </div>
        <input
          id="llm-api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={stored.has_api_key ? t.apiKeyReplace : t.apiKeyNew}
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
        />
        <span className="hint">{t.apiKeyHint}</span>
      </div>
      <label className="check">
        <input type="checkbox" checked={redact} onChange={(event) => setRedact(event.target.checked)} />
        <span>{t.redact}</span>
      </label>
      {save.error && (
        <p id="llm-error" className="issue-failed" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={save.isPending}>
          {save.isPending ? t.saving : t.save}
        </button>
        {save.isSuccess && (
          <span className="saved" role="status">
            {t.saved}
          </span>
        )}
      </div>
    </form>
  );
}

export function SettingsView({ themePreference, onThemePreference }: { themePreference: ThemePreference; onThemePreference(preference: ThemePreference): void }) {
  const { t, language, setLanguage } = useI18n();
  const client = useClient();
  const settings = useQuery({ queryKey: queryKeys.llmSettings, queryFn: () => client.getLlmSettings() });

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title" className="visually-hidden">
        {t.settingsTitle}
      </h2>
      <div className="card settings-card">
        {settings.isPending && <p className="muted">{t.loading}</p>}
        {settings.error && (
          <p className="issue-failed" role="alert">
            {settings.error.message}
          </p>
        )}
        {/* Mounted once the stored values arrive, so its fields start from them. */}
        {settings.data && <LlmForm stored={settings.data} />}
      </div>

      <div className="card settings-card">
        <h3>{t.appearance}</h3>
        <label className="field">
          <span>{t.language}</span>
          <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
            {(Object.keys(languageNames) as Language[]).map((code) => (
              <option key={code} value={code} lang={code === 'zh' ? 'zh-CN' : 'en'}>
                {languageNames[code]}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field theme-choice">
          <legend>{t.theme}</legend>
          {THEME_PREFERENCES.map((preference) => (
            <label key={preference} className="check">
              <input type="radio" name="theme" value={preference} checked={themePreference === preference} onChange={() => onThemePreference(preference)} />
              <span>{themeName(preference, t)}</span>
            </label>
          ))}
        </fieldset>
      </div>

      <div className="card settings-card">
        <h3>{t.keyboardTitle}</h3>
        <dl className="keys">
          <dt>
            <kbd>/</kbd>
          </dt>
          <dd>{t.keyboardSlash}</dd>
          <dt>
            <kbd>Esc</kbd>
          </dt>
          <dd>{t.keyboardEsc}</dd>
          <dt>
            <kbd>↑</kbd> <kbd>↓</kbd>
          </dt>
          <dd>{t.keyboardArrows}</dd>
        </dl>
      </div>
    </section>
  );
}
