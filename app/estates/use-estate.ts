import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { EstateLayoutData, EstateNavLabel } from "./nav";

/** The estate layout's route id (app/routes/e.$estate.tsx). */
export const estateLayoutId = "routes/e.$estate";

/** The estate layout's data: the estate's slug and name, the caller's roles there and the estate's navigation. */
export function useEstate() {
  const data = useRouteLoaderData<EstateLayoutData>(estateLayoutId);
  if (!data) throw new Error("useEstate() outside the estate layout");
  return data;
}

/** The navigation's labels, translated (the estate home shows them as tiles). */
export function useEstateNav() {
  const { nav } = useEstate();
  const { t } = useTranslation();
  return nav.map((item) => ({ to: item.to, label: t(item.label satisfies EstateNavLabel) }));
}
