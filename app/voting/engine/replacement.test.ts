import { describe, expect, it } from "vitest";
import { replacement, type CastChannel, type ReplacementRules } from "./replacement";

const rules = (ballotsChangeable: boolean, paperOnlineConflict: "online" | "paper"): ReplacementRules => ({
  ballotsChangeable,
  paperOnlineConflict,
});
const cast = (channel: CastChannel, castBy: string | null = "alice") => ({ channel, castBy });
const all: ReplacementRules[] = [
  rules(true, "online"),
  rules(true, "paper"),
  rules(false, "online"),
  rules(false, "paper"),
];

describe("the replacement rule", () => {
  it("counts the first ballot whatever the rules", () => {
    for (const r of all)
      for (const c of ["online", "proxy", "paper"] as const)
        expect(replacement(r, null, cast(c))).toEqual({ ok: true, replaces: false, tellUserId: null });
  });

  it("never lets a proxy replace the owner's own ballot, online or paper", () => {
    for (const r of all)
      for (const c of ["online", "paper"] as const)
        expect(replacement(r, cast(c), cast("proxy", "holder"))).toEqual({ ok: false, error: "ownBeatsProxy" });
  });

  it("lets the owner's own ballot replace their proxy's even where ballots are final", () => {
    for (const r of all)
      for (const c of ["online", "paper"] as const)
        expect(replacement(r, cast("proxy", "holder"), cast(c))).toEqual({
          ok: true,
          replaces: true,
          tellUserId: null,
        });
  });

  it("a second ballot of the same channel replaces the first only where ballots are changeable", () => {
    for (const c of ["online", "proxy"] as const) {
      expect(replacement(rules(true, "online"), cast(c), cast(c))).toMatchObject({ ok: true, replaces: true });
      expect(replacement(rules(true, "paper"), cast(c), cast(c))).toMatchObject({ ok: true, replaces: true });
      expect(replacement(rules(false, "online"), cast(c), cast(c))).toEqual({ ok: false, error: "ballotFinal" });
      expect(replacement(rules(false, "paper"), cast(c), cast(c))).toEqual({ ok: false, error: "ballotFinal" });
    }
  });

  it("online against a counted paper ballot: the vote's precedence decides, changeable or not", () => {
    for (const changeable of [true, false]) {
      expect(replacement(rules(changeable, "online"), cast("paper", "member"), cast("online"))).toEqual({
        ok: true,
        replaces: true,
        tellUserId: null,
      });
      expect(replacement(rules(changeable, "paper"), cast("paper", "member"), cast("online"))).toEqual({
        ok: false,
        error: "paperCounts",
      });
    }
  });

  it("a confirmed paper ballot against an online one: the vote's precedence decides, changeable or not", () => {
    for (const changeable of [true, false]) {
      expect(replacement(rules(changeable, "online"), cast("online"), cast("paper", "member"))).toEqual({
        ok: false,
        error: "onlineCounts",
      });
      expect(replacement(rules(changeable, "paper"), cast("online"), cast("paper", "member"))).toEqual({
        ok: true,
        replaces: true,
        tellUserId: "alice",
      });
    }
  });

  it("tells the co-owner whose own online ballot another co-owner replaced, and nobody else", () => {
    const r = rules(true, "online");
    expect(replacement(r, cast("online", "alice"), cast("online", "bob"))).toEqual({
      ok: true,
      replaces: true,
      tellUserId: "alice",
    });
    expect(replacement(r, cast("online", "alice"), cast("online", "alice"))).toEqual({
      ok: true,
      replaces: true,
      tellUserId: null,
    });
    // A proxy's ballot replaced, or a paper one: no owner's own online ballot was lost.
    expect(replacement(r, cast("proxy", "holder"), cast("online", "bob"))).toMatchObject({ tellUserId: null });
    expect(replacement(r, cast("paper", "member"), cast("online", "bob"))).toMatchObject({ tellUserId: null });
    expect(replacement(r, cast("online", null), cast("online", "bob"))).toMatchObject({ tellUserId: null });
  });
});
