import { useCallback, useEffect, useState } from 'react';
import { useClient } from './api/ClientContext.js';
import { useI18n } from './i18n/I18n.js';
import type { TimeWindow } from '../../main/api/contract.js';
import type { Tab } from './state/route.js';
import { ChartThemeProvider } from './components/ChartTheme.js';
import { useTheme } from './state/theme.js';
import { useRoute } from './state/useRoute.js';
import { AskPanel } from './views/AskPanel.js';
import { ImportPanel } from './views/ImportPanel.js';
import { LogsView } from './views/LogsView.js';
import { Overview } from './views/Overview.js';
import { RecordPanel } from './views/RecordPanel.js';
import { SettingsView } from './views/SettingsView.js';
import { TracesView } from './views/TracesView.js';
import { fromDrop } from './views/pickedFiles.js';
import { useImports } from './views/useImports.js';

/** Accepts files and folders dropped anywhere on the window. */
function useWindowDrop(onDrop: (transfer: DataTransfer) => void): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth += 1;
      setDragging(true);
    };
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (event: DragEvent) => {
      if (hasFiles(event)) event.preventDefault();
    };
    const drop = (event: DragEvent) => {
      if (!hasFiles(event) || !event.dataTransfer) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      onDrop(event.dataTransfer);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onDrop]);
  return dragging;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** `/` anywhere outside a text field asks for the question box. */
function useSlashKey(onSlash: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      event.preventDefault();
      onSlash();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSlash]);
}

export function App() {
  const { t } = useI18n();
  const client = useClient();
  const imports = useImports();
  const theme = useTheme();
  const [route, navigate] = useRoute();
  const { tab, record: openRef, window: chosenWindow, trace: routeTrace, compare: routeCompare, service: routeService } = route;
  const setTab = useCallback((next: Tab) => navigate({ tab: next }), [navigate]);
  const setOpenRef = useCallback((ref: string) => navigate({ record: ref }), [navigate]);
  const closeRecord = useCallback(() => navigate({ record: null }), [navigate]);
  const openTrace = useCallback((trace: string | null) => navigate({ tab: 'traces', trace, compare: null }), [navigate]);
  const compareTrace = useCallback((compare: string | null) => navigate({ tab: 'traces', compare }), [navigate]);
  const swapCompared = useCallback(() => navigate({ trace: routeCompare, compare: routeTrace }), [navigate, routeCompare, routeTrace]);
  const showServiceTraces = useCallback((service: string | null) => navigate({ tab: 'traces', service }), [navigate]);
  const openTraceLogs = useCallback((trace: string) => navigate({ tab: 'logs', trace }), [navigate]);
  const openTracesAround = useCallback((window: TimeWindow) => navigate({ tab: 'traces', trace: null, window }), [navigate]);
  const [askFocus, setAskFocus] = useState(0);
  useSlashKey(
    useCallback(() => {
      navigate({ tab: 'ask' });
      setAskFocus((count) => count + 1);
    }, [navigate]),
  );
  const { start } = imports;

  const dragging = useWindowDrop(
    useCallback(
      (transfer: DataTransfer) => {
        void fromDrop(transfer, client.transport === 'http').then(start);
      },
      [client.transport, start],
    ),
  );

  const tabs: { id: Tab; label: string }[] = [
    { id: 'overview', label: t.tabOverview },
    { id: 'ask', label: t.tabAsk },
    { id: 'traces', label: t.tabTraces },
    { id: 'logs', label: t.tabLogs },
    { id: 'settings', label: t.tabSettings },
  ];

  return (
    <ChartThemeProvider theme={theme.theme}>
    <div className={`shell${openRef ? ' with-record' : ''}`}>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          <span className="brand-name">{t.appName}</span>
          <span className="tagline">{t.tagline}</span>
        </div>
        <nav className="tabs" role="tablist" aria-label={t.mainSections}>
          {tabs.map(({ id, label }) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              className={`tab${tab === id ? ' active' : ''}`}
              onClick={() => setTab(id)}
            >
              {label}
            </button>
          ))}
        </nav>
        <div className="topbar-right">
          <span className="badge transport">{client.transport === 'desktop' ? t.transportDesktop : t.transportHttp}</span>
        </div>
      </header>

      <aside className="sidebar">
        <ImportPanel imports={imports} />
      </aside>

      <main className="content">
        <div id="panel-overview" role="tabpanel" aria-labelledby="tab-overview" hidden={tab !== 'overview'} className="tabpanel">
          {/* Mounted only when shown: on a link to a trace, the overview's analysis would compete with that trace on the server. */}
          {tab === 'overview' && (
            <Overview chosenWindow={chosenWindow} onChooseWindow={(window) => navigate({ window })} onOpenRef={setOpenRef} onShowServiceTraces={showServiceTraces} />
          )}
        </div>
        <div id="panel-ask" role="tabpanel" aria-labelledby="tab-ask" hidden={tab !== 'ask'} className="tabpanel ask-panel">
          <AskPanel chosenWindow={chosenWindow} focusRequest={askFocus} onOpenRef={setOpenRef} onOpenTracesAround={openTracesAround} />
        </div>
        <div id="panel-traces" role="tabpanel" aria-labelledby="tab-traces" hidden={tab !== 'traces'} className="tabpanel">
          {tab === 'traces' && (
            <TracesView
              chosenWindow={chosenWindow}
              traceId={routeTrace}
              compareId={routeCompare}
              service={routeService}
              onOpenTrace={openTrace}
              onOpenLogs={openTraceLogs}
              onCompare={compareTrace}
              onSwapCompared={swapCompared}
              onSearchService={showServiceTraces}
            />
          )}
        </div>
        <div id="panel-logs" role="tabpanel" aria-labelledby="tab-logs" hidden={tab !== 'logs'} className="tabpanel">
          {tab === 'logs' && <LogsView chosenWindow={chosenWindow} traceId={routeTrace} onOpenTrace={openTrace} />}
        </div>
        <div id="panel-settings" role="tabpanel" aria-labelledby="tab-settings" hidden={tab !== 'settings'} className="tabpanel">
          {tab === 'settings' && <SettingsView themePreference={theme.preference} onThemePreference={theme.setPreference} />}
        </div>
      </main>

      {openRef && <RecordPanel evidenceRef={openRef} onOpenRef={setOpenRef} onClose={closeRecord} />}

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-target">{t.dropHere}</div>
        </div>
      )}
    </div>
    </ChartThemeProvider>
  );
}
