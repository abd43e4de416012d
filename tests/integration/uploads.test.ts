import { randomUUID } from "node:crypto";
import { readdirSync, utimesSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { getFileStore, stagedLifetimeMs, storeUpload, withUploads } from "~/lib/uploads/store.server";
import { savePhoto } from "~/tickets/photos.server";
import { action as rolesAction } from "~/routes/e.$estate.committee.roles";
import { call, makeEstate, statusOf, tempUploadDir } from "../fixtures";
import { plainJpeg, pngWithText } from "../ticket-photos";
import { committeeEstate } from "./committee-helpers";

const uploadDir = tempUploadDir();

/** Every file under the upload directory, temporary ones included. */
function filesOf(estateId: string): string[] {
  try {
    return readdirSync(path.join(uploadDir(), estateId));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

describe("uploads are in place only once their transaction committed", () => {
  it("a transaction that fails after storing a photo leaves no file, temporary or not", async () => {
    const estate = await makeEstate();
    // The photo's ticket does not exist: the insert after the bytes were stored breaks a foreign key.
    const failing = withUploads(() =>
      getDb().transaction((tx) =>
        savePhoto(tx, {
          estateId: estate.id,
          ticketId: randomUUID(),
          photo: { type: "image/jpeg", bytes: plainJpeg },
          now: new Date(),
        }),
      ),
    );
    await expect(failing).rejects.toThrow();
    expect(filesOf(estate.id)).toEqual([]);
    expect(await getDb().select().from(schema.ticketPhotos).where(eq(schema.ticketPhotos.estateId, estate.id))).toEqual(
      [],
    );
  });

  it("a committed transaction's file is readable under its key, with nothing temporary left", async () => {
    const estate = await makeEstate();
    const key = await withUploads(() => getDb().transaction(() => storeUpload(estate.id, plainJpeg)));
    expect(await getFileStore().get(key)).toEqual(plainJpeg);
    expect(filesOf(estate.id)).toEqual([key.split("/")[1]]);
  });

  it("a staged file is not readable before the work returns", async () => {
    const estate = await makeEstate();
    let seenInside: Uint8Array | null | undefined;
    await withUploads(async () => {
      const key = await storeUpload(estate.id, plainJpeg);
      seenInside = await getFileStore().get(key);
      return { ok: true } as const;
    });
    expect(seenInside).toBeNull();
  });

  it("a refused command keeps no file: a second role declaration with proof is refused and its proof is gone", async () => {
    const c = await committeeEstate();
    const url = `/e/${c.estate.slug}/committee/roles`;
    const params = { estate: c.estate.slug };
    const png = pngWithText(false);
    const declaration = () => {
      const form = new FormData();
      form.set("intent", "declare");
      form.set("role", "cppcc");
      form.set("title", "苏州市政协委员");
      form.set("proofNote", "委员证 2024-118");
      form.set("proof", new File([png], "证件.png", { type: "image/png" }));
      return form;
    };
    expect(statusOf(await call(rolesAction, { url, params, user: c.owner, form: declaration() }))).toBe(302);
    const kept = filesOf(c.estate.id);
    expect(kept).toHaveLength(1);
    expect(statusOf(await call(rolesAction, { url, params, user: c.owner, form: declaration() }))).toBe(409);
    expect(filesOf(c.estate.id)).toEqual(kept);
  });

  it("refuses to store a file outside withUploads", async () => {
    const estate = await makeEstate();
    await expect(storeUpload(estate.id, plainJpeg)).rejects.toThrow(/withUploads/);
    expect(filesOf(estate.id)).toEqual([]);
  });
});

describe("staged bytes a dead process left behind", () => {
  it("are swept once older than any transaction; fresh staged and published files stay", async () => {
    const estate = await makeEstate();
    const store = getFileStore();
    const published = `${estate.id}/${randomUUID()}`;
    const kept = await store.stage(published, new Uint8Array([1]));
    await kept.publish();
    // Staged and never published or discarded, as when the process died after its commit.
    await store.stage(`${estate.id}/${randomUUID()}`, new Uint8Array([2]));
    await store.stage(`${estate.id}/${randomUUID()}`, new Uint8Array([3]));
    const pending = filesOf(estate.id).filter((f) => f.endsWith(".pending"));
    expect(pending).toHaveLength(2);
    const old = new Date(Date.now() - stagedLifetimeMs - 60_000);
    utimesSync(path.join(uploadDir(), estate.id, pending[0]), old, old);

    expect(await store.sweepStaged(new Date(Date.now() - stagedLifetimeMs))).toBe(1);
    expect(filesOf(estate.id).sort()).toEqual([pending[1], published.split("/")[1]].sort());
    expect(await store.get(published)).toEqual(new Uint8Array([1]));
  });
});
