import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "~/auth/session.server";
import { common } from "~/i18n/common.messages";
import { maxUploadBytes } from "~/lib/uploads/store.server";
import { startTestApp } from "../remix-app";
import { attackWorld, fingerprint, type AttackWorld } from "./attacks-world";

/**
 * Attacks on the way bodies and URLs enter the server (issue 12, "Accounts and input"), each
 * over HTTP to the real server (server/app.ts over the route modules):
 *
 * - a 64 MB anonymous POST /login, and chunked bodies that declare no length, once took the
 *   server from 517 MB to 1.22 GB: now every body is counted as it streams and refused with 413
 *   once it passes its limit, with the rest of the body never read;
 * - a NUL in a field or the query string, or a JSON body to a form action, answered 500;
 * - `POST /webhooks/../e/<estate>/inquiries` (curl --path-as-is) skipped the origin check.
 */

let app: Awaited<ReturnType<typeof startTestApp>>;
let w: AttackWorld;
let port = 0;
let cookie = "";

beforeAll(async () => {
  app = await startTestApp();
  port = Number(new URL(app.origin).port);
  w = await attackWorld();
  cookie = (await startSession(w.members[0].id)).split(";")[0];
}, 60_000);
afterAll(() => app.close());

type Reply = { status: number; body: string; sent: number };

/**
 * Streams a request body of `total` bytes (from one repeated chunk, so the client holds little)
 * over a raw socket, declared by Content-Length or sent chunked, stopping as soon as the server
 * answers or closes. `sent` is how much of the body went out before that.
 */
