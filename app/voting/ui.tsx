import { useTranslation } from "react-i18next";
import type { ProposalStatus } from "#db/schema/voting";
import { law, type Criterion } from "~/lib/law";
import { shareText } from "~/lib/law-text";
import { formatArea } from "~/ui/mask";
import { percent } from "./percent";
import { majorMatterTypes } from "./matters";
import { approvalThreshold, type Matter, type Participation } from "./tally";
import type { BuildingTurnout } from "./turnout.server";
import { TableWrap } from "~/ui/table-wrap";

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

/**
 * Participation while a vote runs, for everyone in the estate (owners too): area and headcount
 * against the 2/3 quorum, overall and by building. It carries no choice: the count is sealed
 * until the vote closes.
 */
export function ParticipationCard({
  participation: o,
  byBuilding,
}: {
  participation: Participation;
  byBuilding: BuildingTurnout[];
}) {
  const { t } = useTranslation();
  return (
    <section className="card stack" id="participation">
      <h2>{t("voting.participation.title")}</h2>
      <p className="hint">{t("voting.participation.sealed")}</p>
      <p className={o.quorumMet ? "notice-ok" : "alert"}>
        {t(o.quorumMet ? "voting.turnout.quorumMet" : "voting.turnout.quorumNotMet", {
          share: shareText(t, o.criteria.quorumArea.threshold),
        })}
      </p>
      <ShareBar label={t("voting.turnout.area")} criterion={o.criteria.quorumArea} />
      <ShareBar label={t("voting.turnout.head")} criterion={o.criteria.quorumHeadcount} />
      <p className="muted">
        {t("voting.participation.figures", {
          area: formatArea(o.participatingArea),
          totalArea: formatArea(o.totalArea),
          head: o.participatingHeadcount,
          totalHead: o.totalHeadcount,
        })}
      </p>
      {byBuilding.length > 1 ? (
        <TableWrap label={t("voting.turnout.byBuilding")}>
          <table>
            <thead>
              <tr>
                <th>{t("voting.turnout.building")}</th>
                <th className="num">{t("voting.turnout.area")}</th>
                <th className="num">{t("voting.turnout.head")}</th>
              </tr>
            </thead>
            <tbody>
              {byBuilding.map((b) => (
                <tr key={b.building}>
                  <th scope="row">{b.building}</th>
                  <td className={`num ${b.criteria.quorumArea.met ? "ok" : ""}`}>
                    {percent(b.votedAreaCentiSqm, b.areaCentiSqm)}%
                  </td>
                  <td className={`num ${b.criteria.quorumHeadcount.met ? "ok" : ""}`}>
                    {percent(b.votedVoters, b.voters)}% ({b.votedVoters}/{b.voters})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}
