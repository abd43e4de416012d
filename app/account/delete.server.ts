import { and, count, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { loginAccountKey, settleAttempt, takeLoginAttempt } from "~/auth/rate-limit.server";
import { verifyDecoy, verifyPassword } from "~/auth/password.server";
import { checkCode } from "~/auth/sms-codes.server";
import { rowsOf } from "~/notify/outbox.server";
import { deletedUserName } from "~/ui/mask";
import { unbindUser } from "~/wechat/bindings.server";

const {
  attempts,
  claimRequests,
  committeeElections,
  committeeMembers,
  committees,
  electionCandidates,
  inquiries,
  inquiryReplies,
  memberships,
  notificationPreferences,
  notifications,
  outbox,
  owners,
  passwordResets,
  payments,
  proxies,
  residentInvites,
  residents,
  sessions,
  users,
} = schema;

export type DeletionBlocker = "committeeSeat" | "admin" | "candidate";

export interface DeletionCheck {
  /** Reasons the account cannot be deleted yet: each needs someone else to act first. */
  blockers: DeletionBlocker[];
  /** Votes now open in which a unit of the account is in the electorate. */
  openVotes: number;
  /** Units for which this is the only owner account: after deletion nobody can vote for them online. */
  soleAccountUnits: number;
}

/**
 * Refused while the account holds an office others rely on: a seat on an active committee (the
 * committee's quorum and records name it; the community admin records the vacancy first), an
 * admin role (another admin must take it over), or a candidacy in an election not yet counted.
 */
export async function deletionCheck(db: Queryable, userId: string): Promise<DeletionCheck> {
  const [[seat], [admin], [candidacy], votes, sole] = await Promise.all([
    db
      .select({ n: count() })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .where(
        and(eq(committeeMembers.userId, userId), isNull(committeeMembers.leftAt), eq(committees.status, "active")),
      ),
    db
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), inArray(memberships.role, ["community_admin", "platform_admin"]))),
    db
      .select({ n: count() })
      .from(electionCandidates)
      .innerJoin(committeeElections, eq(committeeElections.id, electionCandidates.electionId))
      .where(and(eq(electionCandidates.userId, userId), inArray(committeeElections.status, ["nominating", "voting"]))),
    db.execute(sql`
      select count(distinct p.id)::int as n from proposal p
        join vote_voter v on v.proposal_id = p.id
       where p.status = 'voting'
         and v.owner_ids && array(select id from owner where user_id = ${userId})`),
    db.execute(sql`
      select count(distinct s.unit_id)::int as n from ownership s
        join owner o on o.id = s.owner_id and o.user_id = ${userId}
       where not exists (
         select 1 from ownership s2 join owner o2 on o2.id = s2.owner_id
          where s2.unit_id = s.unit_id and o2.user_id is not null and o2.user_id <> ${userId})`),
  ]);
  const blockers: DeletionBlocker[] = [];
  if (seat.n > 0) blockers.push("committeeSeat");
  if (admin.n > 0) blockers.push("admin");
  if (candidacy.n > 0) blockers.push("candidate");
  return { blockers, openVotes: rowsOf<{ n: number }>(votes)[0].n, soleAccountUnits: rowsOf<{ n: number }>(sole)[0].n };
}

export type DeleteResult = { ok: true } | { ok: false; error: "wrongPassword" | "locked" | "blocked" | "gone" };

/**
 * Deletes an account, in one transaction. The user row stays, anonymised, because ballots,
 * payments, receipts and tickets are records of the estate that must keep their link (and their
 * counts): only the account's name, email, phone and password go. Sessions, reset links,
 * preferences, in-app notices, mail not yet sent, resident links, invitations and memberships
 * are removed; roster entries are unlinked (the unit can be claimed again); names copied onto
 * records (claim requests, proxies, questions to the committee) become the placeholder.
 * One audit event per estate the account belonged to.
 */
/**
 * How the owner proves it is them before deleting: the password, or for an account signed up by
 * phone without one, an SMS code to its verified phone.
 */
