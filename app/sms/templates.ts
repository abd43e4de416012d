/**
 * Every SMS the platform sends, by name. A mainland carrier sends only templates registered with
 * it in advance: each has a template code (configured per provider, see factory.server.ts) and
 * named parameters; `text` is the registered wording, used to check the length (one SMS is 70
 * characters with the signature) and to show held messages at /dev/sms.
 */
export interface SmsTemplate<P extends string> {
  params: readonly P[];
  /** Outside the estate's monthly budget: codes and fingerprints always go. */
  unbudgeted?: boolean;
  /** Parameters never stored in sms_message (a code), except held under `npm run dev` for /dev/sms. */
  secret?: readonly P[];
  text(params: Record<P, string>): string;
}

function define<P extends string>(template: SmsTemplate<P>): SmsTemplate<P> {
  return template;
}

export const smsTemplates = {
  /** A 6-digit verification code (sign-up, login, reset, change of number). */
  code: define({
    params: ["code"],
    unbudgeted: true,
    secret: ["code"],
    text: ({ code }) => `您的验证码为${code}，5分钟内有效。如非本人操作，请忽略本短信。`,
  }),
};

export type SmsTemplates = typeof smsTemplates;
export type SmsTemplateName = keyof SmsTemplates;
export type SmsParams<K extends SmsTemplateName> = Parameters<SmsTemplates[K]["text"]>[0];

export function isSmsTemplateName(name: string): name is SmsTemplateName {
  return Object.hasOwn(smsTemplates, name);
}
