import { Outlet } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { EstateErrorBoundary } from "~/ui/error-boundary";

/** The tickets pages' layout: no data of its own, only the area's error boundary (inside the estate layout). */
export default function TicketsArea() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <EstateErrorBoundary area={{ path: "tickets", label: t("tickets.title") }} />;
}
