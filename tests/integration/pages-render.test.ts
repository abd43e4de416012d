import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { startSession } from "~/auth/session.server";
import { formatArea } from "~/ui/mask";
import { castBallot } from "~/voting/ballots.server";
import { createPetition } from "~/voting/petitions.server";
import { closeVoting, draftProposal } from "~/voting/proposals.server";
import { makeUser } from "../fixtures";
import { startTestApp } from "../remix-app";
import { day, ownerAccount, votingEstate } from "./voting-helpers";

/**
 * Pages rendered by the real server (Express, Remix, loaders and components) and fetched over
 * HTTP, as a browser would get them: a loader test proves the data, not the page.
 */
let app: Awaited<ReturnType<typeof startTestApp>>;
type World = Awaited<ReturnType<typeof world>>;
let w: World;

async function world() {
  const v = await votingEstate([
    { building: "1幢", number: "101", owners: [{ name: "王芳", ref: "W" }] },
    { building: "1幢", number: "102", owners: [{ name: "李雷", ref: "L" }] },
  ]);
  const estateId = v.estate.id;
  const owner = await ownerAccount(estateId, v.units[0].ownerIds[0], "王芳");
  const resident = await makeUser([{ role: "resident", estateId }]);
  const staff = await makeUser([{ role: "property_staff", estateId }]);
  const admin = await makeUser([{ role: "community_admin", communityId: v.estate.communityId }]);
  const platform = await makeUser([{ role: "platform_admin" }]);
  const now = Date.now();
  const draft = await draftProposal({
    estateId,
    userId: v.c1.id,
    title: "更换门禁",
    body: "门禁老化",
    type: "property_company",
    commentEndsAt: new Date(now + 10 * day),
    votingStartsAt: new Date(now + 10 * day),
    votingEndsAt: new Date(now + 20 * day),
  });
  if (!draft.ok) throw new Error(draft.error);
  const petition = await createPetition({ estateId, userId: owner.id, title: "加装电梯请愿", body: "老人上楼难" });
  if (!petition.ok) throw new Error(petition.error);
  return {
    ...v,
    slug: v.estate.slug,
    owner,
    resident,
    staff,
    admin,
    platform,
    draftId: draft.id,
    petitionId: petition.id,
  };
}

beforeAll(async () => {
  app = await startTestApp();
  w = await world();
}, 60_000);
afterAll(async () => {
  await app.close();
});

