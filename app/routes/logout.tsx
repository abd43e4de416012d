import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/auth/session.server";

export async function loader() {
  // Logging out changes data, so only POST does it.
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await endSession(context) } });
}
