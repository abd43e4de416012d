import { redirect } from "@remix-run/node";

/**
 * The short link notice SMS carry (`<host>/n`, few characters in a message billed by length):
 * on to the notice list, which asks a visitor without a session to log in first.
 */
export async function loader() {
  return redirect("/notices");
}
