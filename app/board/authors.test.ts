import { describe, expect, it } from "vitest";
import { can } from "~/lib/permissions";
import { authorsFor } from "./authors";

describe("authorsFor", () => {
  it("names the bodies a person speaks for, and none for owners and residents", () => {
    expect(authorsFor(["owner", "committee"])).toEqual(["committee"]);
    expect(authorsFor(["property_staff"])).toEqual(["property"]);
    expect(authorsFor(["community_admin", "committee"])).toEqual(["committee", "community"]);
    expect(authorsFor(["platform_admin"])).toEqual(["platform"]);
    expect(authorsFor(["owner", "resident", "committee_observer"])).toEqual([]);
  });

  it("agrees with the board:post permission: whoever may post has a name to post in", () => {
    for (const role of [
      "owner",
      "resident",
      "committee",
      "committee_observer",
      "property_staff",
      "community_admin",
      "platform_admin",
    ] as const) {
      expect(can([role], "board:post"), role).toBe(authorsFor([role]).length > 0);
    }
  });
});
