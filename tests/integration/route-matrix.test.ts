import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema/people";
import { call, makeEstate, makeUser, statusOf } from "../fixtures";

/**
 * The authorisation matrix: every loader and action of every route module, called by every
 * kind of caller, must answer as this table says. A route file without an entry fails, so a
 * new route cannot ship without deciding who may use it.
 */
type Caller =
  "anonymous" | "owner" | "resident" | "committee" | "staff" | "admin" | "outsider" | "foreignAdmin" | "platform";
const callers: Caller[] = [
  "anonymous",
  "owner",
  "resident",
  "committee",
  "staff",
  "admin",
  "outsider",
  "foreignAdmin",
  "platform",
];

/**
 * Who may use a route: "public" (anyone), "user" (any logged-in user), "platform" (platform
 * admins), or the estate roles allowed ("any" = any role in the estate). `ok` is the status an
 * allowed caller gets from the loader with made-up ids (200 by default, 404 where an id is
 * made up); an allowed caller's empty POST must be a 4xx or a redirect, never a 500.
 */
interface Entry {
  who: "public" | "user" | "platform" | "any" | readonly Role[];
  params?: Record<string, string>;
  ok?: number;
  /** Status for an allowed caller's empty POST, where it is fixed. */
  postOk?: number;
  /** Who may use the action, where it differs from the loader. */
  postWho?: Entry["who"];
}

const committee = ["committee", "community_admin", "platform_admin"] as const;
const admins = ["community_admin", "platform_admin"] as const;
const feeStaff = ["property_staff", ...admins] as const;
const id = randomUUID();

