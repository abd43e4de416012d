import { getInputProps, useField, type FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/** Error texts from Zod schemas are catalogue keys; they are translated here. */
export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id}>
      {errors.map((e) => (
        <p key={e} className="field-error">
          {t(e as never) as string}
        </p>
      ))}
    </div>
  );
}

/**
 * A labelled input with its hint and errors. Use inside `<FormProvider context={form.context}>`:
 * the field subscribes to its own state with useField, so its errors show when they change
 * (metadata handed down from the parent's useForm does not re-render this component).
 */
export function Field({
  meta,
  label,
  type = "text",
  hint,
  autoComplete,
  children,
}: {
  meta: FieldMetadata<string | number | undefined>;
  label: string;
  type?: "text" | "email" | "password" | "tel" | "number" | "date" | "datetime-local" | "file";
  hint?: string;
  autoComplete?: string;
  children?: ReactNode;
}) {
  const [field] = useField<string | number | undefined>(meta.name, { formId: meta.formId });
  const inputProps = getInputProps(field, { type });
  return (
    <div className="field">
      <label htmlFor={meta.id}>{label}</label>
      <input {...inputProps} key={inputProps.key} autoComplete={autoComplete} />
      {hint ? (
        <p className="hint" id={`${meta.id}-hint`}>
          {hint}
        </p>
      ) : null}
      {children}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** Form-level errors (submission.reply({ formErrors })), also catalogue keys. */
export function FormErrors({ id, errors }: { id: string; errors?: string[] }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} role="alert" className="alert">
      {errors.map((e) => (
        <p key={e} style={{ margin: 0 }}>
          {t(e as never) as string}
        </p>
      ))}
    </div>
  );
}
