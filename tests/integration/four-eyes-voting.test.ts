import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { confirmPaperBallot, enterPaperBallot, paperOverview } from "~/voting/paper.server";
import { authoriseProxy, decideProxy, listProxies } from "~/voting/proxies.server";
import { loader as proxiesLoader } from "~/routes/e.$estate.proposals.$id.proxies";
import { call, dbError, tempUploadDir } from "../fixtures";
import { pngWithText } from "../ticket-photos";
import { ownerAccount, votingEstate } from "./voting-helpers";

// Issue 12, four eyes: a committee member approved a proxy that named themself as holder, then
// replaced the owner's own ballot; paper ballots confirmed by the voter or their proxy.

const scan = { name: "scan.png", type: "image/png", bytes: pngWithText(false) };
tempUploadDir();
const db = () => getDb();

async function setting() {
  const v = await votingEstate([
    { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王秀英", phone: "13800004321", ref: "W" }] },
    { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
  ]);
  const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王秀英");
  const ids = { estateId: v.estate.id, proposalId: v.proposalId };
  return { ...v, wang, ids };
}

/** Wang authorises committee member c2 as her proxy. */
async function proxyNamingC2(s: Awaited<ReturnType<typeof setting>>) {
  const made = await authoriseProxy({
    ...s.ids,
    userId: s.wang.id,
    proxyIdentifier: s.c2.email,
    proxyName: "林委员",
    file: scan,
  });
  if (!made.ok) throw new Error(made.error);
  return made.id;
}

describe("four eyes on proxies", () => {
  it("proxy naming the approver: the holder cannot approve an authorisation that names them (command, and CHECK proxy_not_holder_approved)", async () => {
    const s = await setting();
    const proxyId = await proxyNamingC2(s);
    expect(await decideProxy({ ...s.ids, proxyId, userId: s.c2.id, approve: true })).toEqual({
      ok: false,
      error: "voting.errors.proxyHolder",
    });
    expect(await decideProxy({ ...s.ids, proxyId, userId: s.c2.id, approve: false })).toEqual({
      ok: false,
      error: "voting.errors.proxyHolder",
    });
    const error = await dbError(
      db()
        .update(schema.proxies)
        .set({ status: "approved", decidedBy: s.c2.id, decidedAt: new Date() })
        .where(eq(schema.proxies.id, proxyId)),
    );
    expect(error).toEqual({ code: "23514", constraint: "proxy_not_holder_approved" });
    // Someone it does not name may.
    expect(await decideProxy({ ...s.ids, proxyId, userId: s.c1.id, approve: true })).toEqual({ ok: true });
  });

  it("proxy review page: a deciding member sees the grantor's full roster name and roster phone's last 4 digits, audited; the holder's page hides the buttons", async () => {
    const s = await setting();
    const proxyId = await proxyNamingC2(s);
    const page = {
      url: `/e/${s.estate.slug}/proposals/${s.proposalId}/proxies`,
      params: { estate: s.estate.slug, id: s.proposalId },
    };
    const seen = (await call(proxiesLoader, { ...page, user: s.c1 })) as Awaited<ReturnType<typeof proxiesLoader>>;
    expect(seen.proxies).toMatchObject([
      {
        id: proxyId,
        grantorName: "王秀英",
        proxyName: "林委员",
        check: { grantorPhoneTail: "4321", holderRosterName: null },
        conflict: null,
      },
    ]);
    expect(JSON.stringify(seen)).not.toContain("13800004321");
    const views = await db()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, s.estate.id), eq(schema.auditEvents.act, "personal_data_viewed")));
    expect(views).toMatchObject([
      { actorUserId: s.c1.id, subjectType: "proxy", subjectId: proxyId, detail: { page: "proxies" } },
    ]);

    const holder = (await call(proxiesLoader, { ...page, user: s.c2 })) as Awaited<ReturnType<typeof proxiesLoader>>;
    expect(holder.proxies[0].conflict).toBe("voting.errors.proxyHolder");
  });

  it("public view stays masked: the owner's own view of their authorisation shows masked names, no phone digits, and writes no audit row", async () => {
    const s = await setting();
    await proxyNamingC2(s);
    const page = {
      url: `/e/${s.estate.slug}/proposals/${s.proposalId}/proxies`,
      params: { estate: s.estate.slug, id: s.proposalId },
    };
    const own = (await call(proxiesLoader, { ...page, user: s.wang })) as Awaited<ReturnType<typeof proxiesLoader>>;
    expect(own.proxies).toMatchObject([{ grantorName: "王**", proxyName: "林**", check: null }]);
    expect(JSON.stringify(own)).not.toContain("王秀英");
    expect(JSON.stringify(own)).not.toContain("4321");
    // A committee member who only oversees (a decided authorisation) sees it masked too.
    expect((await listProxies(s.estate.id, s.proposalId, { userId: s.c1.id, committee: true }))[0]).toMatchObject({
      grantorName: "王**",
      check: null,
    });
    const views = await db()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, s.estate.id), eq(schema.auditEvents.act, "personal_data_viewed")));
    expect(views).toEqual([]);
  });
});

