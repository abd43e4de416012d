import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import * as index from "../../app/routes/e.$estate.proposals._index";
import * as create from "../../app/routes/e.$estate.proposals.new";
import * as detail from "../../app/routes/e.$estate.proposals.$id._index";
import * as edit from "../../app/routes/e.$estate.proposals.$id.edit";
import * as files from "../../app/routes/e.$estate.proposals.$id.files.$fileId";
import * as result from "../../app/routes/e.$estate.proposals.$id.result";
import * as ledger from "../../app/routes/e.$estate.proposals.$id.ledger";
import * as ledgerCsvRoute from "../../app/routes/e.$estate.proposals.$id.ledger[.]csv";
import * as turnout from "../../app/routes/e.$estate.proposals.$id.turnout";
import * as paper from "../../app/routes/e.$estate.proposals.$id.paper";
import * as proxies from "../../app/routes/e.$estate.proposals.$id.proxies";
import * as petitions from "../../app/routes/e.$estate.proposals.petitions";
import { parseLedgerCsv, verifyLedger } from "../../app/voting/ledger";
import { closeVoting, draftProposal } from "../../app/voting/proposals.server";
import { enterPaperBallot } from "../../app/voting/paper.server";
import { call, expectStatus, makeEstate, makeUser, tempUploadDir } from "../fixtures";
import { day, ownerAccount, votingEstate } from "./voting-helpers";

tempUploadDir();

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9]);
type Fn = Parameters<typeof expectStatus>[0];

