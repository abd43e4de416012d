import type { Submission } from "@conform-to/react";
import { refuse } from "~/lib/forms/action.server";
import { refusal } from "~/lib/forms/result";
import { maskPhone } from "~/ui/mask";
import { mainlandMobile, requestCode, type SmsCodePurpose } from "./sms-codes.server";

/**
 * A page's "send code" button: sends a code and answers the form that asked, the same whether
 * or not the number has an account (a refusal only for a malformed number or a limit). The
 * answer keeps the form's values and carries the masked number for "sent to 138****1234".
 */
export async function sendCodeReply(input: {
  form: string;
  submission: Submission<unknown>;
  phone: string;
  purpose: SmsCodePurpose;
  ip: string;
  userId?: string | null;
  hideFields?: string[];
}) {
  const o = { submission: input.submission, hideFields: input.hideFields };
  const phone = mainlandMobile(input.phone);
  if (!phone)
    return refuse(
      input.form,
      { error: "auth.code.invalidPhone", fields: { phone: ["auth.code.invalidPhone"] }, reason: "invalid" },
      o,
    );
  const sent = await requestCode({ phone, purpose: input.purpose, ip: input.ip, userId: input.userId });
  if (sent.ok) return { ...input.submission.reply({ hideFields: input.hideFields }), codeSent: maskPhone(phone) };
  if (sent.error === "tooSoon")
    return refuse(
      input.form,
      refusal("rate_limited", "auth.code.tooSoon", {
        seconds: Math.max(1, Math.ceil((sent.until.getTime() - Date.now()) / 1000)),
      }),
      o,
    );
  if (sent.error === "tooMany") return refuse(input.form, refusal("rate_limited", "auth.code.tooMany"), o);
  if (sent.error === "sendFailed") return refuse(input.form, refusal("unavailable", "auth.code.sendFailed"), o);
  return refuse(input.form, refusal("invalid", "auth.code.invalidPhone"), o);
}

/** The masked number a "send code" answer carries, if this action data is one. */
export type CodeSent = { codeSent?: string };
