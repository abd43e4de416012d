/**
 * The PostgreSQL error behind a failed statement, whichever driver raised it. postgres.js
 * names the violated constraint `constraint_name`, PGlite `constraint`; Drizzle wraps either
 * in a DrizzleQueryError whose `cause` is the driver's error, so the cause chain is followed.
 * Read SQLSTATE codes and constraint names through here, never off the error directly.
 */
export interface PgErrorInfo {
  /** The SQLSTATE, e.g. "23505" for a unique violation. */
  code: string;
  /** The constraint or index the statement violated, where there is one. */
  constraint: string | null;
}

export function pgError(error: unknown): PgErrorInfo | null {
  for (
    let e = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { code, constraint_name, constraint } = e as {
      code?: unknown;
      constraint_name?: unknown;
      constraint?: unknown;
    };
    if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) continue;
    const name =
      typeof constraint_name === "string" ? constraint_name : typeof constraint === "string" ? constraint : null;
    return { code, constraint: name || null };
  }
  return null;
}

/** A unique violation (23505), of the named constraint or index if one is given. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgError(error);
  return pg?.code === "23505" && (constraint === undefined || pg.constraint === constraint);
}

/** The constraint an integrity-constraint violation (SQLSTATE class 23) broke, or null. */
export function violatedConstraint(error: unknown): string | null {
  const pg = pgError(error);
  return pg && pg.code.startsWith("23") ? pg.constraint : null;
}
