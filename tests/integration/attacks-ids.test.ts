import { beforeAll, describe, expect, it } from "vitest";
import { call, statusOf, tempUploadDir } from "../fixtures";
import { plainJpeg } from "../ticket-photos";
import { attackWorld, fingerprint, type AttackWorld } from "./attacks-world";

/**
 * Attack: guessing the ids of another estate's objects. Two estates hold one object of every
 * kind; a caller who holds every role in estate B (and is B's community admin) asks B's URLs
 * for A's objects, and A's caller asks A's URLs for B's. Each lookup must be scoped to the
 * estate in the URL: 404 for a read, a refusal (4xx) for a post, and no row anywhere changes.
 * The same caller with its own estate's id gets the page (control), so the 404 is the scoping
 * and not a broken fixture.
 */

type RouteModule = { loader?: Parameters<typeof call>[0]; action?: Parameters<typeof call>[0] };
const modules = import.meta.glob<RouteModule>("../../app/routes/*.{ts,tsx}");
const routeFiles = Object.keys(modules).map((p) => p.replace("../../app/routes/", ""));

/** Routes addressed by a secret token, not by an object id; their guessing is covered where the token is made. */
const tokenRoutes: Record<string, string> = {
  "invite.$token.tsx": "resident invite tokens (roster.test.ts)",
  "reset-password.$token.tsx": "reset tokens (attacks.test.ts, notify.test.ts)",
  "unsubscribe.$token.tsx": "signed unsubscribe tokens (notify.test.ts: a forged token is 400)",
  "unsubscribe.one-click.$token.ts": "signed unsubscribe tokens (notify.test.ts)",
  "dev.mail.$id.tsx": "the development mail viewer, not served in production",
};

type Form = Record<string, string>;
interface IdRoute {
  /** The route params naming `w`'s object (besides `estate`). */
  params: (w: AttackWorld) => Record<string, string>;
  /** Status of the control read (the caller's own estate's object). */
  ok?: number;
  /** Posts a caller of the home estate might try against the foreign object. */
  posts?: (foreign: AttackWorld) => Form[];
  /** Who asks, where not the all-roles probe. */
  caller?: (w: AttackWorld) => AttackWorld["probe"];
}

