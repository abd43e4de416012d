import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ledgerKinds } from "#db/values";
import { requireEstatePermission } from "~/auth/guards.server";
import { inquiryViewer, listInquiries } from "~/committee/inquiries.server";
import { InquiryThreads } from "~/committee/inquiries-ui";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatFen, parseYuan, yuanInputPattern } from "~/lib/money";
import { parseBeijingDate } from "~/lib/time";
import { navLinks } from "~/tickets/access";
import { fundUseVotes, ledger, recordEntry } from "~/tickets/ledgers.server";
import { TicketNav } from "~/tickets/ui";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { freeText } from "~/lib/text";
import { can } from "~/lib/permissions";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  const canRecord = can(roles, "ledgers:record");
  const viewer = await inquiryViewer(estate.id, user.id, roles);
  const [fund, income, votes, fundThreads, incomeThreads] = await Promise.all([
    ledger(estate.id, "maintenance_fund"),
    ledger(estate.id, "common_income"),
    canRecord ? fundUseVotes(estate.id) : Promise.resolve([]),
    listInquiries(estate.id, { kind: "maintenance_fund" }, viewer),
    listInquiries(estate.id, { kind: "common_income" }, viewer),
  ]);
  return {
    title: `${t("tickets.ledgers.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    canRecord,
    ledgers: { maintenance_fund: fund, common_income: income },
    votes,
    threads: { maintenance_fund: fundThreads, common_income: incomeThreads },
    canAsk: viewer.canAsk,
    canAnswer: viewer.canAnswer,
  };
}

const EntrySchema = z.object({
  intent: z.literal("record"),
  ledger: z.enum(ledgerKinds),
  direction: z.enum(["in", "out"]),
  occurredOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "tickets.ledgers.badDate"),
  description: z
    .string({ required_error: "common.errors.required" })
    .trim()
    .min(1, "common.errors.required")
    .max(300, "common.errors.tooLong"),
  counterparty: freeText(100).optional(),
  amount: z.string({ required_error: "tickets.ledgers.badAmount" }).max(30, "tickets.ledgers.badAmount"),
  proposalId: z.union([z.literal(""), z.string().uuid("common.errors.invalid")]).optional(),
  corrects: z
    .union([
      z.literal(""),
      z.coerce.number().int("tickets.ledgers.badCorrects").positive("tickets.ledgers.badCorrects"),
    ])
    .optional(),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "ledgers:record");
  const read = await parseForm(request, EntrySchema, { form: "record" });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  if (!parseBeijingDate(v.occurredOn))
    return refuse(
      "record",
      { error: "tickets.ledgers.badDate", fields: { occurredOn: ["tickets.ledgers.badDate"] }, reason: "invalid" },
      { submission },
    );
  const amount = parseYuan(v.amount);
  if (!amount.ok)
    return refuse(
      "record",
      { error: amount.error, fields: { amount: [amount.error] }, reason: "invalid" },
      { submission },
    );
  const amountFen = amount.fen;
  if (amountFen <= 0)
    return refuse(
      "record",
      { error: "tickets.ledgers.badAmount", fields: { amount: ["tickets.ledgers.badAmount"] }, reason: "invalid" },
      { submission },
    );
  const result = await recordEntry({
    estateId: estate.id,
    userId: user.id,
    ledger: v.ledger,
    direction: v.direction,
    occurredOn: v.occurredOn,
    description: v.description,
    counterparty: v.counterparty,
    amountFen,
    proposalId: v.proposalId || null,
    correctsSeq: typeof v.corrects === "number" ? v.corrects : null,
  });
  if (!result.ok) return refuse("record", result, { submission });
  return redirectWithToast(`/e/${estate.slug}/ledgers#${v.ledger}`, { key: "tickets.ledgers.recorded" });
}

