import { forbidden, notFound } from "~/auth/guards.server";
import { readUpload } from "~/lib/uploads/store.server";
import { redirectWithToast } from "~/ui/toast.server";
import { ProxySchema } from "./forms";
import { readSubmission, refuse } from "./submission.server";

type Outcome = { ok: true } | { ok: false; error: string };
type Upload = Extract<Awaited<ReturnType<typeof readUpload>>, { ok: true }>;

/**
 * The proxy page's action, for a proposal vote or an election: an owner authorises a proxy (with
 * the signed authorisation as a file), or someone who may decide approves or rejects one. The
 * vote's own commands do the work; `notFoundErrors` answer 404 and `forbiddenErrors` 403.
 */
export async function proxyAction(
  request: Request,
  o: {
    here: string;
    isOwner: boolean;
    mayDecide: boolean;
    authorise(input: { grantorOwnerId?: string; proxyIdentifier: string; proxyName: string; file: Upload }): Promise<Outcome>;
    decide(input: { proxyId: string; approve: boolean; reason: string | null }): Promise<Outcome>;
    notFoundErrors: readonly string[];
    forbiddenErrors: readonly string[];
  },
) {
  const read = await readSubmission(request, ProxySchema, "authorise");
  if (!read.ok) return read.refusal;
  const { value: v, intent } = read;
  if (v.intent === "authorise") {
    if (!o.isOwner) forbidden();
    const file = await readUpload(read.formData.get("file"));
    if (!file.ok) return refuse(intent, file.error, 400);
    const r = await o.authorise({ grantorOwnerId: v.grantorOwnerId, proxyIdentifier: v.proxyIdentifier, proxyName: v.proxyName, file });
    if (!r.ok) {
      if (o.notFoundErrors.includes(r.error)) notFound();
      return refuse(intent, r.error, 409);
    }
    return redirectWithToast(o.here, { key: "voting.proxy.submitted" });
  }
  if (!o.mayDecide) forbidden();
  const r = await o.decide({ proxyId: v.proxyId, approve: v.intent === "approve", reason: v.reason || null });
  if (!r.ok) {
    if (o.notFoundErrors.includes(r.error)) notFound();
    return refuse(intent, r.error, o.forbiddenErrors.includes(r.error) ? 403 : 409);
  }
  return redirectWithToast(o.here, { key: v.intent === "approve" ? "voting.proxy.approved" : "voting.proxy.rejectedDone" });
}
