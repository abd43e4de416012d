import { and, asc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, schema } from "#db/client";
import { isUniqueViolation, violatedConstraint } from "#db/errors";
import { isUuid } from "~/lib/ids";
import { normalisePhone } from "~/lib/phone";
import { withUploads } from "~/lib/uploads/store.server";
import { maskName, phoneTail } from "~/ui/mask";
import { findProposal, ownerIdsOfUser, type Failure } from "./access.server";
import { recordAudit, recordPersonalDataViews } from "~/audit/audit.server";
import { saveFile, type VoteRef } from "./vote-files.server";

const { memberships, owners, proxies, users } = schema;

export type ProxyError =
  | "voting.errors.notFound"
  | "voting.errors.proxyClosed"
  | "voting.errors.notOwner"
  | "voting.errors.proxyUnknown"
  | "voting.errors.proxySelf"
  | "voting.errors.proxyExists"
  | "voting.errors.proxyCap"
  | "voting.errors.ownProxy"
  | "voting.errors.proxyHolder"
  | "voting.errors.notPending";

/**
 * The account named as proxy: by email or by verified mobile number, and a member of this
 * estate. A phone typed at sign-up is unverified and names nobody (else anyone could put
 * another's number on their account and receive that person's proxies).
 */
async function findProxyUser(estateId: string, identifier: string) {
  const email = identifier.trim().toLowerCase();
  const phone = normalisePhone(identifier);
  const rows = await getDb()
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.estateId, estateId)))
    .where(
      or(eq(users.email, email), phone ? and(eq(users.phone, phone), isNotNull(users.phoneVerifiedAt)) : undefined),
    )
    .limit(1);
  return rows[0]?.id ?? null;
}

export interface ProxyGrant {
  estateId: string;
  userId: string;
  grantorOwnerId?: string | null;
  proxyIdentifier: string;
  proxyName: string;
  file: { name: string; type: string; bytes: Uint8Array };
  now?: Date;
}

/** An owner authorises a named person to vote for them in one vote, with the signed authorisation uploaded. */
export async function authoriseProxy(
  input: ProxyGrant & { proposalId: string },
): Promise<{ ok: true; id: string } | Failure<ProxyError>> {
  const p = await findProposal(getDb(), input.estateId, input.proposalId);
  if (!p || p.status === "draft") return { ok: false, error: "voting.errors.notFound" };
  if (p.status !== "comment" && p.status !== "voting") return { ok: false, error: "voting.errors.proxyClosed" };
  return grantProxy({ proposalId: p.id }, input);
}

/**
 * Records an authorisation for one vote (a proposal's or a committee election; the caller has
 * checked that the vote takes authorisations now). One live authorisation per owner and vote;
 * one holder holds at most the vote's proxy cap of them (pending and approved together).
 */
export async function grantProxy(
  vote: VoteRef,
  input: ProxyGrant,
): Promise<{ ok: true; id: string } | Failure<ProxyError>> {
  const now = input.now ?? new Date();
  const db = getDb();
  const mine = await ownerIdsOfUser(db, input.estateId, input.userId);
  const grantor = input.grantorOwnerId ? mine.find((id) => id === input.grantorOwnerId) : mine[0];
  if (!grantor) return { ok: false, error: "voting.errors.notOwner" };
  const proxyUserId = await findProxyUser(input.estateId, input.proxyIdentifier);
  if (!proxyUserId) return { ok: false, error: "voting.errors.proxyUnknown" };
  if (proxyUserId === input.userId) return { ok: false, error: "voting.errors.proxySelf" };
  const [live] = await db
    .select({ id: proxies.id })
    .from(proxies)
    .where(and(voteIs(vote), eq(proxies.grantorOwnerId, grantor), ne(proxies.status, "rejected")));
  if (live) return { ok: false, error: "voting.errors.proxyExists" };
  try {
    return await withUploads(() =>
      db.transaction(async (tx) => {
        const file = await saveFile(tx, {
          estateId: input.estateId,
          ...vote,
          kind: "proxy",
          ...input.file,
          uploadedBy: input.userId,
        });
        const [row] = await tx
          .insert(proxies)
          .values({
            estateId: input.estateId,
            proposalId: vote.proposalId ?? null,
            electionId: vote.electionId ?? null,
            grantorOwnerId: grantor,
            grantorUserId: input.userId,
            proxyUserId,
            proxyName: input.proxyName,
            fileId: file.id,
            createdAt: now,
          })
          .returning({ id: proxies.id });
        return { ok: true, id: row.id } as const;
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: "voting.errors.proxyExists" };
    // The database holds the cap (the proxy_holder_cap trigger), so racing grants cannot pass it.
    if (violatedConstraint(error) === "proxy_holder_cap") return { ok: false, error: "voting.errors.proxyCap" };
    throw error;
  }
}

/** The authorisations of one vote. */
function voteIs(vote: VoteRef) {
  return vote.proposalId !== undefined
    ? eq(proxies.proposalId, vote.proposalId)
    : eq(proxies.electionId, vote.electionId);
}

/**
 * Four eyes: an authorisation is decided by someone it does not name, neither the owner who gave
 * it nor the person it names as proxy (who would then cast, and replace, that owner's ballot).
 */
export function proxyConflict(
  row: { grantorUserId: string; proxyUserId: string },
  deciderId: string,
): "voting.errors.ownProxy" | "voting.errors.proxyHolder" | null {
  if (row.grantorUserId === deciderId) return "voting.errors.ownProxy";
  if (row.proxyUserId === deciderId) return "voting.errors.proxyHolder";
  return null;
}

/** A committee member (neither the grantor nor the proxy) approves or rejects a pending authorisation. */
export async function decideProxy(input: {
  estateId: string;
  proposalId: string;
  proxyId: string;
  userId: string;
  approve: boolean;
  reason?: string | null;
  now?: Date;
}): Promise<{ ok: true } | Failure<ProxyError>> {
  return decideProxyOf({ proposalId: input.proposalId }, input);
}

export async function decideProxyOf(
  vote: VoteRef,
  input: { estateId: string; proxyId: string; userId: string; approve: boolean; reason?: string | null; now?: Date },
): Promise<{ ok: true } | Failure<ProxyError>> {
  const now = input.now ?? new Date();
  if (!isUuid(input.proxyId)) return { ok: false, error: "voting.errors.notFound" };
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(proxies)
      .where(and(eq(proxies.id, input.proxyId), voteIs(vote), eq(proxies.estateId, input.estateId)))
      .for("update");
    if (!row) return { ok: false, error: "voting.errors.notFound" } as const;
    if (row.status !== "pending") return { ok: false, error: "voting.errors.notPending" } as const;
    const conflict = proxyConflict(row, input.userId);
    if (conflict) return { ok: false, error: conflict } as const;
    await tx
      .update(proxies)
      .set({
        status: input.approve ? "approved" : "rejected",
        decidedBy: input.userId,
        decidedAt: now,
        reason: input.reason ?? null,
      })
      .where(eq(proxies.id, row.id));
    await recordAudit(tx, {
      estateId: row.estateId,
      actorUserId: input.userId,
      act: input.approve ? "proxy_approve" : "proxy_reject",
      subjectType: "proxy",
      subjectId: row.id,
      detail: { proposalId: row.proposalId, electionId: row.electionId },
      at: now,
    });
    return { ok: true } as const;
  });
}

