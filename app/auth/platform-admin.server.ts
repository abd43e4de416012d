import type { AppLoadContext } from "@remix-run/node";
import { and, eq, isNull } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { devMailEnabled } from "~/notify/mail-admin.server";
import { notFound } from "./guards.server";
import { requireUser } from "./session.server";

/* The platform admin's pages (/admin/mail, /dev/mail): who may open them. */

const { memberships } = schema;

export async function isPlatformAdmin(userId: string): Promise<boolean> {
  const [row] = await getDb()
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "platform_admin"), isNull(memberships.estateId), isNull(memberships.communityId)));
  return !!row;
}

/** Platform admins only; anyone else gets 404 (the page's existence is not revealed). */
export async function requirePlatformAdmin(request: Request, context: AppLoadContext) {
  const user = requireUser(request, context);
  if (!(await isPlatformAdmin(user.id))) notFound();
  return user;
}

/**
 * The development mailbox: open in development; on a production build (the embedded
 * database started with `npm start`) for platform admins only, since it shows reset links.
 */
export async function requireDevMail(request: Request, context: AppLoadContext) {
  if (!devMailEnabled()) notFound();
  if (process.env.NODE_ENV === "production") await requirePlatformAdmin(request, context);
}
