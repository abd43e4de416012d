import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { rowsOf } from "../../app/notify/outbox.server";
import { majorMatterTypes, matterOfType, proposalTypeList } from "../../app/voting/matters";

/**
 * The list of major matters lives in app/voting/matters.ts; the database guards it with the CHECK
 * proposal_matter_fixed_by_type. This reads the CHECK back from the migrated database, so a change
 * to one without the other (and its migration) fails here.
 */
describe("the major matters: the SQL CHECK agrees with the TypeScript list", () => {
  it("names exactly the major types in the CHECK, and nothing else decides the matter", async () => {
    const rows = rowsOf<{ def: string }>(
      await getDb().execute(sql`
        select pg_get_constraintdef(c.oid) as def
          from pg_constraint c join pg_class t on t.oid = c.conrelid
         where t.relname = 'proposal' and c.conname = 'proposal_matter_fixed_by_type' and c.contype = 'c'`),
    );
    expect(rows).toHaveLength(1);
    const def = rows[0].def;
    // e.g. CHECK ((matter = (CASE WHEN (type = ANY (ARRAY['fund_raise'::proposal_type, …])) THEN 'major'::text ELSE 'ordinary'::text END)::matter))
    expect(def).toMatch(/CASE\s+WHEN\s.*THEN\s+'major'.*ELSE\s+'ordinary'/s);
    const inCheck = [...def.matchAll(/'([a-z_]+)'::proposal_type/g)].map((m) => m[1]);
    expect([...inCheck].sort()).toEqual([...majorMatterTypes].sort());
    expect(majorMatterTypes.length).toBeGreaterThan(0);
  });

  it("the database's enum of matter types is the TypeScript list, each typed major or ordinary", async () => {
    const rows = rowsOf<{ label: string }>(
      await getDb().execute(
        sql`select e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typname = 'proposal_type' order by e.enumsortorder`,
      ),
    );
    expect(rows.map((r) => r.label)).toEqual([...proposalTypeList]);
    for (const type of proposalTypeList) expect(matterOfType[type] === "major").toBe(majorMatterTypes.includes(type));
  });
});
