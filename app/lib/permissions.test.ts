import { describe, expect, it } from "vitest";
import { can, everyRole, hasAny, permissionTable, platformRoles, rolesInScope } from "./permissions";

const estate = { id: "e1", communityId: "c1" };

describe("rolesInScope (the one scoping rule)", () => {
  it("gives the estate's own roles, community_admin through the estate's community, platform_admin everywhere", () => {
    const rows = [
      { role: "owner", estateId: "e1", communityId: null },
      { role: "committee", estateId: "e2", communityId: null },
      { role: "community_admin", estateId: null, communityId: "c1" },
      { role: "community_admin", estateId: null, communityId: "c2" },
    ] as const;
    expect(rolesInScope(rows, estate).sort()).toEqual(["community_admin", "owner"]);
    expect(rolesInScope(rows, { id: "e2", communityId: "c9" })).toEqual(["committee"]);
    expect(rolesInScope(rows, { id: "e3", communityId: "c3" })).toEqual([]);
    expect(rolesInScope([{ role: "platform_admin", estateId: null, communityId: null }], estate)).toEqual([
      "platform_admin",
    ]);
  });

  it("lets a platform admin into platform pages and nobody else", () => {
    expect(platformRoles([{ role: "platform_admin", estateId: null, communityId: null }])).toEqual(["platform_admin"]);
    expect(platformRoles([{ role: "community_admin", estateId: null, communityId: "c1" }])).toEqual([]);
  });
});

describe("can", () => {
  it("grants a permission to the roles its entry lists and to no other", () => {
    expect(can(["owner"], "voting:cast")).toBe(true);
    expect(can(["committee"], "voting:cast")).toBe(false);
    expect(can(["committee"], "voting:manage")).toBe(true);
    expect(can(["community_admin"], "voting:manage")).toBe(false);
    expect(can(["property_staff"], "fees:publish:property_staff")).toBe(true);
    expect(can(["property_staff"], "fees:publish:committee")).toBe(false);
    expect(can(["community_admin"], "estate:staff")).toBe(true);
    expect(can(["property_staff"], "estate:staff")).toBe(false);
    expect(can([], "estate:view")).toBe(false);
  });

  it("lets every role view the estate, and names only known roles", () => {
    for (const role of everyRole) expect(can([role], "estate:view")).toBe(true);
    for (const roles of Object.values(permissionTable)) for (const r of roles) expect(everyRole).toContain(r);
    expect(hasAny(["owner", "resident"], ["resident"])).toBe(true);
    expect(hasAny(["owner"], [])).toBe(false);
  });
});
