import { useMutation, useMutationState } from '@tanstack/react-query';
import type { AskAnswer, ReportFile, ReportRequest, TimeWindow } from '../../../main/api/contract.js';
import { ASK_MUTATION_KEY, useClient } from '../api/ClientContext.js';
import { useI18n } from '../i18n/I18n.js';

type Exchange = { question: string; answer: AskAnswer };

function isAnswer(value: unknown): value is AskAnswer {
  return typeof value === 'object' && value !== null && typeof (value as AskAnswer).answer === 'string' && Array.isArray((value as AskAnswer).citations);
}

function questionOf(variables: unknown): string | null {
  const question = typeof variables === 'object' && variables !== null ? (variables as { question?: unknown }).question : undefined;
  return typeof question === 'string' ? question : null;
}

/**
 * The questions answered so far, read from react-query's mutation cache, where the ask panel's
 * mutations stay for the session (gcTime Infinity).
 */
function useConversation(): Exchange[] {
  return useMutationState({
    filters: { mutationKey: ASK_MUTATION_KEY, status: 'success' },
    select: (mutation) => {
      const question = questionOf(mutation.state.variables);
      const answer = mutation.state.data;
      return question !== null && isAnswer(answer) ? { question, answer } : null;
    },
  }).filter((exchange): exchange is Exchange => exchange !== null);
}

function download(file: ReportFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mime_type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.file_name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after this handler returns; revoking at once can cancel the download.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ReportButtons({ chosenWindow }: { chosenWindow: TimeWindow | null }) {
  const { t, language } = useI18n();
  const client = useClient();
  const answers = useConversation();
  const exportReport = useMutation({
    mutationFn: (format: ReportRequest['format']) =>
      client.exportReport({ format, language, answers, ...(chosenWindow ? { window: chosenWindow } : {}) }),
    onSuccess: download,
  });

  return (
    <div role="group" aria-label={t.reportTitle} style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8, margin: '0 0 12px' }}>
      <button type="button" className="button" disabled={exportReport.isPending} onClick={() => exportReport.mutate('markdown')}>
        {t.exportMarkdown}
      </button>
      <button type="button" className="button" disabled={exportReport.isPending} onClick={() => exportReport.mutate('html')}>
        {t.exportHtml}
      </button>
      {exportReport.isPending && (
        <span role="status" className="muted">
          {t.exporting}
        </span>
      )}
      {exportReport.error && (
        <span role="alert" style={{ color: 'var(--bad)' }}>
          {t.exportFailed}: {exportReport.error.message}
        </span>
      )}
    </div>
  );
}
