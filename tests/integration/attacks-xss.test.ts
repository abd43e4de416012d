import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { startSession } from "~/auth/session.server";
import { action as claimAction } from "~/routes/claim";
import { action as electionAction } from "~/routes/e.$estate.committee.elections.$id";
import { action as meetingAction } from "~/routes/e.$estate.committee.meetings.$id";
import { action as scheduleAction } from "~/routes/e.$estate.committee.meetings.new";
import { action as rolesAction } from "~/routes/e.$estate.committee.roles";
import { action as ledgersAction } from "~/routes/e.$estate.ledgers";
import { action as proposalAction } from "~/routes/e.$estate.proposals.$id._index";
import { action as newProposalAction } from "~/routes/e.$estate.proposals.new";
import { action as reportsAction } from "~/routes/e.$estate.service-reports";
import { action as ticketAction } from "~/routes/e.$estate.tickets.$id._index";
import { action as newTicketAction } from "~/routes/e.$estate.tickets.new";
import { action as signupAction } from "~/routes/signup";
import { call, makeUnits, makeUser, statusOf, tempUploadDir } from "../fixtures";
import { startTestApp } from "../remix-app";
import { attackWorld, type AttackWorld } from "./attacks-world";

/**
 * Attack: a script in every text field one user writes and another reads. Each payload goes in
 * through the real action, then the reading page is rendered by the real server (Express,
 * Remix, the route's loader and component) and fetched over HTTP. The page must show the text
 * (its marker is there) and carry no executable markup from it: no script element without the
 * server's nonce, no on* attribute, no javascript: URL.
 */

/** A payload with a marker, so the test knows the field was rendered at all. Short fields get the short one. */
const long = (marker: string) =>
  `${marker} <script>alert("${marker}")</script> <img src=x onerror=alert(1)> "><svg onload=alert(1)> [点我](javascript:alert(1)) <a href="javascript:alert(1)">a</a> <iframe src="javascript:alert(1)"></iframe>`;
const short = (marker: string) => `${marker}"><img src=x onerror=alert(1)>`;

/**
 * Executable markup in a page: a script element without the server's nonce, an on* attribute,
 * a javascript: URL, or a frame, object or embed. The server's own nonce'd scripts
 * (which carry the loader data as JSON) are set aside first; text after a "</script>" that
 * broke out of one is markup again and is read.
 */
