import { describe, expect, it } from "vitest";
import { bestOrigin, isLocalHost, resolvePublicOrigin, type PublicOriginConfig } from "./public-origin";

const production: PublicOriginConfig = { NODE_ENV: "production", DATABASE_URL: "postgres://db/app", PORT: 3000 };
const development: PublicOriginConfig = { NODE_ENV: "development", DATABASE_URL: "postgres://db/app", PORT: 3000 };
const demo: PublicOriginConfig = { NODE_ENV: "production", PORT: 3000 }; // embedded PGlite: no DATABASE_URL

describe("isLocalHost", () => {
  it.each([
    "localhost",
    "LOCALHOST",
    "app.localhost",
    "127.0.0.1",
    "127.1.2.3",
    "[::1]",
    "::1",
    "0.0.0.0",
    "localhost.",
  ])("%s is this machine", (host) => expect(isLocalHost(host)).toBe(true));
  it.each(["yishitang.example.cn", "10.0.0.5", "192.168.1.2", "128.0.0.1", "localhost.example.com", "[2001:db8::1]"])(
    "%s is not",
    (host) => expect(isLocalHost(host)).toBe(false),
  );
});

describe("resolvePublicOrigin", () => {
  it("uses a public APP_URL everywhere, without its trailing slash", () => {
    for (const config of [production, development, demo]) {
      expect(resolvePublicOrigin({ ...config, APP_URL: "https://yst.example.cn/" }, "http://127.0.0.1:3000")).toEqual({
        ok: true,
        origin: "https://yst.example.cn",
        development: false,
      });
    }
  });

  it("refuses in production when APP_URL is unset, even with a request's origin to hand", () => {
    expect(resolvePublicOrigin(production, "https://yst.example.cn")).toEqual({ ok: false, reason: "unset" });
  });

  it.each(["http://localhost:3000", "http://127.0.0.1:8080/", "http://[::1]:3000", "http://0.0.0.0"])(
    "refuses in production when APP_URL is local (%s)",
    (appUrl) => {
      expect(resolvePublicOrigin({ ...production, APP_URL: appUrl }, "http://127.0.0.1:3000")).toEqual({
        ok: false,
        reason: "local",
      });
    },
  );

  it("falls back to the request's origin in development and on the embedded demo, marked development", () => {
    for (const config of [development, demo, { ...development, NODE_ENV: "test" as const }]) {
      expect(resolvePublicOrigin(config, "http://192.168.1.20:3000")).toEqual({
        ok: true,
        origin: "http://192.168.1.20:3000",
        development: true,
      });
      expect(resolvePublicOrigin({ ...config, APP_URL: "http://localhost:5173" }, "http://127.0.0.1:5173")).toEqual({
        ok: true,
        origin: "http://127.0.0.1:5173",
        development: true,
      });
      // No request (a background job): APP_URL, else localhost on the configured port.
      expect(resolvePublicOrigin({ ...config, APP_URL: "http://localhost:5173" })).toMatchObject({
        origin: "http://localhost:5173",
        development: true,
      });
      expect(resolvePublicOrigin(config)).toMatchObject({ origin: "http://localhost:3000", development: true });
    }
  });

  it("ALLOW_LOCAL_APP_URL=1 lets a production test deployment print local links, marked development", () => {
    expect(resolvePublicOrigin({ ...production, ALLOW_LOCAL_APP_URL: "1" }, "http://127.0.0.1:3360")).toEqual({
      ok: true,
      origin: "http://127.0.0.1:3360",
      development: true,
    });
    expect(resolvePublicOrigin({ ...production, ALLOW_LOCAL_APP_URL: "0" }, "http://127.0.0.1:3360").ok).toBe(false);
  });
});

describe("bestOrigin (links that always go out: mail, invitations)", () => {
  it("is the public origin when there is one", () => {
    expect(bestOrigin({ ...production, APP_URL: "https://yst.example.cn" }, "http://10.0.0.2")).toBe(
      "https://yst.example.cn",
    );
  });
  it("else the request's origin, APP_URL, or localhost, as before", () => {
    expect(bestOrigin(production, "https://yst.example.cn/")).toBe("https://yst.example.cn");
    expect(bestOrigin({ ...production, APP_URL: "http://localhost:4000/" })).toBe("http://localhost:4000");
    expect(bestOrigin(production)).toBe("http://localhost:3000");
  });
});
