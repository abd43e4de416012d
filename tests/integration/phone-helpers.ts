import { afterAll, beforeAll } from "vitest";
import { setSmsProvider } from "~/sms/factory.server";
import type { OutgoingSms, SmsProvider } from "~/sms/provider.server";

/** Every SMS the app sends during these tests, as the carrier would get it. */
export const inbox: OutgoingSms[] = [];
const capturing: SmsProvider = {
  name: "aliyun",
  async send(message) {
    inbox.push(message);
    return { providerId: `test-${inbox.length}` };
  },
};

let counter = 0;
const run = String(Math.floor(Math.random() * 10_000)).padStart(4, "0");
/** A fresh mainland mobile number per test, so tests never share a number's limits. */
export function freshPhone(): string {
  counter += 1;
  return `139${run}${String(counter).padStart(4, "0")}`;
}
let ipCounter = 0;
const ipRun = Math.floor(Math.random() * 200);
export const freshIp = () => `10.${ipRun}.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

/** The last code sent to a number. */
export function lastCode(phone: string): string {
  const sent = inbox.filter((m) => m.phone === phone && m.template === "code").at(-1);
  if (!sent) throw new Error(`no code sent to ${phone}`);
  return sent.params.code;
}

/** Hands the capturing provider in for this test file (restored after). */
export function captureSms() {
  beforeAll(() => setSmsProvider(capturing));
  afterAll(() => setSmsProvider(undefined));
}
