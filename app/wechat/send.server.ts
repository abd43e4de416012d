import type { Db } from "#db/client";
import { env } from "~/env.server";
import { openidOf } from "./bindings.server";
import { WechatClient } from "./client.server";
import { wechatConfig } from "./config.server";
import { wechatNoticeKinds, wechatTemplateId } from "./notices";

export type WechatNoticeResult =
  | { status: "sent"; msgid: string }
  | { status: "skipped"; reason: "unconfigured" | "unmapped" | "no-template" | "unbound" };

/**
 * Sends one notice as a template message to the user's bound openid, now. Skips (without error)
 * when the official account is not configured, the kind has no WeChat template (no id set), or
 * the user has no binding; throws a WechatApiError when WeChat refuses (see
 * permanentWechatErrors for those a retry will not cure). `idempotencyKey` (the outbox row's id)
 * becomes client_msg_id, so a resend after a crash is dropped by WeChat.
 */
export async function sendWechatNotice(
  userId: string,
  template: string,
  props: Record<string, unknown>,
  options: { idempotencyKey?: string; client?: WechatClient; db?: () => Db } = {},
): Promise<WechatNoticeResult> {
  const config = options.client?.config ?? wechatConfig();
  if (!config) return { status: "skipped", reason: "unconfigured" };
  const kind = Object.hasOwn(wechatNoticeKinds, template) ? wechatNoticeKinds[template] : undefined;
  if (!kind) return { status: "skipped", reason: "unmapped" };
  const templateId = wechatTemplateId(template);
  if (!templateId) return { status: "skipped", reason: "no-template" };
  const openid = await openidOf(userId, config.appId, options.db?.());
  if (!openid) return { status: "skipped", reason: "unbound" };
  const client = options.client ?? new WechatClient(config, { db: options.db });
  const path = typeof props.path === "string" && props.path.startsWith("/") ? props.path : "/notices";
  const origin = env().APP_URL ?? `http://localhost:${env().PORT}`;
  const msgid = await client.sendTemplate({
    touser: openid,
    templateId,
    url: new URL(path, origin).href,
    data: kind.data(props),
    clientMsgId: options.idempotencyKey?.slice(0, 64),
  });
  return { status: "sent", msgid };
}

/** Whether notices of this kind go by WeChat at all: the account configured and the kind's template id set. */
export function wechatNoticeEnabled(template: string): boolean {
  return wechatConfig() !== null && Object.hasOwn(wechatNoticeKinds, template) && wechatTemplateId(template) !== null;
}
