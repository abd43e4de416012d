import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { z } from "zod";
import type { Role } from "#db/schema/people";
import { forbidden, notFound, requireEstateRole } from "~/auth/guards.server";
import { askQuestion, replyToInquiry } from "~/committee/inquiries.server";
import { parseSubject, subjectPath } from "~/committee/inquiry-subjects";
import type { ActionFailure } from "~/voting/action-error";
import { redirectWithToast } from "~/ui/toast.server";

/**
 * Owners' questions to the committee and the answers, from whichever page shows the subject
 * (minutes, a service report, a ledger): owners ask; committee members answer, the asker
 * follows up. Posts only; the threads are shown on the subject's page.
 */
const text = z
  .string({ required_error: "common.errors.required" })
  .trim()
  .min(1, "common.errors.required")
  .max(2000, "common.errors.tooLong");

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("ask"),
    subjectKind: z.string().max(40),
    subjectId: z.string().max(40).optional(),
    body: text,
  }),
  z.object({
    intent: z.literal("reply"),
    inquiryId: z.string().max(40),
    body: text,
  }),
]);

const rolesFor: Record<
  z.infer<typeof ActionSchema>["intent"],
  readonly Role[]
> = { ask: ["owner"], reply: ["owner", "committee"] };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstateRole(
    request,
    context,
    params.estate,
    ["owner", "committee"],
  );
  const form = await request.formData().catch(() => new FormData());
  const intent = String(form.get("intent") ?? "");
  const refuse = (error: string, status = 400) =>
    data<ActionFailure>({ intent, error }, { status });
  const submission = parseWithZod(form, { schema: ActionSchema });
  if (submission.status !== "success")
    return refuse(
      Object.values(submission.error ?? {}).flat()[0] ??
        "common.errors.invalid",
    );
  const v = submission.value;
  if (!roles.some((r) => rolesFor[v.intent].includes(r))) forbidden();

  const r =
    v.intent === "ask"
      ? await (async () => {
          const subject = parseSubject(v.subjectKind, v.subjectId);
          if (!subject) notFound();
          const asked = await askQuestion({
            estateId: estate.id,
            subject,
            userId: user.id,
            body: v.body,
          });
          return asked.ok ? { ok: true as const, subject } : asked;
        })()
      : await replyToInquiry({
          estateId: estate.id,
          inquiryId: v.inquiryId,
          userId: user.id,
          body: v.body,
        });
  if (!r.ok) {
    if (r.error === "committee.errors.notFound") notFound();
    return refuse(
      r.error,
      r.error === "committee.errors.notYourThread" ? 403 : 409,
    );
  }
  return redirectWithToast(subjectPath(estate.slug, r.subject), {
    key:
      v.intent === "ask"
        ? "committee.inquiries.asked"
        : "committee.inquiries.replied",
  });
}
