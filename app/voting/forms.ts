import { z } from "zod";
import { proposalTypeList } from "./matters";
import { parseShanghaiLocal } from "./dates";

const when = z
  .string({ required_error: "common.errors.required" })
  .refine((v) => parseShanghaiLocal(v) !== null, "voting.errors.invalidDate")
  .transform((v) => parseShanghaiLocal(v)!);

/** The draft form (new and edit). Times are Beijing time from datetime-local inputs. */
export const DraftSchema = z.object({
  title: z.string({ required_error: "common.errors.required" }).trim().min(1, "common.errors.required").max(200, "common.errors.tooLong"),
  body: z.string().trim().max(20_000, "common.errors.tooLong").default(""),
  type: z.enum(proposalTypeList as [string, ...string[]], { required_error: "common.errors.required", invalid_type_error: "common.errors.invalid" }),
  commentEndsAt: when,
  votingStartsAt: when,
  votingEndsAt: when,
  petitionId: z.string().uuid("common.errors.invalid").optional(),
});

export const choiceSchema = z.enum(["agree", "oppose", "abstain"], { required_error: "common.errors.required", invalid_type_error: "common.errors.invalid" });
