import { useTranslation } from "react-i18next";

export interface PublicMemberView {
  id: string;
  name: string;
  building: string;
  seat: "N" | "X" | "observer";
  zone: string | null;
  publicRole: string | null;
  roleTitle: string | null;
  office: "chair" | "vice_chair" | "member";
  hasPhoto: boolean;
}

/** N (zone) / X (role) / observer, as a badge. */
export function SeatBadge({
  member,
}: {
  member: Pick<PublicMemberView, "seat" | "zone" | "publicRole" | "roleTitle">;
}) {
  const { t } = useTranslation();
  const detail =
    member.seat === "N"
      ? member.zone
      : member.roleTitle ||
        (member.publicRole ? t(`committee.publicRoles.${member.publicRole}` as "committee.publicRoles.npc") : null);
  return (
    <span className={`badge seat-${member.seat}`}>
      {t(`committee.seatShort.${member.seat}`)}
      {detail ? ` · ${detail}` : ""}
    </span>
  );
}

/** "陈** · 1幢 · 主任": enough to tell members apart when names are masked. */
export function memberLabel(
  t: (key: "committee.offices.chair") => string,
  m: Pick<PublicMemberView, "name" | "building" | "office" | "seat">,
): string {
  const parts = [m.name, m.building];
  if (m.office !== "member") parts.push(t(`committee.offices.${m.office}` as "committee.offices.chair"));
  if (m.seat === "observer") parts.push(t("committee.seatShort.observer" as "committee.offices.chair"));
  return parts.filter(Boolean).join(" · ");
}

/** Prints the page (the print stylesheet hides navigation and forms). */
export function PrintButton() {
  const { t } = useTranslation();
  return (
    <button type="button" className="secondary" onClick={() => window.print()}>
      {t("common.actions.print")}
    </button>
  );
}
