import { useTranslation } from "react-i18next";

export interface ActionFailure {
  intent: string;
  error: string;
  params?: Record<string, string | number>;
}

/**
 * A command's refusal, in the reader's language, next to the form that asked for it. Takes
 * whatever the action returned (`useActionData`) and shows only a refusal for one of `intent`.
 */
export function ActionError({ failure, intent }: { failure: unknown; intent: string | string[] }) {
  const { t } = useTranslation();
  const f = failure as ActionFailure | undefined | null;
  const intents = Array.isArray(intent) ? intent : [intent];
  if (!f || typeof f !== "object" || !("error" in f) || !intents.includes(f.intent)) return null;
  return (
    <p role="alert" className="alert">
      {t(f.error as "common.errors.invalid", f.params ?? {}) as string}
    </p>
  );
}
