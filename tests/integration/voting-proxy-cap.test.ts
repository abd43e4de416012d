import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { authoriseProxy, decideProxy } from "../../app/voting/proxies.server";
import { draftProposal, openComment } from "../../app/voting/proposals.server";
import { procedureSettings } from "../../app/estates/procedure";
import { dbError, makeEstate, makeUnits, makeUser, onPostgres, tempUploadDir } from "../fixtures";
import { day, ownerAccount, setSettings, votingEstate } from "./voting-helpers";
import { pngWithText } from "../ticket-photos";

const scan = { name: "scan.png", type: "image/png", bytes: pngWithText(false) };
tempUploadDir();

/** Units 101…10n, each with its own owner. */
function flats(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    building: "1幢",
    number: String(101 + i),
    area: 9_000,
    owners: [{ name: `业主${i + 1}`, ref: `R${i + 1}` }],
  }));
}

/** Every unit's owner with an account, and one resident whom they all want as proxy. */
async function grantors(estateId: string, units: { ownerIds: string[] }[]) {
  const owners = [];
  for (const [i, u] of units.entries()) owners.push(await ownerAccount(estateId, u.ownerIds[0], `业主${i + 1}`));
  const holder = await makeUser([{ role: "resident", estateId }], "热心邻居");
  return { owners, holder };
}

