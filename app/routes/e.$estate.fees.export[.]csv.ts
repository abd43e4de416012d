import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireEstatePermission } from "~/auth/guards.server";
import { ledgerRows } from "~/fees/bills.server";
import { toCsv } from "~/fees/csv";
import { ledgerFilter } from "~/fees/ledger-filter";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatFen } from "~/lib/money";
import { beijingDate } from "~/lib/time";
import { formatArea } from "~/ui/mask";

/** The ledger as CSV (UTF-8 with a byte order mark, so spreadsheet programs read the Chinese). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "fees:ledger");
  const { filter } = ledgerFilter(new URL(request.url));
  const today = beijingDate(new Date());
  const rows = await ledgerRows(estate.id, filter, today);
  const t = await getT(await getLocale(request));
  const columns = [
    "building",
    "unit",
    "period",
    "charge",
    "area",
    "rate",
    "months",
    "amount",
    "dueDate",
    "status",
    "receiptNo",
    "method",
    "paidAt",
  ] as const;
  const csv = toCsv(
    columns.map((c) => t(`fees.csv.${c}`)),
    rows.map((b) => {
      const overdue = b.status !== "paid" && b.dueDate < today;
      return [
        b.building,
        b.number,
        b.periodKey,
        t(`fees.charges.${b.charge}`),
        b.basis === "area" ? formatArea(b.areaCentiSqm) : "",
        formatFen(b.rateFen),
        String(b.months),
        formatFen(b.amountFen).replace(/,/g, ""),
        b.dueDate,
        t(`fees.status.${overdue ? "overdue" : b.status}`),
        b.receiptNo ?? "",
        b.method ? t(`fees.methods.${b.method}`) : "",
        b.paidAt ? b.paidAt.toISOString() : "",
      ];
    }),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="bills-${estate.slug}-${today}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