export async function deletionProof(
  db: Queryable,
  userId: string,
): Promise<{ by: "password" } | { by: "code"; phone: string }> {
  const [user] = await db
    .select({ passwordHash: users.passwordHash, phone: users.phone, verifiedAt: users.phoneVerifiedAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.passwordHash && user?.phone && user.verifiedAt) return { by: "code", phone: user.phone };
  return { by: "password" };
}

export async function deleteAccount(input: {
  userId: string;
  /** The password; for an account without one (signed up by phone), an SMS code (purpose "login") sent to its verified phone. */
  password: string;
  ip: string;
  now?: Date;
}): Promise<DeleteResult> {
  const now = input.now ?? new Date();
  const db = getDb();
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user || user.deletedAt) return { ok: false, error: "gone" };
  // The password check counts against the same limit as logging in (taken before the check, as
  // logIn does), so a stolen session cannot guess the password here either.
  const taken = await takeLoginAttempt(loginAccountKey(user.id), input.ip, now);
  if (!taken.ok) return { ok: false, error: "locked" };
  const proven = user.passwordHash
    ? await verifyPassword(input.password, user.passwordHash)
    : user.phone && user.phoneVerifiedAt
      ? await checkCode({ phone: user.phone, purpose: "login", code: input.password, now })
      : await verifyDecoy(input.password);
  if (!proven) return { ok: false, error: "wrongPassword" };
  await settleAttempt(taken.id);

  return db.transaction(async (tx): Promise<DeleteResult> => {
    const [locked] = await tx.select().from(users).where(eq(users.id, user.id)).for("update");
    if (!locked || locked.deletedAt) return { ok: false, error: "gone" };
    if ((await deletionCheck(tx, user.id)).blockers.length) return { ok: false, error: "blocked" };

    const held = await tx
      .select({ estateId: memberships.estateId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, user.id));
    const ownerEstates = await tx
      .selectDistinct({ estateId: owners.estateId })
      .from(owners)
      .where(eq(owners.userId, user.id));
    const estateIds = [
      ...new Set(
        [...held.map((m) => m.estateId), ...ownerEstates.map((o) => o.estateId)].filter((e): e is string => !!e),
      ),
    ];

    await tx
      .update(users)
      .set({
        displayName: deletedUserName,
        email: `deleted-${user.id}@deleted.invalid`,
        phone: null,
        phoneVerifiedAt: null,
        passwordHash: "!deleted",
        deletedAt: now,
      })
      .where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    // The WeChat binding: a deleted account must not be logged into, or messaged, from WeChat.
    await unbindUser(user.id, tx);
    await tx.delete(passwordResets).where(eq(passwordResets.userId, user.id));
    await tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, user.id));
    await tx.delete(notifications).where(eq(notifications.userId, user.id));
    // Mail already sent stays as the record of delivery; nothing more goes out.
    await tx.delete(outbox).where(and(eq(outbox.userId, user.id), ne(outbox.status, "sent")));
    await tx
      .delete(attempts)
      .where(
        inArray(attempts.accountKey, [
          loginAccountKey(user.id),
          ...(user.email ? [user.email] : []),
          ...(user.phone ? [user.phone, `phone:${user.phone}`] : []),
        ]),
      );
    await tx.delete(residents).where(eq(residents.userId, user.id));
    await tx.delete(residentInvites).where(and(eq(residentInvites.createdBy, user.id), isNull(residentInvites.usedAt)));
    await tx.delete(memberships).where(eq(memberships.userId, user.id));
    await tx.update(owners).set({ userId: null, claimedAt: null }).where(eq(owners.userId, user.id));
    await tx.delete(claimRequests).where(and(eq(claimRequests.userId, user.id), eq(claimRequests.status, "pending")));
    await tx.update(claimRequests).set({ nameGiven: deletedUserName }).where(eq(claimRequests.userId, user.id));
    await tx.update(proxies).set({ proxyName: deletedUserName }).where(eq(proxies.proxyUserId, user.id));
    await tx.update(inquiries).set({ askerName: deletedUserName }).where(eq(inquiries.userId, user.id));
    await tx.update(inquiryReplies).set({ authorName: deletedUserName }).where(eq(inquiryReplies.userId, user.id));
    // The payment stays (the unit's bills are paid by it); who paid it online does not.
    await tx.update(payments).set({ payerUserId: null }).where(eq(payments.payerUserId, user.id));

    const roles = [...new Set(held.map((m) => m.role))];
    const at = estateIds.length ? estateIds : [null];
    for (const estateId of at) {
      await recordAudit(tx, {
        estateId,
        actorUserId: user.id,
        act: "account_delete",
        subjectType: "user",
        subjectId: user.id,
        detail: { roles },
        at: now,
      });
    }
    return { ok: true };
  });
}