describe("four eyes on paper ballots", () => {
  it("paper ballot confirmed by the entering member is refused (command and CHECK)", async () => {
    const s = await setting();
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.units[0].unitId,
      choice: "agree",
      scan,
    })) as { id: string };
    expect(await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c1.id, accept: true })).toEqual({
      ok: false,
      error: "voting.errors.sameMember",
    });
    const error = await dbError(
      db()
        .update(schema.paperBallots)
        .set({ status: "counted", confirmedBy: s.c1.id })
        .where(eq(schema.paperBallots.id, entered.id)),
    );
    expect(error).toEqual({ code: "23514", constraint: "paper_ballot_second_member" });
  });

  it("paper ballot confirmed by the unit's owner is refused (command, and trigger paper_ballot_confirmer_not_voter)", async () => {
    const s = await setting();
    // Committee member c2 owns 102; c1 enters the paper ballot for 102.
    await db().update(schema.owners).set({ userId: s.c2.id }).where(eq(schema.owners.id, s.units[1].ownerIds[0]));
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.units[1].unitId,
      choice: "agree",
      scan,
    })) as { id: string };
    expect(await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: true })).toEqual({
      ok: false,
      error: "voting.errors.paperOwnVoter",
    });
    expect((await paperOverview(s.estate.id, s.proposalId, { sealed: true }, s.c2.id))[0].confirmConflict).toBe(
      "ownVoter",
    );
    const error = await dbError(
      db()
        .update(schema.paperBallots)
        .set({ status: "counted", confirmedBy: s.c2.id })
        .where(eq(schema.paperBallots.id, entered.id)),
    );
    expect(error).toEqual({ code: "23514", constraint: "paper_ballot_confirmer_not_voter" });
    const [row] = await db().select().from(schema.paperBallots).where(eq(schema.paperBallots.id, entered.id));
    expect(row.status).toBe("pending");
  });

  it("paper ballot confirmed by the voter's named proxy is refused (command and trigger)", async () => {
    const s = await setting();
    await proxyNamingC2(s);
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.units[0].unitId,
      choice: "oppose",
      scan,
    })) as { id: string };
    expect(await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: true })).toEqual({
      ok: false,
      error: "voting.errors.paperProxyHolder",
    });
    expect((await paperOverview(s.estate.id, s.proposalId, { sealed: true }, s.c2.id))[0].confirmConflict).toBe(
      "proxyHolder",
    );
    const error = await dbError(
      db()
        .update(schema.paperBallots)
        .set({ status: "rejected", confirmedBy: s.c2.id })
        .where(eq(schema.paperBallots.id, entered.id)),
    );
    expect(error).toEqual({ code: "23514", constraint: "paper_ballot_confirmer_not_voter" });
    // For a household that is not theirs, c2 confirms as before.
    const other = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.units[1].unitId,
      choice: "agree",
      scan,
    })) as { id: string };
    expect(
      await confirmPaperBallot({ ...s.ids, paperBallotId: other.id, userId: s.c2.id, accept: true }),
    ).toMatchObject({ ok: true, outcome: "counted" });
  });
});
