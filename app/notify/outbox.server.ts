import { sql } from "drizzle-orm";
import type { Queryable } from "#db/client";
import { isUuid } from "~/lib/ids";
import type { OptionalCategory } from "#db/schema/notify";
import { channelDefaults } from "./categories";
import { wechatBound } from "./channels.server";
import { wechatNoticeEnabled } from "~/wechat/send.server";
import { isTemplateName, templates, type StoredProps, type TemplateName, type Templates } from "./templates.server";

/**
 * One notice to one user. `idempotencyKey` names the event (e.g. `vote-opened:<vote id>`):
 * queuing the same key for the same user again does nothing, so a retried request or a
 * re-run job never mails a person twice. Estate mail carries the estate's id.
 */
export type Notice = {
  [K in TemplateName]: {
    template: K;
    userId: string;
    props: StoredProps<K>;
    idempotencyKey: string;
    /** The category the reader chose channels for, where one template serves several (the board's notices by kind). */
    category?: OptionalCategory;
  } & (Templates[K]["scope"] extends "estate" ? { estateId: string } : { estateId?: null });
}[TemplateName];

/** Rows from `db.execute`: postgres.js returns an array, PGlite an object with rows. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The categories whose SMS is on for someone who never chose (categories.ts channelDefaults). */
const smsByDefault = Object.entries(channelDefaults.sms)
  .filter(([, on]) => on)
  .map(([category]) => category);

export type Enqueued = { mails: number; sms: number; wechat: number; notices: number };

/**
 * Queues notices inside the caller's transaction: the change and its notices commit together
 * or not at all. One statement for any number of recipients: per person, an outbox row for
 * each channel they get this category on (notification_preference, else channelDefaults):
 * mail only to a user with an email (security mail always), SMS only to a verified phone and
 * only for a kind that has an SMS template, WeChat only to a bound account and a kind with a
 * WeChat message; and an in-app notice for everyone.
 */
export async function enqueue(tx: Queryable, notices: readonly Notice[]): Promise<Enqueued> {
  if (notices.length === 0) return { mails: 0, sms: 0, wechat: 0, notices: 0 };
  // One event usually reaches many people with the same props: send each distinct event once
  // and the recipients as two arrays (user id, event index), so 10,000 recipients stay small.
  const events: {
    i: number;
    t: string;
    e: string | null;
    c: string;
    p: unknown;
    k: string;
    a: boolean;
    s: boolean;
    w: boolean;
  }[] = [];
  const eventIndex = new Map<string, number>();
  const userIds: string[] = [];
  const eventOf: number[] = [];
  for (const n of notices) {
    if (!isTemplateName(n.template)) throw new Error(`unknown template: ${String(n.template)}`);
    const entry = templates[n.template];
    if (entry.scope === "estate" && !n.estateId) throw new Error(`${n.template} needs an estateId`);
    if (!n.idempotencyKey) throw new Error("idempotencyKey is required");
    if (!isUuid(n.userId) || (n.estateId && !isUuid(n.estateId))) throw new Error("userId and estateId must be UUIDs");
    const event = {
      t: n.template,
      e: n.estateId ?? null,
      c: n.category ?? entry.template.category,
      p: n.props,
      k: n.idempotencyKey,
      a: entry.inApp,
      s: "sms" in entry && entry.sms !== undefined,
      // By WeChat where the kind has a template message configured (app/wechat/notices.ts, WECHAT_TEMPLATE_*).
      w: ("wechat" in entry && entry.wechat !== undefined) || wechatNoticeEnabled(n.template),
    };
    const key = JSON.stringify(event);
    let i = eventIndex.get(key);
    if (i === undefined) {
      i = events.length;
      eventIndex.set(key, i);
      events.push({ i, ...event });
    }
    userIds.push(n.userId);
    eventOf.push(i);
  }
  const result = await tx.execute(sql`
    with event as (
      select * from jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
        as e(i int, t text, e uuid, c notify_category, p jsonb, k text, a boolean, s boolean, w boolean)
    ),
    input as (
      select r.u, event.* from unnest(${`{${userIds.join(",")}}`}::uuid[], ${`{${eventOf.join(",")}}`}::int[]) as r(u, i)
      join event on event.i = r.i
    ),
    recipient as (
      select x.*, u.email is not null as has_email, u.phone_verified_at is not null as has_phone,
        pref.email as pref_mail, pref.sms as pref_sms, pref.wechat as pref_wechat
      from input x
      join "user" u on u.id = x.u
      left join notification_preference pref on pref.user_id = x.u and pref.category = x.c
    ),
    queued as (
      insert into outbox (channel, idempotency_key, user_id, estate_id, category, template, props)
      select ch.channel, x.k, x.u, x.e, x.c, x.t, x.p
      from recipient x
      cross join lateral (values
        ('mail'::outbox_channel, x.has_email and (x.c = 'security' or coalesce(x.pref_mail, true))),
        ('sms'::outbox_channel, x.s and x.has_phone
          and coalesce(x.pref_sms, x.c = any(${`{${smsByDefault.join(",")}}`}::notify_category[]))),
        ('wechat'::outbox_channel, x.w and ${wechatBound(sql`x.u`)} and coalesce(x.pref_wechat, true))
      ) as ch(channel, wanted)
      where ch.wanted
      on conflict (user_id, channel, idempotency_key) do nothing
      returning channel
    ),
    in_app as (
      insert into notification (idempotency_key, user_id, estate_id, category, template, props)
      select x.k, x.u, x.e, x.c, x.t, x.p from input x where x.a
      on conflict (user_id, idempotency_key) do nothing
      returning 1
    )
    select
      (select count(*) from queued where channel = 'mail')::int as mails,
      (select count(*) from queued where channel = 'sms')::int as sms,
      (select count(*) from queued where channel = 'wechat')::int as wechat,
      (select count(*) from in_app)::int as notices
  `);
  const [counts] = rowsOf<Enqueued>(result);
  return {
    mails: Number(counts.mails),
    sms: Number(counts.sms),
    wechat: Number(counts.wechat),
    notices: Number(counts.notices),
  };
}
