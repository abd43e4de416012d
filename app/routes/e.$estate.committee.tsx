import { Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { EstateErrorBoundary } from "~/ui/error-boundary";

/** The committee pages' layout: no data of its own, only the area's error boundary (inside the estate layout). */
export default function CommitteeArea() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <EstateErrorBoundary area={{ path: "committee", label: t("committee.nav.committee") }} />;
}
