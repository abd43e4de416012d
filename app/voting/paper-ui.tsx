import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/lib/forms/form-error";
import { useDateTimeFormat } from "~/lib/time";

/** A scan or signed form: PDF or a picture, one file. */
export function UploadField({ name, label }: { name: string; label: string }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type="file" accept="application/pdf,image/png,image/jpeg,image/webp" required />
    </div>
  );
}

/**
 * The unit a paper ballot is for: building and number, as written on the paper. `box`: the
 * ballot-box log's form on the same page, with its own ids and words.
 */
export function PaperUnitFields({ box = false }: { box?: boolean }) {
  const { t } = useTranslation();
  const id = box ? "box-" : "";
  const words = box ? "voting.box" : "voting.paper";
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}building`}>{t(`${words}.building`)}</label>
        <input id={`${id}building`} name="building" required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor={`${id}number`}>{t(`${words}.number`)}</label>
        <input id={`${id}number`} name="number" required maxLength={100} />
      </div>
    </>
  );
}

/**
 * A pending paper ballot: whoever entered it is told a second member confirms; anyone else may
 * confirm or reject, unless it is for their own household or one whose proxy they are (four
 * eyes). After the window's end (`windowOver`) only a ballot logged in the ballot box may be
 * confirmed; any other can only be rejected.
 */
export function PaperDecision({
  paper,
  userId,
  windowOver,
}: {
  paper: { id: string; enteredBy: string; confirmConflict: "ownVoter" | "proxyHolder" | null; logged: boolean };
  userId: string;
  windowOver: boolean;
}) {
  const { t } = useTranslation();
  if (paper.enteredBy === userId) return <p className="hint">{t("voting.paper.ownEntry")}</p>;
  // Four eyes: not for one's own household, nor one whose proxy one is.
  if (paper.confirmConflict) return <p className="hint">{t(`voting.paper.${paper.confirmConflict}`)}</p>;
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="paperBallotId" value={paper.id} />
      {windowOver && !paper.logged ? (
        <p className="hint">{t("voting.paper.lateHint")}</p>
      ) : (
        <button type="submit" name="intent" value="confirm" className="primary">
          {t("voting.paper.confirm")}
        </button>
      )}
      <button type="submit" name="intent" value="reject" className="secondary">
        {t("voting.paper.reject")}
      </button>
    </Form>
  );
}

/**
 * Entering a paper ballot: the unit, what the paper says (`children`), and the scan of the
 * paper. After the window's end (`late`) only ballots logged in the ballot box are accepted.
 */
export function PaperEntryForm({
  failure,
  children,
  late = false,
}: {
  failure: unknown;
  children: ReactNode;
  late?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{t(late ? "voting.box.lateEntry" : "voting.paper.enter")}</h2>
      {late ? <p className="hint">{t("voting.box.lateEntryHint")}</p> : null}
      <FormError result={failure} form="enter" />
      <Form method="post" encType="multipart/form-data">
        <input type="hidden" name="intent" value="enter" />
        {children}
        <UploadField name="scan" label={t("voting.paper.scan")} />
        <button type="submit" className="primary">
          {t("voting.paper.enter")}
        </button>
      </Form>
    </section>
  );
}

/** An entry of the ballot-box log as its page shows it (ballot-box.server.ts `ballotBox`). */
export interface BoxEntryView {
  id: string;
  unit: string;
  receivedAt: string;
  loggedBy: string;
  loggedByName: string;
  witnessedByName: string | null;
  withdrawn: boolean;
  paper: "none" | "pending" | "settled";
  witnessConflict: "ownVoter" | "proxyHolder" | null;
}

/**
 * The ballot-box log on a paper page: while the window is open (`open`) a member logs a ballot
 * received for a unit and a second member witnesses it; after the end the log only shows what
 * must still be entered and settled before the vote can close.
 */
export function BallotBoxSection({
  entries,
  open,
  userId,
  failure,
}: {
  entries: BoxEntryView[];
  open: boolean;
  userId: string;
  failure: unknown;
}) {
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  return (
    <section className="card" id="box">
      <h2>{t("voting.box.title")}</h2>
      <p className="muted">{t("voting.box.intro")}</p>
      {open ? (
        <Form method="post" className="stack">
          <FormError result={failure} form="log" />
          <input type="hidden" name="intent" value="log" />
          <div className="grid">
            <PaperUnitFields box />
          </div>
          <button type="submit" className="primary">
            {t("voting.box.log")}
          </button>
        </Form>
      ) : (
        <p className="hint">{t("voting.box.closedHint")}</p>
      )}
      <FormError result={failure} form={["witness", "withdraw"]} />
      {entries.length === 0 ? <p className="muted">{t("voting.box.none")}</p> : null}
      <div className="stack">
        {entries.map((e) => (
          <div key={e.id} data-testid="box-entry">
            <div className="actions">
              <strong>{e.unit}</strong>
              {e.withdrawn ? (
                <span className="badge">{t("voting.box.withdrawnLabel")}</span>
              ) : (
                <span className="badge">{t(`voting.box.paper.${e.paper}`)}</span>
              )}
            </div>
            <div className="muted">
              {t("voting.box.receivedBy", { name: e.loggedByName, date: date.format(new Date(e.receivedAt)) })}
              {e.witnessedByName ? t("voting.box.witnessedBy", { name: e.witnessedByName }) : null}
            </div>
            {!e.withdrawn && !e.witnessedByName ? <BoxEntryActions entry={e} open={open} userId={userId} /> : null}
          </div>
        ))}
      </div>
    </section>
  );
}

function BoxEntryActions({ entry, open, userId }: { entry: BoxEntryView; open: boolean; userId: string }) {
  const { t } = useTranslation();
  if (!open) return <p className="hint">{t("voting.box.notWitnessed")}</p>;
  const mine = entry.loggedBy === userId;
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="entryId" value={entry.id} />
      {mine ? (
        <p className="hint">{t("voting.box.ownLog")}</p>
      ) : entry.witnessConflict ? (
        <p className="hint">{t(`voting.box.${entry.witnessConflict}`)}</p>
      ) : (
        <button type="submit" name="intent" value="witness" className="primary">
          {t("voting.box.witness")}
        </button>
      )}
      <button type="submit" name="intent" value="withdraw" className="secondary">
        {t("voting.box.withdraw")}
      </button>
    </Form>
  );
}
