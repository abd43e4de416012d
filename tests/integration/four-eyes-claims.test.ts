import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { approveRequest, claimUnit } from "~/claims/claims.server";
import { action as reviewAction, loader as reviewLoader } from "~/routes/e.$estate.claims";
import { call, dbError, makeEstate, makeUnits, makeUser, statusOf } from "../fixtures";

// Issue 12, four eyes: a committee member approved their own claim request and became owner of
// someone else's unit; and the reviewer approved blind, from masked names.

const db = () => getDb();

function formErrorsOf(result: unknown): string[] {
  const value = (result as { data: { error?: Record<string, string[] | null> } }).data;
  return value.error?.[""] ?? [];
}

async function setting() {
  const estate = await makeEstate({ name: "宜欣花园" });
  const [unit] = await makeUnits(estate.id, [
    { building: "5幢", number: "301", owners: [{ name: "李秀兰", phone: "13912348765" }] },
  ]);
  const member = await makeUser([{ role: "committee", estateId: estate.id }], "赵委员");
  const other = await makeUser([{ role: "committee", estateId: estate.id }], "钱委员");
  return { estate, unit, member, other, review: { url: `/e/${estate.slug}/claims`, params: { estate: estate.slug } } };
}

async function requestFor(userId: string, code: string, name: string) {
  const result = await claimUnit({ userId, ip: "10.12.0.1", code, name });
  expect(result).toMatchObject({ ok: true, kind: "requested" });
  const [row] = await db()
    .select()
    .from(schema.claimRequests)
    .where(and(eq(schema.claimRequests.userId, userId), eq(schema.claimRequests.unitId, (await unitOf(code)).id)));
  return row;
}

async function unitOf(code: string) {
  const [row] = await db().select().from(schema.units).where(eq(schema.units.claimCode, code));
  return row;
}

describe("four eyes on claim requests", () => {
  it("claim self-approval: a committee member cannot approve their own claim request (command refuses 403, owner slot stays free)", async () => {
    const { unit, member, review } = await setting();
    const request = await requestFor(member.id, unit.claimCode, "李秀");
    const result = await call(reviewAction, {
      ...review,
      user: member,
      form: { intent: "approve", requestId: request.id, ownerId: unit.ownerIds[0] },
    });
    expect(statusOf(result)).toBe(403);
    expect(formErrorsOf(result)).toEqual(["claims.review.ownRequest"]);
    const rejectOwn = await call(reviewAction, {
      ...review,
      user: member,
      form: { intent: "reject", requestId: request.id, reason: "撤回" },
    });
    expect(statusOf(rejectOwn)).toBe(403);
    const [owner] = await db().select().from(schema.owners).where(eq(schema.owners.id, unit.ownerIds[0]));
    expect(owner.userId).toBeNull();
    const [after] = await db().select().from(schema.claimRequests).where(eq(schema.claimRequests.id, request.id));
    expect(after.status).toBe("pending");
  });

  it("claim self-approval: the database refuses a claim request decided by its requester (CHECK claim_request_not_own)", async () => {
    const { unit, member } = await setting();
    const request = await requestFor(member.id, unit.claimCode, "李秀");
    const error = await dbError(
      db()
        .update(schema.claimRequests)
        .set({ status: "approved", decidedBy: member.id, decidedAt: new Date() })
        .where(eq(schema.claimRequests.id, request.id)),
    );
    expect(error).toEqual({ code: "23514", constraint: "claim_request_not_own" });
  });

  it("claim for one's own unit: an owner of the unit on the roster cannot decide a request for it (command and trigger)", async () => {
    const { estate, member, other, review } = await setting();
    const [unit] = await makeUnits(estate.id, [
      { building: "6幢", number: "101", owners: [{ name: "赵大", phone: "13900001111" }, { name: "孙二" }] },
    ]);
    // The member holds the first slot; someone asks for the second.
    await db().update(schema.owners).set({ userId: member.id }).where(eq(schema.owners.id, unit.ownerIds[0]));
    const stranger = await makeUser([], "陌生人");
    const request = await requestFor(stranger.id, unit.claimCode, "孙 贰");
    const refused = await approveRequest({
      estateId: estate.id,
      requestId: request.id,
      ownerId: unit.ownerIds[1],
      actorId: member.id,
    });
    expect(refused).toEqual({ ok: false, error: "ownUnit" });
    const error = await dbError(
      db()
        .update(schema.claimRequests)
        .set({ status: "rejected", reason: "x", decidedBy: member.id, decidedAt: new Date() })
        .where(eq(schema.claimRequests.id, request.id)),
    );
    expect(error).toEqual({ code: "23514", constraint: "claim_request_decider_not_owner" });
    // A member with no stake decides it.
    const approved = await call(reviewAction, {
      ...review,
      user: other,
      form: { intent: "approve", requestId: request.id, ownerId: unit.ownerIds[1] },
    });
    expect(statusOf(approved)).toBe(302);
  });

  it("claim review page: the reviewer sees the full roster name and the roster phone's last 4 digits, each look audited; own requests show no decision buttons", async () => {
    const { estate, unit, member, other, review } = await setting();
    const request = await requestFor(member.id, unit.claimCode, "李秀");
    const page = (await call(reviewLoader, { ...review, user: other })) as Awaited<ReturnType<typeof reviewLoader>>;
    expect(page.pending).toHaveLength(1);
    expect(page.pending[0]).toMatchObject({
      nameGiven: "李秀",
      owners: [{ name: "李秀兰", phoneTail: "8765", claimed: false }],
      conflict: null,
    });
    // Never the whole phone, nor the phone typed at sign-up.
    expect(JSON.stringify(page)).not.toContain("13912348765");
    const views = await db()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, estate.id), eq(schema.auditEvents.act, "personal_data_viewed")));
    expect(views).toMatchObject([
      { actorUserId: other.id, subjectType: "claim_request", subjectId: request.id, detail: { page: "claims" } },
    ]);

    // The requester, looking at the same page, is told they may not decide their own request.
    const own = (await call(reviewLoader, { ...review, user: member })) as Awaited<ReturnType<typeof reviewLoader>>;
    expect(own.pending[0].conflict).toBe("ownRequest");
  });
});