const matrix: Record<string, Entry> = {
  "_index.tsx": { who: "public" },
  "$.tsx": { who: "public" },
  "login.tsx": { who: "public" },
  "signup.tsx": { who: "public" },
  "logout.tsx": { who: "public" },
  "lang.tsx": { who: "public" },
  "i18n.$locale.ts": { who: "public", params: { locale: "en" } },
  "healthz.ts": { who: "public" },
  "forgot-password.tsx": { who: "public" },
  "reset-password.$token.tsx": { who: "public", params: { token: "not-a-token" } },
  "unsubscribe.$token.tsx": { who: "public", params: { token: "not-a-token" } },
  "claim.tsx": { who: "user" },
  "invite.$token.tsx": { who: "user", params: { token: "not-a-token" }, ok: 404 },
  "notices.tsx": { who: "user" },
  "n.tsx": { who: "public" },
  "settings.notifications.tsx": { who: "user" },
  "account._index.tsx": { who: "user" },
  "account.data.ts": { who: "user" },
  "account.delete.tsx": { who: "user", postOk: 400 },
  "admin.mail.tsx": { who: "platform" },
  "admin.communities.tsx": { who: "platform", postOk: 400 },
  "admin.calendar.tsx": { who: "platform", postOk: 400 },
  "dev.mail._index.tsx": { who: "public" },
  "dev.mail.$id.tsx": { who: "public", params: { id } },
  "dev.sms.tsx": { who: "public" },
  // The estate layout loads the estate, roles and navigation for its pages (it guards nothing for them).
  "e.$estate.tsx": { who: "any" },
  // Area layouts: an error boundary each, no loader or action.
  "e.$estate.committee.tsx": { who: "any" },
  "e.$estate.fees.tsx": { who: "any" },
  "e.$estate.tickets.tsx": { who: "any" },
  "e.$estate._index.tsx": { who: "any" },
  "e.$estate.board._index.tsx": { who: "any" },
  "e.$estate.board.$id._index.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.board.$id.print.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.board.new.tsx": { who: ["committee", "property_staff", ...admins], postOk: 400 },
  "e.$estate.units.tsx": { who: ["owner", "resident"] },
  "e.$estate.claims.tsx": { who: committee },
  "e.$estate.roster._index.tsx": { who: committee },
  "e.$estate.roster.units._index.tsx": { who: committee },
  "e.$estate.roster.units.$unitId.tsx": { who: committee, params: { unitId: id }, ok: 404 },
  "e.$estate.roster.letters.tsx": { who: admins },
  "e.$estate.settings.tsx": { who: committee, postWho: admins, postOk: 400 },
  "e.$estate.roster.import._index.tsx": { who: admins },
  "e.$estate.roster.import.$id.tsx": { who: admins, params: { id }, ok: 404 },
  "e.$estate.committee._index.tsx": { who: "any" },
  "e.$estate.committee.photo.$memberId.ts": { who: "any", params: { memberId: id }, ok: 404 },
  "e.$estate.committee.setup.tsx": { who: admins },
  "e.$estate.committee.roles.tsx": { who: ["owner", ...admins] },
  "e.$estate.committee.roles.$id.proof.ts": { who: ["owner", ...admins], params: { id }, ok: 404 },
  "e.$estate.committee.meetings._index.tsx": { who: "any" },
  "e.$estate.committee.meetings.new.tsx": { who: ["committee"] },
  "e.$estate.committee.meetings.$id.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.committee.requisitions.tsx": { who: ["committee"] },
  "e.$estate.committee.elections._index.tsx": { who: "any" },
  "e.$estate.committee.elections.$id.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.committee.elections.$id.ledger.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.committee.elections.$id.ledger[.]csv.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.committee.elections.$id.paper.tsx": { who: committee, params: { id }, ok: 404 },
  "e.$estate.committee.elections.$id.proxies.tsx": {
    who: ["owner", "resident", ...committee],
    postWho: ["owner", ...committee],
    params: { id },
    ok: 404,
  },
  "e.$estate.committee.elections.$id.files.$fileId.tsx": { who: "any", params: { id, fileId: id }, ok: 404 },
  "e.$estate.proposals._index.tsx": { who: "any" },
  "e.$estate.votes.tsx": { who: "any" },
  "e.$estate.proposals.new.tsx": { who: ["committee"] },
  "e.$estate.proposals.$id.edit.tsx": { who: ["committee"], params: { id }, ok: 404 },
  "e.$estate.proposals.$id._index.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.proposals.$id.files.$fileId.tsx": { who: "any", params: { id, fileId: id }, ok: 404 },
  "e.$estate.proposals.$id.ledger.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.proposals.$id.ledger[.]csv.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.proposals.$id.result.tsx": { who: "any", params: { id }, ok: 404 },
  "e.$estate.proposals.$id.paper.tsx": { who: ["committee"], params: { id }, ok: 404 },
  "e.$estate.proposals.$id.proxies.tsx": {
    who: ["owner", "resident", ...committee],
    postWho: ["owner", "committee"],
    params: { id },
    ok: 404,
  },
  "e.$estate.proposals.$id.turnout.tsx": { who: committee, postWho: ["committee"], params: { id }, ok: 404 },
  "e.$estate.proposals.petitions.tsx": { who: "any", postWho: ["owner"] },
  "e.$estate.bills.tsx": { who: ["owner", "resident"] },
  "e.$estate.collection.tsx": { who: "any" },
  "e.$estate.receipts.$paymentId.tsx": { who: "any", params: { paymentId: id }, ok: 404 },
  "e.$estate.fees._index.tsx": { who: feeStaff },
  "e.$estate.fees.export[.]csv.ts": { who: feeStaff },
  "e.$estate.fees.settings.tsx": { who: ["committee", ...feeStaff] },
  "e.$estate.fees.units.$unitId.tsx": { who: feeStaff, params: { unitId: id }, ok: 404 },
  "e.$estate.payments.settings.tsx": { who: admins },
  "pay.sandbox.$sessionId.tsx": { who: "user", params: { sessionId: id }, ok: 404 },
  "unsubscribe.one-click.$token.ts": { who: "public", params: { token: "not-a-token" } },
  "webhooks.stripe.ts": { who: "public" },
  "webhooks.alipay.$estate.ts": { who: "public" },
  "webhooks.wechatpay.$estate.ts": { who: "public" },
  "e.$estate.tickets._index.tsx": { who: "any" },
  "e.$estate.tickets.new.tsx": { who: ["owner", "resident"], postOk: 400 },
  "e.$estate.tickets.board.tsx": { who: "any" },
  "e.$estate.tickets.settings.tsx": { who: committee, postOk: 400 },
  "e.$estate.tickets.$id._index.tsx": { who: "any", params: { id }, ok: 404, postOk: 400 },
  "e.$estate.tickets.$id.photos.$photoId.tsx": { who: "any", params: { id, photoId: id }, ok: 404 },
  "e.$estate.scorecard.tsx": { who: "any" },
  "e.$estate.service-reports.tsx": { who: "any" },
  "e.$estate.ledgers.tsx": { who: "any" },
  "e.$estate.inquiries.tsx": { who: committee, postWho: ["owner", "committee"] },
  "e.$estate.community.tsx": { who: admins },
  "e.$estate.staff.tsx": { who: admins, postOk: 400 },
  "e.$estate.audit.tsx": { who: committee },
  "wechat.callback.tsx": { who: "public" },
  "wechat.bind.tsx": { who: "public", postOk: 400 },
  // Only inside WeChat's browser with the official account configured; elsewhere 404.
  "wechat.start.tsx": { who: "user", ok: 404 },
};

