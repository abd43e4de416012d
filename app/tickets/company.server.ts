import { and, eq, isNull, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { TicketTargets } from "#db/schema/tickets";
import { recordAudit } from "~/audit/audit.server";
import { assertEstatePermission } from "~/auth/guards.server";
import { effectiveTargets, validTarget, ticketCategoryList } from "./sla";
import type { Ok, Refusal as Failure } from "~/lib/forms/result";

const { companyEstates, propertyCompanies, ticketSettings } = schema;

export type { Failure, Ok };

/** The company serving the estate now, or null. */
export async function servingCompany(
  db: Queryable,
  estateId: string,
): Promise<{ id: string; name: string; since: Date } | null> {
  const [row] = await db
    .select({ id: propertyCompanies.id, name: propertyCompanies.name, since: companyEstates.startedAt })
    .from(companyEstates)
    .innerJoin(propertyCompanies, eq(propertyCompanies.id, companyEstates.companyId))
    .where(and(eq(companyEstates.estateId, estateId), isNull(companyEstates.endedAt)));
  return row ?? null;
}

/**
 * Records the company serving the estate (a community or platform admin, or the committee
 * after the owners' vote). A company of the same name is the same company, so a company serving
 * several estates has one scorecard per estate under one name. The previous company's service
 * ends now; its tickets stay counted for it.
 */
export async function setServingCompany(input: {
  estateId: string;
  name: string;
  userId: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  const name = input.name.trim();
  if (!name) return { ok: false, error: "tickets.errors.companyName" };
  return getDb().transaction(async (tx) => {
    // One change at a time per estate.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('company_estate'), hashtext(${input.estateId}))`);
    await assertEstatePermission(tx, input.userId, input.estateId, "tickets:targets");
    const current = await servingCompany(tx, input.estateId);
    if (current?.name === name) return { ok: true } as const;
    let [company] = await tx
      .select({ id: propertyCompanies.id })
      .from(propertyCompanies)
      .where(eq(propertyCompanies.name, name))
      .limit(1);
    if (!company)
      [company] = await tx
        .insert(propertyCompanies)
        .values({ name, createdAt: now })
        .returning({ id: propertyCompanies.id });
    if (current) {
      await tx
        .update(companyEstates)
        .set({ endedAt: now })
        .where(and(eq(companyEstates.estateId, input.estateId), isNull(companyEstates.endedAt)));
    }
    await tx.insert(companyEstates).values({ companyId: company.id, estateId: input.estateId, startedAt: now });
    // Ids only: the names stay on property_company, and company_estate keeps who served when.
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "company_set",
      subjectType: "property_company",
      subjectId: company.id,
      detail: { previousCompanyId: current?.id ?? null },
      at: now,
    });
    return { ok: true } as const;
  });
}

/** The estate's targets (its own where set, the defaults elsewhere). */
export async function ticketTargets(db: Queryable, estateId: string): Promise<TicketTargets> {
  const [row] = await db
    .select({ targets: ticketSettings.targets })
    .from(ticketSettings)
    .where(eq(ticketSettings.estateId, estateId));
  return effectiveTargets(row?.targets);
}

/** Saves all seven categories' targets; refused whole if any is out of range. */
export async function setTicketTargets(input: {
  estateId: string;
  userId: string;
  targets: TicketTargets;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  for (const c of ticketCategoryList)
    if (!input.targets[c] || !validTarget(input.targets[c]))
      return { ok: false, error: "tickets.errors.targetsInvalid" };
  const targets = Object.fromEntries(
    ticketCategoryList.map((c) => [
      c,
      { responseHours: input.targets[c].responseHours, resolutionHours: input.targets[c].resolutionHours },
    ]),
  );
  await getDb().transaction(async (tx) => {
    await assertEstatePermission(tx, input.userId, input.estateId, "tickets:targets");
    await tx
      .insert(ticketSettings)
      .values({ estateId: input.estateId, targets, updatedAt: now, updatedBy: input.userId })
      .onConflictDoUpdate({
        target: ticketSettings.estateId,
        set: { targets, updatedAt: now, updatedBy: input.userId },
      });
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "ticket_targets_change",
      subjectType: "estate",
      subjectId: input.estateId,
      // ticket_settings keeps only the latest targets; the record keeps each change, flat ("category:response/resolution" hours).
      detail: {
        targets: ticketCategoryList.map((c) => `${c}:${targets[c].responseHours}/${targets[c].resolutionHours}`),
      },
      at: now,
    });
  });
  return { ok: true };
}
