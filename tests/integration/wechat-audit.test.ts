// WeChat bindings in the audit trail: binding and unbinding each leave one event on the user;
// a refused or repeated binding leaves none.
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { bindOpenid, unbindUser } from "~/wechat/bindings.server";
import { action as accountAction } from "~/routes/account._index";
import { call, makeUser, statusOf } from "../fixtures";

const { auditEvents } = schema;
const appId = "wx-audit-test";

const eventsOf = (userId: string) =>
  getDb()
    .select({
      act: auditEvents.act,
      actor: auditEvents.actorUserId,
      type: auditEvents.subjectType,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectId, userId), inArray(auditEvents.act, ["wechat_bind", "wechat_unbind"])))
    .orderBy(auditEvents.createdAt, auditEvents.id);

describe("WeChat binding audit", () => {
  it("records a bind once, none for a refused one, and an unbind through the account page", async () => {
    const u = await makeUser([]);
    const other = await makeUser([]);
    const openid = `o-${u.id}`;
    expect(await bindOpenid(appId, openid, u.id)).toEqual({ ok: true });
    expect(await bindOpenid(appId, openid, u.id)).toEqual({ ok: true });
    expect(await bindOpenid(appId, openid, other.id)).toEqual({ ok: false, error: "openidTaken" });
    expect(await bindOpenid(appId, `o2-${u.id}`, u.id)).toEqual({ ok: false, error: "userHasOther" });
    expect(await eventsOf(u.id)).toEqual([{ act: "wechat_bind", actor: u.id, type: "user", detail: { appId } }]);
    expect(await eventsOf(other.id)).toEqual([]);

    const result = await call(accountAction, { url: "/account", user: u, form: { intent: "wechat-unbind" } });
    expect(statusOf(result)).toBe(302);
    expect((await eventsOf(u.id)).map((e) => e.act)).toEqual(["wechat_bind", "wechat_unbind"]);
    // Nothing left to unbind: no further event.
    expect(await unbindUser(u.id)).toBe(0);
    expect(await eventsOf(u.id)).toHaveLength(2);
  });

  it("a failed statement leaves neither binding nor event (one transaction)", async () => {
    const u = await makeUser([]);
    await expect(
      getDb().transaction(async (tx) => {
        await bindOpenid(appId, `o-${u.id}`, u.id, tx);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await eventsOf(u.id)).toEqual([]);
    const bindings = await getDb().select().from(schema.wechatBindings).where(eq(schema.wechatBindings.userId, u.id));
    expect(bindings).toEqual([]);
  });
});
