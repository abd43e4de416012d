import type { AppLoadContext } from "@remix-run/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, inject, vi } from "vitest";
import { getDb, schema } from "../db/client";
import { pgError } from "../db/errors";
import type { Role } from "../db/schema/people";
import { generateClaimCode } from "../app/roster/claim-code";
import { ownerIdentityKey } from "../app/roster/identity";
import { diskStore, setFileStore } from "../app/lib/uploads/store.server";
import { isFormReply, messageOf, type FormReply } from "../app/lib/forms/result";

/**
 * Whether this run's database is a PostgreSQL server. A test that proves something holds under
 * concurrency (many casts, deliveries or workers at once) proves nothing on PGlite: it has one
 * connection, so the statements run one after another and the test cannot fail. Such tests run
 * with `it.runIf(onPostgres())` and say "(PostgreSQL only)" in their names.
 */
export function onPostgres(): boolean {
  return inject("testDb").kind === "postgres";
}

let counter = 0;
const unique = () => `${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;

/** A sub-district, community and estate of its own, so tests in one file don't see each other's data. */
export async function makeEstate(options: { communityId?: string; name?: string } = {}) {
  const db = getDb();
  let communityId = options.communityId;
  if (!communityId) {
    const [sub] = await db
      .insert(schema.subDistricts)
      .values({ name: `街道-${unique()}` })
      .returning();
    const [community] = await db
      .insert(schema.communities)
      .values({ subDistrictId: sub.id, name: `社区-${unique()}` })
      .returning();
    communityId = community.id;
  }
  const slug = `e-${unique()}`;
  const [estate] = await db
    .insert(schema.estates)
    .values({ communityId, slug, name: options.name ?? `小区 ${slug}` })
    .returning();
  return estate;
}

/** Units with owners in an estate: each entry is [building, number, areaCentiSqm, owner names…]. */
export async function makeUnits(
  estateId: string,
  specs: {
    building: string;
    number: string;
    area?: number;
    /** `ref`: the same person across units (their person key, as an ID number gives); also kept as the register reference. */
    owners?: { name: string; phone?: string; ref?: string }[];
    developerUnsold?: boolean;
  }[],
) {
  const db = getDb();
  const out: { unitId: string; claimCode: string; ownerIds: string[] }[] = [];
  for (const spec of specs) {
    const [building] = await db
      .insert(schema.buildings)
      .values({ estateId, name: spec.building })
      .onConflictDoUpdate({ target: [schema.buildings.estateId, schema.buildings.name], set: { name: spec.building } })
      .returning();
    const claimCode = generateClaimCode();
    const [unit] = await db
      .insert(schema.units)
      .values({
        estateId,
        buildingId: building.id,
        number: spec.number,
        floor: 1,
        kind: "residential",
        areaCentiSqm: spec.area ?? 10000,
        developerUnsold: spec.developerUnsold ?? false,
        claimCode,
      })
      .returning();
    const ownerIds: string[] = [];
    for (const o of spec.owners ?? []) {
      const identityKey = ownerIdentityKey(
        { name: o.name, phone: o.phone, personKey: o.ref },
        `${spec.building}/${spec.number}`,
      );
      const [owner] = await db
        .insert(schema.owners)
        .values({ estateId, name: o.name, phone: o.phone ?? null, registerRef: o.ref ?? null, identityKey })
        .onConflictDoUpdate({ target: [schema.owners.estateId, schema.owners.identityKey], set: { name: o.name } })
        .returning();
      await db.insert(schema.ownerships).values({ estateId, unitId: unit.id, ownerId: owner.id });
      ownerIds.push(owner.id);
    }
    out.push({ unitId: unit.id, claimCode, ownerIds });
  }
  return out;
}

/** A user (no password login needed in these tests) with roles in estates or communities. */
export async function makeUser(
  grants: { role: Role; estateId?: string; communityId?: string }[] = [],
  name = "测试用户",
) {
  const db = getDb();
  const [user] = await db
    .insert(schema.users)
    .values({ email: `u-${unique()}@test.local`, passwordHash: "x", displayName: name })
    .returning();
  // Made with an email and a password, so typed as such (accounts signed up by phone may have neither).
  const made = { ...user, email: user.email!, passwordHash: user.passwordHash! };
  if (grants.length) {
    await db.insert(schema.memberships).values(
      grants.map((g) => ({
        userId: user.id,
        role: g.role,
        estateId: g.estateId ?? null,
        communityId: g.communityId ?? null,
      })),
    );
  }
  return made;
}

/** The load context the server builds for a logged-in (or anonymous) caller. */
export function contextFor(
  user: { id: string; email: string | null; displayName: string; locale?: string } | null,
): AppLoadContext {
  return {
    user: user
      ? { id: user.id, email: user.email, displayName: user.displayName, locale: user.locale ?? "zh-CN" }
      : null,
    session: null,
    ip: "127.0.0.1",
  };
}

type Args = { request: Request; params: Record<string, string>; context: AppLoadContext };
type RouteFn = (args: Args) => Promise<unknown>;

/** Calls a loader or action as Remix would; a thrown Response is returned, not thrown. */
export async function call(
  fn: RouteFn,
  options: {
    url: string;
    params?: Record<string, string>;
    user?: Parameters<typeof contextFor>[0];
    form?: Record<string, string> | FormData;
    headers?: Record<string, string>;
  },
): Promise<unknown> {
  const init: RequestInit = { headers: options.headers };
  if (options.form) {
    init.method = "POST";
    init.body = options.form instanceof FormData ? options.form : new URLSearchParams(options.form);
  }
  const request = new Request(new URL(options.url, "http://localhost"), init);
  try {
    return await fn({ request, params: options.params ?? {}, context: contextFor(options.user ?? null) });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/**
 * A refused form's answer (`refuse`/`parseForm` in app/lib/forms): the form it is for, its
 * reason, its message (form-level, else the first field's), the message's values and the errors
 * by field.
 */
export function refusalOf(result: unknown) {
  const body = (result as { data: FormReply }).data;
  if (!isFormReply(body)) throw new Error(`not a form refusal: ${JSON.stringify(body)}`);
  return { form: body.form, reason: body.reason, error: messageOf(body), params: body.params, fields: body.error };
}

/** The HTTP status a loader or action result would produce (200 for plain data). */
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  if (
    result &&
    typeof result === "object" &&
    "type" in result &&
    (result as { type: string }).type === "DataWithResponseInit"
  ) {
    return (result as { init?: { status?: number } }).init?.status ?? 200;
  }
  return 200;
}

export async function expectStatus(fn: RouteFn, options: Parameters<typeof call>[1], status: number) {
  const result = await call(fn, options);
  expect(statusOf(result), `${options.form ? "POST" : "GET"} ${options.url}`).toBe(status);
  return result;
}

/** Uploads of this test file go to a temporary directory of their own; returns its path. */
export function tempUploadDir(): () => string {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "yst-uploads-"));
    setFileStore(diskStore(dir));
  });
  afterAll(() => {
    setFileStore(undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/**
 * A console.error the test provokes on purpose (any other still fails the test, see
 * tests/setup.ts): calls whose text matches `pattern` are kept from the console and returned;
 * the rest pass through. Call `done()` to stop, or leave it to the end of the test.
 */
export function expectConsoleError(pattern: RegExp) {
  const passOn = console.error;
  const matched: unknown[][] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    const text = args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ");
    if (pattern.test(text)) matched.push(args);
    else passOn(...args);
  });
  return {
    matched,
    done() {
      spy.mockRestore();
      return matched;
    },
  };
}

/** The database error a statement fails with (SQLSTATE and constraint, either driver), or null when it succeeds. */
export async function dbError(statement: Promise<unknown>) {
  try {
    await statement;
  } catch (error) {
    const pg = pgError(error);
    if (pg) return pg;
    throw error;
  }
  return null;
}
