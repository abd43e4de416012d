/** The payment methods offered online: card, Alipay and WeChat Pay (web client), in CNY. */
export const paymentMethodTypes = ["card", "alipay", "wechat_pay"] as const;
/** The sandbox offers them as a mainland owner would look for them: WeChat Pay, then Alipay, then card. */
export const sandboxMethodTypes = ["wechat_pay", "alipay", "card"] as const;
