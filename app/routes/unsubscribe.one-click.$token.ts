import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { env } from "~/env.server";
import { unsubscribe } from "~/notify/preferences.server";
import { verifyUnsubscribeToken } from "~/notify/tokens.server";

// The URL in the List-Unsubscribe header (RFC 8058 one-click). Mail providers POST
// "List-Unsubscribe=One-Click" here from their servers, without cookies, sometimes with their
// own Origin; a resource route, so Remix's document CSRF check does not refuse them, and
// exempt from the origin check in server/app.ts. The signed token is the authority.
// A client without one-click support opens the link: it gets the confirmation page.

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? "")}`);
}

export async function action({ params }: ActionFunctionArgs) {
  const target = verifyUnsubscribeToken(params.token ?? "", env().SESSION_SECRET);
  const done = !!target && (await unsubscribe(target.userId, target.category));
  return new Response(done ? "已退订 / Unsubscribed\n" : "退订链接无效 / Invalid unsubscribe link\n", {
    status: done ? 200 : 400,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