const cookies = new Map<string, string>();
async function page(user: { id: string } | null, pathname: string) {
  const headers: Record<string, string> = {};
  if (user) {
    if (!cookies.has(user.id)) cookies.set(user.id, (await startSession(user.id)).split(";")[0]);
    headers.Cookie = cookies.get(user.id)!;
  }
  const res = await fetch(`${app.origin}${pathname}`, { headers, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

/** The estate's pages a page links to (href="/e/<slug>/…"), without their query or anchor. */
function estateLinks(html: string, slug: string): string[] {
  const found = [...html.matchAll(/href="(\/e\/[^"?#]+)[^"]*"/g)]
    .map((m) => m[1])
    .filter((href) => href.startsWith(`/e/${slug}/`));
  return [...new Set(found)];
}

describe("the draft form renders in the server build", () => {
  it("renders /proposals/new, /proposals/new?petition=… and a draft's edit page for a committee member (Form context is not available)", async () => {
    const fresh = await page(w.c1, `/e/${w.slug}/proposals/new`);
    expect(fresh.status, fresh.html.slice(0, 500)).toBe(200);
    expect(fresh.html).toContain('name="title"');
    expect(fresh.html).toContain('name="votingEndsAt"');

    const fromPetition = await page(w.c1, `/e/${w.slug}/proposals/new?petition=${w.petitionId}`);
    expect(fromPetition.status, fromPetition.html.slice(0, 500)).toBe(200);
    expect(fromPetition.html).toContain("加装电梯请愿");
    expect(fromPetition.html).toContain(`value="${w.petitionId}"`);

    const edit = await page(w.c1, `/e/${w.slug}/proposals/${w.draftId}/edit`);
    expect(edit.status, edit.html.slice(0, 500)).toBe(200);
    expect(edit.html).toContain('value="更换门禁"');
  });
});

describe("links shown to a person open for that person", () => {
  const pages = (s: string, proposalId: string) => [
    `/e/${s}`,
    `/e/${s}/collection`,
    `/e/${s}/proposals/${proposalId}`,
    `/e/${s}/fees/settings`,
    `/e/${s}/committee`,
  ];

  it("no link on the estate home, the collection page, the proposal page, the fee settings or the committee page answers 403 to the person it is shown to", async () => {
    const people = {
      owner: w.owner,
      resident: w.resident,
      committee: w.c1,
      staff: w.staff,
      admin: w.admin,
      platform: w.platform,
    };
    const refused: string[] = [];
    for (const [who, user] of Object.entries(people)) {
      for (const pathname of pages(w.slug, w.proposalId)) {
        const shown = await page(user, pathname);
        if (shown.status !== 200) continue; // a page the person may not open shows no links
        for (const href of estateLinks(shown.html, w.slug)) {
          const { status } = await page(user, href);
          if (status === 403) refused.push(`${who}: ${pathname} → ${href}`);
        }
      }
    }
    expect(refused).toEqual([]);
  });

  it("shows the home's 我的房屋 tile to owners and residents, not to property staff, community or platform admins", async () => {
    const units = `href="/e/${w.slug}/units"`;
    for (const user of [w.owner, w.resident]) expect((await page(user, `/e/${w.slug}`)).html).toContain(units);
    for (const user of [w.staff, w.admin, w.platform])
      expect((await page(user, `/e/${w.slug}`)).html).not.toContain(units);
  });

  it("shows the collection page's link to the bills to those who pay them only", async () => {
    const bills = `href="/e/${w.slug}/bills"`;
    for (const user of [w.owner, w.resident])
      expect((await page(user, `/e/${w.slug}/collection`)).html).toContain(bills);
    for (const user of [w.staff, w.admin, w.c1])
      expect((await page(user, `/e/${w.slug}/collection`)).html).not.toContain(bills);
  });

  it("shows the proposal page's paper-ballot link to the committee, not to community or platform admins", async () => {
    const paper = `href="/e/${w.slug}/proposals/${w.proposalId}/paper"`;
    expect((await page(w.c1, `/e/${w.slug}/proposals/${w.proposalId}`)).html).toContain(paper);
    for (const user of [w.admin, w.platform]) {
      const shown = await page(user, `/e/${w.slug}/proposals/${w.proposalId}`);
      expect(shown.html).toContain(`href="/e/${w.slug}/proposals/${w.proposalId}/turnout"`);
      expect(shown.html).not.toContain(paper);
    }
  });

  it("shows the fee settings' link to the ledger to the property company and admins, not to the committee", async () => {
    const ledger = `href="/e/${w.slug}/fees"`;
    expect((await page(w.staff, `/e/${w.slug}/fees/settings`)).html).toContain(ledger);
    expect((await page(w.c1, `/e/${w.slug}/fees/settings`)).html).not.toContain(ledger);
  });
});

describe("the committee's inbox of owners' questions", () => {
  it("renders /inquiries for a committee member (it answered a JSON 400: the route had no loader or page)", async () => {
    const { status, html } = await page(w.c1, `/e/${w.slug}/inquiries`);
    expect(status, html.slice(0, 500)).toBe(200);
    expect(html).toContain("<h1>业主提问</h1>");
    expect(html).toContain(`href="/e/${w.slug}/inquiries?show=answered"`);
    expect((await page(w.owner, `/e/${w.slug}/inquiries`)).status).toBe(403);
  });
});

describe("the not-found page", () => {
  it("shows a logged-in person's own header (not the logged-out one) on a URL no route matches", async () => {
    for (const pathname of ["/no-such-page", `/e/${w.slug}/no-such-page`]) {
      const { status, html } = await page(w.owner, pathname);
      expect(status, pathname).toBe(404);
      expect(html, pathname).toContain('action="/logout"');
      expect(html, pathname).toContain('href="/account"');
      expect(html, pathname).not.toContain('href="/login"');
    }
    const anonymous = await page(null, "/no-such-page");
    expect(anonymous.status).toBe(404);
    expect(anonymous.html).toContain('href="/login"');
    expect(anonymous.html).not.toContain('action="/logout"');
  });
});

describe("the turnout and result pages render the tally's criteria", () => {
  it("shows what each criterion needed and reached, in words from the law's table, also for a result stored before the criteria", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "甲" }] },
      { building: "1幢", number: "102", area: 10_000, owners: [{ name: "乙" }] },
      { building: "1幢", number: "103", area: 10_000, owners: [{ name: "丙" }] },
    ]);
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const voter = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "甲");
    expect(
      await castBallot({ ...ids, voterId: v.units[0].ownerIds[0], userId: voter.id, choice: "agree" }),
    ).toMatchObject({ ok: true });
    const base = `/e/${v.estate.slug}/proposals/${v.proposalId}`;

    // 1 of 3 voters, 100.00 of 300.00 m²: the quorum (三分之二以上: 200.00 m², 2 voters) needs 100.00 m² and 1 voter more.
    const turnout = await page(v.c1, `${base}/turnout`);
    expect(turnout.status, turnout.html.slice(0, 500)).toBe(200);
    expect(turnout.html).toContain("尚未达到参与门槛（三分之二以上）");
    expect(turnout.html).toContain(`还需 ${formatArea(10_000)} 平方米、1 人`);
    expect(turnout.html).toContain(`须三分之二以上，即至少 ${formatArea(20_000)} 平方米`);

    expect(await closeVoting({ ...ids, userId: v.c1.id, now: new Date(v.votingEndsAt.getTime() + 1) })).toMatchObject({
      ok: true,
    });
    const shown = await page(voter, `${base}/result`);
    expect(shown.status, shown.html.slice(0, 500)).toBe(200);
    expect(shown.html).toContain("参与表决的业主未达到法定比例（须三分之二以上），表决无效。");
    expect(shown.html).toContain("须三分之二以上，即至少 2 人");
    // Approval of an ordinary matter: more than half of 1 voter is 1; of 100.00 m² it is 50.01 m².
    expect(shown.html).toContain(`须过半数，即至少 ${formatArea(5_001)} 平方米`);

    // A result stored before tally() recorded its criteria renders the same.
    await getDb().execute(sql`update proposal set result = result - 'criteria' where id = ${v.proposalId}`);
    const legacy = await page(voter, `${base}/result`);
    expect(legacy.status).toBe(200);
    expect(legacy.html).toContain("参与表决的业主未达到法定比例（须三分之二以上），表决无效。");
    expect(legacy.html).toContain(`须过半数，即至少 ${formatArea(5_001)} 平方米`);
  });
});
