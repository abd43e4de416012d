import { account } from "~/account/account.messages";
import { audit } from "~/audit/audit.messages";
import { calendar } from "~/calendar/calendar.messages";
import { board } from "~/board/board.messages";
import { auth } from "~/auth/auth.messages";
import { claims } from "~/claims/claims.messages";
import { committee } from "~/committee/committee.messages";
import { estate } from "~/estates/estate.messages";
import { fees } from "~/fees/fees.messages";
import { grants } from "~/grants/grants.messages";
import { notify } from "~/notify/notify.messages";
import { roster } from "~/roster/roster.messages";
import { tickets } from "~/tickets/tickets.messages";
import { law } from "~/lib/law.messages";
import { voting } from "~/voting/voting.messages";
import { voteNotice } from "~/voting/notice.messages";
import { results } from "~/voting/results.messages";
import { wechat } from "~/wechat/wechat.messages";
import { common } from "./common.messages";

/** Every feature's catalogue, one namespace ("translation"), a top-level key per feature. */
const features = {
  common,
  law,
  account,
  auth,
  audit,
  claims,
  estate,
  roster,
  notify,
  voting,
  voteNotice,
  results,
  committee,
  fees,
  tickets,
  grants,
  wechat,
  calendar,
  board,
};

type Features = typeof features;
type Tree<L extends "zh-CN" | "en"> = { [K in keyof Features]: Features[K][L] };

function pick<L extends "zh-CN" | "en">(locale: L): Tree<L> {
  return Object.fromEntries(Object.entries(features).map(([k, v]) => [k, v[locale]])) as Tree<L>;
}

export { defaultLocale, isLocale, supportedLocales, type Locale } from "./locales";

export const resources = {
  "zh-CN": { translation: pick("zh-CN") },
  en: { translation: pick("en") },
} as const;
