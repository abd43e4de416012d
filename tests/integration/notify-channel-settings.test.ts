// Notice settings per channel (/settings/notifications): mail, SMS (verified phone) and WeChat
// (bound), saved per category and obeyed by the outbox; a caller changes only their own.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { enqueue, type Notice } from "~/notify/outbox.server";
import { channelPreferences } from "~/notify/preferences.server";
import { action, loader } from "~/routes/settings.notifications";
import { call, makeEstate, makeUser, statusOf } from "../fixtures";

const { users, outbox, notificationPreferences } = schema;
let phoneSeq = 13611100000;

async function owner(estateId: string, verified = true) {
  const u = await makeUser([{ role: "owner", estateId }], "周明");
  const phone = String(phoneSeq++);
  await getDb()
    .update(users)
    .set({ phone, phoneVerifiedAt: verified ? new Date() : null })
    .where(eq(users.id, u.id));
  return u;
}

const bill = (estateId: string, userId: string, key: string): Notice => ({
  template: "bill-due",
  userId,
  estateId,
  idempotencyKey: key,
  props: { period: "2026-12", amountFen: 10_000, dueDate: "2026-12-31", unitLabel: "1幢 101", path: "/e/x/bills" },
});

async function channelsOf(userId: string) {
  const rows = await getDb().select({ channel: outbox.channel }).from(outbox).where(eq(outbox.userId, userId));
  return rows.map((r) => r.channel).sort();
}

/** Every box ticked except those named (`<category>.<channel>`). */
function formWithout(...off: string[]) {
  const form: Record<string, string> = {};
  for (const c of ["votes", "minutes", "bills", "tickets"])
    for (const ch of ["mail", "sms", "wechat"]) if (!off.includes(`${c}.${ch}`)) form[`${c}.${ch}`] = "on";
  return form;
}

describe("notice settings per channel", () => {
  it("shows SMS with a verified phone (masked) and no WeChat column without a binding", async () => {
    const estate = await makeEstate();
    const u = await owner(estate.id);
    const data = (await call(loader, { url: "/settings/notifications", user: u })) as Awaited<
      ReturnType<typeof loader>
    >;
    expect(data.channels).toEqual(["mail", "sms"]);
    expect(data.phone).toMatch(/^136\*{4}\d{4}$/);
    expect(data.prefs.minutes).toEqual({ mail: true, sms: false, wechat: true });
    const unverified = await owner(estate.id, false);
    const other = (await call(loader, { url: "/settings/notifications", user: unverified })) as Awaited<
      ReturnType<typeof loader>
    >;
    expect(other.channels).toEqual(["mail"]);
    expect(other.phone).toBeNull();
  });

  it("switching SMS off for bills stops bill SMS while mail still goes; another user's settings stay", async () => {
    const estate = await makeEstate();
    const u = await owner(estate.id);
    const neighbour = await owner(estate.id);
    await getDb().transaction((tx) => enqueue(tx, [bill(estate.id, u.id, "b1"), bill(estate.id, neighbour.id, "b1")]));
    expect(await channelsOf(u.id)).toEqual(["mail", "sms"]);

    const saved = await call(action, { url: "/settings/notifications", user: u, form: formWithout("bills.sms") });
    expect(statusOf(saved)).toBe(302);
    const prefs = await channelPreferences(u.id);
    expect(prefs.bills).toEqual({ mail: true, sms: false, wechat: true });
    expect(prefs.minutes.sms).toBe(true);
    // WeChat was not shown (no binding), so it stays the default: no stored choice.
    const [row] = await getDb()
      .select()
      .from(notificationPreferences)
      .where(eq(notificationPreferences.userId, u.id))
      .then((rows) => rows.filter((r) => r.category === "bills"));
    expect(row.wechat).toBeNull();

    await getDb().transaction((tx) => enqueue(tx, [bill(estate.id, u.id, "b2"), bill(estate.id, neighbour.id, "b2")]));
    const rows = await getDb().select().from(outbox).where(eq(outbox.userId, u.id));
    expect(rows.filter((r) => r.idempotencyKey === "b2").map((r) => r.channel)).toEqual(["mail"]);
    // The neighbour changed nothing and still gets both.
    expect(await channelPreferences(neighbour.id)).toEqual(await channelPreferences((await owner(estate.id)).id));
    expect(await channelsOf(neighbour.id)).toEqual(["mail", "mail", "sms", "sms"]);

    // Mail off too: no bill rows at all for this user, the in-app notice still comes.
    await call(action, { url: "/settings/notifications", user: u, form: formWithout("bills.sms", "bills.mail") });
    const counts = await getDb().transaction((tx) => enqueue(tx, [bill(estate.id, u.id, "b3")]));
    expect(counts).toMatchObject({ mails: 0, sms: 0, notices: 1 });
  });

  it("a caller changes only their own settings; without a session the form goes to log in", async () => {
    const estate = await makeEstate();
    const victim = await owner(estate.id);
    const attacker = await owner(estate.id);
    const before = await channelPreferences(victim.id);
    await call(action, {
      url: `/settings/notifications?userId=${victim.id}`,
      user: attacker,
      form: { ...formWithout("votes.mail", "votes.sms", "bills.sms"), userId: victim.id },
    });
    expect(await channelPreferences(victim.id)).toEqual(before);
    expect((await channelPreferences(attacker.id)).votes).toEqual({ mail: false, sms: false, wechat: true });
    const anonymous = await call(action, { url: "/settings/notifications", form: formWithout("votes.mail") });
    expect(statusOf(anonymous)).toBe(302);
    expect((anonymous as Response).headers.get("location")).toMatch(/^\/login/);
    expect(await channelPreferences(victim.id)).toEqual(before);
  });
});
