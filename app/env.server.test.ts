import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeJobs } from "../server/jobs";
import { backgroundJobs, checkEnv, demoSecretPath, developmentSecret } from "./env.server";

const dir = mkdtempSync(path.join(tmpdir(), "yst-secret-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("production start with the default secret is refused", () => {
  const postgres = "postgres://postgres@127.0.0.1:5432/yishitang";
  it("refuses production on PostgreSQL with SESSION_SECRET unset, the development default or the .env.example value", () => {
    expect(() => checkEnv({ NODE_ENV: "production", DATABASE_URL: postgres })).toThrow(/SESSION_SECRET must be set/);
    expect(() =>
      checkEnv({ NODE_ENV: "production", DATABASE_URL: postgres, SESSION_SECRET: developmentSecret }),
    ).toThrow(/published/);
    expect(() =>
      checkEnv({ NODE_ENV: "production", DATABASE_URL: postgres, SESSION_SECRET: "change-me-to-32-random-characters" }),
    ).toThrow(/published/);
  });

  it("refuses a published secret on the embedded database too: only an unset one is generated", () => {
    const pglite = path.join(dir, "refused", "pglite");
    expect(() => checkEnv({ NODE_ENV: "production", PGLITE_DIR: pglite, SESSION_SECRET: developmentSecret })).toThrow(
      /published/,
    );
  });

  it("accepts a real secret", () => {
    expect(
      checkEnv({ NODE_ENV: "production", DATABASE_URL: postgres, SESSION_SECRET: "a-real-secret-0123456789abcdef" })
        .SESSION_SECRET,
    ).toBe("a-real-secret-0123456789abcdef");
  });

  it("the server process exits before listening when started in production with the default secret", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "server/index.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: "postgres://nobody@127.0.0.1:9/none",
        SESSION_SECRET: developmentSecret,
        PORT: "0",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/will not start: SESSION_SECRET/);
  }, 90_000);
});

describe("demo secret generated once and persisted", () => {
  it("the embedded demo makes a random secret on its first start, keeps it (0600) in its data folder and reuses it", () => {
    const pglite = path.join(dir, "demo", "pglite");
    const first = checkEnv({ NODE_ENV: "production", PGLITE_DIR: pglite }).SESSION_SECRET;
    const file = demoSecretPath(pglite);
    expect(file).toBe(`${path.resolve(pglite)}.session-secret`);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(first).not.toBe(developmentSecret);
    // The second start (or the other module copy in the same process) reads the same secret.
    expect(checkEnv({ NODE_ENV: "production", PGLITE_DIR: pglite }).SESSION_SECRET).toBe(first);
    // Another demo's data folder has a secret of its own: nothing comes from a constant.
    expect(
      checkEnv({ NODE_ENV: "development", PGLITE_DIR: path.join(dir, "other", "pglite") }).SESSION_SECRET,
    ).not.toBe(first);
  });
});

describe("one flag per background job", () => {
  const base = { NODE_ENV: "test", DATABASE_URL: "postgres://postgres@127.0.0.1:5432/yishitang" };
  it("runs every job by default, and each flag turns off its own job only", () => {
    expect(backgroundJobs(checkEnv(base))).toEqual({
      mailWorker: true,
      feeJobs: true,
      ticketClocks: true,
      voteReminders: true,
    });
    expect(backgroundJobs(checkEnv({ ...base, MAIL_WORKER: "0" }))).toEqual({
      mailWorker: false,
      feeJobs: true,
      ticketClocks: true,
      voteReminders: true,
    });
    expect(backgroundJobs(checkEnv({ ...base, FEE_JOBS: "0" }))).toEqual({
      mailWorker: true,
      feeJobs: false,
      ticketClocks: true,
      voteReminders: true,
    });
    expect(backgroundJobs(checkEnv({ ...base, TICKET_CLOCKS: "0" }))).toEqual({
      mailWorker: true,
      feeJobs: true,
      ticketClocks: false,
      voteReminders: true,
    });
    expect(backgroundJobs(checkEnv({ ...base, MAIL_WORKER: "1", FEE_JOBS: "1", TICKET_CLOCKS: "1" }))).toEqual({
      mailWorker: true,
      feeJobs: true,
      ticketClocks: true,
      voteReminders: true,
    });
    expect(backgroundJobs(checkEnv({ ...base, VOTE_REMINDERS: "0" })).voteReminders).toBe(false);
    expect(() => checkEnv({ ...base, FEE_JOBS: "no" })).toThrow(/FEE_JOBS/);
  });

  it("says on the start line which jobs run and which flag stopped one", () => {
    expect(describeJobs({ mailWorker: false, feeJobs: true, ticketClocks: true, voteReminders: true })).toBe(
      "mail worker off (MAIL_WORKER=0), fee jobs, ticket clocks, vote reminders",
    );
    expect(describeJobs({ mailWorker: true, feeJobs: false, ticketClocks: false, voteReminders: false })).toBe(
      "mail worker, fee jobs off (FEE_JOBS=0), ticket clocks off (TICKET_CLOCKS=0), vote reminders off (VOTE_REMINDERS=0)",
    );
  });
});
