import type { DeadlineFinding, DeadlineFindingKind } from '../../../main/api/contract.js';
import { EvidenceList } from '../components/EvidenceList.js';
import { inLanguage } from '../i18n/analysisText.js';
import type { Language, Messages } from '../i18n/strings.js';

/** The order an on-call engineer reads them in: what failed, then what was misconfigured, then advice. */
const KIND_ORDER: readonly DeadlineFindingKind[] = ['deadline_exceeded', 'orphan_work', 'timeout_below_callee_p99', 'child_timeout_exceeds_budget', 'retry_exceeds_budget', 'budget_decay'];

export function findingKindLabel(kind: DeadlineFindingKind, t: Messages): string {
  return {
    deadline_exceeded: t.findingDeadlineExceeded,
    orphan_work: t.findingOrphanWork,
    timeout_below_callee_p99: t.findingTimeoutBelowP99,
    child_timeout_exceeds_budget: t.findingChildExceedsBudget,
    retry_exceeds_budget: t.findingRetryExceedsBudget,
    budget_decay: t.findingBudgetDecay,
  }[kind];
}

/** Deadline and timeout findings grouped by kind, each with the example spans it was found on. */
export function DeadlineFindings({ findings, onOpenRef, t, language }: { findings: DeadlineFinding[]; onOpenRef(ref: string): void; t: Messages; language: Language }) {
  if (findings.length === 0) return <p className="muted">{t.noDeadlineFindings}</p>;
  const kinds = KIND_ORDER.filter((kind) => findings.some((finding) => finding.kind === kind));
  return (
    <div className="deadline-findings">
      {kinds.map((kind) => (
        <section key={kind} className={`finding-group finding-${kind}`} aria-label={findingKindLabel(kind, t)}>
          <h3 className="finding-kind">{findingKindLabel(kind, t)}</h3>
          <ul className="findings">
            {findings
              .filter((finding) => finding.kind === kind)
              .map((finding, index) => (
                <li key={`${finding.caller}/${finding.callee}/${index}`} className="finding">
                  <div className="finding-head">
                    <span className="finding-edge">
                      {finding.caller} → {finding.callee}
                    </span>
                    <span className="badge">
                      ×{finding.count} {t.findingTimes}
                    </span>
                  </div>
                  <p className="finding-summary">{inLanguage(language, finding.summary, finding.summary_zh)}</p>
                  <EvidenceList
                    evidence={finding.evidence ?? []}
                    label={`${t.findingExamples}: ${finding.caller} → ${finding.callee}`}
                    language={language}
                    onOpenRef={onOpenRef}
                  />
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
