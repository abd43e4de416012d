import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useDateTimeFormat } from "~/lib/time";
import { BackLink } from "~/ui/back-link";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { fullBallotListRequest } from "~/voting/ballot-list.server";
import { electionLedger } from "~/committee/election-votes.server";
import { decodeMarks } from "~/committee/ledger";
import { ledgerPage, publicRow } from "~/voting/ledger";
import { LedgerLookup, LedgerPager, LedgerTable } from "~/voting/ledger-ui";
import { can } from "~/lib/permissions";

/**
 * An election's anonymous ballot ledger, public to the estate once the result is published
 * (to those who run the election once it closes): receipts, marks, channel, times to the minute;
 * never names, units or areas. With `?full=1` the full ballot list (areas, exact times, the hash
 * chain), for those the estate's setting names, after close only, each look audited.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const ledger = await electionLedger(estate.id, params.id ?? "", { overseer: can(roles, "elections:oversee") });
  if (!ledger) notFound();
  const { full: wantsFull, allowed } = await fullBallotListRequest(request, {
    estate,
    roles,
    userId: user.id,
    closed: ledger.meta !== null,
    vote: { electionId: ledger.election.id },
    format: "page",
  });
  const base = {
    estate: { slug: estate.slug, name: estate.name },
    election: { id: ledger.election.id, title: ledger.election.title },
  };
  if (!ledger.meta) return { ...base, closed: false as const };
  const { rows, ...page } = ledgerPage(
    wantsFull ? ledger.entries : ledger.entries.map(publicRow),
    new URL(request.url),
  );
  return {
    ...base,
    closed: true as const,
    finalHash: ledger.meta.finalHash,
    full: { shown: wantsFull, allowed },
    ...page,
    rows: rows.map((e) => ({
      ...e,
      marks: [...decodeMarks(e.marks)].map(([id, choice]) => ({
        name: ledger.candidateNames.get(id) ?? id.slice(0, 8),
        choice,
      })),
    })),
  };
}

export default function ElectionLedger() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const exact = useDateTimeFormat({ dateStyle: "short", timeStyle: "medium" });
  const minute = useDateTimeFormat({ dateStyle: "short", timeStyle: "short" });
  const base = `/e/${d.estate.slug}/committee/elections/${d.election.id}`;
  return (
    <div>
      <BackLink to={base} title={d.election.title} />
      <h1>{t("committee.ledger.title")}</h1>
      {!d.closed ? (
        <p className="card muted">{t("committee.ledger.notYet")}</p>
      ) : (
        <>
          <p className="muted">{t("committee.ledger.intro")}</p>
          <LedgerLookup
            finalHash={d.finalHash}
            csvHref={`${base}/ledger.csv`}
            query={d.query}
            found={d.found}
            full={d.full}
          />
          <LedgerTable
            label={t("committee.ledger.title")}
            rows={d.rows}
            query={d.query}
            date={d.full.shown ? exact : minute}
            full={d.full.shown}
            ballot={{
              head: t("committee.ledger.marks"),
              cell: (e) =>
                e.marks.length
                  ? e.marks.map((m) => `${m.name} ${t(`committee.choices.${m.choice}`)}`).join("、")
                  : t("committee.ledger.allAbstain"),
            }}
          />
          <LedgerPager page={d.page} pages={d.pages} />
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.election.title} · ${data.estate.name}` : "议事堂" },
];
