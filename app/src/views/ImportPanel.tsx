import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportError, SourceInfo } from '../../../main/api/contract.js';
import type { CausewayClient, PickedFile } from '../api/client.js';
import { queryKeys, useClient } from '../api/ClientContext.js';
import { moveFocusInList } from '../components/listKeys.js';
import { useI18n } from '../i18n/I18n.js';
import type { Messages } from '../i18n/strings.js';
import { baseName, formatBytes, formatCount } from '../format.js';
import { fromFileList } from './pickedFiles.js';
import { isReadableTimezone, timezoneChoices, type ImportRow, type useImports } from './useImports.js';

function ErrorList({ errors, t }: { errors: ImportError[]; t: Messages }) {
  if (errors.length === 0) return null;
  return (
    <ul className="issue-list" aria-label={t.importErrors}>
      {errors.slice(0, 50).map((error, index) => (
        <li key={index}>
          <span className="issue-line">
            {t.lineShort} {error.line}
          </span>{' '}
          {error.message}
        </li>
      ))}
      {errors.length > 50 && <li className="muted">… +{errors.length - 50}</li>}
    </ul>
  );
}

function stageLabel(row: ImportRow, t: Messages): string {
  if (row.stage === 'uploading') return t.uploading;
  if (row.stage === 'importing') return t.importing;
  if (row.stage === 'failed') return t.failed;
  return row.result?.duplicate ? t.duplicate : t.imported;
}

