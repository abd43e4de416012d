import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackLink } from "~/ui/back-link";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { maskName } from "~/ui/mask";
import { findProposal } from "~/voting/access.server";
import { proxyAction } from "~/voting/proxy-action.server";
import { ProxyAuthoriseForm, ProxyList } from "~/voting/proxy-ui";
import { authoriseProxy, decideProxy, grantorChoices, listProxies } from "~/voting/proxies.server";
import { StatusBadge } from "~/voting/ui";
import { can } from "~/lib/permissions";

/** Owners authorise a proxy here; committee members check and approve authorisations. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "voting:proxies");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || p.status === "draft") notFound();
  const committee = can(roles, "voting:oversee");
  const canDecide = can(roles, "voting:manage");
  const [proxies, grantors] = await Promise.all([
    listProxies(estate.id, p.id, { userId: user.id, committee, review: canDecide }),
    grantorChoices(estate.id, user.id),
  ]);
  return {
    estate: { slug: estate.slug, name: estate.name },
    proposal: { id: p.id, title: p.title, status: p.status },
    canAuthorise: grantors.length > 0 && (p.status === "comment" || p.status === "voting"),
    canDecide,
    grantors: grantors.map((g) => ({ id: g.id, name: maskName(g.name) })),
    proxies,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "voting:proxy-act");
  const ids = { estateId: estate.id, proposalId: params.id ?? "", userId: user.id };
  return proxyAction(request, {
    here: `/e/${estate.slug}/proposals/${params.id}/proxies`,
    isOwner: roles.includes("owner"),
    mayDecide: can(roles, "voting:manage"),
    authorise: (grant) => authoriseProxy({ ...ids, ...grant }),
    decide: (decision) => decideProxy({ ...ids, ...decision }),
    notFoundErrors: ["voting.errors.notFound"],
    forbiddenErrors: ["voting.errors.ownProxy", "voting.errors.proxyHolder"],
  });
}

export default function Proxies() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const base = `/e/${d.estate.slug}/proposals/${d.proposal.id}`;
  return (
    <div>
      <BackLink to={base} title={d.proposal.title} />
      <h1>{t("voting.proxy.title")}</h1>
      <StatusBadge status={d.proposal.status} />
      <p className="muted">{t("voting.proxy.intro")}</p>
      {d.canAuthorise ? <ProxyAuthoriseForm grantors={d.grantors} failure={failure} /> : null}
      <ProxyList proxies={d.proxies} canDecide={d.canDecide} filesBase={base} failure={failure} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" },
];
