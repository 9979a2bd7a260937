import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { AskAnswer, Chart, Citation, TimeWindow } from '../../../main/api/contract.js';
import { ASK_MUTATION_KEY, queryKeys, useClient } from '../api/ClientContext.js';
import { EChart } from '../components/EChart.js';
import { moveFocusInList } from '../components/listKeys.js';
import { Markdown } from '../components/Markdown.js';
import { useI18n } from '../i18n/I18n.js';
import type { Messages } from '../i18n/strings.js';
import { Aborted, untilAborted } from '../state/abortable.js';
import { clearHistory, readHistory, rememberQuestion } from '../state/askHistory.js';
import { answerChartOption } from './answerChart.js';
import { chartPointTime, windowAround } from './traceModel.js';
import { kindLabel } from './Overview.js';
import { withoutFallbackNotice } from './fallbackNotice.js';

interface Turn {
  askId: string;
  question: string;
  streamed: string;
  answer: AskAnswer | null;
  error: string | null;
  cancelled: boolean;
}

function newAskId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `ask-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function providerLabel(provider: string, t: Messages): string {
  return provider === 'offline' ? t.offlineAnalyst : provider;
}

/** Traces shown for a clicked chart point: this long either side of it. */
const TRACES_AROUND_POINT_MS = 60_000;

function AnswerChart({ chart, onOpenTracesAround, t }: { chart: Chart; onOpenTracesAround(window: TimeWindow): void; t: Messages }) {
  const option = useMemo(() => answerChartOption(chart.option), [chart.option]);
  const openAt = (data: unknown) => {
    const at = chartPointTime(data);
    if (at) onOpenTracesAround(windowAround(at, TRACES_AROUND_POINT_MS));
  };
  return (
    <figure className="answer-chart" aria-label={chart.title} title={t.chartPointOpensTraces}>
      <figcaption>{chart.title}</figcaption>
      <EChart option={option} height={280} onItemClick={(params) => openAt(params.data)} />
    </figure>
  );
}

function CitationButton({ citation, onOpenRef }: { citation: Citation; onOpenRef(ref: string): void }) {
  return (
    <button type="button" className="citation" title={citation.ref} onClick={() => onOpenRef(citation.ref)}>
      <span className={`ref-kind ref-${citation.kind}`}>{citation.kind}</span>
      <span className="citation-label">{citation.label ?? citation.ref}</span>
    </button>
  );
}

function AnswerView({ answer, onOpenRef, onOpenTracesAround, t }: { answer: AskAnswer; onOpenRef(ref: string): void; onOpenTracesAround(window: TimeWindow): void; t: Messages }) {
  return (
    <div className="answer" lang={answer.language === 'zh' ? 'zh-CN' : 'en'}>
      <div className="answer-meta">
        <span className={`provider${answer.provider === 'offline' ? ' offline' : ''}`}>
          {t.provider}: <strong>{providerLabel(answer.provider, t)}</strong>
        </span>
        {answer.root_cause && (
          <span className="badge kind">
            {t.rootCauseLabel}: {answer.root_cause.service} · {kindLabel(answer.root_cause.kind, t)}
          </span>
        )}
      </div>
      {answer.fallback_reason && (
        <p className="fallback-note">
          {t.fallbackReason}: {answer.fallback_reason}
        </p>
      )}
      <Markdown source={withoutFallbackNotice(answer.answer, answer.fallback_reason)} onOpenRef={onOpenRef} />
      {answer.charts.length > 0 && (
        <div className="answer-charts">
          {answer.charts.map((chart, index) => (
            <AnswerChart key={`${chart.title}/${index}`} chart={chart} onOpenTracesAround={onOpenTracesAround} t={t} />
          ))}
        </div>
      )}
      {answer.citations.length > 0 && (
        <div className="citations">
          <h4>{t.citations}</h4>
          <ul aria-label={t.citations} onKeyDown={moveFocusInList}>
            {answer.citations.map((citation) => (
              <li key={citation.ref}>
                <CitationButton citation={citation} onOpenRef={onOpenRef} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {answer.tool_calls.length > 0 && (
        <details className="tool-calls">
          <summary>
            {t.toolCalls}: {answer.tool_calls.length}
          </summary>
          <ul>
            {answer.tool_calls.map((call, index) => (
              <li key={index}>
                <code>
                  {call.name}({JSON.stringify(call.arguments)})
                </code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

export function AskPanel({ chosenWindow, focusRequest, onOpenRef, onOpenTracesAround }: {
  chosenWindow: TimeWindow | null;
  focusRequest: number;
  onOpenRef(ref: string): void;
  onOpenTracesAround(window: TimeWindow): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const [question, setQuestion] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const abortPending = useRef<AbortController | null>(null);
  const latestTurn = useRef<HTMLElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const workspace = useQuery({ queryKey: queryKeys.workspace, queryFn: () => client.getWorkspace() });
  const dbPath = workspace.data?.db_path ?? null;
  const [history, setHistory] = useState<string[]>([]);
  useEffect(() => setHistory(dbPath ? readHistory(window.localStorage, dbPath) : []), [dbPath]);

  useEffect(() => {
    if (focusRequest > 0) input.current?.focus();
  }, [focusRequest]);

  const patch = (askId: string, change: (turn: Turn) => Partial<Turn>) =>
    setTurns((current) => current.map((turn) => (turn.askId === askId ? { ...turn, ...change(turn) } : turn)));

  useEffect(() => client.on('answerDelta', (delta) => patch(delta.ask_id, (turn) => ({ streamed: turn.streamed + delta.text }))), [client]);

  const ask = useMutation({
    // Kept for the whole session: the report export reads the conversation from the mutation cache.
    mutationKey: ASK_MUTATION_KEY,
    gcTime: Infinity,
    mutationFn: (request: { askId: string; question: string; signal: AbortSignal }) =>
      untilAborted(client.ask({ question: request.question, ask_id: request.askId, ...(chosenWindow ? { window: chosenWindow } : {}) }), request.signal),
    onMutate: (request) => {
      setPendingId(request.askId);
      setTurns((current) => [...current, { askId: request.askId, question: request.question, streamed: '', answer: null, error: null, cancelled: false }]);
      if (dbPath) setHistory(rememberQuestion(window.localStorage, dbPath, request.question));
    },
    onSuccess: (answer, request) => patch(request.askId, () => ({ answer })),
    onError: (error, request) => patch(request.askId, () => (error instanceof Aborted ? { cancelled: true } : { error: error.message })),
    onSettled: () => {
      abortPending.current = null;
      setPendingId(null);
    },
  });

  const cancel = () => {
    if (!pendingId) return;
    abortPending.current?.abort();
    // The backend stops the model and its tools; the UI has already stopped waiting.
    void client.cancelAsk(pendingId).catch(() => undefined);
  };

  const latest = turns[turns.length - 1];
  const latestAnswered = Boolean(latest?.answer || latest?.error || latest?.cancelled);
  useEffect(() => {
    // Bring the newest question into view when it is asked and again when its answer arrives.
    latestTurn.current?.scrollIntoView({ block: 'start' });
  }, [turns.length, latestAnswered]);

  const submit = (text: string) => {
    const trimmed = text.trim();
    if (!trimmed || ask.isPending) return;
    const controller = new AbortController();
    abortPending.current = controller;
    ask.mutate({ askId: newAskId(), question: trimmed, signal: controller.signal });
    setQuestion('');
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(question);
  };

  return (
    <section className="ask" aria-labelledby="ask-title">
      <h2 id="ask-title" className="visually-hidden">
        {t.askTitle}
      </h2>
      <div className="turns" aria-live="polite">
        {turns.length === 0 && (
          <div className="suggestions">
            <p className="muted">{t.askTitle}</p>
            <span className="label">{t.suggestions}</span>
            {[t.suggestion1, t.suggestion2, t.suggestion3].map((suggestion) => (
              <button key={suggestion} type="button" className="chip" onClick={() => submit(suggestion)}>
                {suggestion}
              </button>
            ))}
            {history.length > 0 && (
              <nav className="history" aria-labelledby="history-title">
                <div className="subhead">
                  <h3 id="history-title">{t.history}</h3>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      if (dbPath) clearHistory(window.localStorage, dbPath);
                      setHistory([]);
                    }}
                  >
                    {t.clearHistory}
                  </button>
                </div>
                <ul aria-labelledby="history-title" onKeyDown={moveFocusInList}>
                  {history.map((asked) => (
                    <li key={asked}>
                      <button type="button" className="history-item" onClick={() => submit(asked)}>
                        {asked}
                      </button>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
          </div>
        )}
        {turns.map((turn, index) => (
          <article key={turn.askId} ref={index === turns.length - 1 ? latestTurn : undefined} className="turn" aria-label={turn.question}>
            <p className="question">{turn.question}</p>
            {turn.answer && <AnswerView answer={turn.answer} onOpenRef={onOpenRef} onOpenTracesAround={onOpenTracesAround} t={t} />}
            {!turn.answer && !turn.error && !turn.cancelled && (
              <div className="answer pending" aria-busy="true">
                <p className="muted">
                  <span className="spinner" aria-hidden="true" />
                  {t.thinking}
                </p>
                {turn.streamed && <Markdown source={turn.streamed} onOpenRef={onOpenRef} />}
              </div>
            )}
            {turn.cancelled && (
              <div className="answer cancelled">
                {turn.streamed && <Markdown source={turn.streamed} onOpenRef={onOpenRef} />}
                <p className="muted">{t.cancelled}</p>
              </div>
            )}
            {turn.error && (
              <p className="issue-failed" role="alert">
                {turn.error}
              </p>
            )}
          </article>
        ))}
      </div>
      <form className="ask-form" onSubmit={onSubmit}>
        <input
          ref={input}
          type="text"
          className="ask-input"
          aria-label={t.askQuestion}
          aria-keyshortcuts="/"
          placeholder={t.askPlaceholder}
          value={question}
          onChange={(event) => setQuestion(event.target.value)}
        />
        {pendingId ? (
          <button type="button" className="button" onClick={cancel}>
            {t.cancel}
          </button>
        ) : (
          <button type="submit" className="button primary" disabled={!question.trim()}>
            {t.askButton}
          </button>
        )}
      </form>
    </section>
  );
}
