import { freeText, nameField } from "~/lib/text";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { publicRoles } from "#db/values";
import { forbidden, requireEstatePermission } from "~/auth/guards.server";
import { decideDeclaration, declareRole, listDeclarations } from "~/committee/composition.server";
import { useDateTimeFormat } from "~/lib/time";
import { maxUploadBytes, readUpload, storeUpload, withUploads } from "~/lib/uploads/store.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { maskName } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { can } from "~/lib/permissions";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "committee:declare");
  const isAdmin = can(roles, "committee:admin");
  const t = await getT(await getLocale(request));
  const rows = await listDeclarations(getDb(), estate.id, { userId: isAdmin ? undefined : user.id });
  return {
    title: `${t("committee.roles.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    isAdmin,
    isOwner: roles.includes("owner"),
    declarations: rows.map((r) => ({
      id: r.id,
      mine: r.userId === user.id,
      // Admins check the person: they see the account's name; others see only their own.
      name: isAdmin || r.userId === user.id ? r.displayName : maskName(r.displayName),
      email: isAdmin ? r.email : null,
      role: r.role,
      title: r.title,
      proofNote: r.proofNote,
      hasProofFile: r.hasProofFile,
      status: r.status,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("declare"),
    role: z.enum(publicRoles, { errorMap: () => ({ message: "common.errors.invalid" }) }),
    title: nameField(80),
    proofNote: z
      .string({ required_error: "common.errors.required" })
      .trim()
      .min(1, "common.errors.required")
      .max(500, "common.errors.tooLong"),
    proof: z.any().optional(),
  }),
  z.object({ intent: z.literal("verify"), id: z.string({ required_error: "common.errors.required" }) }),
  z.object({
    intent: z.literal("reject"),
    id: z.string({ required_error: "common.errors.required" }),
    reason: freeText(500).optional(),
  }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "committee:declare");
  const isAdmin = can(roles, "committee:admin");
  const read = await parseForm(request, ActionSchema, {
    upload: { maxPartBytes: maxUploadBytes, tooLarge: "committee.errors.fileTooBig" },
    uploadForm: "declare",
  });
  if (!read.ok) return read.response;
  const { value: v, intent, submission } = read;
  const here = `/e/${estate.slug}/committee/roles`;
  if (v.intent === "declare") {
    if (!roles.includes("owner")) forbidden();
    const file = read.formData.get("proof");
    const upload = file && typeof file !== "string" && file.size > 0 ? await readUpload(file) : null;
    if (upload && !upload.ok)
      return refuse(
        intent,
        upload.error === "common.uploads.tooBig" ? "committee.errors.fileTooBig" : "committee.errors.fileType",
        { submission, reason: "invalid" },
      );
    const r = await withUploads(async () => {
      const proof = upload?.ok ? { key: await storeUpload(estate.id, upload.bytes), type: upload.type } : null;
      return declareRole({
        estateId: estate.id,
        userId: user.id,
        role: v.role,
        title: v.title,
        proofNote: v.proofNote,
        proof,
      });
    });
    return r.ok ? redirectWithToast(here, { key: "committee.roles.declared" }) : refuse(intent, r, { submission });
  }
  if (!isAdmin) forbidden();
  const r = await decideDeclaration({
    estateId: estate.id,
    adminId: user.id,
    declarationId: v.id,
    verify: v.intent === "verify",
    reason: v.intent === "reject" ? v.reason : null,
  });
  if (r.ok)
    return redirectWithToast(here, {
      key: v.intent === "verify" ? "committee.roles.verified" : "committee.roles.rejected",
    });
  return refuse(intent, r, {
    submission,
    reasons: { "committee.errors.notFound": "not_found", "committee.errors.ownDeclaration": "forbidden" },
  });
}

export default function Roles() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const mine = d.declarations.filter((x) => x.mine);
  const others = d.declarations.filter((x) => !x.mine);
  return (
    <div>
      <p>
        <Link to={`/e/${d.estate.slug}/committee`}>← {t("committee.nav.committee")}</Link>
      </p>
      <h1>{t("committee.roles.title")}</h1>
      <p className="hint">{t("committee.roles.intro")}</p>
      {d.isOwner ? (
        <section className="card">
          <h2>{t("committee.roles.declareTitle")}</h2>
          <Form method="post" encType="multipart/form-data">
            <FormError result={failure} form="declare" />
            <input type="hidden" name="intent" value="declare" />
            <div className="field">
              <label htmlFor="r-role">{t("committee.roles.role")}</label>
              <select id="r-role" name="role">
                {publicRoles.map((r) => (
                  <option key={r} value={r}>
                    {t(`committee.publicRoles.${r}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="r-title">{t("committee.roles.roleTitle")}</label>
              <input id="r-title" name="title" required maxLength={80} />
              <p className="hint">{t("committee.roles.roleTitleHint")}</p>
            </div>
            <div className="field">
              <label htmlFor="r-proof">{t("committee.roles.proofNote")}</label>
              <input id="r-proof" name="proofNote" required maxLength={500} />
              <p className="hint">{t("committee.roles.proofNoteHint")}</p>
            </div>
            <div className="field">
              <label htmlFor="r-file">{t("committee.roles.proofFile")}</label>
              <input id="r-file" name="proof" type="file" accept="application/pdf,image/png,image/jpeg,image/webp" />
            </div>
            <button type="submit" className="primary">
              {t("committee.roles.declareSubmit")}
            </button>
          </Form>
        </section>
      ) : null}
      {mine.length ? (
        <section className="card">
          <h2>{t("committee.roles.mine")}</h2>
          <ul className="list-plain">
            {mine.map((x) => (
              <li key={x.id}>
                {t(`committee.publicRoles.${x.role}`)} · {x.title}{" "}
                <span className={`badge status-${x.status === "verified" ? "approved" : x.status}`}>
                  {t(`committee.roles.status.${x.status}`)}
                </span>
                {x.reason ? <p className="hint">{t("committee.roles.reasonShown", { reason: x.reason })}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.isAdmin ? (
        <section className="card">
          <h2>{t("committee.roles.reviewTitle")}</h2>
          {others.length === 0 ? <p className="muted">{t("common.empty")}</p> : null}
          <ul className="list-plain">
            {others.map((x) => (
              <li key={x.id} data-testid="declaration">
                <p style={{ margin: 0 }}>
                  <strong>{x.name}</strong> {x.email ? <span className="muted">{x.email}</span> : null} ·{" "}
                  {t(`committee.publicRoles.${x.role}`)} · {x.title}{" "}
                  <span className={`badge status-${x.status === "verified" ? "approved" : x.status}`}>
                    {t(`committee.roles.status.${x.status}`)}
                  </span>
                </p>
                <p className="muted" style={{ margin: 0 }}>
                  {t("committee.roles.proofShown", { note: x.proofNote })} · {date.format(new Date(x.createdAt))}
                  {x.hasProofFile ? (
                    <>
                      {" "}
                      ·{" "}
                      <a href={`/e/${d.estate.slug}/committee/roles/${x.id}/proof`}>{t("committee.roles.proofOpen")}</a>
                    </>
                  ) : null}
                </p>
                {x.status === "pending" ? (
                  <div className="actions">
                    <Form method="post">
                      <input type="hidden" name="intent" value="verify" />
                      <input type="hidden" name="id" value={x.id} />
                      <button type="submit" className="primary">
                        {t("committee.roles.verify")}
                      </button>
                    </Form>
                    <Form method="post" className="actions">
                      <FormError result={failure} form="reject" />
                      <input type="hidden" name="intent" value="reject" />
                      <input type="hidden" name="id" value={x.id} />
                      <input
                        name="reason"
                        placeholder={t("committee.roles.rejectReason")}
                        aria-label={t("committee.roles.rejectReason")}
                        maxLength={500}
                        required
                      />
                      <button type="submit" className="secondary">
                        {t("committee.roles.reject")}
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
