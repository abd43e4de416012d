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

/** One SMS in Chinese (UCS-2) is 70 characters, the 【signature】 included; longer is billed as two. */
export const smsLength = 70;
/** The longest signature budgeted for (SMS_SIGN_NAME, without 【】; carriers allow 2–12, ours is 议事堂). */
export const maxSignNameLength = 6;

/**
 * The longest each parameter may be: builders cut to these (smsParam), and a unit test renders
 * every template at them to prove it fits one SMS. estate: the estate's short name; date:
 * "12月31日"; time: "12月31日 23:59"; amount: yuan "9999999.99"; link: host and a short path.
 */
export const paramLimits: Record<string, number> = {
  code: 6,
  estate: 8,
  date: 6,
  time: 12,
  amount: 10,
  count: 3,
  link: 24,
  fingerprint: 16,
};

/** A parameter cut to its limit (a long estate name loses its tail, never the message its fit). */
export function smsParam(name: keyof typeof paramLimits, value: string): string {
  const limit = paramLimits[name];
  return [...value].length > limit ? [...value].slice(0, limit).join("") : value;
}

export const smsTemplates = {
  /** A 6-digit verification code (sign-up, login, reset, change of number). */
  code: define({
    params: ["code"],
    unbudgeted: true,
    secret: ["code"],
    text: ({ code }) => `您的验证码为${code}，5分钟内有效。如非本人操作，请忽略本短信。`,
  }),
  /** A formal vote notice was posted (issue 15 adds the event). */
  "vote-notice": define({
    params: ["estate", "link"],
    text: ({ estate, link }) => `${estate}发布了业主表决公告，请查看：${link}`,
  }),
  /** A notice posted on the estate's notice board (公告栏). */
  "board-notice": define({
    params: ["estate", "link"],
    text: ({ estate, link }) => `${estate}公告栏发布了新公告，请查看：${link}`,
  }),
  "vote-opened": define({
    params: ["estate", "time", "link"],
    text: ({ estate, time, link }) => `${estate}业主表决已开始，${time}截止，投票：${link}`,
  }),
  /** Two days before a vote closes, to those who have not voted. */
  "vote-closing": define({
    params: ["estate", "time", "link"],
    text: ({ estate, time, link }) => `${estate}业主表决将于${time}截止，您尚未投票：${link}`,
  }),
  "vote-result": define({
    params: ["estate", "link"],
    text: ({ estate, link }) => `${estate}业主表决已结束，结果已公布：${link}`,
  }),
  "bill-due": define({
    params: ["estate", "amount", "date", "link"],
    text: ({ estate, amount, date, link }) => `${estate}新账单${amount}元，请于${date}前缴纳：${link}`,
  }),
  "bill-overdue": define({
    params: ["estate", "count", "amount", "link"],
    text: ({ estate, count, amount, link }) => `${estate}您有${count}笔账单逾期，共${amount}元，请缴纳：${link}`,
  }),
  "payment-receipt": define({
    params: ["estate", "amount", "link"],
    text: ({ estate, amount, link }) => `您已向${estate}缴费${amount}元，电子收据：${link}`,
  }),
  "meeting-notice": define({
    params: ["estate", "time", "link"],
    text: ({ estate, time, link }) => `${estate}将于${time}召开会议，详情：${link}`,
  }),
  "ticket-answered": define({
    params: ["estate", "link"],
    text: ({ estate, link }) => `您在${estate}提交的报事已有回复，请查看：${link}`,
  }),
  /**
   * A message too long for one SMS (a vote's final tree head): its short fingerprint and a link
   * to the whole. Outside the budget, like codes.
   */
  fingerprint: define({
    params: ["estate", "fingerprint", "link"],
    unbudgeted: true,
    text: ({ estate, fingerprint, link }) => `${estate}表决记录指纹${fingerprint}，全文核对：${link}`,
  }),
};

export type SmsTemplates = typeof smsTemplates;
export type SmsTemplateName = keyof SmsTemplates;
export type SmsParams<K extends SmsTemplateName> = Parameters<SmsTemplates[K]["text"]>[0];

export function isSmsTemplateName(name: string): name is SmsTemplateName {
  return Object.hasOwn(smsTemplates, name);
}
