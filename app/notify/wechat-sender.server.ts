import { permanentWechatErrors, WechatApiError } from "~/wechat/client.server";
import { sendWechatNotice } from "~/wechat/send.server";
import { PermanentDeliveryError, type ChannelSender } from "./channels.server";

/**
 * The WeChat channel: the notice as a template message to the recipient's bound openid
 * (app/wechat/notices.ts maps each kind's stored props to the template's data). The outbox row's
 * id is the message's client_msg_id, so a resend after a crash is dropped by WeChat. A follower
 * who left the account, a wrong openid or template: not retried.
 */
export const wechatOutboxSender: ChannelSender = {
  async send(row) {
    try {
      const result = await sendWechatNotice(row.userId, row.template, (row.props ?? {}) as Record<string, unknown>, {
        idempotencyKey: row.id,
      });
      if (result.status === "sent") return { status: "sent" };
      if (result.reason === "unconfigured") return { status: "held", reason: "WeChat is not configured" };
      return { status: "skipped", reason: `wechat: ${result.reason}` };
    } catch (error) {
      if (error instanceof WechatApiError && permanentWechatErrors.has(error.errcode))
        throw new PermanentDeliveryError(error.message);
      throw error;
    }
  },
};
