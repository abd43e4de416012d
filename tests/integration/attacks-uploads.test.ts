import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "~/auth/session.server";
import { maxPhotoBytes as maxMemberPhotoBytes } from "~/committee/composition.server";
import { resources } from "~/i18n/resources";
import { maxUploadBytes } from "~/lib/uploads/store.server";
import { rosterLimits } from "~/roster/roster-fields";
import { tempUploadDir } from "../fixtures";
import { startTestApp } from "../remix-app";
import { plainJpeg } from "../ticket-photos";
import { attackWorld, fingerprint, type AttackWorld } from "./attacks-world";
import { maxPhotoBytes as maxTicketPhotoBytes } from "~/tickets/photo-limits";

/**
 * Attack: an oversized or mislabelled upload, on every form that takes a file. Each is posted
 * over HTTP to the real server as a browser would (multipart, own origin, logged in): a file
 * one byte over the limit, an HTML page named .jpg and sent as image/jpeg, and a polyglot (a
 * JPEG's first bytes followed by an HTML page with a script). Each must be refused with a 4xx
 * and a message in the reader's language, leave every table as it was, and leave no file,
 * finished or half-written, in the upload directory.
 */

const html = new TextEncoder().encode(
  `<!doctype html><html><body><script>alert(document.cookie)</script></body></html>`,
);
const polyglot = new Uint8Array([...plainJpeg.slice(0, 20), ...html]);
const over = (limit: number) => {
  const bytes = new Uint8Array(limit + 1);
  bytes.set(plainJpeg.slice(0, 20));
  return bytes;
};

type Upload = {
  name: string;
  /** Who posts, to which path, with which other fields; `field` takes the file. */
  post: (w: AttackWorld) => { user: { id: string }; path: string; fields: Record<string, string>; field: string };
  limit: number;
  /** The file name a browser would send for a mislabelled file. */
  fileName?: string;
};

const uploads: Upload[] = [
  {
    name: "ticket photo",
    post: (w) => ({
      user: w.owner,
      path: `/e/${w.estate.slug}/tickets/new`,
      fields: { unitId: w.unitId, category: "other", location: "unit", description: "漏水", visibility: "public" },
      field: "photos",
    }),
    limit: maxTicketPhotoBytes,
  },
  {
    name: "proposal file",
    post: (w) => ({
      user: w.members[0],
      path: `/e/${w.estate.slug}/proposals/${w.ids.proposalId}?index`,
      fields: { intent: "upload" },
      field: "file",
    }),
    limit: maxUploadBytes,
  },
  {
    name: "public-role proof",
    post: (w) => ({
      user: w.members[5],
      path: `/e/${w.estate.slug}/committee/roles`,
      fields: { intent: "declare", role: "npc", title: "区人大代表", proofNote: "代表证" },
      field: "proof",
    }),
    limit: maxUploadBytes,
  },
  {
    name: "committee member photo",
    post: (w) => ({
      user: w.admin,
      path: `/e/${w.estate.slug}/committee?index`,
      fields: { memberId: w.memberIds[1] },
      field: "photo",
    }),
    limit: maxMemberPhotoBytes,
  },
  {
    name: "proxy authorisation scan",
    post: (w) => ({
      user: w.owner,
      path: `/e/${w.estate.slug}/proposals/${w.ids.votingId}/proxies`,
      fields: { intent: "authorise", proxyIdentifier: w.members[1].email, proxyName: "代理人" },
      field: "file",
    }),
    limit: maxUploadBytes,
  },
  {
    name: "paper ballot scan",
    post: (w) => ({
      user: w.members[0],
      path: `/e/${w.estate.slug}/proposals/${w.ids.votingId}/paper`,
      fields: { intent: "enter", building: "1幢", number: "105", choice: "agree" },
      field: "scan",
    }),
    limit: maxUploadBytes,
  },
  {
    name: "roster CSV",
    post: (w) => ({ user: w.admin, path: `/e/${w.estate.slug}/roster/import`, fields: {}, field: "file" }),
    limit: rosterLimits.maxBytes,
    fileName: "名册.csv",
  },
];

/** Every message of the catalogue in one language, to tell a localized refusal from a bare key. */
function messages(node: unknown, out: string[] = []): string[] {
  if (typeof node === "string") out.push(node.split("{{")[0].trim());
  else if (node && typeof node === "object") for (const v of Object.values(node)) messages(v, out);
  return out;
}
/**
 * Text without whitespace, React's text separators or NUL characters (which HTML parsers drop;
 * the ticket form's unreadable-photo message arrives with two of them), so a message matches
 * however it was laid out.
 */
const squeeze = (text: string) =>
  text
    .replace(/<!-- -->/g, "")
    .replaceAll("\u0000", "")
    .replace(/\s+/g, "");
