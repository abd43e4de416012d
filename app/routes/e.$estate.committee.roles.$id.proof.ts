import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { declarationProof } from "~/committee/composition.server";
import { can } from "~/lib/permissions";
import { getFileStore } from "~/lib/uploads/store.server";

/** The proof attached to a declared public role: for the community admin who verifies it, and the declarer. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "committee:declare");
  const proof = await declarationProof(getDb(), estate.id, params.id ?? "");
  if (!proof) notFound();
  const isAdmin = can(roles, "committee:admin");
  if (!isAdmin && proof.userId !== user.id) notFound();
  const bytes = await getFileStore().get(proof.key!);
  if (!bytes) notFound();
  return new Response(bytes, {
    headers: {
      "Content-Type": proof.type ?? "application/octet-stream",
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": "inline",
    },
  });
}
