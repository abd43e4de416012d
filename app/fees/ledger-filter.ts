import { z } from "zod";
import { uuidSchema } from "~/lib/ids";
import type { LedgerFilter } from "./bills.server";

/** The ledger's filters, from the query string (shared with the CSV export). */
const LedgerSearch = z.object({
  building: uuidSchema.optional().catch(undefined),
  period: z
    .string()
    .regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/)
    .optional()
    .catch(undefined),
  status: z.enum(["unpaid", "pending", "paid", "overdue"]).optional().catch(undefined),
  unit: z.string().trim().min(1).max(20).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export function ledgerFilter(url: URL): { filter: LedgerFilter; page: number; query: Record<string, string> } {
  const search = LedgerSearch.parse(Object.fromEntries(url.searchParams));
  const filter: LedgerFilter = {
    buildingId: search.building,
    periodKey: search.period,
    status: search.status,
    unit: search.unit,
  };
  const query: Record<string, string> = {};
  if (search.building) query.building = search.building;
  if (search.period) query.period = search.period;
  if (search.status) query.status = search.status;
  if (search.unit) query.unit = search.unit;
  return { filter, page: search.page, query };
}