const zhMessages = messages(resources["zh-CN"].translation)
  .map(squeeze)
  .filter((m) => m.length >= 4);

const uploadDir = tempUploadDir();
let app: Awaited<ReturnType<typeof startTestApp>>;
let w: AttackWorld;
const filesIn = (d: string): string[] =>
  readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));

beforeAll(async () => {
  app = await startTestApp();
  w = await attackWorld();
}, 60_000);
afterAll(async () => {
  await app.close();
});

const cookies = new Map<string, string>();
/** One session per user, made before the fingerprint is taken (a login is a row too). */
async function cookieOf(user: { id: string }) {
  if (!cookies.has(user.id)) cookies.set(user.id, (await startSession(user.id)).split(";")[0]);
  return cookies.get(user.id)!;
}

async function formPage(upload: Upload) {
  const { user, path: pathname } = upload.post(w);
  const cookie = await cookieOf(user);
  const res = await fetch(`${app.origin}${pathname}`, { headers: { Cookie: cookie } });
  expect(res.status, pathname).toBe(200);
  return res.text();
}

async function send(upload: Upload, file: File, extra: Record<string, string> = {}) {
  const { user, path: pathname, fields, field } = upload.post(w);
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...fields, ...extra })) form.append(k, v);
  form.append(field, file);
  const cookie = await cookieOf(user);
  const res = await fetch(`${app.origin}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, Origin: app.origin },
    body: form,
  });
  return { status: res.status, html: await res.text() };
}

describe("attack: an oversized or mislabelled upload", () => {
  for (const upload of uploads) {
    it(`${upload.name}: too big, HTML named .jpg, a JPEG/HTML polyglot — each refused with a message, no row, no file`, async () => {
      const name = upload.fileName ?? "photo.jpg";
      const type = upload.fileName ? "text/csv" : "image/jpeg";
      const attempts = [
        { what: "one byte over the limit", file: new File([over(upload.limit)], name, { type }) },
        { what: "HTML named as the expected type", file: new File([html], name, { type }) },
        { what: "polyglot", file: new File([polyglot], name, { type }) },
      ];
      const blank = await formPage(upload);
      const files = filesIn(uploadDir());
      const before = await fingerprint();
      for (const { what, file } of attempts) {
        const { status, html: page } = await send(upload, file);
        expect(status, `${upload.name}, ${what}`).toBeGreaterThanOrEqual(400);
        expect(status, `${upload.name}, ${what}`).toBeLessThan(500);
        // A catalogue message that the form's own page does not show: the refusal, in Chinese.
        const said = zhMessages.filter((m) => squeeze(page).includes(m) && !squeeze(blank).includes(m));
        expect(said, `${upload.name}, ${what}: a refusal message in Chinese on the page`).not.toEqual([]);
      }
      const after = await fingerprint();
      expect(
        Object.keys(after).filter((t) => after[t] !== before[t]),
        `${upload.name}: tables changed`,
      ).toEqual([]);
      expect(filesIn(uploadDir()), `${upload.name}: files left in the upload directory`).toEqual(files);
    });
  }

  for (const upload of uploads) {
    it(`${upload.name}: a file name with "=" in it, and a NUL in a field — each 400 with a message, not 500`, async () => {
      const name = upload.fileName ? "名册=2026.csv" : "漏水=1.jpg";
      const type = upload.fileName ? "text/csv" : "image/jpeg";
      const blank = await formPage(upload);
      const before = await fingerprint();
      for (const [what, file, extra] of [
        ["file name with =", new File([plainJpeg], name, { type }), {}],
        ["NUL in a field", new File([plainJpeg], upload.fileName ?? "photo.jpg", { type }), { note: "a\0b" }],
      ] as const) {
        const { status, html: page } = await send(upload, file, extra);
        expect(status, `${upload.name}, ${what}`).toBe(400);
        const said = zhMessages.filter((m) => squeeze(page).includes(m) && !squeeze(blank).includes(m));
        expect(said, `${upload.name}, ${what}: a refusal message in Chinese on the page`).not.toEqual([]);
      }
      const after = await fingerprint();
      expect(
        Object.keys(after).filter((t) => after[t] !== before[t]),
        `${upload.name}: tables changed`,
      ).toEqual([]);
    });
  }

  it("still takes a real JPEG on the same forms (the refusals are about the file, not the form)", async () => {
    const ticket = uploads[0];
    const files = filesIn(uploadDir()).length;
    const { status } = await send(ticket, new File([plainJpeg], "漏水.jpg", { type: "image/jpeg" }));
    expect(status).toBe(302);
    expect(filesIn(uploadDir()).length).toBe(files + 1);
  });
});
