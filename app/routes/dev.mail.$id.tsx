import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound } from "~/auth/guards.server";
import { requireDevMail } from "~/auth/platform-admin.server";
import { mailById } from "~/notify/mail-admin.server";
import { uuidSchema } from "~/lib/ids";
import { TableWrap } from "~/ui/table-wrap";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireDevMail(request, context);
  const id = uuidSchema.safeParse(params.id);
  if (!id.success) notFound();
  const mail = await mailById(id.data);
  if (!mail) notFound();
  return { mail };
}

export default function DevMail() {
  const { mail } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const headers: [string, string][] = [
    ["From", mail.from],
    ["To", mail.to],
    ["Subject", mail.subject],
    ["Message-ID", mail.messageId],
    ...Object.entries(mail.headers),
  ];
  return (
    <section>
      <p>
        <Link to="/dev/mail">{t("notify.dev.back")}</Link>
      </p>
      <h1>{mail.subject}</h1>
      <p>
        <span className="badge">{t(`notify.status.${mail.status}`)}</span>{" "}
        {mail.lastError ? <span className="muted">{mail.lastError}</span> : null}
      </p>
      <h2>{t("notify.dev.headers")}</h2>
      <TableWrap label={t("notify.dev.headers")}>
        <table>
          <tbody>
            {headers.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="mail-error">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {mail.redacted ? (
        <p className="alert" role="note">
          {t("notify.dev.redacted")}
        </p>
      ) : (
        <>
          <h2>HTML</h2>
          {/* The mail's own HTML, sandboxed: no scripts, no same-origin access. */}
          <iframe title={mail.subject} srcDoc={mail.html} sandbox="" className="mail-frame" />
          <h2>{t("notify.dev.text")}</h2>
          <pre className="mail-text">{mail.text}</pre>
        </>
      )}
    </section>
  );
}
