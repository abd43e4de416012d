// An account signed up by phone has no password: it proves itself for deletion with an SMS code
// sent to its verified phone; a wrong code refuses and changes nothing.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { deleteAccount } from "~/account/delete.server";
import { requestCode } from "~/auth/sms-codes.server";
import { action as deleteAction, loader as deleteLoader } from "~/routes/account.delete";
import { call, makeUser, refusalOf, statusOf } from "../fixtures";
import { captureSms, freshIp, freshPhone, inbox, lastCode } from "./phone-helpers";

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

describe("the delete page for an account without a password", () => {
  it("sends a code to the verified phone on request, and deletes with it", async () => {
    const u = await phoneOnly();
    const page = (await call(deleteLoader, { url: "/account/delete", user: u })) as { codeTo: string | null };
    // Masked: the page never shows the number in full.
    expect(page.codeTo).toBe(`${u.phone.slice(0, 3)}****${u.phone.slice(7)}`);
    const sent = (await call(deleteAction, { url: "/account/delete", user: u, form: { intent: "sendCode" } })) as {
      codeSent?: string;
    };
    expect(sent.codeSent).toBe(page.codeTo);
    const code = lastCode(u.phone);
    const response = (await call(deleteAction, {
      url: "/account/delete",
      user: u,
      form: { password: code, confirm: "on" },
    })) as Response;
    expect(response.status).toBe(302);
    const [gone] = await getDb().select().from(schema.users).where(eq(schema.users.id, u.id));
    expect(gone.deletedAt).not.toBeNull();
  });

  it("an account with a password gets no code: it confirms with its password", async () => {
    const u = await makeUser();
    await getDb()
      .update(schema.users)
      .set({ phone: freshPhone(), phoneVerifiedAt: new Date() })
      .where(eq(schema.users.id, u.id));
    const before = inbox.length;
    expect(((await call(deleteLoader, { url: "/account/delete", user: u })) as { codeTo: unknown }).codeTo).toBeNull();
    const refused = await call(deleteAction, { url: "/account/delete", user: u, form: { intent: "sendCode" } });
    expect(statusOf(refused)).toBe(400);
    expect(refusalOf(refused).error).toBe("account.delete.wrongPassword");
    expect(inbox.length).toBe(before);
  });
});
