import type { AppLoadContext } from "@remix-run/node";
import { devMailEnabled } from "~/notify/mail-admin.server";
import { notFound, requirePlatformPermission } from "./guards.server";

/**
 * The development mailbox: open in development; on a production build (the embedded
 * database started with `npm start`) for platform admins only, since it shows reset links.
 */
export async function requireDevMail(request: Request, context: AppLoadContext) {
  if (!devMailEnabled()) notFound();
  if (process.env.NODE_ENV === "production") await requirePlatformPermission(request, context, "platform:mail");
}