function stream(
  path: string,
  headers: Record<string, string>,
  chunk: Buffer,
  total: number,
  chunked: boolean,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let sent = 0;
    let answered = false;
    let response = "";
    const finish = () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(response);
      if (!match) return reject(new Error(`no answer after ${sent} bytes`));
      resolve({ status: Number(match[1]), body: response.slice(response.indexOf("\r\n\r\n") + 4), sent });
    };
    socket.on("data", (data) => {
      answered = true;
      response += data.toString("utf8");
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", finish);
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    head.push(chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${total}`);
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
    const pump = () => {
      while (!answered && !socket.destroyed && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        const ok = socket.write(
          chunked
            ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")])
            : piece,
        );
        if (!ok) return void socket.once("drain", pump);
      }
      if (!answered && !socket.destroyed && sent >= total && chunked) socket.write("0\r\n\r\n");
    };
    pump();
    // Give up on a server that neither answers nor closes.
    setTimeout(() => socket.destroy(), 20_000).unref();
  });
}

/** A request with its path sent exactly as given (fetch would normalise dot segments away). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const MB = 1024 * 1024;
const zh = common["zh-CN"].errors;
const en = common.en.errors;

describe("attack: an oversized body (a 64 MB login, a chunked upload past the cap)", () => {
  it("one anonymous 64 MB POST /login: 413 in the reader's language, cut off early, memory not growing", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    chunk.write("identifier=a&password=");
    for (const chunked of [false, true]) {
      const before = process.memoryUsage().rss;
      const started = Date.now();
      const reply = await stream(
        "/login",
        { "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en" },
        chunk,
        64 * MB,
        chunked,
      );
      expect(reply.status, `chunked: ${chunked}`).toBe(413);
      expect(reply.body).toContain(en.tooLarge);
      // Refused after the first 64 KB (plus what the socket buffers held), not after 64 MB.
      expect(reply.sent, `chunked: ${chunked}`).toBeLessThan(16 * MB);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(process.memoryUsage().rss - before, `chunked: ${chunked}: memory growth`).toBeLessThan(48 * MB);
    }
    // Chinese without Accept-Language.
    const zhReply = await stream(
      "/login",
      { "Content-Type": "application/x-www-form-urlencoded" },
      chunk,
      2 * MB,
      true,
    );
    expect(zhReply.status).toBe(413);
    expect(zhReply.body).toContain(zh.tooLarge);
  });

  it("a chunked multipart upload past the cap, in parts each under the part limit: 413, cut off, nothing stored", async () => {
    const boundary = "----attack";
    // Parts of 4 MB (under the 10 MB a part) that together pass the 10 MB a request.
    const part = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.alloc(4 * MB - 200, 0x25),
      Buffer.from("\r\n"),
    ]);
    const before = await fingerprint();
    const rss = process.memoryUsage().rss;
    const reply = await stream(
      `/e/${w.estate.slug}/proposals/${w.ids.proposalId}?index`,
      { "Content-Type": `multipart/form-data; boundary=${boundary}`, Cookie: cookie },
      part,
      64 * MB,
      true,
    );
    expect(reply.status).toBe(413);
    expect(reply.body).toContain(zh.tooLarge);
    expect(reply.sent).toBeLessThan(maxUploadBytes + 16 * MB);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * MB);
    const after = await fingerprint();
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([]);
  });

  it("a chunked multipart to a form that takes no file is held to the form limit", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    chunk.write(`--b\r\nContent-Disposition: form-data; name="identifier"\r\n\r\n`);
    const reply = await stream("/login", { "Content-Type": "multipart/form-data; boundary=b" }, chunk, 8 * MB, true);
    expect(reply.status).toBe(413);
    expect(reply.sent).toBeLessThan(6 * MB);
  });
});

describe("attack: input the database cannot store, or no form at all", () => {
  it("a NUL in a login field (urlencoded or multipart) or in the query: 400 with a message, not 500", async () => {
    const form = await fetch(`${app.origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: app.origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: "identifier=a%00b%40example.com&password=x",
    });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain(zh.badRequest);
    const multipart = new FormData();
    multipart.append("identifier", "a\0b@example.com");
    multipart.append("password", "x");
    const res = await fetch(`${app.origin}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { Origin: app.origin },
      body: multipart,
    });
    expect(res.status).toBe(400);
    await res.arrayBuffer();
    for (const url of ["/login?redirectTo=%00", `/e/${w.estate.slug}/proposals?q=a%00b`]) {
      const get = await fetch(`${app.origin}${url}`, { headers: { Cookie: cookie, "Accept-Language": "en" } });
      expect(get.status, url).toBe(400);
      expect(await get.text()).toContain(en.badRequest);
    }
  });

  it("a JSON body to a form action (/bills, /login): 415 with a message, not 500", async () => {
    const owner = (await startSession(w.owner.id)).split(";")[0];
    for (const path of [`/e/${w.estate.slug}/bills`, "/login"]) {
      const res = await fetch(`${app.origin}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: app.origin, Cookie: owner, "Content-Type": "application/json" },
        body: JSON.stringify({ intent: "pay", billId: "x" }),
      });
      expect(res.status, path).toBe(415);
      expect(await res.text()).toContain(zh.unsupportedType);
    }
  });
});

describe("attack: a dot segment around the origin check", () => {
  it("POST /webhooks/../e/<estate>/inquiries from another site (curl --path-as-is): 400, and nothing asked", async () => {
    const owner = (await startSession(w.owner.id)).split(";")[0];
    const before = await fingerprint();
    const body = new URLSearchParams({ intent: "ask", subject: "other", body: "跨站提问" }).toString();
    const headers = {
      Origin: "https://evil.example",
      Cookie: owner,
      "Content-Type": "application/x-www-form-urlencoded",
    };
    for (const path of [
      `/webhooks/../e/${w.estate.slug}/inquiries`,
      `/webhooks/%2e%2e/e/${w.estate.slug}/inquiries`,
      `/webhooks/%2E%2e%2fe/${w.estate.slug}/inquiries`,
      `/webhooks/./../e/${w.estate.slug}/inquiries`,
      `/unsubscribe/one-click/x/../../e/${w.estate.slug}/inquiries`,
    ]) {
      const res = await raw("POST", path, headers, body);
      expect(res.status, path).toBe(400);
      expect(res.body).toContain(zh.badRequest);
    }
    // The same post on the plain path is a cross-site post: 403.
    expect((await raw("POST", `/e/${w.estate.slug}/inquiries`, headers, body)).status).toBe(403);
    const after = await fingerprint();
    expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([]);
  });
});
