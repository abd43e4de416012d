import { Link } from "@remix-run/react";

/** "← title": back to the page this one belongs to (not printed). */
export function BackLink({ to, title }: { to: string; title: string }) {
  return (
    <p className="no-print">
      <Link to={to}>← {title}</Link>
    </p>
  );
}