function executableMarkup(html: string): string[] {
  const found: string[] = [];
  const rest = html.replace(/<script\b[^>]*\snonce="[^"]+"[^>]*>[\s\S]*?<\/script>/gi, "");
  const tag = /<([a-zA-Z][\w-]*)((?:\s+[^\s=>"'/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g;
  const attribute = /([^\s=>"'/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?/g;
  for (const [whole, name, attrs] of rest.matchAll(tag)) {
    if (/^(script|iframe|object|embed)$/i.test(name)) found.push(whole);
    for (const [, attr, raw = ""] of attrs.matchAll(attribute)) {
      const value = raw
        .replace(/^["']|["']$/g, "")
        .replace(/&#x?[0-9a-f]+;|&colon;|\s/gi, (e) =>
          /^&#/.test(e)
            ? String.fromCodePoint(Number(e.startsWith("&#x") ? `0x${e.slice(3, -1)}` : e.slice(2, -1)))
            : e === "&colon;"
              ? ":"
              : "",
        );
      if (/^on/i.test(attr)) found.push(whole);
      else if (/^(href|src|action|formaction|xlink:href)$/i.test(attr) && /^javascript:/i.test(value))
        found.push(whole);
    }
  }
  return found;
}

tempUploadDir();
let app: Awaited<ReturnType<typeof startTestApp>>;
let w: AttackWorld;
beforeAll(async () => {
  app = await startTestApp();
  w = await attackWorld();
}, 60_000);
afterAll(async () => {
  await app.close();
});

async function page(user: { id: string }, pathname: string) {
  const cookie = (await startSession(user.id)).split(";")[0];
  const res = await fetch(`${app.origin}${pathname}`, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text() };
}

const stored = async (result: Promise<unknown>) => {
  const r = await result;
  expect(statusOf(r), JSON.stringify((r as { data?: unknown })?.data ?? null)).toBeLessThan(400);
  return r as Response;
};

async function expectSafe(user: { id: string }, pathname: string, markers: string[]) {
  const { status, html } = await page(user, pathname);
  expect(status, pathname).toBe(200);
  for (const marker of markers) expect(html, `${marker} is shown on ${pathname}`).toContain(marker);
  expect(executableMarkup(html), pathname).toEqual([]);
}

describe("attack: a script in every user-written text field", () => {
  it("recognises executable markup, and not escaped text or the server's own scripts", () => {
    expect(executableMarkup(`<p>x</p><img src=x onerror=alert(1)>`)).toHaveLength(1);
    expect(executableMarkup(`<a href="java&#115;cript:alert(1)">a</a>`)).toHaveLength(1);
    expect(executableMarkup(`<a href=" javascript:alert(1)">a</a><script>alert(1)</script>`)).toHaveLength(2);
    expect(executableMarkup(`<script nonce="n">window.x = "</script><script>alert(1)</script>`)).toHaveLength(1);
    expect(
      executableMarkup(
        `<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;</p><script nonce="n">"<img onerror=x>"</script>`,
      ),
    ).toEqual([]);
  });

  it("proposal title and body (Markdown), and a comment, on the proposal page and the list", async () => {
    const slug = w.estate.slug;
    const chair = w.members[0];
    const created = await stored(
      call(newProposalAction, {
        url: `/e/${slug}/proposals/new`,
        params: { estate: slug },
        user: chair,
        form: {
          title: short("XT1"),
          body: long("XB1"),
          type: "property_company",
          commentEndsAt: "2030-01-05T10:00",
          votingStartsAt: "2030-01-05T10:00",
          votingEndsAt: "2030-01-20T10:00",
        },
      }),
    );
    const id = created.headers.get("Location")!.split("/").pop()!;
    await stored(
      call(proposalAction, {
        url: `/e/${slug}/proposals/${w.ids.proposalId}`,
        params: { estate: slug, id: w.ids.proposalId },
        user: w.owner,
        form: { intent: "comment", body: long("XC1") },
      }),
    );
    await expectSafe(chair, `/e/${slug}/proposals/${id}`, ["XT1", "XB1"]);
    await expectSafe(chair, `/e/${slug}/proposals`, ["XT1"]);
    await expectSafe(w.owner, `/e/${slug}/proposals/${w.ids.proposalId}`, ["XC1"]);
  });

  it("a display name, wherever the user's comment shows it", async () => {
    const slug = w.estate.slug;
    const email = `xss-${Date.now()}@example.com`;
    await stored(
      call(signupAction, {
        url: "/signup",
        form: { email, displayName: short("XN1"), password: "a good password", confirmPassword: "a good password" },
      }),
    );
    const [user] = await getDb().select().from(schema.users).where(eq(schema.users.email, email));
    await getDb().insert(schema.memberships).values({ userId: user.id, role: "owner", estateId: w.estate.id });
    await stored(
      call(proposalAction, {
        url: `/e/${slug}/proposals/${w.ids.proposalId}`,
        params: { estate: slug, id: w.ids.proposalId },
        user,
        form: { intent: "comment", body: "同意" },
      }),
    );
    // The writer's own header shows the name in full; the page shows others' names masked.
    await expectSafe(user, `/e/${slug}/proposals/${w.ids.proposalId}`, ["XN1"]);
    const { html } = await page(w.owner, `/e/${slug}/proposals/${w.ids.proposalId}`);
    expect(executableMarkup(html)).toEqual([]);
  });

  it("meeting title and agenda, and minutes (Markdown)", async () => {
    const slug = w.estate.slug;
    const chair = w.members[0];
    const scheduled = await stored(
      call(scheduleAction, {
        url: `/e/${slug}/committee/meetings/new`,
        params: { estate: slug },
        user: chair,
        form: {
          title: short("XM1"),
          kind: "regular",
          scheduledAt: "2030-01-10T19:00",
          place: short("XP1"),
          "agenda[0].kind": "motion",
          "agenda[0].title": short("XA1"),
          "agenda[0].description": long("XD1"),
        },
      }),
    );
    const id = scheduled.headers.get("Location")!.split("/").pop()!.split("#")[0];
    // The meeting has been held: its roll, then its minutes.
    await getDb()
      .update(schema.committeeMeetings)
      .set({ scheduledAt: new Date(Date.now() - 3_600_000) })
      .where(eq(schema.committeeMeetings.id, id));
    const roll = new FormData();
    roll.append("intent", "attendance");
    for (const m of w.memberIds) roll.append("present", m);
    await stored(
      call(meetingAction, {
        url: `/e/${slug}/committee/meetings/${id}`,
        params: { estate: slug, id },
        user: chair,
        form: roll,
      }),
    );
    await stored(
      call(meetingAction, {
        url: `/e/${slug}/committee/meetings/${id}`,
        params: { estate: slug, id },
        user: chair,
        form: { intent: "minutes", markdown: long("XMIN") },
      }),
    );
    await expectSafe(chair, `/e/${slug}/committee/meetings/${id}`, ["XM1", "XP1", "XA1", "XD1", "XMIN"]);
    await expectSafe(w.owner, `/e/${slug}/committee/meetings`, ["XM1"]);
  });

  it("ticket description, comments and the rating comment", async () => {
    const slug = w.estate.slug;
    const filed = await stored(
      call(newTicketAction, {
        url: `/e/${slug}/tickets/new`,
        params: { estate: slug },
        user: w.owner,
        form: { unitId: w.unitId, category: "other", location: "unit", description: long("XTD"), visibility: "public" },
      }),
    );
    const id = filed.headers.get("Location")!.split("/").pop()!.split("#")[0];
    const ticket = `/e/${slug}/tickets/${id}`;
    const params = { estate: slug, id };
    await stored(
      call(ticketAction, { url: ticket, params, user: w.owner, form: { intent: "filerComment", body: long("XTC") } }),
    );
    await stored(
      call(ticketAction, { url: ticket, params, user: w.probe, form: { intent: "resolve", body: long("XTR") } }),
    );
    await stored(
      call(ticketAction, {
        url: ticket,
        params,
        user: w.owner,
        form: { intent: "confirm", rating: "2", body: long("XTS") },
      }),
    );
    await expectSafe(w.owner, ticket, ["XTD", "XTC", "XTR", "XTS"]);
    await expectSafe(w.probe, `/e/${slug}/tickets/board`, []);
  });

  it("service report title, text and lines; ledger descriptions and counterparties", async () => {
    const slug = w.estate.slug;
    await stored(
      call(reportsAction, {
        url: `/e/${slug}/service-reports`,
        params: { estate: slug },
        user: w.probe,
        form: {
          intent: "publish",
          quarter: "2026-Q3",
          title: short("XR1"),
          body: long("XR2"),
          lines: `收入, ${short("XR3")}, 100.00`,
        },
      }),
    );
    await expectSafe(w.owner, `/e/${slug}/service-reports`, ["XR1", "XR2", "XR3"]);
    await stored(
      call(ledgersAction, {
        url: `/e/${slug}/ledgers`,
        params: { estate: slug },
        user: w.members[0],
        form: {
          intent: "record",
          ledger: "common_income",
          direction: "in",
          occurredOn: "2026-11-01",
          description: long("XL1"),
          counterparty: short("XL2"),
          amount: "10.00",
        },
      }),
    );
    await expectSafe(w.owner, `/e/${slug}/ledgers`, ["XL1", "XL2"]);
  });

  it("an election candidate's statement", async () => {
    const slug = w.estate.slug;
    const url = `/e/${slug}/committee/elections/${w.ids.electionId}`;
    const [race] = await getDb()
      .select()
      .from(schema.electionRaces)
      .where(eq(schema.electionRaces.electionId, w.ids.electionId));
    const other = w.members[1];
    await stored(
      call(electionAction, {
        url,
        params: { estate: slug, id: w.ids.electionId },
        user: other,
        form: { intent: "stand", seat: "N", zoneId: race.zoneId ?? "", statement: long("XS1") },
      }),
    );
    await expectSafe(w.owner, url, ["XS1"]);
  });

  it("a public-role declaration and a claim's name, as the admin reviews them", async () => {
    const slug = w.estate.slug;
    await stored(
      call(rolesAction, {
        url: `/e/${slug}/committee/roles`,
        params: { estate: slug },
        user: w.members[2],
        form: { intent: "declare", role: "npc", title: short("XRT"), proofNote: long("XRN") },
      }),
    );
    await expectSafe(w.admin, `/e/${slug}/committee/roles`, ["XRT", "XRN"]);
    // A unit whose owner has no account yet; a name unlike the roster's goes to review.
    const [unit] = await makeUnits(w.estate.id, [{ building: "8幢", number: "801", owners: [{ name: "钱七" }] }]);
    const claimant = await makeUser([], "认领人");
    await stored(
      call(claimAction, { url: "/claim", user: claimant, form: { code: unit.claimCode, name: short("XCN") } }),
    );
    await expectSafe(w.admin, `/e/${slug}/claims`, ["XCN"]);
  });
});
