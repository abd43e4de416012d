import { useTranslation } from "react-i18next";
import type { RosterIssue } from "./roster-csv";

/** A refused file's problems, each with its line, in the reader's language. */
export function RosterIssues({ issues, count }: { issues: RosterIssue[]; count: number }) {
  const { t } = useTranslation();
  return (
    <section role="alert" className="alert" aria-labelledby="roster-issues-title">
      <p id="roster-issues-title" style={{ marginTop: 0, fontWeight: 600 }}>
        {t("roster.import.errorsTitle", { count })}{" "}
        {count > issues.length ? t("roster.import.errorsShown", { shown: issues.length }) : null}
      </p>
      <ul className="issue-list">
        {issues.map((issue, i) => {
          const params = { ...issue.params };
          if (typeof params.column === "string") params.column = t(`roster.columns.${params.column as "building"}`);
          return (
            <li key={i}>
              <strong>
                {issue.line === null ? t("roster.import.wholeFile") : t("roster.import.line", { line: issue.line })}
              </strong>
              {String(t(`roster.csv.${issue.code}` as "roster.csv.empty", params))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
