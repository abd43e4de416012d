import { useTranslation } from "react-i18next";
import type { ProposalStatus } from "#db/schema/voting";
import { formatArea } from "~/ui/mask";
import { percent } from "./percent";

export function StatusBadge({ status }: { status: ProposalStatus }) {
  const { t } = useTranslation();
  return <span className={`badge vote-status-${status}`}>{t(`voting.status.${status}`)}</span>;
}

/**
 * A horizontal bar: the share part/whole, with a marker at the threshold (num/den). The
 * width is for the eye only; whether the threshold is met comes from the rule engine (`met`).
 */
export function ShareBar({ label, part, whole, num, den, met }: { label: string; part: number; whole: number; num: number; den: number; met: boolean }) {
  const pct = percent(part, whole);
  const mark = (100 * num) / den;
  return (
    <div className="share">
      <div className="share-label">
        <span>{label}</span>
        <strong>{pct}%</strong>
      </div>
      <div className="share-bar" role="img" aria-label={`${label} ${pct}%`}>
        <div className={`share-fill ${met ? "share-met" : ""}`} style={{ width: `${Math.min(100, Number(pct))}%` }} />
        <div className="share-mark" style={{ left: `${mark}%` }} title={`${num}/${den}`} />
      </div>
    </div>
  );
}

export function Area({ centi }: { centi: number }) {
  return <>{formatArea(centi)}</>;
}
