import { sendSms } from "~/sms/send.server";
import type { SmsTemplateName } from "~/sms/templates";
import { PermanentDeliveryError, type ChannelSender } from "./channels.server";
import { isTemplateName, templates } from "./templates.server";
import { smsBudgetReached } from "./sms-budget.server";

/**
 * The SMS channel: the notice's SMS template and parameters (templates.server.ts `sms`), sent by
 * sendSms to the recipient's verified phone and recorded in sms_message. Over the estate's
 * monthly budget the row is skipped and the estate's staff are told (once a month).
 */
export const smsOutboxSender: ChannelSender = {
  async send(row, settings) {
    const entry = isTemplateName(row.template) ? templates[row.template] : undefined;
    const mapping = entry && "sms" in entry ? entry.sms : undefined;
    if (!mapping) throw new PermanentDeliveryError(`${row.template} has no SMS template`);
    // Verified when queued, but it may have been changed or removed since.
    if (!row.phone) return { status: "skipped", reason: "no verified phone" };
    const params = (
      mapping.params as (stored: unknown, ctx: { estateName: string; appUrl: string }) => Record<string, string>
    )(row.props, { estateName: row.estateName ?? "", appUrl: settings.appUrl });
    const result = await sendSms({
      phone: row.phone,
      template: mapping.template as SmsTemplateName,
      params: params as never,
      userId: row.userId,
      estateId: row.estateId,
    });
    if (result.ok) return { status: result.status };
    if (result.stopped === "budget") {
      if (row.estateId) await smsBudgetReached(row.estateId);
      return { status: "skipped", reason: "the estate's SMS budget for this month is used up" };
    }
    throw new Error(result.error);
  },
};