type RouteModule = { loader?: Parameters<typeof call>[0]; action?: Parameters<typeof call>[0] };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}");
const routeFiles = Object.keys(modules).map((p) => p.replace("../../app/routes/", ""));

const rolesOf: Record<Caller, Role[]> = {
  anonymous: [],
  owner: ["owner"],
  resident: ["resident"],
  committee: ["committee", "owner"],
  staff: ["property_staff"],
  admin: ["community_admin"],
  outsider: [],
  foreignAdmin: [],
  platform: ["platform_admin"],
};

/** What a caller should get from a route's loader or action, before any input is read. */
function expected(entry: Entry, caller: Caller): number | "allowed" {
  if (entry.who === "public") return "allowed";
  if (caller === "anonymous") return 302;
  if (entry.who === "user") return "allowed";
  if (entry.who === "platform") return caller === "platform" ? "allowed" : 404;
  const roles = rolesOf[caller];
  if (roles.length === 0) return 404; // no role in this estate: its existence is not revealed
  if (entry.who === "any") return "allowed";
  return roles.some((r) => (entry.who as readonly Role[]).includes(r)) ? "allowed" : 403;
}

const users = {} as Record<Caller, { id: string; email: string; displayName: string } | null>;
let slug = "";

beforeAll(async () => {
  const estate = await makeEstate();
  const other = await makeEstate();
  slug = estate.slug;
  users.anonymous = null;
  users.owner = await makeUser([{ role: "owner", estateId: estate.id }]);
  users.resident = await makeUser([{ role: "resident", estateId: estate.id }]);
  users.committee = await makeUser([
    { role: "committee", estateId: estate.id },
    { role: "owner", estateId: estate.id },
  ]);
  users.staff = await makeUser([{ role: "property_staff", estateId: estate.id }]);
  users.admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
  users.outsider = await makeUser([{ role: "owner", estateId: other.id }]);
  users.foreignAdmin = await makeUser([{ role: "community_admin", communityId: other.communityId }]);
  users.platform = await makeUser([{ role: "platform_admin" }]);
});

describe("authorisation matrix", () => {
  it("has an entry for every route module, and no entry without a module", () => {
    expect(
      routeFiles.filter((f) => !matrix[f]),
      "routes missing from the matrix",
    ).toEqual([]);
    expect(
      Object.keys(matrix).filter((f) => !routeFiles.includes(f)),
      "entries without a route",
    ).toEqual([]);
  });

  for (const file of Object.keys(matrix)) {
    const entry = matrix[file];
    it(`${file}`, async () => {
      const mod = await modules[`../../app/routes/${file}`]();
      const params = { estate: "", ...entry.params };
      for (const caller of callers) {
        params.estate = slug;
        const url = `/${file}`;
        if (mod.loader) {
          const status = statusOf(await call(mod.loader, { url, params, user: users[caller] }));
          const want = expected(entry, caller);
          if (want === "allowed") {
            if (entry.who !== "public") expect(status, `GET ${file} as ${caller}`).toBe(entry.ok ?? 200);
            else expect(status, `GET ${file} as ${caller}`).toBeLessThan(500);
          } else expect(status, `GET ${file} as ${caller}`).toBe(want);
        }
        if (mod.action) {
          const status = statusOf(await call(mod.action, { url, params, user: users[caller], form: {} }));
          const want = expected({ ...entry, who: entry.postWho ?? entry.who }, caller);
          if (want === "allowed") {
            if (entry.postOk) expect(status, `POST ${file} as ${caller}`).toBe(entry.postOk);
            else expect(status, `POST ${file} as ${caller} (empty form)`).toBeLessThan(500);
          } else expect(status, `POST ${file} as ${caller}`).toBe(want);
        }
      }
    });
  }
});
