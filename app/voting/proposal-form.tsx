import { getInputProps, getSelectProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { useTranslation } from "react-i18next";
import { Field, FieldErrors, ConformForm } from "~/lib/forms/field";
import { DraftSchema } from "./forms";
import { matterOfType, proposalTypeList } from "./matters";
import { MatterTypeHint } from "./ui";
import { ScopeChooser, type ScopeBuilding } from "./scope-ui";

export interface DraftDefaults {
  title?: string;
  body?: string;
  type?: string;
  commentEndsAt?: string;
  votingStartsAt?: string;
  votingEndsAt?: string;
  petitionId?: string;
  /** Who votes: null for the whole estate. */
  scopeBuildingIds?: string[] | null;
}

/** The draft form, for a new proposal and for editing a draft. */
export function ProposalForm({
  lastResult,
  defaults,
  buildings,
  submitLabel,
}: {
  lastResult?: SubmissionResult<string[]>;
  defaults: DraftDefaults;
  buildings: ScopeBuilding[];
  submitLabel: string;
}) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "proposal-draft",
    lastResult,
    // The scope's controls keep their own defaults (ScopeChooser).
    defaultValue: { ...defaults, scopeBuildingIds: undefined },
    constraint: getZodConstraint(DraftSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: DraftSchema }),
    shouldRevalidate: "onInput",
  });
  const bodyProps = getTextareaProps(fields.body);
  const typeProps = getSelectProps(fields.type);
  return (
    // Field subscribes to its own state with useField, which needs the form's context.
    <ConformForm form={form}>
      {defaults.petitionId ? (
        <input {...getInputProps(fields.petitionId, { type: "hidden" })} key={fields.petitionId.key} />
      ) : null}
      <Field meta={fields.title} label={t("voting.draft.fieldTitle")} />
      <div className="field">
        <label htmlFor={fields.type.id}>{t("voting.draft.fieldType")}</label>
        <select {...typeProps} key={typeProps.key} aria-describedby={`${fields.type.id}-hint`}>
          <option value="">—</option>
          {proposalTypeList.map((type) => (
            <option key={type} value={type}>
              {t(`voting.types.${type}`)} · {t(`voting.matter.${matterOfType[type]}`)}
            </option>
          ))}
        </select>
        <p className="hint" id={`${fields.type.id}-hint`}>
          <MatterTypeHint />
        </p>
        <FieldErrors id={fields.type.errorId} errors={fields.type.errors} />
      </div>
      <div className="field">
        <label htmlFor={fields.body.id}>{t("voting.draft.fieldBody")}</label>
        <textarea {...bodyProps} key={bodyProps.key} rows={10} />
        <p className="hint">{t("voting.draft.bodyHint")}</p>
        <FieldErrors id={fields.body.errorId} errors={fields.body.errors} />
      </div>
      <ScopeChooser
        buildings={buildings}
        defaultBuildingIds={defaults.scopeBuildingIds ?? null}
        errors={fields.scopeBuildingIds.errors}
      />
      <div className="grid grid-3">
        <Field
          meta={fields.commentEndsAt}
          type="datetime-local"
          label={t("voting.draft.commentEndsAt")}
          hint={t("voting.draft.timeHint")}
        />
        <Field
          meta={fields.votingStartsAt}
          type="datetime-local"
          label={t("voting.draft.votingStartsAt")}
          hint={t("voting.draft.timeHint")}
        />
        <Field
          meta={fields.votingEndsAt}
          type="datetime-local"
          label={t("voting.draft.votingEndsAt")}
          hint={t("voting.draft.timeHint")}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </div>
    </ConformForm>
  );
}
