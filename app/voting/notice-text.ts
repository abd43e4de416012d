import type { TFunction } from "i18next";
import { beijingDateTimeFormat } from "~/lib/time";
import { formatArea } from "~/ui/mask";

/**
 * The vote notice (表决公告) drafted from a proposal or an election: what Art. 14 of the
 * Property Management Regulations and DESIGN.md ask it to state — the matters, the scope with
 * its total headcount and exclusive area, the window, and how to vote online and on paper.
 * Pure: the server gathers the facts, this writes them in one language.
 */
export type NoticeMatters =
  | { kind: "proposal"; title: string; typeLabel: string; matterLabel: string; ruleText: string; body: string }
  | {
      kind: "election";
      races: { name: string | null; seats: number }[];
      candidates: string[] | null;
      nominationEndsAt: Date;
    };

export interface VoteNoticeFacts {
  estateName: string;
  title: string;
  matters: NoticeMatters;
  /** The buildings that vote, by name; null: the whole estate. */
  scopeBuildings: string[] | null;
  totals: { headcount: number; areaCentiSqm: number };
  votingStartsAt: Date;
  votingEndsAt: Date;
  /** The vote's page at the public origin. */
  url: string;
  postedAt: Date;
}

export function voteNoticeText(t: TFunction, locale: string, f: VoteNoticeFacts): { title: string; body: string } {
  const time = beijingDateTimeFormat(locale);
  const date = beijingDateTimeFormat(locale, { dateStyle: "long" });
  const list = (items: string[]) => items.join(locale.startsWith("zh") ? "、" : ", ");
  const m = f.matters;
  const matterLines =
    m.kind === "proposal"
      ? [
          t("voteNotice.text.matters"),
          t("voteNotice.text.proposalMatter", { title: m.title, type: m.typeLabel, matter: m.matterLabel }),
          t("voteNotice.text.rule", { rule: m.ruleText }),
          m.body.trim(),
        ]
      : [
          t("voteNotice.text.electionMatters"),
          ...m.races.map((r) =>
            t("voteNotice.text.race", { race: r.name ?? t("voteNotice.text.raceX"), seats: r.seats }),
          ),
          m.candidates?.length
            ? t("voteNotice.text.candidates", { names: list(m.candidates) })
            : t("voteNotice.text.candidatesLater", { at: time.format(m.nominationEndsAt) }),
        ];
  const paragraphs = [
    t("voteNotice.text.intro"),
    ...matterLines,
    t("voteNotice.text.scope"),
    f.scopeBuildings
      ? t("voteNotice.text.scopeBuildings", { buildings: list(f.scopeBuildings) })
      : t("voteNotice.text.scopeEstate"),
    t("voteNotice.text.totals", { headcount: f.totals.headcount, area: formatArea(f.totals.areaCentiSqm) }),
    t("voteNotice.text.quorum"),
    t("voteNotice.text.window"),
    t("voteNotice.text.windowText", { start: time.format(f.votingStartsAt), end: time.format(f.votingEndsAt) }),
    t("voteNotice.text.how"),
    t("voteNotice.text.online", { url: f.url }),
    t("voteNotice.text.paper"),
    t("voteNotice.text.proxy"),
    t("voteNotice.text.both"),
    t("voteNotice.text.signature", { estate: f.estateName }),
    t("voteNotice.text.postedOn", { date: date.format(f.postedAt) }),
  ];
  return {
    title: t(m.kind === "proposal" ? "voteNotice.text.proposalTitle" : "voteNotice.text.electionTitle", {
      title: f.title,
    }),
    body: paragraphs.filter((p) => p !== "").join("\n\n"),
  };
}
