import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { getDb, schema } from "../../db/client";
import type { ProcedureSettings } from "../../app/estates/procedure";
import type { ProposalType } from "../../db/schema/voting";
import { draftProposal, openComment, openVoting } from "../../app/voting/proposals.server";
import { makeEstate, makeUnits, makeUser } from "../fixtures";
import { postVoteNotice } from "../../app/voting/notice.server";
import type { VoteRef } from "../../app/voting/engine/kinds";

export const day = 86_400_000;

/**
 * Posts the vote notice 20 days before `openingAt`, keeping the vote's window: votes open only
 * once their notice has run its 15 days (物业管理条例 Art. 14), so a test that opens a vote "now"
 * needs its notice in the past.
 */
export async function noticeBefore(estateId: string, ref: VoteRef, userId: string, openingAt: Date) {
  const db = getDb();
  const table = ref.kind === "proposal" ? schema.proposals : schema.committeeElections;
  const [vote] = await db
    .select({ votingStartsAt: table.votingStartsAt, votingEndsAt: table.votingEndsAt })
    .from(table)
    .where(eq(table.id, ref.id));
  const posted = await postVoteNotice({
    estateId,
    ref,
    userId,
    votingStartsAt: vote.votingStartsAt,
    votingEndsAt: vote.votingEndsAt,
    now: new Date(openingAt.getTime() - 20 * day),
  });
  if (!posted.ok) throw new Error(posted.error);
  return posted.noticeId;
}

/** Links a roster owner to a new account that is an owner of the estate. */
export async function ownerAccount(estateId: string, ownerId: string, name = "业主") {
  const user = await makeUser([{ role: "owner", estateId }], name);
  await getDb()
    .update(schema.owners)
    .set({ userId: user.id, claimedAt: new Date() })
    .where(eq(schema.owners.id, ownerId));
  return user;
}

export async function setSettings(estateId: string, settings: Partial<ProcedureSettings>) {
  const db = getDb();
  const [estate] = await db.select().from(schema.estates).where(eq(schema.estates.id, estateId));
  await db
    .update(schema.estates)
    .set({ settings: { ...estate.settings, ...settings } })
    .where(eq(schema.estates.id, estateId));
}

/**
 * An estate whose proposal has reached the voting stage: drafted 3 days ago, comment until
 * 2 days ago, voting opened a day ago and running for another `daysLeft` days.
 */
export async function votingEstate(
  specs: Parameters<typeof makeUnits>[1],
  options: {
    type?: ProposalType;
    settings?: Partial<ProcedureSettings>;
    daysLeft?: number;
    before?: (estateId: string) => Promise<void>;
  } = {},
) {
  const estate = await makeEstate();
  const units = await makeUnits(estate.id, specs);
  if (options.settings) await setSettings(estate.id, options.settings);
  await options.before?.(estate.id);
  const c1 = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
  const c2 = await makeUser([{ role: "committee", estateId: estate.id }], "林委员");
  const now = Date.now();
  const draft = await draftProposal({
    estateId: estate.id,
    userId: c1.id,
    title: "续聘物业",
    body: "**理由**：服务良好",
    type: options.type ?? "property_company",
    commentEndsAt: new Date(now - 2 * day),
    votingStartsAt: new Date(now - 2 * day),
    votingEndsAt: new Date(now + (options.daysLeft ?? 7) * day),
    now: new Date(now - 3 * day),
  });
  if (!draft.ok) throw new Error(draft.error);
  expect(
    await openComment({ estateId: estate.id, proposalId: draft.id, userId: c1.id, now: new Date(now - 3 * day) }),
  ).toEqual({ ok: true });
  await noticeBefore(estate.id, { kind: "proposal", id: draft.id }, c1.id, new Date(now - day));
  const opened = await openVoting({
    estateId: estate.id,
    proposalId: draft.id,
    userId: c1.id,
    now: new Date(now - day),
  });
  if (!opened.ok) throw new Error(opened.error);
  return { estate, units, c1, c2, proposalId: draft.id, votingEndsAt: new Date(now + (options.daysLeft ?? 7) * day) };
}

/**
 * Ends a closed vote's query period at once (its end moved back to the close), so a test about
 * what follows the final result need not move its clock past the period.
 */
export async function endQueryPeriod(vote: { proposalId: string } | { electionId: string }) {
  if ("proposalId" in vote)
    await getDb()
      .update(schema.proposals)
      .set({ queryEndsAt: sql`closed_at` })
      .where(eq(schema.proposals.id, vote.proposalId));
  else
    await getDb()
      .update(schema.committeeElections)
      .set({ queryEndsAt: sql`closed_at` })
      .where(eq(schema.committeeElections.id, vote.electionId));
}
