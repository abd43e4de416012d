// `<host>/n`, the link in notice SMS, leads to the notice list (through log-in without a session).
import { describe, expect, it } from "vitest";
import { loader } from "~/routes/n";
import { loader as notices } from "~/routes/notices";
import { call, makeUser, statusOf } from "../fixtures";

describe("/n", () => {
  it("redirects anyone to /notices, which sends a visitor without a session to log in", async () => {
    for (const user of [null, await makeUser([])]) {
      const result = (await call(loader, { url: "/n", user })) as Response;
      expect(statusOf(result)).toBe(302);
      expect(result.headers.get("location")).toBe("/notices");
    }
    const anonymous = (await call(notices, { url: "/notices" })) as Response;
    expect(statusOf(anonymous)).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/login?redirectTo=%2Fnotices");
  });
});
