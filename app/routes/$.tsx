import { notFound } from "~/auth/guards.server";

/**
 * Every URL no other route matches. A URL that matches nothing runs no loader, not even the
 * root's, so the not-found page showed the logged-out header and the default language to
 * everyone; matched here, the root loader runs first and this loader's 404 is shown by the
 * root's ErrorBoundary with the caller's header and language.
 */
export function loader(): never {
  notFound();
}

export function action(): never {
  notFound();
}

/** Never rendered: the loader always throws. A route without a component would be a resource route, answering plain text. */
export default function NotFound() {
  return null;
}
