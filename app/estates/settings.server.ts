import { eq } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import type { EstateSettings } from "#db/schema/places";
import { recordAudit } from "~/audit/audit.server";
import { assertEstatePermission } from "~/auth/guards.server";
import { estateSettings } from "~/voting/settings.server";

const { estates } = schema;

export async function votingRules(estateId: string): Promise<EstateSettings> {
  const [row] = await getDb().select({ settings: estates.settings }).from(estates).where(eq(estates.id, estateId));
  return estateSettings(row?.settings);
}

/** Saves the estate's voting rules. Votes already open keep the rules they opened with (proposal.rules). */
export async function setVotingRules(estateId: string, userId: string, rules: EstateSettings): Promise<void> {
  await getDb().transaction(async (tx) => {
    await assertEstatePermission(tx, userId, estateId, "estate:settings-edit");
    const [row] = await tx.select({ settings: estates.settings }).from(estates).where(eq(estates.id, estateId)).for("update");
    await tx
      .update(estates)
      .set({ settings: { ...estateSettings(row.settings), ...rules } })
      .where(eq(estates.id, estateId));
    await recordAudit(tx, { estateId, actorUserId: userId, act: "voting_rules_change", subjectType: "estate", subjectId: estateId, detail: { ...rules } });
  });
}