export default function Ledgers() {
  const { estate, nav, canRecord, ledgers, votes, threads, canAsk, canAnswer } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <h1>{t("tickets.ledgers.title")}</h1>
      <p className="muted">{t("tickets.ledgers.intro")}</p>
      {ledgerKinds.map((kind) => {
        const l = ledgers[kind];
        return (
          <section key={kind} id={kind} className="card">
            <h2>{t(`tickets.ledgers.${kind}`)}</h2>
            <dl className="score-tiles">
              <div>
                <dt>{t("tickets.ledgers.totalIn")}</dt>
                <dd>{formatFen(l.inFen)}</dd>
              </div>
              <div>
                <dt>{t("tickets.ledgers.totalOut")}</dt>
                <dd>{formatFen(l.outFen)}</dd>
              </div>
              <div>
                <dt>{t("tickets.ledgers.balance")}</dt>
                <dd data-balance={kind}>{formatFen(l.balanceFen)}</dd>
              </div>
            </dl>
            {l.entries.length === 0 ? (
              <p className="muted">{t("tickets.ledgers.empty")}</p>
            ) : (
              <TableWrap label={t(`tickets.ledgers.${kind}`)}>
                <table className="money-table">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>{t("tickets.ledgers.occurredOn")}</th>
                      <th>{t("tickets.ledgers.description")}</th>
                      <th>{t("tickets.ledgers.in")}</th>
                      <th>{t("tickets.ledgers.out")}</th>
                      <th>{t("tickets.ledgers.balance")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {l.entries.map((e) => (
                      <tr key={e.id}>
                        <td>{e.seq}</td>
                        <td>{e.occurredOn}</td>
                        <td>
                          {e.description}
                          {e.counterparty ? <span className="muted"> · {e.counterparty}</span> : null}
                          {e.correctsSeq ? (
                            <span className="badge">{t("tickets.ledgers.corrects", { seq: e.correctsSeq })}</span>
                          ) : null}
                          {e.proposalId ? (
                            <div>
                              <Link to={`/e/${estate.slug}/proposals/${e.proposalId}`}>{e.proposalTitle}</Link>
                            </div>
                          ) : null}
                        </td>
                        <td className="num">{e.direction === "in" ? formatFen(e.amountFen) : ""}</td>
                        <td className="num">{e.direction === "out" ? formatFen(e.amountFen) : ""}</td>
                        <td className="num">{formatFen(e.balanceFen)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th colSpan={3}>
                        {t("tickets.ledgers.totalIn")} / {t("tickets.ledgers.totalOut")}
                      </th>
                      <td className="num">{formatFen(l.inFen)}</td>
                      <td className="num">{formatFen(l.outFen)}</td>
                      <td className="num">{formatFen(l.balanceFen)}</td>
                    </tr>
                  </tfoot>
                </table>
              </TableWrap>
            )}
            <InquiryThreads
              slug={estate.slug}
              subject={{ kind }}
              threads={threads[kind]}
              canAsk={canAsk}
              canAnswer={canAnswer}
            />
          </section>
        );
      })}
      {canRecord ? (
        <section className="card">
          <h2>{t("tickets.ledgers.record")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="record" />
            <FormError result={failure} form="record" />
            <div className="field">
              <label htmlFor="ledger-kind">{t("tickets.ledgers.title")}</label>
              <select id="ledger-kind" name="ledger">
                {ledgerKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`tickets.ledgers.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="choices">
              <legend>{t("tickets.ledgers.direction")}</legend>
              <label className="choice">
                <input type="radio" name="direction" value="in" defaultChecked /> {t("tickets.ledgers.in")}
              </label>
              <label className="choice">
                <input type="radio" name="direction" value="out" /> {t("tickets.ledgers.out")}
              </label>
            </fieldset>
            <div className="field">
              <label htmlFor="occurred-on">{t("tickets.ledgers.occurredOn")}</label>
              <input id="occurred-on" name="occurredOn" type="date" required />
            </div>
            <div className="field">
              <label htmlFor="ledger-description">{t("tickets.ledgers.description")}</label>
              <input id="ledger-description" name="description" required maxLength={300} />
            </div>
            <div className="field">
              <label htmlFor="counterparty">{t("tickets.ledgers.counterparty")}</label>
              <input id="counterparty" name="counterparty" maxLength={100} />
            </div>
            <div className="field">
              <label htmlFor="amount">{t("tickets.ledgers.amount")}</label>
              <input id="amount" name="amount" inputMode="decimal" required pattern={yuanInputPattern} />
            </div>
            <div className="field">
              <label htmlFor="proposal">{t("tickets.ledgers.proposal")}</label>
              <select id="proposal" name="proposalId" defaultValue="">
                <option value="">{t("tickets.ledgers.noProposal")}</option>
                {votes.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.title}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="corrects">{t("tickets.ledgers.correctsLabel")}</label>
              <input id="corrects" name="corrects" type="number" min={1} step={1} />
            </div>
            <button type="submit" className="primary">
              {t("tickets.ledgers.record")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
