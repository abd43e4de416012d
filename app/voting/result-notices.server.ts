import { eq } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import { postNotice } from "~/board/board.server";
import { estateSettings } from "~/estates/procedure";
import { getT } from "~/i18n/i18n.server";
import { defaultLocale } from "~/i18n/locales";
import { deadlineWithin } from "~/lib/calendar";
import { restDayTable } from "~/lib/rest-days.server";
import { beijingDate, beijingDateTimeFormat } from "~/lib/time";
import { formatArea } from "~/ui/mask";
import { storedTally } from "./tally";

const { estates } = schema;

type Matter = "ordinary" | "major";

/*
 * The notices of a closed vote on the estate's board (DESIGN.md "After close"): the
 * preliminary result when it closes, which opens the query period (询异), and the final result
 * when the period has ended, with the figures and the ballot log's final hash. Proposals and
 * elections alike; the words are the catalogue's, in the estate's language (Chinese).
 */

export type ResultKind = "proposal" | "election";

/**
 * End (exclusive) of the query period of a vote closed at `closedAt`: a deadline "within k
 * days", from the next day to 24:00 Beijing of the k-th day, moved to the end of the next
 * working day when that day is a rest day (DESIGN.md "Clocks").
 */
export async function queryPeriodEnd(tx: Queryable, closedAt: Date, days: number): Promise<Date> {
  return deadlineWithin(closedAt, days, await restDayTable(tx));
}

/** The Beijing date of the period's last day (the end is 00:00 of the next). */
export function lastDayOf(end: Date): string {
  return beijingDate(new Date(end.getTime() - 1));
}

/** The estate's query period in days, as its rules of procedure say now (fixed for a vote when it closes). */
export async function queryPeriodDaysOf(tx: Queryable, estateId: string): Promise<number> {
  const [estate] = await tx.select({ settings: estates.settings }).from(estates).where(eq(estates.id, estateId));
  return estateSettings(estate?.settings).queryPeriodDays;
}

export type T = Awaited<ReturnType<typeof getT>>;

function proposalFigures(t: T, matter: Matter, stored: unknown): string[] {
  const r = storedTally(matter, stored);
  return [
    t("results.notice.participation", {
      partArea: formatArea(r.participatingArea),
      totalArea: formatArea(r.totalArea),
      partHead: r.participatingHeadcount,
      totalHead: r.totalHeadcount,
    }),
    t("results.notice.choices", {
      agreeArea: formatArea(r.agreeArea),
      agreeHead: r.agreeHeadcount,
      opposeArea: formatArea(r.opposeArea),
      opposeHead: r.opposeHeadcount,
      abstainArea: formatArea(r.abstainArea),
      abstainHead: r.abstainHeadcount,
    }),
    t(r.passed ? "results.notice.passed" : r.quorumMet ? "results.notice.failed" : "results.notice.noQuorum"),
  ];
}

export interface ResultNoticeInput {
  estateId: string;
  kind: ResultKind;
  id: string;
  title: string;
  /** The stored result: a Tally (proposal, with its matter) or an ElectionResult. */
  result: unknown;
  matter?: Matter;
  /** An election's lines of figures (the committee's electionFigures); a proposal's are made here. */
  figures?: (t: T) => Promise<string[]>;
  ballots: number;
  finalHash: string;
  postedBy: string;
  now: Date;
}

async function noticeBody(t: T, input: ResultNoticeInput, closing: string[]): Promise<string> {
  const figures = input.figures ? await input.figures(t) : proposalFigures(t, input.matter ?? "ordinary", input.result);
  return [...figures, t("results.notice.ballots", { ballots: input.ballots, hash: input.finalHash }), ...closing].join(
    "\n\n",
  );
}

/** At close: the preliminary result on the board, saying until when owners may query it. */
export async function postPreliminaryNotice(
  tx: Queryable,
  input: ResultNoticeInput & { queryEndsAt: Date },
): Promise<{ id: string }> {
  const t = await getT(defaultLocale);
  const body = await noticeBody(t, input, [t("results.notice.queryPeriod", { date: lastDayOf(input.queryEndsAt) })]);
  return postNotice(tx, {
    estateId: input.estateId,
    kind: "preliminary_result",
    title: t(
      input.kind === "proposal" ? "results.notice.preliminaryTitle" : "results.notice.electionPreliminaryTitle",
      { title: input.title },
    ).slice(0, 120),
    body,
    postedBy: input.postedBy,
    author: input.kind === "election" ? "community" : "committee",
    subject: { type: input.kind, id: input.id },
    now: input.now,
  });
}

/** When the period has ended: the final result on the board, with its final hash, in effect from now. */
export async function postFinalNotice(
  tx: Queryable,
  input: ResultNoticeInput & { corrections: number; publicityDays?: number },
): Promise<{ id: string }> {
  const t = await getT(defaultLocale);
  const when = beijingDateTimeFormat(defaultLocale).format(input.now);
  const body = await noticeBody(t, input, [
    ...(input.corrections ? [t("results.notice.corrections", { count: input.corrections })] : []),
    t("results.notice.effective", { date: when }),
  ]);
  return postNotice(tx, {
    estateId: input.estateId,
    kind: "final_result",
    title: t(input.kind === "proposal" ? "results.notice.finalTitle" : "results.notice.electionFinalTitle", {
      title: input.title,
    }).slice(0, 120),
    body,
    postedBy: input.postedBy,
    author: input.kind === "election" ? "community" : "committee",
    subject: { type: input.kind, id: input.id },
    publicityDays: input.publicityDays,
    now: input.now,
  });
}
