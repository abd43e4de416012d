import { describe, expect, it } from "vitest";
import { isUniqueViolation, pgError, violatedConstraint } from "./errors";

// The errors as each driver raises them (fields trimmed), and as Drizzle wraps them.
const postgresJs = Object.assign(new Error("duplicate key value violates unique constraint"), {
  code: "23505",
  constraint_name: "ballot_one_current",
});
const pglite = Object.assign(new Error("duplicate key value violates unique constraint"), {
  code: "23505",
  constraint: "ballot_one_current",
});
const wrapped = (cause: unknown) => Object.assign(new Error("Failed query: insert …"), { cause });

describe("reading a database error, from either driver", () => {
  it("names the violated constraint from PGlite's `constraint` as well as postgres.js's `constraint_name` (violated() read only the latter)", () => {
    for (const e of [postgresJs, pglite, wrapped(postgresJs), wrapped(pglite)]) {
      expect(pgError(e)).toEqual({ code: "23505", constraint: "ballot_one_current" });
      expect(violatedConstraint(e)).toBe("ballot_one_current");
      expect(isUniqueViolation(e)).toBe(true);
      expect(isUniqueViolation(e, "ballot_one_current")).toBe(true);
      expect(isUniqueViolation(e, "another_index")).toBe(false);
    }
  });

  it("is not fooled by errors that are not a constraint violation", () => {
    const deadlock = Object.assign(new Error("deadlock"), { code: "40P01" });
    expect(violatedConstraint(deadlock)).toBeNull();
    expect(isUniqueViolation(deadlock)).toBe(false);
    expect(pgError(new Error("plain"))).toBeNull();
    expect(pgError(Object.assign(new Error("socket"), { code: "ECONNRESET" }))).toBeNull();
    expect(pgError(null)).toBeNull();
  });
});
