import { and, asc, eq, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, schema } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { maskName } from "~/ui/mask";
import { findProposal, isUuid, ownerIdsOfUser, type Failure } from "./access.server";
import { saveFile, withUploads, type VoteRef } from "./files.server";
import { recordAudit } from "~/audit/audit.server";

const { memberships, owners, proxies, users } = schema;

export type ProxyError =
  | "voting.errors.notFound"
  | "voting.errors.proxyClosed"
  | "voting.errors.notOwner"
  | "voting.errors.proxyUnknown"
  | "voting.errors.proxySelf"
  | "voting.errors.proxyExists"
  | "voting.errors.ownProxy"
  | "voting.errors.notPending";

/**
 * The account named as proxy: by email or by verified mobile number, and a member of this
 * estate. A phone typed at sign-up is unverified and names nobody (else anyone could put
 * another's number on their account and receive that person's proxies).
 */
async function findProxyUser(estateId: string, identifier: string) {
  const email = identifier.trim().toLowerCase();
  const phone = identifier.replace(/\D/g, "").replace(/^86(?=1\d{10}$)/, "");
  const rows = await getDb()
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.estateId, estateId)))
    .where(or(eq(users.email, email), phone.length >= 7 ? and(eq(users.phone, phone), isNotNull(users.phoneVerifiedAt)) : undefined))
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
export async function authoriseProxy(input: ProxyGrant & { proposalId: string }): Promise<{ ok: true; id: string } | Failure<ProxyError>> {
  const p = await findProposal(getDb(), input.estateId, input.proposalId);
  if (!p || p.status === "draft") return { ok: false, error: "voting.errors.notFound" };
  if (p.status !== "comment" && p.status !== "voting") return { ok: false, error: "voting.errors.proxyClosed" };
  return grantProxy({ proposalId: p.id }, input);
}

/**
 * Records an authorisation for one vote (a proposal's or a committee election; the caller has
 * checked that the vote takes authorisations now). One live authorisation per owner and vote.
 */
export async function grantProxy(vote: VoteRef, input: ProxyGrant): Promise<{ ok: true; id: string } | Failure<ProxyError>> {
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
        const file = await saveFile(tx, { estateId: input.estateId, ...vote, kind: "proxy", ...input.file, uploadedBy: input.userId });
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
    throw error;
  }
}

/** The authorisations of one vote. */
function voteIs(vote: VoteRef) {
  return vote.proposalId !== undefined ? eq(proxies.proposalId, vote.proposalId) : eq(proxies.electionId, vote.electionId);
}

/** A committee member (not the grantor) approves or rejects a pending authorisation. */
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
    if (row.grantorUserId === input.userId) return { ok: false, error: "voting.errors.ownProxy" } as const;
    await tx
      .update(proxies)
      .set({ status: input.approve ? "approved" : "rejected", decidedBy: input.userId, decidedAt: now, reason: input.reason ?? null })
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

/** Authorisations of one vote. The committee sees all; an owner sees those they gave or were given. */
export async function listProxies(estateId: string, proposalId: string | VoteRef, view: { userId: string; committee: boolean }) {
  const vote: VoteRef = typeof proposalId === "string" ? { proposalId } : proposalId;
  const grantorUser = alias(users, "grantor_user");
  const rows = await getDb()
    .select({
      id: proxies.id,
      status: proxies.status,
      proxyName: proxies.proxyName,
      grantorName: owners.name,
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
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    proxyName: maskName(r.proxyName),
    grantorName: maskName(r.grantorName),
    mineAsGrantor: r.grantorUserId === view.userId,
    mineAsProxy: r.proxyUserId === view.userId,
    fileId: r.fileId,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  }));
}

/** The roster owners an account may authorise for (usually one). */
export async function grantorChoices(estateId: string, userId: string) {
  const ids = await ownerIdsOfUser(getDb(), estateId, userId);
  if (ids.length === 0) return [];
  return getDb().select({ id: owners.id, name: owners.name }).from(owners).where(inArray(owners.id, ids));
}
