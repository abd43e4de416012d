import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { castBallot } from "../../app/voting/ballots.server";
import { nameCoOwnerVoter } from "../../app/voting/co-owners.server";
import { smsTemplates } from "../../app/sms/templates";
import { ownerAccount, votingEstate } from "./voting-helpers";

const coOwned = [
  {
    building: "1幢",
    number: "101",
    area: 12_000,
    owners: [
      { name: "王芳", ref: "W" },
      { name: "李强", ref: "L" },
    ],
  },
  { building: "1幢", number: "102", area: 9_000, owners: [{ name: "赵敏", ref: "Z" }] },
];

const noticesOf = (userId: string) =>
  getDb()
    .select()
    .from(schema.notifications)
    .where(and(eq(schema.notifications.userId, userId), eq(schema.notifications.template, "ballot-replaced")));

describe("co-owners", () => {
  it("tell the co-owner whose online ballot another co-owner's replaced, once, and nobody who replaces their own", async () => {
    const v = await votingEstate(coOwned);
    const [wangId, liId] = v.units[0].ownerIds;
    const wang = await ownerAccount(v.estate.id, wangId, "王芳");
    const li = await ownerAccount(v.estate.id, liId, "李强");
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const voters = await getDb().select().from(schema.voteVoters).where(eq(schema.voteVoters.proposalId, v.proposalId));
    const voterId = voters.find((x) => x.ownerIds.length === 2)!.voterId;
    expect(await castBallot({ ...ids, voterId, userId: wang.id, choice: "agree" })).toMatchObject({ ok: true });
    expect(await noticesOf(wang.id)).toEqual([]);
    // 王芳 changes her own ballot: nobody is told.
    expect(await castBallot({ ...ids, voterId, userId: wang.id, choice: "abstain" })).toMatchObject({ ok: true });
    expect(await noticesOf(wang.id)).toEqual([]);
    // 李强 casts for the same flat: his replaces hers, and she is told.
    expect(await castBallot({ ...ids, voterId, userId: li.id, choice: "oppose" })).toMatchObject({ ok: true });
    const told = await noticesOf(wang.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      estateId: v.estate.id,
      category: "votes",
      props: { voteTitle: "续聘物业", channel: "online", path: `/e/${v.estate.slug}/proposals/${v.proposalId}` },
    });
    expect(await noticesOf(li.id)).toEqual([]);
    // And back: 李强 is told when 王芳's ballot replaces his.
    expect(await castBallot({ ...ids, voterId, userId: wang.id, choice: "agree" })).toMatchObject({ ok: true });
    expect(await noticesOf(li.id)).toHaveLength(1);
    expect(await noticesOf(wang.id)).toHaveLength(1);
    expect(smsTemplates["ballot-replaced"].params).toEqual(["estate", "link"]);
  });

  it("where the estate requires it, only the co-owner named on the roster casts online; the committee records the name", async () => {
    const v = await votingEstate(coOwned, { settings: { coOwnersNameOne: true } });
    const [wangId, liId] = v.units[0].ownerIds;
    const wang = await ownerAccount(v.estate.id, wangId, "王芳");
    const li = await ownerAccount(v.estate.id, liId, "李强");
    const zhao = await ownerAccount(v.estate.id, v.units[1].ownerIds[0], "赵敏");
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const [p] = await getDb().select().from(schema.proposals).where(eq(schema.proposals.id, v.proposalId));
    expect(p.rules).toMatchObject({ coOwnersNameOne: true });
    const voters = await getDb().select().from(schema.voteVoters).where(eq(schema.voteVoters.proposalId, v.proposalId));
    const flat = voters.find((x) => x.ownerIds.length === 2)!.voterId;
    const single = voters.find((x) => x.ownerIds.length === 1)!.voterId;
    // Nobody named yet: neither co-owner may cast; a sole owner is unaffected.
    expect(await castBallot({ ...ids, voterId: flat, userId: wang.id, choice: "agree" })).toEqual({
      ok: false,
      error: "voting.errors.notNamedCoOwner",
    });
    expect(await castBallot({ ...ids, voterId: single, userId: zhao.id, choice: "agree" })).toMatchObject({ ok: true });
    // The committee records the co-owners' written designation: 李强.
    expect(
      await nameCoOwnerVoter({ estateId: v.estate.id, unitId: v.units[0].unitId, ownerId: liId, userId: v.c1.id }),
    ).toEqual({
      ok: true,
    });
    // Someone not owning the unit cannot be named.
    expect(
      await nameCoOwnerVoter({
        estateId: v.estate.id,
        unitId: v.units[0].unitId,
        ownerId: v.units[1].ownerIds[0],
        userId: v.c1.id,
      }),
    ).toEqual({ ok: false, error: "voting.errors.notFound" });
    expect(await castBallot({ ...ids, voterId: flat, userId: wang.id, choice: "agree" })).toEqual({
      ok: false,
      error: "voting.errors.notNamedCoOwner",
    });
    expect(await castBallot({ ...ids, voterId: flat, userId: li.id, choice: "oppose" })).toMatchObject({ ok: true });
    // Renaming moves it (one named per unit).
    expect(
      await nameCoOwnerVoter({ estateId: v.estate.id, unitId: v.units[0].unitId, ownerId: wangId, userId: v.c1.id }),
    ).toEqual({
      ok: true,
    });
    const named = await getDb()
      .select()
      .from(schema.ownerships)
      .where(and(eq(schema.ownerships.unitId, v.units[0].unitId), eq(schema.ownerships.namedVoter, true)));
    expect(named.map((n) => [n.ownerId, n.namedBy])).toEqual([[wangId, v.c1.id]]);
    const audit = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, v.estate.id), eq(schema.auditEvents.act, "co_owner_named")));
    expect(audit).toHaveLength(2);
    // An owner is not the committee: refused.
    await expect(
      nameCoOwnerVoter({ estateId: v.estate.id, unitId: v.units[0].unitId, ownerId: liId, userId: li.id }),
    ).rejects.toBeTruthy();
  });
});