async function world() {
  const v = await votingEstate([
    { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
    { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
  ]);
  const owner = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
  const resident = await makeUser([{ role: "resident", estateId: v.estate.id }]);
  const staff = await makeUser([{ role: "property_staff", estateId: v.estate.id }]);
  const admin = await makeUser([{ role: "community_admin", communityId: v.estate.communityId }]);
  const other = await makeEstate();
  const outsider = await makeUser([{ role: "committee", estateId: other.id }]);
  const scan = await enterPaperBallot({
    estateId: v.estate.id,
    proposalId: v.proposalId,
    userId: v.c1.id,
    unitId: v.units[1].unitId,
    choice: "agree",
    scan: { name: "s.png", type: "image/png", bytes: png },
  });
  const [paperRow] = await getDb()
    .select()
    .from(schema.paperBallots)
    .where(eq(schema.paperBallots.id, (scan as { id: string }).id));
  return { ...v, owner, resident, staff, admin, other, outsider, paperFileId: paperRow.fileId };
}

describe("every proposal route refuses the wrong people", () => {
  it("anonymous → log in, another estate's member → 404, wrong role → 403, right role → 200", async () => {
    const w = await world();
    const slug = w.estate.slug;
    const p = { estate: slug, id: w.proposalId };
    const base = `/e/${slug}/proposals/${w.proposalId}`;
    const check = async (
      fn: Fn,
      url: string,
      params: Record<string, string>,
      cases: [Parameters<typeof expectStatus>[1]["user"], number][],
      form?: Record<string, string>,
    ) => {
      await expectStatus(fn, { url, params, form }, 302);
      await expectStatus(fn, { url, params, user: w.outsider, form }, 404);
      for (const [user, status] of cases) await expectStatus(fn, { url, params, user, form }, status);
    };

    await check(index.loader as Fn, `/e/${slug}/proposals`, { estate: slug }, [
      [w.owner, 200],
      [w.resident, 200],
      [w.staff, 200],
    ]);
    await check(create.loader as Fn, `/e/${slug}/proposals/new`, { estate: slug }, [
      [w.owner, 403],
      [w.admin, 403],
      [w.c1, 200],
    ]);
    await check(create.action as Fn, `/e/${slug}/proposals/new`, { estate: slug }, [[w.owner, 403]], { title: "x" });
    await check(detail.loader as Fn, base, p, [
      [w.owner, 200],
      [w.staff, 200],
    ]);
    await check(
      detail.action as Fn,
      base,
      p,
      [
        [w.owner, 403],
        [w.staff, 403],
        [w.admin, 403],
      ],
      { intent: "closeVoting" },
    );
    await check(
      detail.action as Fn,
      base,
      p,
      [
        [w.staff, 403],
        [w.c1, 403],
      ],
      { intent: "cast", voterId: "x", choice: "agree" },
    );
    await check(edit.loader as Fn, `${base}/edit`, p, [
      [w.owner, 403],
      [w.c1, 409],
    ]);
    await check(turnout.loader as Fn, `${base}/turnout`, p, [
      [w.owner, 403],
      [w.staff, 403],
      [w.admin, 200],
      [w.c1, 200],
    ]);
    await check(
      turnout.action as Fn,
      `${base}/turnout`,
      p,
      [
        [w.owner, 403],
        [w.admin, 403],
      ],
      { intent: "remind" },
    );
    await check(paper.loader as Fn, `${base}/paper`, p, [
      [w.owner, 403],
      [w.admin, 403],
      [w.c1, 200],
    ]);
    await check(paper.action as Fn, `${base}/paper`, p, [[w.owner, 403]], {
      intent: "confirm",
      paperBallotId: w.proposalId,
    });
    await check(proxies.loader as Fn, `${base}/proxies`, p, [
      [w.staff, 403],
      [w.owner, 200],
      [w.resident, 200],
      [w.c1, 200],
    ]);
    await check(
      proxies.action as Fn,
      `${base}/proxies`,
      p,
      [
        [w.resident, 403],
        [w.owner, 403],
      ],
      { intent: "approve", proxyId: w.proposalId },
    );
    await check(petitions.loader as Fn, `/e/${slug}/proposals/petitions`, { estate: slug }, [[w.resident, 200]]);
    await check(
      petitions.action as Fn,
      `/e/${slug}/proposals/petitions`,
      { estate: slug },
      [
        [w.resident, 403],
        [w.c1, 403],
      ],
      { intent: "sign", petitionId: w.proposalId },
    );
    const fileParams = { ...p, fileId: w.paperFileId };
    await check(files.loader as Fn, `${base}/files/${w.paperFileId}`, fileParams, [
      [w.owner, 403],
      [w.c1, 200],
    ]);
    // Not closed yet: no result, no CSV; the ledger page says so.
    await check(result.loader as Fn, `${base}/result`, p, [[w.owner, 404]]);
    await check(ledgerCsvRoute.loader as Fn, `${base}/ledger.csv`, p, [[w.owner, 404]]);
    await check(ledger.loader as Fn, `${base}/ledger`, p, [[w.owner, 200]]);
  });

  it("gives 404 for another estate's proposal through one's own estate", async () => {
    const w = await world();
    const mine = await votingEstate([{ building: "9幢", number: "901", owners: [{ name: "他人" }] }]);
    // A committee member of `mine` guesses the id of w's proposal.
    const params = { estate: mine.estate.slug, id: w.proposalId };
    const base = `/e/${mine.estate.slug}/proposals/${w.proposalId}`;
    for (const [fn, url] of [
      [detail.loader, base],
      [turnout.loader, `${base}/turnout`],
      [paper.loader, `${base}/paper`],
      [proxies.loader, `${base}/proxies`],
      [ledger.loader, `${base}/ledger`],
    ] as const) {
      await expectStatus(fn as Fn, { url, params, user: mine.c1 }, 404);
    }
    await expectStatus(detail.action as Fn, { url: base, params, user: mine.c1, form: { intent: "closeVoting" } }, 404);
    await expectStatus(
      files.loader as Fn,
      { url: `${base}/files/${w.paperFileId}`, params: { ...params, fileId: w.paperFileId }, user: mine.c1 },
      404,
    );
    await expectStatus(
      detail.loader as Fn,
      {
        url: `/e/${mine.estate.slug}/proposals/not-a-uuid`,
        params: { estate: mine.estate.slug, id: "not-a-uuid" },
        user: mine.c1,
      },
      404,
    );
  });

  it("hides drafts from owners", async () => {
    const estate = await makeEstate();
    const c = await makeUser([{ role: "committee", estateId: estate.id }]);
    const owner = await makeUser([{ role: "owner", estateId: estate.id }]);
    const now = Date.now();
    const d = (await draftProposal({
      estateId: estate.id,
      userId: c.id,
      title: "草稿",
      body: "",
      type: "fund_use",
      commentEndsAt: new Date(now + day),
      votingStartsAt: new Date(now + day),
      votingEndsAt: new Date(now + 5 * day),
    })) as { id: string };
    const params = { estate: estate.slug, id: d.id };
    await expectStatus(detail.loader as Fn, { url: `/e/${estate.slug}/proposals/${d.id}`, params, user: owner }, 404);
    await expectStatus(detail.loader as Fn, { url: `/e/${estate.slug}/proposals/${d.id}`, params, user: c }, 200);
    const list = (await call(index.loader as Fn, {
      url: `/e/${estate.slug}/proposals`,
      params: { estate: estate.slug },
      user: owner,
    })) as { proposals: unknown[] };
    expect(list.proposals).toHaveLength(0);
  });
});

describe("voting through the routes", () => {
  it("casts, changes, and after closing serves a ledger CSV that verifies", async () => {
    const w = await world();
    const params = { estate: w.estate.slug, id: w.proposalId };
    const base = `/e/${w.estate.slug}/proposals/${w.proposalId}`;
    const page = (await call(detail.loader as Fn, { url: base, params, user: w.owner })) as {
      voters: { voterId: string }[];
    };
    expect(page.voters).toHaveLength(1);
    const voterId = page.voters[0].voterId;
    const first = (await call(detail.action as Fn, {
      url: base,
      params,
      user: w.owner,
      form: { intent: "cast", voterId, choice: "oppose" },
    })) as Response;
    expect(first.status).toBe(302);
    await expectStatus(
      detail.action as Fn,
      { url: base, params, user: w.owner, form: { intent: "cast", voterId, choice: "agree" } },
      302,
    );
    // Bad input: 4xx and nothing changes.
    await expectStatus(
      detail.action as Fn,
      { url: base, params, user: w.owner, form: { intent: "cast", voterId, choice: "maybe" } },
      400,
    );
    await expectStatus(
      detail.action as Fn,
      { url: base, params, user: w.owner, form: { intent: "cast", voterId: "developer", choice: "agree" } },
      403,
    );
    const after = (await call(detail.loader as Fn, { url: base, params, user: w.owner })) as {
      voters: { current: { choice: string; receipt: string }; replaced: unknown[] }[];
    };
    expect(after.voters[0].current.choice).toBe("agree");
    expect(after.voters[0].replaced).toHaveLength(1);
    // The committee cannot close early.
    await expectStatus(detail.action as Fn, { url: base, params, user: w.c1, form: { intent: "closeVoting" } }, 409);

    // Confirm the pending paper ballot, end the window, close.
    const [pending] = await getDb()
      .select()
      .from(schema.paperBallots)
      .where(eq(schema.paperBallots.proposalId, w.proposalId));
    await expectStatus(
      paper.action as Fn,
      { url: `${base}/paper`, params, user: w.c1, form: { intent: "confirm", paperBallotId: pending.id } },
      403,
    );
    await expectStatus(
      paper.action as Fn,
      { url: `${base}/paper`, params, user: w.c2, form: { intent: "confirm", paperBallotId: pending.id } },
      302,
    );
    const closed = await closeVoting({
      estateId: w.estate.id,
      proposalId: w.proposalId,
      userId: w.c1.id,
      now: new Date(w.votingEndsAt.getTime() + 1000),
    });
    expect(closed.ok).toBe(true);

    // Issue 12: the public CSV has no area column and times to the minute only.
    const publicCsv = await (
      (await call(ledgerCsvRoute.loader as Fn, { url: `${base}/ledger.csv`, params, user: w.resident })) as Response
    ).text();
    expect(publicCsv).not.toMatch(/area_centi_sqm|prev_hash|王|李|幢/);
    expect(publicCsv).toContain("seq,receipt,choice,channel,headcount,replaces,cast_at\n");
    for (const line of publicCsv
      .trimEnd()
      .split("\n")
      .filter((l) => /^\d/.test(l)))
      expect(line).toMatch(/,\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    // The full ledger (areas, exact times, the chain) for a verified owner after close; it rechecks the chain.
    await expectStatus(
      ledgerCsvRoute.loader as Fn,
      { url: `${base}/ledger.csv?full=1`, params, user: w.resident },
      403,
    );
    const csvResponse = (await call(ledgerCsvRoute.loader as Fn, {
      url: `${base}/ledger.csv?full=1`,
      params,
      user: w.owner,
    })) as Response;
    expect(csvResponse.headers.get("Content-Type")).toMatch(/text\/csv/);
    const text = await csvResponse.text();
    expect(text).not.toMatch(/王|李|幢/);
    const parsed = parseLedgerCsv(text);
    const verified = verifyLedger(parsed.meta, parsed.entries);
    expect(verified.problems).toEqual([]);
    expect(verified.tally).toMatchObject({ participatingHeadcount: 2, agreeHeadcount: 2, passed: true });
    expect(verified.counted).toContain(after.voters[0].current.receipt);

    const found = (await call(ledger.loader as Fn, {
      url: `${base}/ledger?receipt=${after.voters[0].current.receipt.toLowerCase().replace(/-/g, "")}`,
      params,
      user: w.owner,
    })) as {
      found: { counted: boolean };
      mine: string[];
    };
    expect(found.found).toEqual({ seq: 2, counted: true });
    expect(found.mine).toHaveLength(2);
    await expectStatus(result.loader as Fn, { url: `${base}/result`, params, user: w.staff }, 200);
  });

  it("accepts a proposal attachment from the committee and refuses a wrong file type", async () => {
    const estate = await makeEstate();
    const c = await makeUser([{ role: "committee", estateId: estate.id }]);
    const owner = await makeUser([{ role: "owner", estateId: estate.id }]);
    const now = Date.now();
    const d = (await draftProposal({
      estateId: estate.id,
      userId: c.id,
      title: "t",
      body: "<script>alert(1)</script>\n\n**粗体** [x](javascript:alert(1)) [预算表](https://example.org/b.pdf)",
      type: "fund_use",
      commentEndsAt: new Date(now + day),
      votingStartsAt: new Date(now + day),
      votingEndsAt: new Date(now + 5 * day),
    })) as { id: string };
    const params = { estate: estate.slug, id: d.id };
    const url = `/e/${estate.slug}/proposals/${d.id}`;
    const good = new FormData();
    good.set("intent", "upload");
    good.set("file", new File([new TextEncoder().encode("%PDF-1.4 test")], "预算.pdf", { type: "application/pdf" }));
    await expectStatus(detail.action as Fn, { url, params, user: owner, form: good }, 403);
    await expectStatus(detail.action as Fn, { url, params, user: c, form: good }, 302);
    const bad = new FormData();
    bad.set("intent", "upload");
    bad.set("file", new File(["<svg onload=alert(1)>"], "x.pdf", { type: "application/pdf" }));
    await expectStatus(detail.action as Fn, { url, params, user: c, form: bad }, 400);
    const loaded = (await call(detail.loader as Fn, { url, params, user: c })) as {
      files: { id: string; name: string }[];
      proposal: { bodyHtml: string };
    };
    expect(loaded.files.map((f) => f.name)).toEqual(["预算.pdf"]);
    expect(loaded.proposal.bodyHtml).not.toMatch(/<script|javascript:/);
    expect(loaded.proposal.bodyHtml).toMatch(/<strong>粗体<\/strong>/);
    // A link in a proposal opens safely, as one in the minutes does (the same renderer).
    expect(loaded.proposal.bodyHtml).toContain(
      '<a href="https://example.org/b.pdf" rel="noopener noreferrer nofollow" target="_blank">预算表</a>',
    );
    // Public once the proposal goes out for comment; not before.
    const fileUrl = `${url}/files/${loaded.files[0].id}`;
    await expectStatus(
      files.loader as Fn,
      { url: fileUrl, params: { ...params, fileId: loaded.files[0].id }, user: owner },
      404,
    );
    await expectStatus(detail.action as Fn, { url, params, user: c, form: { intent: "openComment" } }, 302);
    const download = (await call(files.loader as Fn, {
      url: fileUrl,
      params: { ...params, fileId: loaded.files[0].id },
      user: owner,
    })) as Response;
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("application/pdf");
    expect(new TextDecoder().decode(await download.arrayBuffer())).toBe("%PDF-1.4 test");
  });
});
