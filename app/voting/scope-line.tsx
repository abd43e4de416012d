import { useTranslation } from "react-i18next";

// Apart from the chooser (scope-ui.tsx), so that a page that only states the scope does not ship the form's code.

/** The scope as a page states it: "every owner" or the buildings' names. */
export function ScopeLine({ buildings }: { buildings: string[] | null }) {
  const { t } = useTranslation();
  return (
    <p className="muted" data-testid="scope">
      {t("voteNotice.scope.shown", {
        scope: buildings ? buildings.join(t("voteNotice.scope.separator")) : t("voteNotice.scope.whole"),
      })}
    </p>
  );
}
