import { useTranslation } from "react-i18next";
import { isFormReply, messageOf } from "./result";

/**
 * An action's refusal, in the reader's language, next to the form that asked for it. Takes
 * whatever the action returned (`useActionData`, a fetcher's data) and shows only a refusal
 * (`refuse`/`parseForm` in action.server.ts) for one of `form` (the intents of the forms here):
 * its form-level message, or when it has none the first message of a field.
 */
export function FormError({ result, form }: { result: unknown; form: string | readonly string[] }) {
  const { t } = useTranslation();
  if (!isFormReply(result, form)) return null;
  return (
    <p role="alert" className="alert">
      {t(messageOf(result) as "common.errors.invalid", result.params ?? {}) as string}
    </p>
  );
}
