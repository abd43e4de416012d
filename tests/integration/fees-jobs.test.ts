import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { recordOfflinePayment } from "~/fees/ledger.server";
import { sendOverdueReminders } from "~/fees/reminders.server";
import { composeMail } from "~/notify/compose.server";
import { billsOf, makeBilledEstate } from "../fees-fixtures";

const reminders = (userId: string) =>
  getDb()
    .select()
    .from(schema.outbox)
    .where(and(eq(schema.outbox.userId, userId), eq(schema.outbox.template, "bill-overdue")));

describe("overdue reminders", () => {
  it("mail each owner once a month, on or after the estate's day, about unpaid bills past due", async () => {
    // Reminder day 5; October bills were due 2026-10-16, November bills 2026-11-16.
    const world = await makeBilledEstate();
    const [oct103] = await billsOf(world.units.u103.unitId, ["2026-10"]);
    await getDb().transaction((tx) =>
      recordOfflinePayment(tx, {
        estateId: world.estate.id,
        unitId: world.units.u103.unitId,
        billIds: [oct103.id],
        method: "cash",
        reference: null,
        paidAt: new Date(),
        actorId: world.staff.id,
        now: new Date(),
      }),
    );
    const run = (iso: string) => sendOverdueReminders({ now: new Date(iso), estateId: world.estate.id });

    // 4 December in Beijing: before the day.
    expect(await run("2026-12-04T15:59:00Z")).toEqual({ estates: 0, recipients: 0 });
    // 5 December 00:00 in Beijing is 4 December 16:00 UTC.
    expect(await run("2026-12-04T16:00:00Z")).toEqual({ estates: 1, recipients: 2 });
    const [mine] = await reminders(world.owner.id);
    expect(mine.props).toEqual({
      count: 4,
      amountFen: (await billsOf(world.units.u101.unitId))
        .concat(await billsOf(world.units.u102.unitId))
        .reduce((s, b) => s + b.amountFen, 0),
      oldestPeriod: "2026-10",
      path: `/e/${world.estate.slug}/bills`,
    });
    const [theirs] = await reminders(world.otherOwner.id);
    expect(theirs.props).toMatchObject({ count: 1, oldestPeriod: "2026-11" }); // October was paid in cash
    expect(await reminders(world.resident.id)).toHaveLength(0); // residents are not liable
    // Once a month, however often the job runs.
    expect(await run("2026-12-20T02:00:00Z")).toEqual({ estates: 0, recipients: 0 });
    expect(await reminders(world.owner.id)).toHaveLength(1);
    // The mail renders in the owner's language.
    const mail = await composeMail(
      {
        id: mine.id,
        template: mine.template,
        props: mine.props,
        category: mine.category,
        userId: world.owner.id,
        email: world.owner.email,
        displayName: "李建国",
        locale: "zh-CN",
        estateName: world.estate.name,
      },
      {
        appUrl: "https://yst.example.org",
        secret: "a-secret-of-sufficient-length",
        from: "议事堂 <noreply@yst.example.org>",
      },
    );
    expect(mail.subject).toContain("物业费欠费提醒");
    expect(mail.text).toContain("4 笔物业费账单已过缴费截止日期");
    // Next month again; bills being paid right then are left out.
    const [nov101] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    await getDb()
      .update(schema.bills)
      .set({
        status: "pending",
        pendingCheckoutId: (
          await getDb()
            .insert(schema.checkouts)
            .values({
              estateId: world.estate.id,
              userId: world.owner.id,
              provider: "sandbox",
              amountFen: nov101.amountFen,
              expiresAt: new Date(),
            })
            .returning()
        )[0].id,
      })
      .where(eq(schema.bills.id, nov101.id));
    expect(await run("2027-01-05T02:00:00Z")).toEqual({ estates: 1, recipients: 2 });
    const january = (await reminders(world.owner.id)).find((r) => r.idempotencyKey.endsWith(":2027-01"))!;
    expect(january.props).toMatchObject({ count: 3 });
  });

  it("send nothing where the estate has no reminder day", async () => {
    const world = await makeBilledEstate();
    await getDb()
      .update(schema.feeSettings)
      .set({ reminderDay: null })
      .where(eq(schema.feeSettings.estateId, world.estate.id));
    expect(await sendOverdueReminders({ now: new Date("2026-12-28T02:00:00Z"), estateId: world.estate.id })).toEqual({
      estates: 0,
      recipients: 0,
    });
  });
});
