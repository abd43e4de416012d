import { z } from "zod";
import type { EstateSettings } from "#db/schema/places";
import { ballotListAccessOptions, unitKinds } from "#db/values";

/**
 * The local rules an estate votes under (DESIGN.md "Proposals and votes"): which unit kinds
 * count, whether a ballot may be changed, and which ballot wins when an owner voted both on
 * paper and online. A vote fixes them when it opens, so a change here applies to later votes.
 *
 * Residential units always count: the Civil Code's electorate is the owners of exclusive
 * parts, and no local rule leaves homes out; cities differ only on parking and storage.
 */
export const VotingRulesSchema = z.object({
  votingUnitKinds: z
    .array(z.enum(unitKinds), { invalid_type_error: "estate.settings.errors.kinds" })
    .refine((kinds) => kinds.includes("residential"), "estate.settings.errors.residential")
    .transform((kinds) => unitKinds.filter((k) => kinds.includes(k))),
  ballotsChangeable: z.boolean({ required_error: "estate.settings.errors.changeable", invalid_type_error: "estate.settings.errors.changeable" }),
  paperOnlineConflict: z.enum(["online", "paper"], { message: "estate.settings.errors.conflict" }),
  ballotListAccess: z.enum(ballotListAccessOptions, { message: "estate.settings.errors.ballotList" }),
}) satisfies z.ZodType<EstateSettings, z.ZodTypeDef, unknown>;

/** Reads the settings form: checkboxes for kinds, radio buttons for the two choices. */
export function parseVotingRules(form: FormData) {
  return VotingRulesSchema.safeParse({
    votingUnitKinds: form.getAll("votingUnitKinds").map(String),
    ballotsChangeable: form.get("ballotsChangeable") === "yes" ? true : form.get("ballotsChangeable") === "no" ? false : undefined,
    paperOnlineConflict: form.get("paperOnlineConflict"),
    ballotListAccess: form.get("ballotListAccess"),
  });
}
