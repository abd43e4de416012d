// An account signed up by phone has no password: it proves itself for deletion with an SMS code
// sent to its verified phone; a wrong code refuses and changes nothing.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { deleteAccount } from "~/account/delete.server";
import { requestCode } from "~/auth/sms-codes.server";
import { captureSms, freshIp, freshPhone, lastCode } from "./phone-helpers";

captureSms();

async function phoneOnly() {
  const phone = freshPhone();
  const [u] = await getDb()
    .insert(schema.users)
    .values({ phone, phoneVerifiedAt: new Date(), displayName: "陈晓" })
    .returning();
  return { ...u, phone };
}

describe("deleting a phone-only account", () => {
  it("a wrong code refuses and changes nothing; the right one deletes", async () => {
    const u = await phoneOnly();
    expect(await requestCode({ phone: u.phone, purpose: "login", ip: freshIp(), userId: u.id })).toEqual({ ok: true });
    const code = lastCode(u.phone);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await deleteAccount({ userId: u.id, password: wrong, ip: freshIp() })).toEqual({
      ok: false,
      error: "wrongPassword",
    });
    const [still] = await getDb().select().from(schema.users).where(eq(schema.users.id, u.id));
    expect(still.deletedAt).toBeNull();
    expect(still.phone).toBe(u.phone);
    expect(await deleteAccount({ userId: u.id, password: code, ip: freshIp() })).toEqual({ ok: true });
    const [gone] = await getDb().select().from(schema.users).where(eq(schema.users.id, u.id));
    expect(gone.deletedAt).not.toBeNull();
    expect(gone.phone).toBeNull();
  });
});
