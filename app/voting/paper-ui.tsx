import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/lib/forms/form-error";

/** A scan or signed form: PDF or a picture, one file. */
export function UploadField({ name, label }: { name: string; label: string }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} type="file" accept="application/pdf,image/png,image/jpeg,image/webp" required />
    </div>
  );
}

/** The unit a paper ballot is for: building and number, as written on the paper. */
export function PaperUnitFields() {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label htmlFor="building">{t("voting.paper.building")}</label>
        <input id="building" name="building" required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor="number">{t("voting.paper.number")}</label>
        <input id="number" name="number" required maxLength={100} />
      </div>
    </>
  );
}

/**
 * A pending paper ballot: whoever entered it is told a second member confirms; anyone else may
 * confirm or reject, unless it is for their own household or one whose proxy they are (four
 * eyes). After the window's end (`windowOver`) it can only be rejected.
 */
export function PaperDecision({
  paper,
  userId,
  windowOver,
}: {
  paper: { id: string; enteredBy: string; confirmConflict: "ownVoter" | "proxyHolder" | null };
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
      {windowOver ? (
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

/** Entering a paper ballot: the unit, what the paper says (`children`), and the scan of the paper. */
export function PaperEntryForm({ failure, children }: { failure: unknown; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{t("voting.paper.enter")}</h2>
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
