import { describe, expect, it } from "vitest";
import { auditFilter } from "./filter";

const at = (q: string) => auditFilter(new URL(`http://x/e/a/audit?${q}`));

describe("auditFilter", () => {
  it("reads the act, a Beijing date range (the end day included) and the page", () => {
    const f = at("act=vote_close&from=2026-11-01&to=2026-11-30&page=3");
    expect(f.act).toBe("vote_close");
    expect(f.from?.toISOString()).toBe("2026-10-31T16:00:00.000Z");
    expect(f.until?.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(f.page).toBe(3);
    expect(f.query).toEqual({ act: "vote_close", from: "2026-11-01", to: "2026-11-30" });
    expect(f.error).toBeNull();
  });

  it("drops an unknown act and a bad page instead of failing", () => {
    const f = at("act=drop_table&page=-2");
    expect(f.act).toBeNull();
    expect(f.page).toBe(1);
    expect(f.query).toEqual({});
  });

  it("refuses unreadable dates and a backwards range with a message, applying neither", () => {
    expect(at("from=2026-02-30")).toMatchObject({ from: null, until: null, error: "audit.filter.badDate" });
    expect(at("to=yesterday")).toMatchObject({ error: "audit.filter.badDate" });
    expect(at("from=2026-11-02&to=2026-11-01")).toMatchObject({
      from: null,
      until: null,
      error: "audit.filter.badRange",
    });
    // One day is a valid range: from and to the same day.
    expect(at("from=2026-11-02&to=2026-11-02").error).toBeNull();
  });
});
