import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

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

/** A pending paper ballot: whoever entered it is told a second member confirms; anyone else may confirm or reject. */
export function PaperDecision({ paper, userId }: { paper: { id: string; enteredBy: string }; userId: string }) {
  const { t } = useTranslation();
  if (paper.enteredBy === userId) return <p className="hint">{t("voting.paper.ownEntry")}</p>;
  return (
    <Form method="post" className="actions">
      <input type="hidden" name="paperBallotId" value={paper.id} />
      <button type="submit" name="intent" value="confirm" className="primary">
        {t("voting.paper.confirm")}
      </button>
      <button type="submit" name="intent" value="reject" className="secondary">
        {t("voting.paper.reject")}
      </button>
    </Form>
  );
}
