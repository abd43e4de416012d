import { useTranslation } from "react-i18next";

export interface ActionFailure {
  intent: string;
  error: string;
  params?: Record<string, string | number>;
}

/** A command's refusal, in the reader's language, next to the form that asked for it. */
export function ActionError({ failure, intent }: { failure: ActionFailure | undefined | null; intent: string | string[] }) {
  const { t } = useTranslation();
  const intents = Array.isArray(intent) ? intent : [intent];
  if (!failure || !intents.includes(failure.intent)) return null;
  return (
    <p role="alert" className="alert">
      {t(failure.error as "common.errors.invalid", failure.params ?? {}) as string}
    </p>
  );
}
