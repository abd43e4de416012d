import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/lib/forms/form-error";
import { UploadField } from "./paper-ui";
import type { listProxies } from "./proxies.server";

type ProxyRow = Awaited<ReturnType<typeof listProxies>>[number];

/** An owner authorises a proxy: who they speak for (when they own more than one voter's units), whom, and the signed form. */
export function ProxyAuthoriseForm({
  grantors,
  failure,
}: {
  grantors: { id: string; name: string }[];
  failure: unknown;
}) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{t("voting.proxy.authorise")}</h2>
      <FormError result={failure} form="authorise" />
      <Form method="post" encType="multipart/form-data">
        <input type="hidden" name="intent" value="authorise" />
        {grantors.length > 1 ? (
          <div className="field">
            <label htmlFor="grantorOwnerId">{t("voting.proxy.grantor")}</label>
            <select id="grantorOwnerId" name="grantorOwnerId">
              {grantors.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="proxyIdentifier">{t("voting.proxy.proxyIdentifier")}</label>
          <input
            id="proxyIdentifier"
            name="proxyIdentifier"
            required
            maxLength={254}
            autoComplete="off"
            aria-describedby="proxyIdentifier-hint"
          />
          <p className="hint" id="proxyIdentifier-hint">
            {t("voting.proxy.proxyIdentifierHint")}
          </p>
        </div>
        <div className="field">
          <label htmlFor="proxyName">{t("voting.proxy.proxyName")}</label>
          <input id="proxyName" name="proxyName" required maxLength={100} />
        </div>
        <UploadField name="file" label={t("voting.proxy.file")} />
        <button type="submit" className="primary">
          {t("voting.proxy.submit")}
        </button>
      </Form>
    </section>
  );
}

/** What a reviewer checks against the paper authorisation: roster names in full, the roster phones' last 4 digits. */
function ProxyCheck({ check, grantorName }: { check: NonNullable<ProxyRow["check"]>; grantorName: string }) {
  const { t } = useTranslation();
  return (
    <ul className="muted" style={{ margin: "0.25rem 0" }}>
      <li>
        {check.grantorPhoneTail
          ? t("voting.proxy.grantorCheck", { name: grantorName, tail: check.grantorPhoneTail })
          : t("voting.proxy.grantorCheckNoPhone", { name: grantorName })}
      </li>
      <li>
        {check.holderRosterName === null
          ? t("voting.proxy.holderNotOnRoster")
          : check.holderPhoneTail
            ? t("voting.proxy.holderCheck", { name: check.holderRosterName, tail: check.holderPhoneTail })
            : t("voting.proxy.holderCheckNoPhone", { name: check.holderRosterName })}
      </li>
    </ul>
  );
}

/** The authorisations: status, the file, and approve / reject for those who decide (never on one that names them). */
export function ProxyList({
  proxies,
  canDecide,
  filesBase,
  failure,
}: {
  proxies: ProxyRow[];
  canDecide: boolean;
  filesBase: string;
  failure: unknown;
}) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{t("voting.proxy.list")}</h2>
      <FormError result={failure} form={["approve", "reject"]} />
      {proxies.length === 0 ? <p className="muted">{t("voting.proxy.none")}</p> : null}
      {proxies.some((x) => x.check) ? <p className="muted">{t("voting.proxy.viewAudited")}</p> : null}
      <ul className="list-plain">
        {proxies.map((x) => (
          <li key={x.id}>
            <div className="actions">
              <span>{t("voting.proxy.line", { grantor: x.grantorName, proxy: x.proxyName })}</span>
              <span className={`badge status-${x.status}`}>{t(`voting.proxy.statusLabels.${x.status}`)}</span>
              {x.mineAsGrantor ? <span className="badge">{t("voting.proxy.youGranted")}</span> : null}
              {x.mineAsProxy ? <span className="badge">{t("voting.proxy.youAreProxy")}</span> : null}
              <a href={`${filesBase}/files/${x.fileId}`} target="_blank" rel="noreferrer">
                {t("voting.proxy.viewFile")}
              </a>
            </div>
            {x.check ? <ProxyCheck check={x.check} grantorName={x.grantorName} /> : null}
            {x.reason ? <p className="muted">{x.reason}</p> : null}
            {canDecide && x.status === "pending" && x.conflict ? <p className="alert">{t(x.conflict)}</p> : null}
            {canDecide && x.status === "pending" && !x.conflict ? (
              <Form method="post" className="actions">
                <input type="hidden" name="proxyId" value={x.id} />
                <button type="submit" name="intent" value="approve" className="primary">
                  {t("voting.proxy.approve")}
                </button>
                <input
                  name="reason"
                  placeholder={t("voting.proxy.reason")}
                  aria-label={t("voting.proxy.reason")}
                  maxLength={500}
                  style={{ maxWidth: "14rem" }}
                />
                <button type="submit" name="intent" value="reject" className="secondary">
                  {t("voting.proxy.reject")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
