import type { Role } from "#db/schema/people";

/** Who has units of their own in an estate ("my units": owners and the residents they let in). */
export const unitHolders = ["owner", "resident"] as const satisfies readonly Role[];
