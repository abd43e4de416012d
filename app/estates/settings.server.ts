import { eq } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { assertEstatePermission } from "~/auth/guards.server";
import { estateSettings, type ProcedureSettings } from "./procedure";

const { estates } = schema;

/** The estate's rules of procedure (app/estates/procedure.ts), defaults filled in. */
export async function estateProcedure(estateId: string): Promise<ProcedureSettings> {
  const [row] = await getDb().select({ settings: estates.settings }).from(estates).where(eq(estates.id, estateId));
  return estateSettings(row?.settings);
}

/** Saves the estate's rules of procedure. Votes already open keep the rules they opened with (proposal.rules). */
export async function saveProcedure(estateId: string, userId: string, settings: ProcedureSettings): Promise<void> {
  await getDb().transaction(async (tx) => {
    await assertEstatePermission(tx, userId, estateId, "estate:settings-edit");
    const [row] = await tx
      .select({ settings: estates.settings })
      .from(estates)
      .where(eq(estates.id, estateId))
      .for("update");
    await tx
      .update(estates)
      .set({ settings: { ...(row.settings as Record<string, unknown>), ...settings } })
      .where(eq(estates.id, estateId));
    await recordAudit(tx, {
      estateId,
      actorUserId: userId,
      act: "voting_rules_change",
      subjectType: "estate",
      subjectId: estateId,
      detail: { ...settings },
    });
  });
}

/** Saves the contact printed on claim letters (app/estates/claim-contact.ts); "" removes it. */
export async function saveClaimContact(estateId: string, userId: string, contact: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    await assertEstatePermission(tx, userId, estateId, "estate:settings-edit");
    const [row] = await tx
      .select({ settings: estates.settings })
      .from(estates)
      .where(eq(estates.id, estateId))
      .for("update");
    await tx
      .update(estates)
      .set({ settings: { ...(row.settings as Record<string, unknown>), claimContact: contact } })
      .where(eq(estates.id, estateId));
    await recordAudit(tx, {
      estateId,
      actorUserId: userId,
      act: "claim_contact_change",
      subjectType: "estate",
      subjectId: estateId,
      detail: { contact },
    });
  });
}
