import { isUuid } from "~/lib/ids";

/**
 * What an owner's question to the committee is about (client-safe: the thread UI and the
 * server share it). Minutes and service reports are rows; each ledger is one per estate; a
 * vote's or an election's query (询异) is on its preliminary result, during the query period.
 */
export const inquirySubjectKinds = [
  "minutes",
  "service_report",
  "maintenance_fund",
  "common_income",
  "vote",
  "election",
] as const;
export type InquirySubjectKind = (typeof inquirySubjectKinds)[number];

export type InquirySubject =
  | { kind: "minutes" | "service_report" | "vote" | "election"; id: string }
  | { kind: "maintenance_fund" | "common_income"; id?: undefined };

/** What a query on a vote's result is about: the asker's own ballot, or a listed unit's eligibility. */
export const voteQueryTopics = ["own_ballot", "eligibility"] as const;
export type VoteQueryTopic = (typeof voteQueryTopics)[number];
export type VoteQuery = { topic: "own_ballot" } | { topic: "eligibility"; unitId: string };

/** A subject from untrusted form fields, or null: a row's kind needs a UUID, a ledger takes none. */
export function parseSubject(kind: unknown, id: unknown): InquirySubject | null {
  if (kind === "minutes" || kind === "service_report" || kind === "vote" || kind === "election")
    return isUuid(id) ? { kind, id } : null;
  if (kind === "maintenance_fund" || kind === "common_income")
    return id === undefined || id === null || id === "" ? { kind } : null;
  return null;
}

/** A vote query's topic from untrusted form fields, or null (an eligibility query names a unit). */
export function parseVoteQuery(topic: unknown, unitId: unknown): VoteQuery | null {
  if (topic === "own_ballot") return { topic };
  if (topic === "eligibility") return isUuid(unitId) ? { topic, unitId } : null;
  return null;
}

export function isVoteSubject(subject: InquirySubject): subject is { kind: "vote" | "election"; id: string } {
  return subject.kind === "vote" || subject.kind === "election";
}

/** Where the subject's threads are shown, anchored at them. */
export function subjectPath(slug: string, subject: InquirySubject): string {
  switch (subject.kind) {
    case "minutes":
      return `/e/${slug}/committee/meetings/${subject.id}#inquiries`;
    case "service_report":
      return `/e/${slug}/service-reports#q-${subject.id}`;
    case "maintenance_fund":
    case "common_income":
      return `/e/${slug}/ledgers#q-${subject.kind}`;
    case "vote":
      return `/e/${slug}/proposals/${subject.id}/result#q-${subject.id}`;
    case "election":
      return `/e/${slug}/committee/elections/${subject.id}#q-${subject.id}`;
  }
}
