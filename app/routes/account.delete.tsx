import { getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { deleteAccount, deletionCheck, deletionProof } from "~/account/delete.server";
import { sendCodeReply, type CodeSent } from "~/auth/code-request.server";
import { maskPhone } from "~/ui/mask";
import { endSession, requireUser } from "~/auth/session.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { Field, FieldErrors, ConformForm } from "~/lib/forms/field";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const t = await getT(await getLocale(request));
  const proof = await deletionProof(getDb(), user.id);
  return {
    title: t("account.delete.title"),
    ...(await deletionCheck(getDb(), user.id)),
    codeTo: proof.by === "code" ? maskPhone(proof.phone) : null,
  };
}

const DeleteSchema = z.object({
  password: z
    .string({ required_error: "common.errors.required" })
    .min(1, "common.errors.required")
    .max(200, "common.errors.tooLong"),
  confirm: z.literal("on", { errorMap: () => ({ message: "account.delete.notConfirmed" }) }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const hideFields = ["password"];
  const read = await parseForm(request, (intent) => (intent === "sendCode" ? z.object({}) : DeleteSchema), {
    form: "delete",
    alias: { sendCode: "delete" },
    hideFields,
  });
  if (!read.ok) return read.response;
  const { submission } = read;
  if (read.intent === "sendCode") {
    // Only an account without a password proves itself by code, and only to its own verified phone.
    const proof = await deletionProof(getDb(), user.id);
    if (proof.by !== "code") return refuse("delete", { error: "account.delete.wrongPassword", reason: "invalid" });
    return sendCodeReply({
      form: "delete",
      submission,
      phone: proof.phone,
      purpose: "login",
      ip: context.ip,
      userId: user.id,
      hideFields,
    });
  }
  const { password } = read.value as z.output<typeof DeleteSchema>;
  const result = await deleteAccount({ userId: user.id, password, ip: context.ip });
  if (!result.ok) {
    if (result.error === "wrongPassword")
      return refuse(
        "delete",
        {
          error: "account.delete.wrongPassword",
          fields: { password: ["account.delete.wrongPassword"] },
          reason: "invalid",
        },
        { submission, hideFields },
      );
    if (result.error === "locked")
      return refuse("delete", { error: "account.delete.locked", reason: "rate_limited" }, { submission, hideFields });
    // "blocked": the page shows why; "gone": a second tab already deleted it. No message of its own.
    return refuse("delete", { error: "account.delete.blockedTitle", fields: {} }, { submission, hideFields });
  }
  // The sessions are gone from the database; this clears the cookie of the one in hand.
  return redirectWithToast(
    "/",
    { key: "account.delete.done" },
    { headers: { "Set-Cookie": await endSession(context) } },
  );
}

export default function DeleteAccount() {
  const { blockers, openVotes, soleAccountUnits, codeTo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const codeSent = (lastResult as CodeSent | undefined)?.codeSent;
  const [form, fields] = useForm({
    id: "delete-account",
    lastResult,
    constraint: getZodConstraint(DeleteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DeleteSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <section className="card" style={{ maxWidth: 560, margin: "0 auto" }}>
      <h1>{t("account.delete.title")}</h1>
      <p>{t("account.delete.intro")}</p>
      <p className="muted">{t("account.delete.kept")}</p>
      <p className="muted">{t("account.delete.removed")}</p>
      {blockers.length ? (
        <div className="alert" role="alert">
          <h2>{t("account.delete.blockedTitle")}</h2>
          <ul>
            {blockers.map((b) => (
              <li key={b}>{t(`account.delete.blocked.${b}`)}</li>
            ))}
          </ul>
          <Link to="/account">{t("account.delete.cancel")}</Link>
        </div>
      ) : (
        <>
          {openVotes > 0 ? <p className="alert">{t("account.delete.openVotes", { count: openVotes })}</p> : null}
          {soleAccountUnits > 0 ? (
            <p className="alert">{t("account.delete.soleAccountUnits", { count: soleAccountUnits })}</p>
          ) : null}
          <ConformForm form={form}>
            {codeTo ? (
              <>
                <button className="secondary" type="submit" name="intent" value="sendCode" formNoValidate>
                  {t("account.delete.sendCode")}
                </button>
                {codeSent ? (
                  <p role="status" className="notice-ok">
                    {t("account.delete.codeSent", { phone: codeSent })}
                  </p>
                ) : null}
                <Field
                  meta={fields.password}
                  label={t("account.delete.code")}
                  autoComplete="one-time-code"
                  hint={t("account.delete.codeHint", { phone: codeTo })}
                />
              </>
            ) : (
              <Field
                meta={fields.password}
                label={t("account.delete.password")}
                type="password"
                autoComplete="current-password"
                hint={t("account.delete.passwordHint")}
              />
            )}
            <div className="field">
              <label className="check">
                <input {...getInputProps(fields.confirm, { type: "checkbox" })} key={fields.confirm.key} />
                {t("account.delete.confirm")}
              </label>
              <FieldErrors id={fields.confirm.errorId} errors={fields.confirm.errors} />
            </div>
            <div className="actions">
              <button type="submit" className="primary">
                {t("account.delete.submit")}
              </button>
              <Link to="/account">{t("account.delete.cancel")}</Link>
            </div>
          </ConformForm>
        </>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · 议事堂` : "议事堂" }];
