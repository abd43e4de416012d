import { forbidden } from "~/auth/guards.server";
import { readUpload } from "~/lib/uploads/store.server";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import type { Reason, Result } from "~/lib/forms/result";
import { maxUploadBytes } from "~/lib/uploads/store.server";
import { ProxySchema } from "./forms";

type Outcome = Result;
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
    authorise(input: {
      grantorOwnerId?: string;
      proxyIdentifier: string;
      proxyName: string;
      file: Upload;
    }): Promise<Outcome>;
    decide(input: { proxyId: string; approve: boolean; reason: string | null }): Promise<Outcome>;
    notFoundErrors: readonly string[];
    forbiddenErrors: readonly string[];
  },
) {
  const read = await parseForm(request, ProxySchema, {
    upload: { maxPartBytes: maxUploadBytes, tooLarge: "voting.errors.tooLarge" },
    uploadForm: "authorise",
  });
  if (!read.ok) return read.response;
  const { value: v, intent, submission } = read;
  const notFound: Record<string, Reason> = Object.fromEntries(o.notFoundErrors.map((e) => [e, "not_found"]));
  const forbiddenToo: Record<string, Reason> = {
    ...notFound,
    ...Object.fromEntries(o.forbiddenErrors.map((e) => [e, "forbidden"])),
  };
  if (v.intent === "authorise") {
    if (!o.isOwner) forbidden();
    const file = await readUpload(read.formData.get("file"));
    if (!file.ok) return refuse(intent, file.error, { submission, reason: "invalid" });
    const r = await o.authorise({
      grantorOwnerId: v.grantorOwnerId,
      proxyIdentifier: v.proxyIdentifier,
      proxyName: v.proxyName,
      file,
    });
    if (!r.ok) return refuse(intent, r, { submission, reasons: notFound });
    return redirectWithToast(o.here, { key: "voting.proxy.submitted" });
  }
  if (!o.mayDecide) forbidden();
  const r = await o.decide({ proxyId: v.proxyId, approve: v.intent === "approve", reason: v.reason || null });
  if (!r.ok) return refuse(intent, r, { submission, reasons: forbiddenToo });
  return redirectWithToast(o.here, {
    key: v.intent === "approve" ? "voting.proxy.approved" : "voting.proxy.rejectedDone",
  });
}