const body = "<b>试探</b>";
/** A form value that is sent as a real JPEG file (a proxy form needs its scan before the proposal is looked up). */
const jpegMarker = "\u0000jpeg";
function encode(form: Form): Form | FormData {
  if (!Object.values(form).includes(jpegMarker)) return form;
  const data = new FormData();
  for (const [k, v] of Object.entries(form))
    data.append(k, v === jpegMarker ? new File([plainJpeg], "委托书.jpg", { type: "image/jpeg" }) : v);
  return data;
}
const idRoutes: Record<string, IdRoute> = {
  "e.$estate.board.$id._index.tsx": { params: (w) => ({ id: w.ids.boardNoticeId }) },
  "e.$estate.board.$id.print.tsx": { params: (w) => ({ id: w.ids.boardNoticeId }) },
  "e.$estate.committee.elections.$id.tsx": {
    params: (w) => ({ id: w.ids.electionId }),
    posts: (f): Form[] => [
      { intent: "stand", seat: "N", statement: body },
      { intent: "nominate", candidateId: f.ids.candidateId },
      { intent: "cast", voterId: "v" },
      { intent: "open" },
      { intent: "close" },
      { intent: "publish" },
    ],
  },
  "e.$estate.committee.elections.$id.files.$fileId.tsx": {
    params: (w) => ({ id: w.ids.electionId, fileId: w.ids.electionFileId }),
  },
  "e.$estate.committee.elections.$id.ledger.tsx": { params: (w) => ({ id: w.ids.electionId }) },
  // The CSV exists once the vote has closed and the world's is still open: the control is 404 too, so
  // this one only shows that another estate's id gets nothing different.
  "e.$estate.committee.elections.$id.ledger[.]csv.tsx": { params: (w) => ({ id: w.ids.electionId }), ok: 404 },
  "e.$estate.committee.elections.$id.paper.tsx": {
    params: (w) => ({ id: w.ids.electionId }),
    posts: (f): Form[] => [
      { intent: "confirm", paperBallotId: crypto.randomUUID() },
      { intent: "enter", building: "1幢", number: "105", scan: jpegMarker, [`choice`]: f.memberIds[0] },
    ],
  },
  "e.$estate.committee.elections.$id.proxies.tsx": {
    params: (w) => ({ id: w.ids.electionId }),
    posts: (f): Form[] => [
      { intent: "authorise", proxyIdentifier: f.members[2].email, proxyName: "代理人", file: jpegMarker },
      { intent: "approve", proxyId: crypto.randomUUID() },
    ],
  },
  "e.$estate.committee.meetings.$id.tsx": {
    params: (w) => ({ id: w.ids.meetingId }),
    posts: (f): Form[] => [
      { intent: "attendance", present: f.memberIds[0] },
      { intent: "publishDecisions" },
      { intent: "minutes", markdown: body },
      { intent: "sign" },
      { intent: "cancel", reason: body },
    ],
  },
  "e.$estate.committee.photo.$memberId.ts": { params: (w) => ({ memberId: w.ids.memberId }) },
  "e.$estate.committee.roles.$id.proof.ts": { params: (w) => ({ id: w.ids.declarationId }) },
  "e.$estate.fees.units.$unitId.tsx": {
    params: (w) => ({ unitId: w.unitId }),
    posts: (): Form[] => [{ billId: crypto.randomUUID(), method: "cash", paidOn: "2026-11-01" }],
  },
  "e.$estate.proposals.$id._index.tsx": {
    params: (w) => ({ id: w.ids.proposalId }),
    posts: (): Form[] => [
      { intent: "cast", voterId: "v", choice: "agree" },
      { intent: "comment", body },
      { intent: "openComment" },
      { intent: "openVoting" },
      { intent: "closeVoting" },
      { intent: "publish", publicityDays: "7" },
      { intent: "carriedOut", record: body },
    ],
  },
  "e.$estate.proposals.$id.edit.tsx": {
    params: (w) => ({ id: w.ids.draftId }),
    posts: (): Form[] => [
      {
        title: body,
        body,
        type: "property_company",
        commentEndsAt: "2027-01-01T10:00",
        votingStartsAt: "2027-01-02T10:00",
        votingEndsAt: "2027-01-20T10:00",
      },
    ],
  },
  "e.$estate.proposals.$id.files.$fileId.tsx": { params: (w) => ({ id: w.ids.proposalId, fileId: w.ids.fileId }) },
  "e.$estate.proposals.$id.ledger.tsx": { params: (w) => ({ id: w.ids.proposalId }) },
  "e.$estate.proposals.$id.ledger[.]csv.tsx": { params: (w) => ({ id: w.ids.closedId }) },
  "e.$estate.proposals.$id.result.tsx": { params: (w) => ({ id: w.ids.closedId }) },
  "e.$estate.proposals.$id.paper.tsx": {
    params: (w) => ({ id: w.ids.votingId }),
    posts: (): Form[] => [{ intent: "confirm", paperBallotId: crypto.randomUUID() }],
  },
  "e.$estate.proposals.$id.proxies.tsx": {
    params: (w) => ({ id: w.ids.votingId }),
    posts: (f): Form[] => [
      { intent: "authorise", proxyIdentifier: f.members[1].email, proxyName: "代理人", file: jpegMarker },
    ],
  },
  "e.$estate.proposals.$id.turnout.tsx": {
    params: (w) => ({ id: w.ids.votingId }),
    posts: (): Form[] => [{ intent: "remind" }],
  },
  "e.$estate.receipts.$paymentId.tsx": { params: (w) => ({ paymentId: w.ids.paymentId }) },
  "e.$estate.roster.import.$id.tsx": {
    params: (w) => ({ id: w.ids.importId }),
    posts: (): Form[] => [{ intent: "confirm" }, { intent: "discard" }],
  },
  "e.$estate.roster.units.$unitId.tsx": {
    params: (w) => ({ unitId: w.unitId }),
    posts: (): Form[] => [{ intent: "reissue" }],
  },
  "e.$estate.tickets.$id._index.tsx": {
    params: (w) => ({ id: w.ids.ticketId }),
    posts: (f): Form[] => [
      { intent: "acknowledge" },
      { intent: "assign", assigneeId: f.probe.id },
      { intent: "staffComment", body },
      { intent: "resolve", body },
      { intent: "filerComment", body },
      { intent: "confirm", rating: "1", body },
      { intent: "reopen", body },
      { intent: "rate", rating: "1", body },
      { intent: "committeeComment", body },
      { intent: "press", body },
      { intent: "upvote" },
    ],
  },
  "e.$estate.tickets.$id.photos.$photoId.tsx": { params: (w) => ({ id: w.ids.ticketId, photoId: w.ids.photoId }) },
  // Not an estate's object but a user's: the owner who started the payment is the caller.
  "pay.sandbox.$sessionId.tsx": {
    params: (w) => ({ sessionId: w.ids.sandboxId }),
    caller: (w) => w.owner,
    posts: (): Form[] => [{ intent: "pay", method: "card" }],
  },
};

