import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { and, eq } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { forbidden, notFound, requireEstateRole } from "~/auth/guards.server";
import { isUuid } from "~/committee/access.server";
import { authoriseElectionProxy, decideElectionProxy, listElectionProxies } from "~/committee/election-votes.server";
import { Refused, type Refusal } from "~/committee/ui";
import { maskName } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { readUpload } from "~/voting/files.server";
import { readFormData } from "~/voting/form-data.server";
import { grantorChoices } from "~/voting/proxies.server";
import { hasAny, voteOverseers } from "~/voting/roles";

const allowed = ["owner", "resident", ...voteOverseers] as const;

/** Owners authorise a proxy for an election; committee members and admins check and approve. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstateRole(request, context, params.estate, allowed);
  const id = params.id ?? "";
  const [election] = isUuid(id)
    ? await getDb().select().from(schema.committeeElections).where(and(eq(schema.committeeElections.id, id), eq(schema.committeeElections.estateId, estate.id)))
    : [];
  if (!election) notFound();
  const overseer = hasAny(roles, voteOverseers);
  const [proxies, grantors] = await Promise.all([listElectionProxies(estate.id, election.id, { userId: user.id, committee: overseer }), grantorChoices(estate.id, user.id)]);
  return {
    estate: { slug: estate.slug, name: estate.name },
    election: { id: election.id, title: election.title, status: election.status },
    canAuthorise: grantors.length > 0 && (election.status === "nominating" || election.status === "voting"),
    canDecide: overseer,
    grantors: grantors.map((g) => ({ id: g.id, name: maskName(g.name) })),
    proxies,
  };
}

const ProxySchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("authorise"),
    grantorOwnerId: z.string().uuid("common.errors.invalid").optional(),
    proxyIdentifier: z.string({ required_error: "common.errors.required" }).trim().min(3, "common.errors.invalid").max(254, "common.errors.tooLong"),
    proxyName: z.string({ required_error: "common.errors.required" }).trim().min(1, "common.errors.required").max(100, "common.errors.tooLong"),
    file: z.any(),
  }),
  z.object({ intent: z.enum(["approve", "reject"]), proxyId: z.string().uuid("common.errors.invalid"), reason: z.string().trim().max(500, "common.errors.tooLong").optional() }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstateRole(request, context, params.estate, ["owner", ...voteOverseers]);
  const here = `/e/${estate.slug}/committee/elections/${params.id}/proxies`;
  const read = await readFormData(request);
  if (!read.ok) return data<Refusal>({ intent: "authorise", error: read.error }, { status: read.error === "voting.errors.tooLarge" ? 413 : 400 });
  const submission = parseWithZod(read.formData, { schema: ProxySchema });
  const intent = String(read.formData.get("intent") ?? "");
  if (submission.status !== "success") {
    const first = Object.values(submission.error ?? {}).flat()[0];
    return data<Refusal>({ intent, error: first && /^[a-z]+\.errors\./.test(first) ? first : "common.errors.invalid" }, { status: 400 });
  }
  const v = submission.value;
  const ids = { estateId: estate.id, electionId: params.id ?? "", userId: user.id };
  const isNotFound = (e: string) => e === "committee.errors.notFound" || e === "voting.errors.notFound";
  if (v.intent === "authorise") {
    if (!roles.includes("owner")) forbidden();
    const file = await readUpload(read.formData.get("file"));
    if (!file.ok) return data<Refusal>({ intent, error: file.error }, { status: 400 });
    const r = await authoriseElectionProxy({ ...ids, grantorOwnerId: v.grantorOwnerId, proxyIdentifier: v.proxyIdentifier, proxyName: v.proxyName, file });
    if (!r.ok) {
      if (isNotFound(r.error)) notFound();
      return data<Refusal>({ intent, error: r.error }, { status: 409 });
    }
    return redirectWithToast(here, { key: "voting.proxy.submitted" });
  }
  if (!hasAny(roles, voteOverseers)) forbidden();
  const r = await decideElectionProxy({ ...ids, proxyId: v.proxyId, approve: v.intent === "approve", reason: v.reason || null });
  if (!r.ok) {
    if (isNotFound(r.error)) notFound();
    return data<Refusal>({ intent, error: r.error }, { status: r.error === "voting.errors.ownProxy" || r.error === "committee.errors.candidateHandles" ? 403 : 409 });
  }
  return redirectWithToast(here, { key: v.intent === "approve" ? "voting.proxy.approved" : "voting.proxy.rejectedDone" });
}

export default function ElectionProxies() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const base = `/e/${d.estate.slug}/committee/elections/${d.election.id}`;
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {d.election.title}</Link>
      </p>
      <h1>{t("committee.electionProxy.title")}</h1>
      <p className="muted">{t("committee.electionProxy.intro")}</p>
      {d.canAuthorise ? (
        <section className="card">
          <h2>{t("voting.proxy.authorise")}</h2>
          <Refused failure={failure} intent="authorise" />
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="authorise" />
            {d.grantors.length > 1 ? (
              <div className="field">
                <label htmlFor="grantorOwnerId">{t("voting.proxy.grantor")}</label>
                <select id="grantorOwnerId" name="grantorOwnerId">
                  {d.grantors.map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="proxyIdentifier">{t("voting.proxy.proxyIdentifier")}</label>
              <input id="proxyIdentifier" name="proxyIdentifier" required maxLength={254} autoComplete="off" aria-describedby="proxyIdentifier-hint" />
              <p className="hint" id="proxyIdentifier-hint">
                {t("voting.proxy.proxyIdentifierHint")}
              </p>
            </div>
            <div className="field">
              <label htmlFor="proxyName">{t("voting.proxy.proxyName")}</label>
              <input id="proxyName" name="proxyName" required maxLength={100} />
            </div>
            <div className="field">
              <label htmlFor="file">{t("voting.proxy.file")}</label>
              <input id="file" name="file" type="file" accept="application/pdf,image/png,image/jpeg,image/webp" required />
            </div>
            <button type="submit" className="primary">
              {t("voting.proxy.submit")}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2>{t("voting.proxy.list")}</h2>
        <Refused failure={failure} intent={["approve", "reject"]} />
        {d.proxies.length === 0 ? <p className="muted">{t("voting.proxy.none")}</p> : null}
        <ul className="list-plain">
          {d.proxies.map((x) => (
            <li key={x.id}>
              <div className="actions">
                <span>{t("voting.proxy.line", { grantor: x.grantorName, proxy: x.proxyName })}</span>
                <span className={`badge status-${x.status}`}>{t(`voting.proxy.statusLabels.${x.status}`)}</span>
                {x.mineAsGrantor ? <span className="badge">{t("voting.proxy.youGranted")}</span> : null}
                {x.mineAsProxy ? <span className="badge">{t("voting.proxy.youAreProxy")}</span> : null}
                <a href={`${base}/files/${x.fileId}`} target="_blank" rel="noreferrer">
                  {t("voting.proxy.viewFile")}
                </a>
              </div>
              {x.reason ? <p className="muted">{x.reason}</p> : null}
              {d.canDecide && x.status === "pending" && !x.mineAsGrantor ? (
                <Form method="post" className="actions">
                  <input type="hidden" name="proxyId" value={x.id} />
                  <button type="submit" name="intent" value="approve" className="primary">
                    {t("voting.proxy.approve")}
                  </button>
                  <input name="reason" placeholder={t("voting.proxy.reason")} aria-label={t("voting.proxy.reason")} maxLength={500} style={{ maxWidth: "14rem" }} />
                  <button type="submit" name="intent" value="reject" className="secondary">
                    {t("voting.proxy.reject")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.election.title} · ${data.estate.name}` : "议事堂" }];