/**
 * Authorisations of one vote. The committee sees all; an owner sees those they gave or were given.
 * A reviewer (`review`: one who may decide) sees what a pending authorisation must be checked
 * against on paper: the grantor's roster name in full with the last 4 digits of the roster phone,
 * the proxy's name as written, and the proxy's roster entry when they are an owner here; each such
 * look is written to the audit log. Everything else, and every other viewer, stays masked.
 */
export async function listProxies(
  estateId: string,
  proposalId: string | VoteRef,
  view: { userId: string; committee: boolean; review?: boolean },
) {
  const vote: VoteRef = typeof proposalId === "string" ? { proposalId } : proposalId;
  const grantorUser = alias(users, "grantor_user");
  const db = getDb();
  const rows = await db
    .select({
      id: proxies.id,
      status: proxies.status,
      proxyName: proxies.proxyName,
      grantorName: owners.name,
      grantorPhone: owners.phone,
      grantorUserId: proxies.grantorUserId,
      grantorUserName: grantorUser.displayName,
      proxyUserId: proxies.proxyUserId,
      fileId: proxies.fileId,
      reason: proxies.reason,
      createdAt: proxies.createdAt,
    })
    .from(proxies)
    .innerJoin(owners, eq(owners.id, proxies.grantorOwnerId))
    .innerJoin(grantorUser, eq(grantorUser.id, proxies.grantorUserId))
    .where(
      and(
        eq(proxies.estateId, estateId),
        voteIs(vote),
        view.committee ? undefined : or(eq(proxies.grantorUserId, view.userId), eq(proxies.proxyUserId, view.userId)),
      ),
    )
    .orderBy(sql`${proxies.status} = 'pending' desc`, asc(proxies.createdAt));
  const reviewed = view.review && view.committee ? rows.filter((r) => r.status === "pending") : [];
  const holderIds = [...new Set(reviewed.map((r) => r.proxyUserId))];
  const holders = holderIds.length
    ? await db
        .select({ userId: owners.userId, name: owners.name, phone: owners.phone })
        .from(owners)
        .where(and(eq(owners.estateId, estateId), inArray(owners.userId, holderIds)))
        .orderBy(asc(owners.name))
    : [];
  await recordPersonalDataViews(db, {
    estateId,
    actorUserId: view.userId,
    subjectType: "proxy",
    subjectIds: reviewed.map((r) => r.id),
    page: "proxies",
  });
  return rows.map((r) => {
    const full = reviewed.includes(r);
    const holder = full ? holders.find((h) => h.userId === r.proxyUserId) : undefined;
    return {
      id: r.id,
      status: r.status,
      proxyName: full ? r.proxyName : maskName(r.proxyName),
      grantorName: full ? r.grantorName : maskName(r.grantorName),
      /** For a reviewer, pending only: what to check against the letter. */
      check: full
        ? {
            grantorPhoneTail: phoneTail(r.grantorPhone),
            holderRosterName: holder?.name ?? null,
            holderPhoneTail: phoneTail(holder?.phone),
          }
        : null,
      mineAsGrantor: r.grantorUserId === view.userId,
      mineAsProxy: r.proxyUserId === view.userId,
      /** Why this viewer may not decide it (four eyes), or null. */
      conflict: proxyConflict(r, view.userId),
      fileId: r.fileId,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

/** The roster owners an account may authorise for (usually one). */
export async function grantorChoices(estateId: string, userId: string) {
  const ids = await ownerIdsOfUser(getDb(), estateId, userId);
  if (ids.length === 0) return [];
  return getDb().select({ id: owners.id, name: owners.name }).from(owners).where(inArray(owners.id, ids));
}
