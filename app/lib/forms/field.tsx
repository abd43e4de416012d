import {
  FormProvider,
  getFormProps,
  getInputProps,
  useField,
  type FieldMetadata,
  type FormMetadata,
} from "@conform-to/react";
import { Form, type FormProps } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Params } from "./result";

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
 * A labelled input with its hint and errors. Use inside `<ConformForm form={form}>` (which provides
 * the form's context; without it useField throws and the page answers 500): the field subscribes to its own state with useField, so its errors show when they change
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

/** Form-level errors (`refuse` in action.server.ts), also catalogue keys, with the values their text needs. */
export function FormErrors({ id, errors, params }: { id: string; errors?: string[]; params?: Params }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <div id={id} role="alert" className="alert">
      {errors.map((e) => (
        <p key={e} style={{ margin: 0 }}>
          {t(e as never, params ?? {}) as string}
        </p>
      ))}
    </div>
  );
}

/**
 * A Conform form: Remix's `<Form>` with the form's props, inside the `FormProvider` its fields
 * (`Field`, anything calling useField) need, so a field can never be rendered without it; the
 * form-level errors show at its top.
 */
// Conform types a form by its schema as Record<string, any>; an interface (no index signature) must fit.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ConformForm<S extends Record<string, any>>({
  form,
  errorParams,
  children,
  ...props
}: { form: FormMetadata<S, string[]>; errorParams?: Params; children: ReactNode } & Omit<
  FormProps,
  "id" | "onSubmit" | "noValidate"
>) {
  return (
    <FormProvider context={form.context}>
      <Form method="post" {...getFormProps(form)} {...props}>
        <FormErrors id={form.errorId} errors={form.errors} params={errorParams} />
        {children}
      </Form>
    </FormProvider>
  );
}
