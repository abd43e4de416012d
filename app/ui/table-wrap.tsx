import type { ReactNode } from "react";

/**
 * A table that scrolls sideways on a narrow screen. The box takes keyboard focus so a person
 * without a pointer can scroll it too (WCAG 2.1.1, axe's scrollable-region-focusable), and is a
 * named region so a screen reader says what it is when it gets that focus.
 */
export function TableWrap({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-wrap ${className}` : "table-wrap"} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
