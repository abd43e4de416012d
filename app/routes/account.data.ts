import type { LoaderFunctionArgs } from "@remix-run/node";
import { personalData } from "~/account/data.server";
import { notFound } from "~/auth/guards.server";
import { requireUser } from "~/auth/session.server";
import { beijingDate } from "~/lib/time";

/** The caller's own data as a JSON file (GET only: nothing changes). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const now = new Date();
  const body = await personalData(user.id, now);
  if (!body) notFound();
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="yishitang-my-data-${beijingDate(now)}.json"`,
      // Personal data: never kept by a shared cache or the browser's back-forward cache.
      "Cache-Control": "no-store",
    },
  });
}