/** The zone zone-less timestamps of the next imports are read in. */
function TimezoneField({ imports, t }: { imports: ReturnType<typeof useImports>; t: Messages }) {
  const [choices] = useState(timezoneChoices);
  const valid = isReadableTimezone(imports.timezone);
  return (
    <div className="field import-timezone">
      <label htmlFor="import-timezone" className="hint">
        {t.importTimezone}
      </label>
      <input
        id="import-timezone"
        type="text"
        list="import-timezone-choices"
        value={imports.timezone}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={!valid}
        aria-describedby="import-timezone-hint"
        onChange={(event) => imports.setTimezone(event.target.value)}
      />
      <datalist id="import-timezone-choices">
        {choices.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <span id="import-timezone-hint" className={valid ? 'hint' : 'issue-failed'}>
        {valid ? t.importTimezoneHint : t.importTimezoneInvalid}
      </span>
    </div>
  );
}

function ImportRowView({ row, t }: { row: ImportRow; t: Messages }) {
  const percent = Math.round(row.fraction * 100);
  const counts = row.result
    ? `${row.result.format} · ${formatCount(row.result.spans)} ${t.spans} · ${formatCount(row.result.logs)} ${t.logs} · ${formatCount(row.result.metric_points)} ${t.metricPoints}`
    : row.records > 0
      ? `${formatCount(row.records)} ${t.records}`
      : '';
  return (
    <li className={`import-row stage-${row.stage}`}>
      <div className="import-row-head">
        <span className="file-name" title={row.name}>
          {row.name}
        </span>
        <span className="import-stage">{stageLabel(row, t)}</span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={row.name}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${stageLabel(row, t)} ${percent}%`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      {counts && <div className="import-counts">{counts}</div>}
      {row.error && <p className="issue-failed">{row.error}</p>}
      {row.result && <ErrorList errors={row.result.errors} t={t} />}
    </li>
  );
}

/**
 * Imports the file again and, when its content changed, drops the old source so the workspace
 * holds one copy. Identical content is a duplicate for the backend and leaves the source as it is.
 */
async function reimportSource(client: CausewayClient, source: SourceInfo, picked: PickedFile | null, timezone: string): Promise<'replaced' | 'unchanged'> {
  const path = picked ? await client.toBackendPath(picked, () => undefined) : source.path;
  const report = await client.importPaths([path], { timezone: timezone.trim() || 'UTC' });
  const failed = report.files.find((file) => file.failed);
  if (failed?.failed) throw new Error(`${baseName(failed.path)}: ${failed.failed}`);
  if (report.files.length > 0 && report.files.every((file) => file.duplicate)) return 'unchanged';
  await client.removeSource(source.source_id);
  return 'replaced';
}

function SourceView({ source, timezone, t }: { source: SourceInfo; timezone: string; t: Messages }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => client.removeSource(source.source_id),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const reimport = useMutation({
    mutationFn: (picked: PickedFile | null) => reimportSource(client, source, picked, timezone),
    onSettled: () => queryClient.invalidateQueries(),
  });
  const name = baseName(source.path);
  const busy = remove.isPending || reimport.isPending;
  return (
    <li className="source">
      <div className="source-head">
        <span className="file-name" title={source.path}>
          {name}
        </span>
        <span className="badge">{source.format}</span>
        {source.timezone !== 'UTC' && (
          <span className="badge" title={t.importTimezone}>
            {source.timezone}
          </span>
        )}
        {client.transport === 'desktop' ? (
          <button
            type="button"
            className="icon-button"
            aria-label={`${t.reimport} ${name}`}
            title={t.reimportHint}
            disabled={busy}
            onClick={() => reimport.mutate(null)}
          >
            ↻
          </button>
        ) : (
          <label className={`icon-button${busy ? ' disabled' : ''}`} title={t.reimportBrowserHint}>
            <input
              type="file"
              className="visually-hidden"
              aria-label={`${t.reimport} ${name}`}
              disabled={busy}
              onChange={(event) => {
                const file = event.currentTarget.files?.[0];
                if (file) reimport.mutate({ file, relativePath: file.name });
                event.currentTarget.value = '';
              }}
            />
            ↻
          </label>
        )}
        <button
          type="button"
          className="icon-button"
          aria-label={`${t.removeSource} ${name}`}
          title={`${t.removeSource} ${name}`}
          disabled={busy}
          onClick={() => remove.mutate()}
        >
          ×
        </button>
      </div>
      <div className="source-counts">
        {formatBytes(source.bytes)}
        {source.spans > 0 && ` · ${formatCount(source.spans)} ${t.spans}`}
        {source.logs > 0 && ` · ${formatCount(source.logs)} ${t.logs}`}
        {source.metric_points > 0 && ` · ${formatCount(source.metric_points)} ${t.metricPoints}`}
      </div>
      {reimport.isPending && <p className="muted">{t.importing}…</p>}
      {reimport.data && (
        <p className="muted" role="status">
          {reimport.data === 'unchanged' ? t.reimportUnchanged : t.reimportDone}
        </p>
      )}
      {(reimport.error ?? remove.error) && <p className="issue-failed">{(reimport.error ?? remove.error)?.message}</p>}
      {source.errors.length > 0 && (
        <details className="source-issues">
          <summary>
            {t.importErrors}: {source.errors.length}
          </summary>
          <ErrorList errors={source.errors} t={t} />
        </details>
      )}
    </li>
  );
}

export function ImportPanel({ imports }: { imports: ReturnType<typeof useImports> }) {
  const { t } = useI18n();
  const client = useClient();
  const queryClient = useQueryClient();
  const workspace = useQuery({ queryKey: queryKeys.workspace, queryFn: () => client.getWorkspace() });
  const demo = useMutation({ mutationFn: () => client.loadDemo(), onSuccess: () => queryClient.invalidateQueries() });
  const finished = imports.rows.some((row) => row.stage === 'done' || row.stage === 'failed');

  return (
    <section className="panel data-panel" aria-labelledby="data-title">
      <h2 id="data-title" className="panel-title">
        {t.dataTitle}
      </h2>
      <div className="import-buttons">
        <label className="button primary">
          <input
            type="file"
            multiple
            className="visually-hidden"
            aria-label={t.importFiles}
            onChange={(event) => {
              void imports.start(fromFileList(event.currentTarget.files));
              event.currentTarget.value = '';
            }}
          />
          {t.importFiles}
        </label>
        <label className="button">
          <input
            type="file"
            multiple
            className="visually-hidden"
            aria-label={t.importFolder}
            ref={(input) => input?.setAttribute('webkitdirectory', '')}
            onChange={(event) => {
              void imports.start(fromFileList(event.currentTarget.files));
              event.currentTarget.value = '';
            }}
          />
          {t.importFolder}
        </label>
      </div>
      <p className="hint">{t.dropHint}</p>
      <TimezoneField imports={imports} t={t} />

      {imports.rows.length > 0 && (
        <div className="import-list-wrap">
          <div className="subhead">
            <h3>{t.importProgress}</h3>
            {finished && (
              <button type="button" className="link-button" onClick={imports.clearFinished}>
                {t.clearFinished}
              </button>
            )}
          </div>
          {imports.analysing && (
            <p className="analysing" role="status">
              <span className="spinner" aria-hidden="true" />
              {t.analysing}
              {imports.derivationFraction !== null && ` ${Math.floor(imports.derivationFraction * 100)}%`}
            </p>
          )}
          <ul className="import-list">
            {imports.rows.map((row) => (
              <ImportRowView key={row.key} row={row} t={t} />
            ))}
          </ul>
        </div>
      )}

      <div className="subhead">
        <h3>{t.sources}</h3>
        {workspace.data && workspace.data.sources.length > 0 && <span className="muted">{workspace.data.sources.length}</span>}
      </div>
      {workspace.error && <p className="issue-failed">{workspace.error.message}</p>}
      {workspace.data && workspace.data.sources.length === 0 && (
        <div className="empty">
          <p>{t.noSources}</p>
          <button type="button" className="button" disabled={demo.isPending} onClick={() => demo.mutate()}>
            {t.loadDemo}
          </button>
          {demo.error && <p className="issue-failed">{demo.error.message}</p>}
        </div>
      )}
      {workspace.data && workspace.data.sources.length > 0 && (
        <>
          <ul className="source-list" aria-label={t.sources} onKeyDown={moveFocusInList}>
            {workspace.data.sources.map((source) => (
              <SourceView key={source.source_id} source={source} timezone={imports.timezone} t={t} />
            ))}
          </ul>
          <p className="hint">{client.transport === 'desktop' ? t.reimportHint : t.reimportBrowserHint}</p>
        </>
      )}
    </section>
  );
}
