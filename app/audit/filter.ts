import { z } from "zod";
import type { AuditAct } from "#db/schema/audit";
import { auditActs } from "#db/values";
import { addDays, parseBeijingDate } from "~/lib/time";

export const auditPageSize = 50;

const Search = z.object({
  act: z.enum(auditActs).optional().catch(undefined),
  from: z.string().optional().catch(undefined),
  to: z.string().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export interface AuditFilter {
  act: AuditAct | null;
  /** The first instant counted: midnight (Beijing) of the "from" day. */
  from: Date | null;
  /** The first instant not counted: midnight (Beijing) after the "to" day. */
  until: Date | null;
  page: number;
  /** What the form shows back, and what the page links keep. */
  query: Record<string, string>;
  /** A catalogue key when a date was unreadable or the range runs backwards (the dates are then not applied). */
  error: "audit.filter.badDate" | "audit.filter.badRange" | null;
}

/** The audit page's filters from its query string; bad values fall back to "no filter" with a message. */
export function auditFilter(url: URL): AuditFilter {
  const s = Search.parse(Object.fromEntries(url.searchParams));
  const query: Record<string, string> = {};
  if (s.act) query.act = s.act;
  const fromText = s.from?.trim() || "";
  const toText = s.to?.trim() || "";
  const from = fromText ? parseBeijingDate(fromText) : null;
  const toDay = toText ? parseBeijingDate(toText) : null;
  if ((fromText && !from) || (toText && !toDay)) {
    return { act: s.act ?? null, from: null, until: null, page: s.page, query, error: "audit.filter.badDate" };
  }
  const until = toDay ? addDays(toDay, 1) : null;
  if (from && until && until <= from) {
    return { act: s.act ?? null, from: null, until: null, page: s.page, query, error: "audit.filter.badRange" };
  }
  if (fromText) query.from = fromText;
  if (toText) query.to = toText;
  return { act: s.act ?? null, from, until, page: s.page, query, error: null };
}