/**
 * Ids that travel in a form field of a page of the home estate: each post names the foreign
 * estate's object and must be refused without a change.
 */
const formIdPosts: {
  file: string;
  params?: (home: AttackWorld) => Record<string, string>;
  forms: (foreign: AttackWorld) => Form[];
}[] = [
  {
    file: "e.$estate.claims.tsx",
    forms: (f): Form[] => [
      { intent: "approve", requestId: f.ids.claimId, ownerId: crypto.randomUUID() },
      { intent: "reject", requestId: f.ids.claimId, reason: body },
    ],
  },
  {
    file: "e.$estate.committee.roles.tsx",
    forms: (f): Form[] => [
      { intent: "verify", id: f.ids.declarationId },
      { intent: "reject", id: f.ids.declarationId, reason: body },
    ],
  },
  {
    file: "e.$estate.committee.requisitions.tsx",
    forms: (f): Form[] => [{ intent: "sign", requisitionId: f.ids.requisitionId }],
  },
  {
    file: "e.$estate.committee.setup.tsx",
    forms: (f): Form[] => [
      { intent: "vacate", memberId: f.memberIds[1], reason: body },
      { intent: "office", memberId: f.memberIds[1], office: "chair" },
      { intent: "archive", committeeId: f.committeeId, confirm: "yes" },
    ],
  },
  { file: "e.$estate.committee._index.tsx", forms: (f): Form[] => [{ memberId: f.memberIds[0] }] },
  {
    file: "e.$estate.committee.elections.$id.tsx",
    params: (h) => ({ id: h.ids.electionId }),
    forms: (f): Form[] => [{ intent: "nominate", candidateId: f.ids.candidateId }],
  },
];

/** Mixed URLs: the parent is the caller's own, the child the foreign estate's. */
const mixed: { file: string; params: (home: AttackWorld, foreign: AttackWorld) => Record<string, string> }[] = [
  {
    file: "e.$estate.committee.elections.$id.files.$fileId.tsx",
    params: (h, f) => ({ id: h.ids.electionId, fileId: f.ids.electionFileId }),
  },
  {
    file: "e.$estate.proposals.$id.files.$fileId.tsx",
    params: (h, f) => ({ id: h.ids.proposalId, fileId: f.ids.fileId }),
  },
  {
    file: "e.$estate.tickets.$id.photos.$photoId.tsx",
    params: (h, f) => ({ id: h.ids.ticketId, photoId: f.ids.photoId }),
  },
];

