/** The payment methods offered online: card, Alipay and WeChat Pay (web client), in CNY. */
export const paymentMethodTypes = ["card", "alipay", "wechat_pay"] as const;
