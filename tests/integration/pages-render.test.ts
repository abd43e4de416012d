import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "~/auth/session.server";
import { createPetition } from "~/voting/petitions.server";
import { draftProposal } from "~/voting/proposals.server";
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
  return { ...v, slug: v.estate.slug, owner, resident, staff, admin, platform, draftId: draft.id, petitionId: petition.id };
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
