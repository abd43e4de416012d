import { useTranslation } from "react-i18next";
import type { ProposalStatus } from "#db/schema/voting";
import { law, type Criterion } from "~/lib/law";
import { shareText } from "~/lib/law-text";
import { formatArea } from "~/ui/mask";
import { percent } from "./percent";
import { majorMatterTypes } from "./matters";
import { approvalThreshold, type Matter } from "./tally";

export function StatusBadge({ status }: { status: ProposalStatus }) {
  const { t } = useTranslation();
  return <span className={`badge vote-status-${status}`}>{t(`voting.status.${status}`)}</span>;
}

/**
 * A horizontal bar for one criterion of the rule engine: the share reached of the whole, with a
 * marker at the threshold. The width is for the eye only; whether the threshold is met is the
 * criterion's own `met`.
 */
export function ShareBar({ label, criterion }: { label: string; criterion: Criterion }) {
  const { t } = useTranslation();
  const pct = percent(criterion.reached, criterion.whole);
  const { num, den } = criterion.threshold;
  const mark = (100 * num) / den;
  return (
    <div className="share">
      <div className="share-label">
        <span>{label}</span>
        <strong>{pct}%</strong>
      </div>
      <div className="share-bar" role="img" aria-label={`${label} ${pct}%`}>
        <div
          className={`share-fill ${criterion.met ? "share-met" : ""}`}
          style={{ width: `${Math.min(100, Number(pct))}%` }}
        />
        <div className="share-mark" style={{ left: `${mark}%` }} title={shareText(t, criterion.threshold)} />
      </div>
    </div>
  );
}

export function Area({ centi }: { centi: number }) {
  return <>{formatArea(centi)}</>;
}

/** The rules a matter is decided by: the quorum and its approval, in words from the law's table. */
export function MatterRules({ matter }: { matter: Matter }) {
  const { t } = useTranslation();
  return (
    <>
      {t("voting.matter.quorumRule", { share: shareText(t, law.quorum) })}{" "}
      {t("voting.matter.approvalRule", { share: shareText(t, approvalThreshold(matter)) })}
    </>
  );
}

/** Which matters are major and what each kind needs, from the one list of major matters. */
export function MatterTypeHint() {
  const { t } = useTranslation();
  return (
    <>
      {t("voting.draft.typeHint", {
        major: majorMatterTypes.map((type) => t(`voting.types.${type}`)).join(t("law.listSeparator")),
        majorShare: shareText(t, approvalThreshold("major")),
        ordinaryShare: shareText(t, approvalThreshold("ordinary")),
      })}
    </>
  );
}

/** The petition threshold in words. */
export function usePetitionShare() {
  const { t } = useTranslation();
  return shareText(t, law.petition);
}
