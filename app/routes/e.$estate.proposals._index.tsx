import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { listPetitions } from "~/voting/petitions.server";
import { listProposals } from "~/voting/proposals.server";
import { StatusBadge } from "~/voting/ui";
import { can } from "~/lib/permissions";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  const canDraft = can(roles, "voting:manage");
  const [proposals, petitions] = await Promise.all([
    listProposals(estate.id, { includeDrafts: can(roles, "voting:oversee") }),
    listPetitions(estate.id, user.id),
  ]);
  return {
    title: `${t("voting.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    canDraft,
    duePetitions: petitions.filter((p) => p.daysWaiting !== null).length,
    proposals: proposals.map((p) => ({
      ...p,
      commentEndsAt: p.commentEndsAt.toISOString(),
      votingStartsAt: p.votingStartsAt.toISOString(),
      votingEndsAt: p.votingEndsAt.toISOString(),
      createdAt: p.createdAt.toISOString(),
    })),
  };
}

export default function Proposals() {
  const { estate, canDraft, proposals, duePetitions } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const groups = [
    { key: "drafts", items: proposals.filter((p) => p.status === "draft") },
    { key: "current", items: proposals.filter((p) => p.status === "comment" || p.status === "voting") },
    {
      key: "past",
      items: proposals.filter((p) => p.status === "closed" || p.status === "published" || p.status === "carried_out"),
    },
  ] as const;
  return (
    <div>
      <h1>{t("voting.title")}</h1>
      <p className="muted">{t("voting.intro")}</p>
      <div className="actions no-print">
        {canDraft ? (
          <Link className="button" to={`/e/${estate.slug}/proposals/new`}>
            {t("voting.list.newProposal")}
          </Link>
        ) : null}
        <Link className="button secondary" to={`/e/${estate.slug}/proposals/petitions`}>
          {t("voting.list.petitions")}
        </Link>
        <Link className="button secondary" to={`/e/${estate.slug}/votes`}>
          {t("results.archive.link")}
        </Link>
      </div>
      {duePetitions > 0 ? (
        <p className="alert" style={{ marginTop: "1rem" }}>
          <Link to={`/e/${estate.slug}/proposals/petitions`}>
            {t("voting.list.duePetitions", { count: duePetitions })}
          </Link>
        </p>
      ) : null}
      {proposals.length === 0 ? <p className="card muted">{t("voting.list.empty")}</p> : null}
      {groups.map((g) =>
        g.items.length === 0 ? null : (
          <section key={g.key}>
            <h2>{t(`voting.list.${g.key}`)}</h2>
            <ul className="list-plain">
              {g.items.map((p) => (
                <li key={p.id}>
                  <div className="actions">
                    <Link to={`/e/${estate.slug}/proposals/${p.id}`}>
                      <strong>{p.title}</strong>
                    </Link>
                    <StatusBadge status={p.status} />
                    <span className={`badge matter-${p.matter}`}>{t(`voting.matter.${p.matter}`)}</span>
                    {p.passed === null ? null : (
                      <span className={`badge ${p.passed ? "result-passed" : "result-failed"}`}>
                        {t(p.passed ? "voting.list.passed" : "voting.list.failed")}
                      </span>
                    )}
                  </div>
                  <div className="muted">
                    {t(`voting.types.${p.type}`)}
                    {" · "}
                    {p.status === "comment"
                      ? t("voting.list.commentEnds", { date: date.format(new Date(p.commentEndsAt)) })
                      : t("voting.list.votingEnds", { date: date.format(new Date(p.votingEndsAt)) })}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ),
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
