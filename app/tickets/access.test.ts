import { describe, expect, it } from "vitest";
import { allowed, navLinks, visibility, type TicketFacts, type Viewer } from "./access";

const now = new Date("2026-11-20T00:00:00Z");
const ticket = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  filerId: "filer",
  unitId: "u101",
  isPublic: false,
  status: "open",
  escalatedAt: null,
  resolvedAt: null,
  rating: null,
  ...over,
});
const viewer = (userId: string, roles: Viewer["roles"], unitIds: string[] = []): Viewer => ({ userId, roles, unitIds });

const filer = viewer("filer", ["owner"], ["u101"]);
const family = viewer("family", ["resident"], ["u101"]);
const neighbour = viewer("n", ["resident"], ["u102"]);
const staff = viewer("s", ["property_staff"]);
const committee = viewer("c", ["committee", "owner"], ["u201"]);

describe("visibility", () => {
  it("private: the filer, the household and the staff only; the committee once escalated", () => {
    expect(visibility(ticket(), filer)).toBe("full");
    expect(visibility(ticket(), family)).toBe("full");
    expect(visibility(ticket(), staff)).toBe("full");
    expect(visibility(ticket(), neighbour)).toBeNull();
    expect(visibility(ticket(), committee)).toBeNull();
    expect(visibility(ticket({ escalatedAt: now }), committee)).toBe("full");
    expect(visibility(ticket({ escalatedAt: now }), neighbour)).toBeNull();
  });

  it("public: everyone else sees the board's view", () => {
    expect(visibility(ticket({ isPublic: true }), neighbour)).toBe("public");
    expect(visibility(ticket({ isPublic: true }), committee)).toBe("public");
    // Living in the unit is not enough without the role there (an owner's unit list is theirs).
    expect(visibility(ticket(), viewer("x", ["property_staff"], ["u101"]))).toBe("full");
    expect(visibility(ticket(), viewer("x", ["committee"], ["u101"]))).toBeNull();
  });
});

describe("the state machine by role", () => {
  it("staff answer and resolve live tickets; the filer confirms or reopens within 7 days of a resolution", () => {
    expect(allowed("acknowledge", ticket(), staff, now)).toBe(true);
    expect(allowed("acknowledge", ticket({ status: "acknowledged" }), staff, now)).toBe(false);
    expect(allowed("resolve", ticket({ status: "acknowledged" }), staff, now)).toBe(true);
    expect(allowed("resolve", ticket({ status: "resolved" }), staff, now)).toBe(false);
    expect(allowed("resolve", ticket(), filer, now)).toBe(false);
    const resolved = ticket({ status: "resolved", resolvedAt: new Date(now.getTime() - 6 * 86_400_000) });
    expect(allowed("confirm", resolved, filer, now)).toBe(true);
    expect(allowed("reopen", resolved, filer, now)).toBe(true);
    expect(allowed("confirm", resolved, family, now)).toBe(false);
    const old = ticket({ status: "resolved", resolvedAt: new Date(now.getTime() - 7 * 86_400_000) });
    expect(allowed("reopen", old, filer, now)).toBe(false);
    expect(allowed("rate", ticket({ status: "closed" }), filer, now)).toBe(true);
    expect(allowed("rate", ticket({ status: "closed", rating: 3 }), filer, now)).toBe(false);
  });

  it("the committee presses and comments on escalated tickets; owners other than the filer +1 public ones", () => {
    expect(allowed("press", ticket({ escalatedAt: now, status: "acknowledged" }), committee, now)).toBe(true);
    expect(allowed("press", ticket({ escalatedAt: now, status: "resolved" }), committee, now)).toBe(false);
    expect(allowed("committeeComment", ticket({ escalatedAt: now, status: "resolved" }), committee, now)).toBe(true);
    expect(allowed("press", ticket(), committee, now)).toBe(false);
    expect(allowed("upvote", ticket({ isPublic: true }), committee, now)).toBe(true);
    expect(allowed("upvote", ticket({ isPublic: true }), filer, now)).toBe(false);
    expect(allowed("upvote", ticket({ isPublic: true }), neighbour, now)).toBe(false); // residents do not +1
    expect(allowed("upvote", ticket({ isPublic: false }), committee, now)).toBe(false);
    expect(allowed("upvote", ticket({ isPublic: true, status: "closed" }), committee, now)).toBe(false);
  });
});

describe("links", () => {
  it("shows each role its pages", () => {
    const keys = (roles: Viewer["roles"]) => navLinks(roles).map((l) => l.key);
    expect(keys(["owner"])).toEqual(["file", "mine", "board", "scorecard", "reports", "ledgers"]);
    expect(keys(["property_staff"])).toEqual(["queue", "board", "scorecard", "reports", "ledgers"]);
    expect(keys(["community_admin"])).toContain("community");
    expect(keys(["committee"])).toContain("settings");
  });
});
