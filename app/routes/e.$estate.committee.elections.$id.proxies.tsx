import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackLink } from "~/ui/back-link";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { authoriseElectionProxy, decideElectionProxy, listElectionProxies } from "~/committee/election-votes.server";
import { findElection } from "~/committee/elections.server";
import { maskName } from "~/ui/mask";
import { proxyAction } from "~/voting/proxy-action.server";
import { ProxyAuthoriseForm, ProxyList } from "~/voting/proxy-ui";
import { grantorChoices } from "~/voting/proxies.server";
import { can } from "~/lib/permissions";

/** Owners authorise a proxy for an election; committee members and admins check and approve. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "elections:proxies");
  const election = await findElection(getDb(), estate.id, params.id ?? "");
  if (!election) notFound();
  const overseer = can(roles, "elections:oversee");
  const [proxies, grantors] = await Promise.all([
    listElectionProxies(estate.id, election.id, { userId: user.id, committee: overseer, review: overseer }),
    grantorChoices(estate.id, user.id),
  ]);
  return {
    estate: { slug: estate.slug, name: estate.name },
    election: { id: election.id, title: election.title, status: election.status },
    canAuthorise: grantors.length > 0 && (election.status === "nominating" || election.status === "voting"),
    canDecide: overseer,
    grantors: grantors.map((g) => ({ id: g.id, name: maskName(g.name) })),
    proxies,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "elections:proxy-act");
  const ids = { estateId: estate.id, electionId: params.id ?? "", userId: user.id };
  return proxyAction(request, {
    here: `/e/${estate.slug}/committee/elections/${params.id}/proxies`,
    isOwner: roles.includes("owner"),
    mayDecide: can(roles, "elections:oversee"),
    authorise: (grant) => authoriseElectionProxy({ ...ids, ...grant }),
    decide: (decision) => decideElectionProxy({ ...ids, ...decision }),
    notFoundErrors: ["committee.errors.notFound", "voting.errors.notFound"],
    forbiddenErrors: ["voting.errors.ownProxy", "voting.errors.proxyHolder", "committee.errors.candidateHandles"],
  });
}

export default function ElectionProxies() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const base = `/e/${d.estate.slug}/committee/elections/${d.election.id}`;
  return (
    <div>
      <BackLink to={base} title={d.election.title} />
      <h1>{t("committee.electionProxy.title")}</h1>
      <p className="muted">{t("committee.electionProxy.intro")}</p>
      {d.canAuthorise ? <ProxyAuthoriseForm grantors={d.grantors} failure={failure} /> : null}
      <ProxyList proxies={d.proxies} canDecide={d.canDecide} filesBase={base} failure={failure} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.election.title} · ${data.estate.name}` : "议事堂" },
];
