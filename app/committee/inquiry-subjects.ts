import { isUuid } from "~/lib/ids";

/**
 * What an owner's question to the committee is about (client-safe: the thread UI and the
 * server share it). Minutes and service reports are rows; each ledger is one per estate.
 */
export const inquirySubjectKinds = ["minutes", "service_report", "maintenance_fund", "common_income"] as const;
export type InquirySubjectKind = (typeof inquirySubjectKinds)[number];

export type InquirySubject =
  { kind: "minutes" | "service_report"; id: string } | { kind: "maintenance_fund" | "common_income"; id?: undefined };

/** A subject from untrusted form fields, or null: a row's kind needs a UUID, a ledger takes none. */
export function parseSubject(kind: unknown, id: unknown): InquirySubject | null {
  if (kind === "minutes" || kind === "service_report") return isUuid(id) ? { kind, id } : null;
  if (kind === "maintenance_fund" || kind === "common_income")
    return id === undefined || id === null || id === "" ? { kind } : null;
  return null;
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
  }
}
