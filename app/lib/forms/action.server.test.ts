import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseForm, refuse } from "./action.server";
import { isFormReply, refusal, statusOf, type FormReply, type Reason } from "./result";

type Answer = { type: string; data: FormReply; init: { status: number } | null };
const answer = (r: unknown) => r as Answer;

function post(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request("http://localhost/x", { method: "POST", body: new URLSearchParams(fields), headers });
}

describe("forms: a refusal maps to one HTTP answer", () => {
  const cases: [Reason, number][] = [
    ["invalid", 400],
    ["forbidden", 403],
    ["not_found", 404],
    ["conflict", 409],
    ["gone", 410],
    ["too_large", 413],
    ["rate_limited", 429],
    ["unavailable", 503],
  ];

  it.each(cases)("%s answers %i with the message for the form that sent it", (reason, status) => {
    const r = answer(refuse("cast", refusal(reason, "voting.errors.closed", { count: 2 })));
    expect(r.init?.status).toBe(status);
    expect(statusOf[reason]).toBe(status);
    expect(r.data).toEqual({
      status: "error",
      form: "cast",
      reason,
      error: { "": ["voting.errors.closed"] },
      params: { count: 2 },
    });
  });

  it("a refusal without a reason is a conflict (409); a route's reasons by key and default come before that", () => {
    const plain = { ok: false as const, error: "voting.errors.notFound" };
    expect(answer(refuse("x", plain)).init?.status).toBe(409);
    expect(answer(refuse("x", plain, { reasons: { "voting.errors.notFound": "not_found" } })).init?.status).toBe(404);
    expect(answer(refuse("x", plain, { reason: "forbidden" })).init?.status).toBe(403);
    expect(answer(refuse("x", { ...plain, reason: "invalid" }, { reason: "forbidden" })).init?.status).toBe(400);
    expect(answer(refuse("x", "common.errors.invalid", { reason: "invalid" })).data).toMatchObject({
      error: { "": ["common.errors.invalid"] },
      reason: "invalid",
    });
  });

  it("field errors land on their fields, in the shape useForm reads", () => {
    const r = answer(
      refuse("register", {
        error: "committee.errors.zoneLine",
        fields: { zones: ["committee.errors.zoneLine"] },
        reason: "invalid",
      }),
    );
    expect(r.init?.status).toBe(400);
    expect(r.data.error).toEqual({ zones: ["committee.errors.zoneLine"] });
  });

  it("isFormReply tells a refusal for one form from one for another and from other data", () => {
    const body = answer(refuse("sign", "x.errors.y")).data;
    expect(isFormReply(body, "sign")).toBe(true);
    expect(isFormReply(body, ["open", "sign"])).toBe(true);
    expect(isFormReply(body, "create")).toBe(false);
    expect(isFormReply({ ok: true }, "sign")).toBe(false);
    expect(isFormReply(null)).toBe(false);
  });
});

describe("forms: parseForm", () => {
  const Schema = z.discriminatedUnion("intent", [
    z.object({
      intent: z.literal("comment"),
      body: z.string({ required_error: "common.errors.required" }).max(5, "common.errors.tooLong"),
    }),
    z.object({ intent: z.literal("publish"), days: z.coerce.number().int().min(1) }),
  ]);

  it("hands back the value, the intent and the submission", async () => {
    const read = await parseForm(post({ intent: "comment", body: "hi" }), Schema);
    expect(read.ok && read.value).toEqual({ intent: "comment", body: "hi" });
    expect(read.ok && read.intent).toBe("comment");
  });

  it("bad input answers 400 with each field's catalogue key, Zod's English defaults as common.errors.invalid, and the values sent back", async () => {
    const long = await parseForm(post({ intent: "comment", body: "too long" }), Schema);
    if (long.ok) throw new Error("parsed");
    expect(answer(long.response).init?.status).toBe(400);
    expect(answer(long.response).data).toMatchObject({
      status: "error",
      form: "comment",
      reason: "invalid",
      error: { body: ["common.errors.tooLong"] },
      initialValue: { intent: "comment", body: "too long" },
    });

    const days = await parseForm(post({ intent: "publish", days: "x" }), Schema);
    if (days.ok) throw new Error("parsed");
    expect(answer(days.response).data.error).toEqual({ days: ["common.errors.invalid"] });

    const unknown = await parseForm(post({ intent: "delete" }), Schema);
    if (unknown.ok) throw new Error("parsed");
    expect(answer(unknown.response).init?.status).toBe(400);
    expect(answer(unknown.response).data.form).toBe("delete");
  });

  it("hidden fields (passwords) are not sent back", async () => {
    const read = await parseForm(post({ intent: "comment", body: "secret!" }), Schema, { hideFields: ["body"] });
    if (read.ok) throw new Error("parsed");
    expect(answer(read.response).data.initialValue).not.toHaveProperty("body");
  });

  it("a body past the upload limit answers 413 for the upload form; a NUL byte 400", async () => {
    const big = new FormData();
    big.set("intent", "upload");
    big.set("file", new File([new Uint8Array(2048)], "a.pdf", { type: "application/pdf" }));
    const request = new Request("http://localhost/x", { method: "POST", body: big });
    const read = await parseForm(request, Schema, {
      upload: { maxPartBytes: 1024, tooLarge: "voting.errors.tooLarge" },
      uploadForm: "upload",
    });
    if (read.ok) throw new Error("parsed");
    expect(answer(read.response).init?.status).toBe(413);
    expect(answer(read.response).data).toMatchObject({
      form: "upload",
      reason: "too_large",
      error: { "": ["voting.errors.tooLarge"] },
    });

    const nul = await parseForm(post({ intent: "comment", body: "a\0b" }), Schema);
    if (nul.ok) throw new Error("parsed");
    expect(answer(nul.response).init?.status).toBe(400);
    expect(answer(nul.response).data.error).toEqual({ "": ["common.errors.invalid"] });
  });
});
