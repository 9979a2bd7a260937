import type { Evidence } from '../../../main/api/contract.js';
import { inLanguage } from '../i18n/analysisText.js';
import type { Language } from '../i18n/strings.js';
import { moveFocusInList } from './listKeys.js';

/** Evidence a person can open: each item a button that opens its record, labelled in the UI's language. */
export function EvidenceList({ evidence, label, language, onOpenRef }: { evidence: readonly Evidence[]; label: string; language: Language; onOpenRef(ref: string): void }) {
  if (evidence.length === 0) return null;
  return (
    <ul className="evidence-list" aria-label={label} onKeyDown={moveFocusInList}>
      {evidence.map((item) => (
        <li key={item.ref}>
          <button type="button" className="evidence" title={item.ref} onClick={() => onOpenRef(item.ref)}>
            <span className={`ref-kind ref-${item.kind}`}>{item.kind}</span>
            <span className="evidence-summary">{inLanguage(language, item.summary, item.summary_zh)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
