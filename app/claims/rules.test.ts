import { describe, expect, it } from "vitest";
import { approvalProblem, decideClaim, inviteLifetimeMs, inviteState, minutesUntil, type RosterOwner } from "./rules";

const me = "user-me";
const other = "user-other";
const owner = (id: string, name: string, userId: string | null = null): RosterOwner => ({ id, name, userId });
const unit = { developerUnsold: false };

describe("decideClaim", () => {
  it("links the unclaimed owner whose name matches, ignoring spaces, width and case", () => {
    const owners = [owner("a", "王秀英"), owner("b", "Alice Wang")];
    expect(decideClaim(unit, owners, { userId: me, name: " 王 秀英 " })).toEqual({ kind: "link", ownerId: "a" });
    expect(decideClaim(unit, owners, { userId: me, name: "王秀英" })).toEqual({ kind: "link", ownerId: "a" });
    expect(decideClaim(unit, owners, { userId: me, name: "alice  WANG" })).toEqual({ kind: "link", ownerId: "b" });
    expect(decideClaim(unit, owners, { userId: me, name: "ＡＬＩＣＥＷＡＮＧ" })).toEqual({
      kind: "link",
      ownerId: "b",
    });
  });

  it("turns a name that is not on the roster into a request", () => {
    expect(decideClaim(unit, [owner("a", "王秀英")], { userId: me, name: "王秀" })).toEqual({ kind: "request" });
    expect(decideClaim(unit, [owner("a", "王秀英")], { userId: me, name: "   " })).toEqual({ kind: "request" });
  });

  it("refuses a name whose slot another account holds, while other slots are open", () => {
    const owners = [owner("a", "王秀英", other), owner("b", "李强")];
    expect(decideClaim(unit, owners, { userId: me, name: "王秀英" })).toEqual({ kind: "takenByOther" });
    // The co-owner can still claim their own slot.
    expect(decideClaim(unit, owners, { userId: me, name: "李强" })).toEqual({ kind: "link", ownerId: "b" });
  });

  it("uses the code up once every owner slot is claimed", () => {
    const owners = [owner("a", "王秀英", other), owner("b", "李强", "user-third")];
    expect(decideClaim(unit, owners, { userId: me, name: "王秀英" })).toEqual({ kind: "usedUp" });
    expect(decideClaim(unit, owners, { userId: me, name: "张三" })).toEqual({ kind: "usedUp" });
  });

  it("lets one account hold one slot of a unit only", () => {
    const owners = [owner("a", "王秀英", me), owner("b", "李强")];
    expect(decideClaim(unit, owners, { userId: me, name: "李强" })).toEqual({ kind: "alreadyMine", ownerId: "a" });
    expect(decideClaim(unit, owners, { userId: me, name: "王秀英" })).toEqual({ kind: "alreadyMine", ownerId: "a" });
  });

  it("refuses the developer's unsold units and units without roster owners", () => {
    expect(decideClaim({ developerUnsold: true }, [], { userId: me, name: "开发商" })).toEqual({
      kind: "developerUnsold",
    });
    expect(decideClaim({ developerUnsold: true }, [owner("a", "王秀英")], { userId: me, name: "王秀英" })).toEqual({
      kind: "developerUnsold",
    });
    expect(decideClaim(unit, [], { userId: me, name: "王秀英" })).toEqual({ kind: "noOwners" });
  });

  it("takes the first open slot when two co-owners share a name", () => {
    const owners = [owner("a", "王芳", other), owner("b", "王芳")];
    expect(decideClaim(unit, owners, { userId: me, name: "王芳" })).toEqual({ kind: "link", ownerId: "b" });
  });
});

describe("approvalProblem", () => {
  const owners = [owner("a", "王秀英", other), owner("b", "李强")];
  it("accepts an unclaimed owner of the unit", () => {
    expect(approvalProblem(owners, "b", me)).toBeNull();
  });
  it("refuses a claimed slot, a stranger's id, and a requester who already holds a slot", () => {
    expect(approvalProblem(owners, "a", me)).toBe("ownerTaken");
    expect(approvalProblem(owners, "zzz", me)).toBe("notAnOwner");
    expect(approvalProblem(owners, "b", other)).toBe("alreadyOwner");
  });
});

describe("inviteState", () => {
  const now = new Date("2026-11-26T10:00:00Z");
  it("is valid until it expires, and once used stays used", () => {
    const expiresAt = new Date(now.getTime() + inviteLifetimeMs);
    expect(inviteState({ expiresAt, usedAt: null }, now)).toBe("valid");
    expect(inviteState({ expiresAt, usedAt: null }, new Date(expiresAt.getTime() - 1))).toBe("valid");
    expect(inviteState({ expiresAt, usedAt: null }, expiresAt)).toBe("expired");
    expect(inviteState({ expiresAt, usedAt: now }, now)).toBe("used");
  });
  it("lasts seven days", () => {
    expect(inviteLifetimeMs).toBe(604_800_000);
  });
});

describe("minutesUntil", () => {
  it("rounds up and never says zero", () => {
    const now = new Date("2026-11-26T10:00:00Z");
    expect(minutesUntil(new Date(now.getTime() + 61_000), now)).toBe(2);
    expect(minutesUntil(new Date(now.getTime() + 60_000), now)).toBe(1);
    expect(minutesUntil(now, now)).toBe(1);
  });
});
