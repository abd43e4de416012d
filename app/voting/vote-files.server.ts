import { createHash } from "node:crypto";
import { and, eq, or } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import { forbidden } from "~/auth/guards.server";
import { getFileStore, storeUpload } from "~/lib/uploads/store.server";

/*
 * The files of a vote (proposal attachments, signed proxy forms, paper ballot scans) in the
 * voting_files table; their bytes are in the app's upload store (app/lib/uploads).
 */

const { votingFiles } = schema;

export const maxProposalFiles = 10;

/** The vote a file, proxy or paper ballot belongs to: a proposal's, or a committee election. */
export type VoteRef = { proposalId: string; electionId?: undefined } | { electionId: string; proposalId?: undefined };

/** Stages the bytes and records the file in the caller's transaction (inside withUploads). */
export async function saveFile(
  tx: Queryable,
  input: VoteRef & {
    estateId: string;
    kind: "proposal" | "proxy" | "paper";
    name: string;
    type: string;
    bytes: Uint8Array;
    uploadedBy: string;
  },
) {
  const storageKey = await storeUpload(input.estateId, input.bytes);
  const [row] = await tx
    .insert(votingFiles)
    .values({
      estateId: input.estateId,
      proposalId: input.proposalId ?? null,
      electionId: input.electionId ?? null,
      kind: input.kind,
      storageKey,
      fileName: input.name,
      contentType: input.type,
      sizeBytes: input.bytes.byteLength,
      sha256: createHash("sha256").update(input.bytes).digest("hex"),
      uploadedBy: input.uploadedBy,
    })
    .returning();
  return row;
}

/** A file of one estate's proposal or election (the tenant boundary), with its bytes. */
export async function loadFile(db: Queryable, estateId: string, vote: string | VoteRef, fileId: string) {
  const ref: VoteRef = typeof vote === "string" ? { proposalId: vote } : vote;
  const [row] = await db
    .select()
    .from(votingFiles)
    .where(
      and(
        eq(votingFiles.id, fileId),
        eq(votingFiles.estateId, estateId),
        ref.proposalId !== undefined
          ? eq(votingFiles.proposalId, ref.proposalId)
          : eq(votingFiles.electionId, ref.electionId),
      ),
    );
  if (!row) return null;
  const bytes = await getFileStore().get(row.storageKey);
  return bytes ? { row, bytes } : null;
}

/**
 * A proxy's signed authorisation is read by those who oversee the vote (checked by the caller),
 * the owner who gave it and the proxy; anyone else is refused (403).
 */
export async function requireProxyFileParty(db: Queryable, estateId: string, fileId: string, userId: string) {
  const { proxies } = schema;
  const [mine] = await db
    .select({ id: proxies.id })
    .from(proxies)
    .where(
      and(
        eq(proxies.fileId, fileId),
        eq(proxies.estateId, estateId),
        or(eq(proxies.grantorUserId, userId), eq(proxies.proxyUserId, userId)),
      ),
    );
  if (!mine) forbidden();
}