const urlOf = (file: string, params: Record<string, string>) =>
  "/" +
  file
    .replace(/\.tsx?$/, "")
    .replace(/\[\.\]/g, ".")
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => (s.startsWith("$") ? (params[s.slice(1)] ?? s) : s))
    .join("/");

tempUploadDir();
let a: AttackWorld;
let b: AttackWorld;
beforeAll(async () => {
  a = await attackWorld({ electionInVote: true });
  b = await attackWorld({ electionInVote: true });
}, 60_000);

async function load(mod: RouteModule, file: string, home: AttackWorld, params: Record<string, string>) {
  const all = { estate: home.estate.slug, ...params };
  return statusOf(
    await call(mod.loader!, { url: urlOf(file, all), params: all, user: idRoutes[file]?.caller?.(home) ?? home.probe }),
  );
}

async function post(mod: RouteModule, file: string, home: AttackWorld, params: Record<string, string>, form: Form) {
  const all = { estate: home.estate.slug, ...params };
  return statusOf(
    await call(mod.action!, {
      url: urlOf(file, all),
      params: all,
      user: idRoutes[file]?.caller?.(home) ?? home.probe,
      form: encode(form),
    }),
  );
}

describe("attack: guessing the ids of another estate's objects", () => {
  it("covers every route with an id in its path", () => {
    // "$.tsx" is the catch-all for unmatched URLs (a splat, not an id): it answers 404 to everything.
    const withIds = routeFiles.filter((f) => f !== "$.tsx" && f.replace("$estate", "").includes("$"));
    // The language catalogue's param is a public language name (zh-CN, en), not an object's id.
    const missing = withIds.filter((f) => !idRoutes[f] && !tokenRoutes[f] && f !== "i18n.$locale.ts");
    expect(missing, "routes with an id param that this attack does not try").toEqual([]);
  });

  for (const [file, route] of Object.entries(idRoutes)) {
    it(`${file}: the other estate's id is 404 to read, refused to post, and changes nothing`, async () => {
      const mod = await modules[`../../app/routes/${file}`]();
      if (mod.loader) {
        for (const home of [a, b])
          expect(await load(mod, file, home, route.params(home)), `control: own object via ${file}`).toBe(
            route.ok ?? 200,
          );
      }
      const before = await fingerprint();
      for (const [home, foreign] of [
        [b, a],
        [a, b],
      ] as const) {
        if (mod.loader)
          expect(await load(mod, file, home, route.params(foreign)), `GET ${file} with the other estate's id`).toBe(
            404,
          );
        if (mod.action) {
          for (const form of route.posts?.(foreign) ?? [{}]) {
            const status = await post(mod, file, home, route.params(foreign), form);
            expect(status, `POST ${file} ${JSON.stringify(form)} with the other estate's id`).toBeGreaterThanOrEqual(
              403,
            );
            expect(status, `POST ${file} ${JSON.stringify(form)} with the other estate's id`).toBeLessThan(500);
          }
        }
      }
      expect(await fingerprint()).toEqual(before);
    });
  }

  it("refuses the other estate's object named in a form field, and changes nothing", async () => {
    const before = await fingerprint();
    for (const { file, params, forms } of formIdPosts) {
      const mod = await modules[`../../app/routes/${file}`]();
      for (const [home, foreign] of [
        [b, a],
        [a, b],
      ] as const) {
        for (const form of forms(foreign)) {
          const status = await post(mod, file, home, params?.(home) ?? {}, form);
          expect(status, `POST ${file} ${JSON.stringify(form)}`).toBeGreaterThanOrEqual(400);
          expect(status, `POST ${file} ${JSON.stringify(form)}`).toBeLessThan(500);
        }
      }
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("refuses a URL that pairs the caller's own parent with the other estate's child", async () => {
    for (const { file, params } of mixed) {
      const mod = await modules[`../../app/routes/${file}`]();
      expect(await load(mod, file, a, params(a, b)), file).toBe(404);
      expect(await load(mod, file, b, params(b, a)), file).toBe(404);
    }
  });
});
