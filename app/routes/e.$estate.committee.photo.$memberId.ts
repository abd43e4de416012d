import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { memberPhoto } from "~/committee/pages.server";
import { getFileStore } from "~/lib/uploads/store.server";

/** A committee member's photo, for anyone with a role in the estate. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const photo = await memberPhoto(estate.id, params.memberId ?? "");
  if (!photo) notFound();
  const bytes = await getFileStore().get(photo.key);
  if (!bytes) notFound();
  return new Response(bytes, {
    headers: {
      "Content-Type": photo.type,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline",
    },
  });
}