describe("the proxy cap", () => {
  it("refuses the sixth authorisation for one holder with the default cap of 5; a rejected one frees a place", async () => {
    expect(procedureSettings.proxyCap.default).toBe(5);
    const v = await votingEstate(flats(7));
    const { owners, holder } = await grantors(v.estate.id, v.units);
    const [vote] = await getDb().select().from(schema.proposals).where(eq(schema.proposals.id, v.proposalId));
    expect(vote.proxyCap).toBe(5);
    const grant = (i: number) =>
      authoriseProxy({
        estateId: v.estate.id,
        proposalId: v.proposalId,
        userId: owners[i].id,
        proxyIdentifier: holder.email,
        proxyName: "热心邻居",
        file: scan,
      });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await grant(i);
      expect(r.ok).toBe(true);
      ids.push((r as { id: string }).id);
    }
    expect(await grant(5)).toEqual({ ok: false, error: "voting.errors.proxyCap" });
    // Approving one of the five adds nothing: pending and approved both count once.
    expect(
      await decideProxy({
        estateId: v.estate.id,
        proposalId: v.proposalId,
        proxyId: ids[0],
        userId: v.c1.id,
        approve: true,
      }),
    ).toEqual({ ok: true });
    expect(await grant(5)).toEqual({ ok: false, error: "voting.errors.proxyCap" });
    // A rejected authorisation is not live: the place is free again, for one.
    expect(
      await decideProxy({
        estateId: v.estate.id,
        proposalId: v.proposalId,
        proxyId: ids[1],
        userId: v.c1.id,
        approve: false,
      }),
    ).toEqual({ ok: true });
    expect((await grant(5)).ok).toBe(true);
    expect(await grant(6)).toEqual({ ok: false, error: "voting.errors.proxyCap" });
    // Nothing of the refused grants was written.
    const rows = await getDb().select().from(schema.proxies).where(eq(schema.proxies.proposalId, v.proposalId));
    expect(rows).toHaveLength(6);
    const files = await getDb()
      .select()
      .from(schema.votingFiles)
      .where(eq(schema.votingFiles.proposalId, v.proposalId));
    expect(files).toHaveLength(6);
  });

  it("is held by the database itself: a direct insert past the cap fails with proxy_holder_cap", async () => {
    const v = await votingEstate(flats(3), { settings: { proxyCap: 2 } });
    const { owners, holder } = await grantors(v.estate.id, v.units);
    const [file] = await getDb()
      .insert(schema.votingFiles)
      .values({
        estateId: v.estate.id,
        proposalId: v.proposalId,
        kind: "proxy",
        storageKey: `cap-${v.proposalId}`,
        fileName: "a.png",
        contentType: "image/png",
        sizeBytes: 1,
        sha256: "x",
      })
      .returning();
    const row = (i: number) => ({
      estateId: v.estate.id,
      proposalId: v.proposalId,
      grantorOwnerId: v.units[i].ownerIds[0],
      grantorUserId: owners[i].id,
      proxyUserId: holder.id,
      proxyName: "热心邻居",
      fileId: file.id,
    });
    expect(await dbError(getDb().insert(schema.proxies).values(row(0)))).toBeNull();
    expect(await dbError(getDb().insert(schema.proxies).values(row(1)))).toBeNull();
    expect(await dbError(getDb().insert(schema.proxies).values(row(2)))).toMatchObject({
      code: "23514",
      constraint: "proxy_holder_cap",
    });
    // Nor by moving a live authorisation to the full holder.
    const other = await makeUser([{ role: "resident", estateId: v.estate.id }], "另一位");
    const [third] = await getDb()
      .insert(schema.proxies)
      .values({ ...row(2), proxyUserId: other.id })
      .returning();
    expect(
      await dbError(
        getDb().update(schema.proxies).set({ proxyUserId: holder.id }).where(eq(schema.proxies.id, third.id)),
      ),
    ).toMatchObject({ constraint: "proxy_holder_cap" });
  });

  it("before voting opens uses the estate's current cap; opening fixes it, so a later change does not apply", async () => {
    const estate = await makeEstate();
    const units = await makeUnits(estate.id, flats(4));
    await setSettings(estate.id, { proxyCap: 1 });
    const c1 = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
    const now = Date.now();
    const draft = await draftProposal({
      estateId: estate.id,
      userId: c1.id,
      title: "更换电梯",
      body: "理由",
      type: "property_company",
      commentEndsAt: new Date(now + day),
      votingStartsAt: new Date(now + day),
      votingEndsAt: new Date(now + 8 * day),
    });
    if (!draft.ok) throw new Error(draft.error);
    expect(await openComment({ estateId: estate.id, proposalId: draft.id, userId: c1.id })).toEqual({ ok: true });
    const { owners, holder } = await grantors(estate.id, units);
    const grant = (i: number) =>
      authoriseProxy({
        estateId: estate.id,
        proposalId: draft.id,
        userId: owners[i].id,
        proxyIdentifier: holder.email,
        proxyName: "热心邻居",
        file: scan,
      });
    expect((await grant(0)).ok).toBe(true);
    expect(await grant(1)).toEqual({ ok: false, error: "voting.errors.proxyCap" });
    // An out-of-range stored value falls back to the default (5), as estateSettings does.
    await setSettings(estate.id, { proxyCap: 0 });
    expect((await grant(1)).ok).toBe(true);
    // Once the vote's own cap is fixed, the estate's setting no longer matters.
    await getDb().update(schema.proposals).set({ proxyCap: 2 }).where(eq(schema.proposals.id, draft.id));
    await setSettings(estate.id, { proxyCap: 20 });
    expect(await grant(2)).toEqual({ ok: false, error: "voting.errors.proxyCap" });
  });

  it.runIf(onPostgres())(
    "lets only one of two grants racing for the last place through (PostgreSQL only)",
    async () => {
      const v = await votingEstate(flats(6));
      const { owners, holder } = await grantors(v.estate.id, v.units);
      const grant = (i: number) =>
        authoriseProxy({
          estateId: v.estate.id,
          proposalId: v.proposalId,
          userId: owners[i].id,
          proxyIdentifier: holder.email,
          proxyName: "热心邻居",
          file: scan,
        });
      for (let i = 0; i < 4; i++) expect((await grant(i)).ok).toBe(true);
      const raced = await Promise.all([grant(4), grant(5)]);
      expect(raced.filter((r) => r.ok)).toHaveLength(1);
      expect(raced.filter((r) => !r.ok)).toEqual([{ ok: false, error: "voting.errors.proxyCap" }]);
      const rows = await getDb().select().from(schema.proxies).where(eq(schema.proxies.proxyUserId, holder.id));
      expect(rows).toHaveLength(5);
    },
  );

  it("keeps four eyes: neither the grantor nor the holder may approve, even as committee members", async () => {
    const v = await votingEstate(flats(2));
    const { owners, holder } = await grantors(v.estate.id, v.units);
    await getDb()
      .insert(schema.memberships)
      .values([
        { userId: owners[0].id, estateId: v.estate.id, role: "committee" },
        { userId: holder.id, estateId: v.estate.id, role: "committee" },
      ]);
    const made = await authoriseProxy({
      estateId: v.estate.id,
      proposalId: v.proposalId,
      userId: owners[0].id,
      proxyIdentifier: holder.email,
      proxyName: "热心邻居",
      file: scan,
    });
    if (!made.ok) throw new Error(made.error);
    const decide = (userId: string) =>
      decideProxy({ estateId: v.estate.id, proposalId: v.proposalId, proxyId: made.id, userId, approve: true });
    expect(await decide(owners[0].id)).toEqual({ ok: false, error: "voting.errors.ownProxy" });
    expect(await decide(holder.id)).toEqual({ ok: false, error: "voting.errors.proxyHolder" });
    // The database refuses it too.
    expect(
      await dbError(
        getDb()
          .update(schema.proxies)
          .set({ status: "approved", decidedBy: holder.id, decidedAt: new Date() })
          .where(eq(schema.proxies.id, made.id)),
      ),
    ).toMatchObject({ constraint: "proxy_not_holder_approved" });
    expect(await decide(v.c1.id)).toEqual({ ok: true });
  });
});
