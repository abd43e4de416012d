import { beijingDate, type BeijingDate } from "~/lib/time";

/** The last Beijing day of a publicity period whose end (exclusive, 24:00 Beijing) is `endsAt`. */
export function lastPublicityDay(endsAt: Date): BeijingDate {
  return beijingDate(new Date(endsAt.getTime() - 1));
}

/** Whether a notice is still on display: none (no period), running, or over. */
export function publicityState(endsAt: Date | null, now: Date): "none" | "running" | "over" {
  if (!endsAt) return "none";
  return now < endsAt ? "running" : "over";
}

/** A Beijing date ("2026-11-16") in the reader's language: 2026年11月16日, November 16, 2026. */
export function longBeijingDate(date: BeijingDate, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}
