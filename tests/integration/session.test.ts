import express from "express";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { authenticate, endOtherSessions, startSession } from "~/auth/session.server";
import { originCheck, securityHeaders } from "../../server/app";
import { makeUser } from "../fixtures";

const cookieValue = (setCookie: string) => setCookie.split(";")[0];

describe("sessions", () => {
  it("sets an httpOnly, SameSite=Lax cookie and finds the user by it", async () => {
    const user = await makeUser();
    const setCookie = await startSession(user.id);
    expect(setCookie).toMatch(/^yst_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const { context, setCookie: renewed } = await authenticate(cookieValue(setCookie), "127.0.0.1");
    expect(context.user?.id).toBe(user.id);
    expect(renewed).toBeUndefined();
  });

  it("renews a session used in the second half of its life, and drops an expired one", async () => {
    const user = await makeUser();
    const cookie = cookieValue(await startSession(user.id));
    const sessionId = cookie.split("=")[1];
    const db = getDb();
    // Five idle days left of fourteen: the next use renews it to fourteen.
    await db
      .update(schema.sessions)
      .set({ expiresAt: new Date(Date.now() + 5 * 86_400_000) })
      .where(eq(schema.sessions.id, sessionId));
    const renewed = await authenticate(cookie, "127.0.0.1");
    expect(renewed.context.user?.id).toBe(user.id);
    expect(renewed.setCookie).toMatch(/^yst_session=/);
    const [row] = await db.select().from(schema.sessions).where(eq(schema.sessions.id, sessionId));
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    // Idle past its expiry: gone, and the cookie is cleared.
    await db
      .update(schema.sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.sessions.id, sessionId));
    const expired = await authenticate(cookie, "127.0.0.1");
    expect(expired.context.user).toBeNull();
    expect(expired.setCookie).toMatch(/Max-Age=0/i);
  });

  it("ends every other session of a user", async () => {
    const user = await makeUser();
    const keep = cookieValue(await startSession(user.id));
    const other = cookieValue(await startSession(user.id));
    await endOtherSessions(user.id, keep.split("=")[1]);
    expect((await authenticate(keep, "127.0.0.1")).context.user?.id).toBe(user.id);
    expect((await authenticate(other, "127.0.0.1")).context.user).toBeNull();
  });
});

describe("cross-site requests and security headers", () => {
  let base = "";
  let close: () => void = () => {};
  beforeAll(async () => {
    const app = express();
    app.use(securityHeaders(true));
    app.use(originCheck());
    app.all("*", (_req, res) => {
      res.send("done");
    });
    const server = app.listen(0);
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it("refuses a form post from another origin and accepts one from its own", async () => {
    const foreign = await fetch(`${base}/login`, {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      body: "a=1",
    });
    expect(foreign.status).toBe(403);
    const crossSite = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "Sec-Fetch-Site": "cross-site" },
      body: "a=1",
    });
    expect(crossSite.status).toBe(403);
    const own = await fetch(`${base}/login`, { method: "POST", headers: { Origin: base }, body: "a=1" });
    expect(own.status).toBe(200);
    const webhook = await fetch(`${base}/webhooks/stripe`, { method: "POST", body: "{}" });
    expect(webhook.status).toBe(200);
  });

  it("sends a nonce-based CSP, frame-ancestors none and a referrer policy", async () => {
    const res = await fetch(`${base}/`);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
  });
});
