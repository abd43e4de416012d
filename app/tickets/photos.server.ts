import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import { type PhotoType, stripMetadata } from "~/lib/uploads/images";
import { getFileStore, storeUpload } from "~/lib/uploads/store.server";
import { maxPhotoBytes, maxPhotos } from "./photo-limits";
import type { UploadLimits } from "~/lib/forms/action.server";

const { ticketPhotos } = schema;

export type PhotoError =
  | "tickets.errors.photoType"
  | "tickets.errors.photoTooBig"
  | "tickets.errors.photoMalformed"
  | "tickets.errors.tooManyPhotos";

/** A ticket form post: up to six photos of up to 8 MB each, held in memory (see parseForm). */
export const ticketUploadLimits: UploadLimits = {
  maxPartBytes: maxPhotoBytes,
  maxRequestBytes: maxPhotos * maxPhotoBytes + 256 * 1024,
  tooLarge: "tickets.errors.tooLarge",
  partTooLarge: "tickets.errors.photoTooBig",
};

export interface CleanPhoto {
  type: PhotoType;
  bytes: Uint8Array;
}

/** The form's photos, each checked (a JPEG or PNG by its bytes, within the size) and stripped of metadata. */
export async function cleanPhotos(
  entries: FormDataEntryValue[],
): Promise<{ ok: true; photos: CleanPhoto[] } | { ok: false; error: PhotoError }> {
  // A file input with nothing chosen sends one empty part.
  const files = entries.filter((e): e is File => typeof e !== "string" && e.size > 0);
  if (entries.some((e) => typeof e === "string" && e !== "")) return { ok: false, error: "tickets.errors.photoType" };
  if (files.length > maxPhotos) return { ok: false, error: "tickets.errors.tooManyPhotos" };
  const photos: CleanPhoto[] = [];
  for (const file of files) {
    if (file.size > maxPhotoBytes) return { ok: false, error: "tickets.errors.photoTooBig" };
    const stripped = stripMetadata(new Uint8Array(await file.arrayBuffer()));
    if (!stripped.ok)
      return {
        ok: false,
        error: stripped.reason === "type" ? "tickets.errors.photoType" : "tickets.errors.photoMalformed",
      };
    photos.push({ type: stripped.type, bytes: stripped.bytes });
  }
  return { ok: true, photos };
}

/** Stages the bytes and records the photo in the caller's transaction (inside withUploads). */
export async function savePhoto(
  tx: Queryable,
  input: { estateId: string; ticketId: string; photo: CleanPhoto; now: Date },
) {
  const storageKey = await storeUpload(input.estateId, input.photo.bytes);
  await tx.insert(ticketPhotos).values({
    estateId: input.estateId,
    ticketId: input.ticketId,
    storageKey,
    contentType: input.photo.type,
    sizeBytes: input.photo.bytes.byteLength,
    sha256: createHash("sha256").update(input.photo.bytes).digest("hex"),
    createdAt: input.now,
  });
}

/** A photo of one estate's ticket, with its bytes (the caller has checked the viewer may see the ticket whole). */
export async function photoBytes(db: Queryable, estateId: string, ticketId: string, photoId: string) {
  const [row] = await db
    .select()
    .from(ticketPhotos)
    .where(and(eq(ticketPhotos.id, photoId), eq(ticketPhotos.estateId, estateId), eq(ticketPhotos.ticketId, ticketId)));
  if (!row) return null;
  const bytes = await getFileStore().get(row.storageKey);
  return bytes ? { row, bytes } : null;
}
