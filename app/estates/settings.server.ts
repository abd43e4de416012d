import { eq } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { smsBudgetUsed } from "~/sms/send.server";
import { assertEstatePermission } from "~/auth/guards.server";
import { estateSettings, type ProcedureSettings } from "./procedure";

const { estates } = schema;

/** The estate's rules of procedure (app/estates/procedure.ts), defaults filled in. */
export async function estateProcedure(estateId: string): Promise<ProcedureSettings> {
  const [row] = await getDb().select({ settings: estates.settings }).from(estates).where(eq(estates.id, estateId));
  return estateSettings(row?.settings);
}

/** Merges some keys into the estate's settings (JSON), the row locked so two saves do not undo each other. */
async function mergeSettings(tx: Queryable, estateId: string, patch: Record<string, unknown>) {
  const [row] = await tx
    .select({ settings: estates.settings })
    .from(estates)
    .where(eq(estates.id, estateId))
    .for("update");
  await tx
    .update(estates)
    .set({ settings: { ...(row.settings as Record<string, unknown>), ...patch } })
    .where(eq(estates.id, estateId));
}

/** Saves the estate's rules of procedure. Votes already open keep the rules they opened with (proposal.rules). */
export async function saveProcedure(estateId: string, userId: string, settings: ProcedureSettings): Promise<void> {
  await getDb().transaction(async (tx) => {
    await assertEstatePermission(tx, userId, estateId, "estate:settings-edit");
    await mergeSettings(tx, estateId, settings);
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
    await mergeSettings(tx, estateId, { claimContact: contact });
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

/** The estate's monthly allowance of notice SMS and how much of it this Beijing month used. */
export async function smsBudgetOf(estateId: string): Promise<{ budget: number; used: number }> {
  const [row] = await getDb()
    .select({ budget: estates.smsMonthlyBudget })
    .from(estates)
    .where(eq(estates.id, estateId));
  return { budget: row?.budget ?? 0, used: await smsBudgetUsed(estateId) };
}

/** Sets the estate's monthly allowance of notice SMS (estate.sms_monthly_budget), audited with the old value. */
export async function saveSmsBudget(estateId: string, userId: string, budget: number): Promise<void> {
  await getDb().transaction(async (tx) => {
    await assertEstatePermission(tx, userId, estateId, "estate:settings-edit");
    const [row] = await tx
      .select({ budget: estates.smsMonthlyBudget })
      .from(estates)
      .where(eq(estates.id, estateId))
      .for("update");
    await tx.update(estates).set({ smsMonthlyBudget: budget }).where(eq(estates.id, estateId));
    await recordAudit(tx, {
      estateId,
      actorUserId: userId,
      act: "sms_budget_change",
      subjectType: "estate",
      subjectId: estateId,
      detail: { from: row.budget, to: budget },
    });
  });
}
