import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useDateTimeFormat } from "~/lib/time";
import { BackLink } from "~/ui/back-link";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { fullBallotListRequest } from "~/voting/ballot-list.server";
import { findProposal } from "~/voting/access.server";
import { myVoters } from "~/voting/ballots.server";
import { ledgerPage, publicRow } from "~/voting/ledger";
import { LedgerLookup, LedgerPager, LedgerTable } from "~/voting/ledger-ui";
import { ledgerEntries } from "~/voting/proposals.server";

/**
 * The anonymous ballot ledger, public to the estate's members once voting has closed: no areas,
 * no hashes, times to the minute. With `?full=1` the full ballot list (areas, exact times, the
 * hash chain), for those the estate's setting names, after close only, each look audited.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || p.status === "draft") notFound();
  const { full: wantsFull, allowed } = await fullBallotListRequest(request, {
    estate,
    roles,
    userId: user.id,
    closed: p.finalHash !== null,
    vote: { proposalId: p.id },
    format: "page",
  });
  const base = {
    estate: { slug: estate.slug, name: estate.name },
    proposal: { id: p.id, title: p.title, finalHash: p.finalHash },
  };
  if (!p.finalHash) return { ...base, closed: false as const };
  const entries = await ledgerEntries(getDb(), p.id);
  const mine = (await myVoters(estate.id, p.id, user.id)).flatMap((v) => [
    ...(v.current ? [v.current.receipt] : []),
    ...v.replaced.map((r) => r.receipt),
  ]);
  const url = new URL(request.url);
  if (wantsFull)
    return { ...base, closed: true as const, full: { shown: true, allowed }, ...ledgerPage(entries, url), mine };
  return {
    ...base,
    closed: true as const,
    full: { shown: false, allowed },
    ...ledgerPage(entries.map(publicRow), url),
    mine,
  };
}

export default function Ledger() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const exact = useDateTimeFormat({ dateStyle: "short", timeStyle: "medium" });
  const minute = useDateTimeFormat({ dateStyle: "short", timeStyle: "short" });
  const base = `/e/${d.estate.slug}/proposals/${d.proposal.id}`;
  return (
    <div>
      <BackLink to={base} title={d.proposal.title} />
      <h1>{t("voting.ledger.title")}</h1>
      {!d.closed ? (
        <p className="card muted">{t("voting.ledger.notYet")}</p>
      ) : (
        <>
          <p className="muted">{t("voting.ledger.intro")}</p>
          <LedgerLookup
            finalHash={d.proposal.finalHash}
            csvHref={`${base}/ledger.csv`}
            query={d.query}
            found={d.found}
            full={d.full}
          />
          {d.mine.length ? (
            <p>
              {t("voting.ledger.yours")}:{" "}
              {d.mine.map((r) => (
                <Link key={r} to={`?receipt=${r}`} className="receipt" style={{ marginRight: "0.5rem" }}>
                  {r}
                </Link>
              ))}
            </p>
          ) : null}
          <LedgerTable
            label={t("voting.ledger.title")}
            rows={d.rows}
            query={d.query}
            date={d.full.shown ? exact : minute}
            full={d.full.shown}
            ballot={{ head: t("voting.ledger.columns.choice"), cell: (e) => t(`voting.choices.${e.choice}`) }}
            after={{ head: t("voting.ledger.columns.headcount"), cell: (e) => e.headcount }}
          />
          <LedgerPager page={d.page} pages={d.pages} />
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" },
];
