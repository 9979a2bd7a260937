import { useCallback, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ImportedFile, ImportProgress } from '../../../main/api/contract.js';
import type { PickedFile } from '../api/client.js';
import { useClient } from '../api/ClientContext.js';

export type ImportStage = 'uploading' | 'importing' | 'done' | 'failed';

export interface ImportRow {
  key: string;
  importId: string;
  name: string;
  backendPath: string | null;
  stage: ImportStage;
  /** 0..1 over both stages: sending the bytes (browser only) and importing them. */
  fraction: number;
  records: number;
  result: ImportedFile | null;
  error: string | null;
}

const FIXED_OFFSET = /^(?:UTC|GMT)?\s*[+-]\d{1,2}(?::?\d{2})?$/i;

/**
 * Whether the backend will read `zone` (see ingest/timezone.ts): UTC, a fixed offset such as
 * `+08:00`, or an IANA name this browser knows. The backend decides; this only warns early.
 */
export function isReadableTimezone(zone: string): boolean {
  const trimmed = zone.trim();
  if (trimmed === '' || /^(?:z|utc|gmt)$/i.test(trimmed) || FIXED_OFFSET.test(trimmed)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: trimmed });
    return true;
  } catch {
    return false;
  }
}

/** Zones to offer: UTC, this computer's zone, UTC+8 (common in the exports we see), then every IANA name. */
export function timezoneChoices(): string[] {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const named = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', local, '+08:00', ...named].filter((zone): zone is string => Boolean(zone)))];
}

function newImportId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `import-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function matches(row: ImportRow, path: string): boolean {
  return row.backendPath === path || (row.backendPath === null && path.replace(/\\/g, '/').endsWith(`/${row.name}`));
}

/** Imports picked files and follows them: one row per file, fed by upload and importProgress events. */
export function useImports() {
  const client = useClient();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<ImportRow[]>([]);
  /** Imports whose files are read but whose analysis has not finished. */
  const [analysing, setAnalysing] = useState(0);
  /** How far the derivation that ends an import is, from its derivationProgress events; null before it reports. */
  const [derivationFraction, setDerivationFraction] = useState<number | null>(null);
  /** The zone of timestamps the files write without one; applies to every import started after it is chosen. */
  const [timezone, setTimezone] = useState('UTC');

  const update = useCallback((importId: string, path: string, change: (row: ImportRow) => Partial<ImportRow>, name?: string) => {
    setRows((current) => {
      const index = current.findIndex((row) => row.importId === importId && matches(row, path));
      if (index < 0) {
        // A file the backend found on its own (inside a dropped folder or an archive).
        const created: ImportRow = {
          key: `${importId}:${path}`,
          importId,
          name: name ?? path,
          backendPath: path,
          stage: 'importing',
          fraction: 0,
          records: 0,
          result: null,
          error: null,
        };
        return [...current, { ...created, ...change(created) }];
      }
      const next = current.slice();
      const row = next[index] as ImportRow;
      next[index] = { ...row, ...change(row) };
      return next;
    });
  }, []);

  const start = useCallback(
    async (picked: PickedFile[]) => {
      if (picked.length === 0) return;
      const importId = newImportId();
      const uploadShare = client.transport === 'http' ? 0.5 : 0;
      setRows((current) => [
        ...current,
        ...picked.map((item) => ({
          key: `${importId}:${item.relativePath}`,
          importId,
          name: item.relativePath,
          backendPath: null,
          stage: 'uploading' as const,
          fraction: 0,
          records: 0,
          result: null,
          error: null,
        })),
      ]);
      const setByName = (name: string, change: Partial<ImportRow>) =>
        setRows((current) => current.map((row) => (row.importId === importId && row.name === name ? { ...row, ...change } : row)));

      const paths: string[] = [];
      for (const item of picked) {
        try {
          const path = await client.toBackendPath(item, (progress) =>
            setByName(item.relativePath, { fraction: uploadShare * (progress.bytesTotal ? progress.bytesSent / progress.bytesTotal : 1) }),
          );
          paths.push(path);
          setByName(item.relativePath, { backendPath: path, stage: 'importing', fraction: uploadShare });
        } catch (error) {
          setByName(item.relativePath, { stage: 'failed', error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (paths.length === 0) return;

      const onProgress = (progress: ImportProgress) => {
        if (progress.import_id !== importId) return;
        const share = progress.bytes_total > 0 ? progress.bytes_done / progress.bytes_total : progress.done ? 1 : 0;
        update(importId, progress.path, (row) => ({
          stage: progress.done ? 'done' : row.stage === 'done' ? 'done' : 'importing',
          fraction: progress.done ? 1 : uploadShare + (1 - uploadShare) * Math.min(1, share),
          records: progress.records,
        }));
      };
      const unsubscribe = client.on('importProgress', onProgress);
      const unsubscribeDerivation = client.on('derivationProgress', (progress) => setDerivationFraction(progress.fraction));
      setAnalysing((count) => count + 1);
      try {
        const report = await client.importPaths(paths, { import_id: importId, timezone: timezone.trim() || 'UTC' });
        for (const file of report.files) {
          update(importId, file.path, () => ({ stage: file.failed ? 'failed' : 'done', fraction: 1, result: file, error: file.failed ?? null }));
        }
        setRows((current) =>
          current.map((row) => (row.importId === importId && row.stage === 'importing' ? { ...row, stage: 'done', fraction: 1 } : row)),
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        setRows((current) =>
          current.map((row) => (row.importId === importId && row.stage !== 'done' && row.stage !== 'failed' ? { ...row, stage: 'failed', error: message } : row)),
        );
      } finally {
        unsubscribe();
        unsubscribeDerivation();
        await queryClient.invalidateQueries();
        setAnalysing((count) => count - 1);
        setDerivationFraction(null);
      }
    },
    [client, queryClient, update, timezone],
  );

  const clearFinished = useCallback(() => setRows((current) => current.filter((row) => row.stage === 'uploading' || row.stage === 'importing')), []);

  return { rows, start, clearFinished, analysing: analysing > 0, derivationFraction, timezone, setTimezone };
}
