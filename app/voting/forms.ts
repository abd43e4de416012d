import { freeText, labelField, nameField } from "~/lib/text";
import { z } from "zod";
import { parseBeijingDateTime } from "~/lib/time";
import { proposalTypeList } from "./matters";
import { atHour, deadlineWithin, earliestAfterNotice, lastDayWithin, type RestDayTable } from "~/lib/calendar";

/** The law's least notice before a vote opens (物业管理条例 Art. 14); an estate may set more. */
const leastVoteNoticeDays = 15;

/**
 * A new draft's dates, in calendar days (app/lib/calendar.ts): comments for 15 days (to 24:00 of
 * the 15th day, moved past rest days); voting opens when a vote notice posted as comments close
 * has run its 15 days, and lasts two weeks, to 20:00 of the last day (a working day, so the
 * committee can close it and collect the last paper ballots).
 */
export function draftDefaults(now: Date, table: RestDayTable, noticeDays = leastVoteNoticeDays) {
  const commentEndsAt = deadlineWithin(now, 15, table);
  const votingStartsAt = earliestAfterNotice(commentEndsAt, noticeDays);
  const votingEndsAt = atHour(lastDayWithin(votingStartsAt, 14, table), 20);
  return { commentEndsAt, votingStartsAt, votingEndsAt };
}

const when = z
  .string({ required_error: "common.errors.required" })
  .refine((v) => parseBeijingDateTime(v) !== null, "voting.errors.invalidDate")
  .transform((v) => parseBeijingDateTime(v)!);

/** Repeated checkboxes arrive as one string, an array, or nothing. */
const list = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);

/** Who votes (scope-ui.tsx): the whole estate, or the owners of the buildings checked. */
export const scopeFields = {
  scope: z.enum(["estate", "buildings"], { invalid_type_error: "common.errors.invalid" }).default("estate"),
  scopeBuildingIds: z.preprocess(list, z.array(z.string().uuid("common.errors.invalid")).max(500)),
};

export function requireBuildings(v: { scope: string; scopeBuildingIds: string[] }, ctx: z.RefinementCtx) {
  if (v.scope === "buildings" && v.scopeBuildingIds.length === 0)
    ctx.addIssue({ code: "custom", path: ["scopeBuildingIds"], message: "voteNotice.errors.buildings" });
}

/** The scope the commands take: null for the whole estate (the boxes count only for "some buildings"). */
export function chosenScope(v: { scope: string; scopeBuildingIds: string[] }): string[] | null {
  return v.scope === "buildings" ? v.scopeBuildingIds : null;
}

/** The draft form (new and edit). Times are Beijing time from datetime-local inputs. */
export const DraftSchema = z.object({
  title: nameField(200),
  body: freeText(20_000).default(""),
  type: z.enum(proposalTypeList as [string, ...string[]], {
    required_error: "common.errors.required",
    invalid_type_error: "common.errors.invalid",
  }),
  commentEndsAt: when,
  votingStartsAt: when,
  votingEndsAt: when,
  petitionId: z.string().uuid("common.errors.invalid").optional(),
  ...scopeFields,
});

/** The draft form as the server reads it: "some buildings" needs at least one building. */
export const DraftFormSchema = DraftSchema.superRefine(requireBuildings);

/** The window the vote notice states (the notice step may move it later, never before the notice allows). */
export const noticeWindowFields = { votingStartsAt: when, votingEndsAt: when };

export const choiceSchema = z.enum(["agree", "oppose", "abstain"], {
  required_error: "common.errors.required",
  invalid_type_error: "common.errors.invalid",
});

/** A paper ballot's choice as the clerk reads it: an owner's choice, or spoiled (废票, paper only). */
export const paperChoiceSchema = z.enum(["agree", "oppose", "abstain", "spoiled"], {
  required_error: "common.errors.required",
  invalid_type_error: "common.errors.invalid",
});

/** An owner's proxy authorisation (with its scan in `file`), or a decision on one. Proposals and elections alike. */
export const ProxySchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("authorise"),
    grantorOwnerId: z.string().uuid("common.errors.invalid").optional(),
    proxyIdentifier: z
      .string({ required_error: "common.errors.required" })
      .trim()
      .min(3, "common.errors.invalid")
      .max(254, "common.errors.tooLong"),
    proxyName: nameField(100),
    file: z.any(),
  }),
  z.object({
    intent: z.enum(["approve", "reject"]),
    proxyId: z.string().uuid("common.errors.invalid"),
    reason: z.string().trim().max(500, "common.errors.tooLong").optional(),
  }),
]);

/** The unit a paper ballot is for, as the clerk reads it off the paper. */
export const paperUnitFields = {
  building: labelField(100),
  number: labelField(100),
};

/** A second member's decision on an entered paper ballot. */
export const PaperDecisionSchema = z.object({
  intent: z.enum(["confirm", "reject"]),
  paperBallotId: z.string().uuid("common.errors.invalid"),
});

/** The toast after a paper ballot is confirmed (counted, or kept but overridden by an online ballot) or rejected. */
export function paperOutcomeToast(outcome: "counted" | "overridden" | "rejected") {
  return outcome === "rejected"
    ? ("voting.paper.rejected" as const)
    : outcome === "counted"
      ? ("voting.paper.confirmed" as const)
      : ("voting.paper.confirmedOverridden" as const);
}

/** An election ballot's marks, sent as `mark.<candidate id>` (Conform reads them as one record). */
export const marksField = z.record(choiceSchema).default({});

/** The ballot-box log: a ballot received for a unit, or a second member's act on an entry. */
export const BoxLogSchema = z.object({ intent: z.literal("log"), ...paperUnitFields });
export const BoxEntrySchema = z.object({
  intent: z.enum(["witness", "withdraw"]),
  entryId: z.string().uuid("common.errors.invalid"),
});
