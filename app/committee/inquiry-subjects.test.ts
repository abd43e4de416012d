import { describe, expect, it } from "vitest";
import { inquirySubjectKinds as stored } from "#db/schema/committee";
import { inquirySubjectKinds, parseSubject, parseVoteQuery, subjectPath } from "./inquiry-subjects";

const id = "5f1d2c3b-0000-4000-8000-000000000001";

describe("inquiry subjects", () => {
  it("match the database enum", () => {
    expect([...inquirySubjectKinds]).toEqual([...stored]);
  });

  it("need a row id for minutes and reports, and none for a ledger", () => {
    expect(parseSubject("minutes", id)).toEqual({ kind: "minutes", id });
    expect(parseSubject("service_report", id)).toEqual({ kind: "service_report", id });
    expect(parseSubject("service_report", "42")).toBeNull();
    expect(parseSubject("minutes", undefined)).toBeNull();
    expect(parseSubject("maintenance_fund", "")).toEqual({ kind: "maintenance_fund" });
    expect(parseSubject("common_income", undefined)).toEqual({ kind: "common_income" });
    expect(parseSubject("common_income", id)).toBeNull();
    expect(parseSubject("ballot", id)).toBeNull();
    expect(parseSubject("vote", id)).toEqual({ kind: "vote", id });
    expect(parseSubject("election", id)).toEqual({ kind: "election", id });
    expect(parseSubject("vote", "")).toBeNull();
  });

  it("take a vote query on the asker's own ballot, or on a named unit's eligibility", () => {
    expect(parseVoteQuery("own_ballot", undefined)).toEqual({ topic: "own_ballot" });
    expect(parseVoteQuery("eligibility", id)).toEqual({ topic: "eligibility", unitId: id });
    expect(parseVoteQuery("eligibility", "")).toBeNull();
    expect(parseVoteQuery("choice", id)).toBeNull();
  });

  it("point at the threads on the subject's page", () => {
    expect(subjectPath("yixin", { kind: "minutes", id })).toBe(`/e/yixin/committee/meetings/${id}#inquiries`);
    expect(subjectPath("yixin", { kind: "service_report", id })).toBe(`/e/yixin/service-reports#q-${id}`);
    expect(subjectPath("yixin", { kind: "maintenance_fund" })).toBe("/e/yixin/ledgers#q-maintenance_fund");
    expect(subjectPath("yixin", { kind: "vote", id })).toBe(`/e/yixin/proposals/${id}/result#q-${id}`);
    expect(subjectPath("yixin", { kind: "election", id })).toBe(`/e/yixin/committee/elections/${id}#q-${id}`);
  });
});
