import { useCallback, useEffect, useState } from 'react';
import { useClient } from './api/ClientContext.js';
import { useI18n } from './i18n/I18n.js';
import { languageNames, type Language } from './i18n/strings.js';
import { AskPanel } from './views/AskPanel.js';
import { ImportPanel } from './views/ImportPanel.js';
import { Overview } from './views/Overview.js';
import { RecordPanel } from './views/RecordPanel.js';
import { fromDrop } from './views/pickedFiles.js';
import { useImports } from './views/useImports.js';

type Tab = 'overview' | 'ask';

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

export function App() {
  const { t, language, setLanguage } = useI18n();
  const client = useClient();
  const imports = useImports();
  const [tab, setTab] = useState<Tab>('overview');
  const [openRef, setOpenRef] = useState<string | null>(null);
  const closeRecord = useCallback(() => setOpenRef(null), []);
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
  ];

  return (
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
          <select aria-label={t.language} value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
            {(Object.keys(languageNames) as Language[]).map((code) => (
              <option key={code} value={code}>
                {languageNames[code]}
              </option>
            ))}
          </select>
        </div>
      </header>

      <aside className="sidebar">
        <ImportPanel imports={imports} />
      </aside>

      <main className="content">
        <div id="panel-overview" role="tabpanel" aria-labelledby="tab-overview" hidden={tab !== 'overview'} className="tabpanel">
          <Overview onOpenRef={setOpenRef} />
        </div>
        <div id="panel-ask" role="tabpanel" aria-labelledby="tab-ask" hidden={tab !== 'ask'} className="tabpanel ask-panel">
          <AskPanel onOpenRef={setOpenRef} />
        </div>
      </main>

      {openRef && <RecordPanel evidenceRef={openRef} onOpenRef={setOpenRef} onClose={closeRecord} />}

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-target">{t.dropHere}</div>
        </div>
      )}
    </div>
  );
}
