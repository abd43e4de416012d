import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/** Dates in the reader's language, in Asia/Shanghai time (stored as UTC). */
export function useDateFormat(options: Intl.DateTimeFormatOptions = { dateStyle: "medium" }) {
  const { i18n } = useTranslation();
  const key = JSON.stringify(options);
  return useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { ...(JSON.parse(key) as Intl.DateTimeFormatOptions), timeZone: "Asia/Shanghai" }),
    [i18n.language, key],
  );
}
