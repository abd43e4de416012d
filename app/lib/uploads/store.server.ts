import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { stripMetadata } from "./images";

/**
 * Where uploaded bytes live: a directory on disk here; object storage would implement the same
 * calls (a pending prefix, then a move). Bytes are staged first and put in place only once the
 * rows that name them have committed: see withUploads.
 */
export interface FileStore {
  /** Writes the bytes under a temporary name; nothing reads them under `key` until published. */
  stage(key: string, bytes: Uint8Array): Promise<StagedFile>;
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /**
   * Deletes staged bytes older than `before`: a process that died between its commit and the
   * move (or before it could discard) leaves them. Returns how many went.
   */
  sweepStaged(before: Date): Promise<number>;
}

export interface StagedFile {
  publish(): Promise<void>;
  discard(): Promise<void>;
}

/** Files under a directory (default ./.data/uploads); keys are generated, never taken from users. */
export function diskStore(root: string = process.env.UPLOAD_DIR ?? path.resolve(".data/uploads")): FileStore {
  const full = (key: string) => {
    if (!/^[0-9a-f-]+\/[0-9a-f-]+$/.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(root, key);
  };
  return {
    async stage(key, bytes) {
      const target = full(key);
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomUUID()}.pending`;
      try {
        await writeFile(tmp, bytes, { flag: "wx" });
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      return { publish: () => rename(tmp, target), discard: () => rm(tmp, { force: true }) };
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(full(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async sweepStaged(before) {
      const entries = await readdir(root, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      });
      let swept = 0;
      for (const entry of entries.filter((e) => e.endsWith(".pending"))) {
        const file = path.join(root, entry);
        const info = await stat(file).catch(() => null);
        if (info && info.mtime < before) {
          await rm(file, { force: true });
          swept++;
        }
      }
      return swept;
    },
  };
}

/** No transaction runs this long, so staged bytes older than this belong to nothing. */
export const stagedLifetimeMs = 60 * 60_000;

/** Sweeps stale staged uploads now and every hour, in the server process. */
export function startStagedSweep(onError: (error: unknown) => void = (error) => console.error("[uploads]", error)): {
  stop(): void;
} {
  const sweep = () =>
    void getFileStore()
      .sweepStaged(new Date(Date.now() - stagedLifetimeMs))
      .catch(onError);
  const timer = setInterval(sweep, stagedLifetimeMs);
  timer.unref();
  sweep();
  return { stop: () => clearInterval(timer) };
}

const storeKey = Symbol.for("yishitang.voting.fileStore");
type Holder = { [storeKey]?: FileStore };

export function getFileStore(): FileStore {
  const holder = globalThis as Holder;
  holder[storeKey] ??= diskStore();
  return holder[storeKey]!;
}

export function setFileStore(store: FileStore | undefined) {
  (globalThis as Holder)[storeKey] = store;
}

const staging = new AsyncLocalStorage<StagedFile[]>();

/**
 * Runs `work` (a transaction, or a command that opens one) so that the files it stores appear
 * only if it succeeds: storeUpload stages the bytes under temporary names; once `work` has
 * returned (its transaction committed) they are moved into place; if it throws (rolled back)
 * or returns a refusal (`{ ok: false }`, nothing meant to be kept) they are deleted. Without
 * this a failed transaction left files no row names. Every upload goes through here.
 */
export async function withUploads<T>(work: () => Promise<T>): Promise<T> {
  const staged: StagedFile[] = [];
  const discard = () => Promise.allSettled(staged.map((f) => f.discard()));
  let result: T;
  try {
    result = await staging.run(staged, work);
  } catch (error) {
    await discard();
    throw error;
  }
  const refused = typeof result === "object" && result !== null && (result as { ok?: unknown }).ok === false;
  if (refused) await discard();
  else await Promise.all(staged.map((f) => f.publish()));
  return result;
}

/** Stages bytes under a new key of the estate and returns the key; only inside withUploads. */
export async function storeUpload(estateId: string, bytes: Uint8Array): Promise<string> {
  const staged = staging.getStore();
  if (!staged) throw new Error("storeUpload outside withUploads: a failed transaction would leave the file behind");
  const key = `${estateId}/${randomUUID()}`;
  staged.push(await getFileStore().stage(key, bytes));
  return key;
}

/** The largest file any form takes (a proposal attachment, a proxy form, a paper ballot scan, a proof). */
export const maxUploadBytes = 10 * 1024 * 1024;

/**
 * The type is read from the bytes, never from the name or the browser's claim. A JPEG or PNG
 * must also parse as one to its end (stripMetadata's check, as for ticket photos): a JPEG's first bytes
 * followed by an HTML page is not an image.
 */
export function sniffType(bytes: Uint8Array): "application/pdf" | "image/png" | "image/jpeg" | "image/webp" | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf"; // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return stripMetadata(bytes).ok ? "image/png" : null;
  if (starts([0xff, 0xd8, 0xff])) return stripMetadata(bytes).ok ? "image/jpeg" : null;
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "image/webp"; // RIFF….WEBP
  return null;
}

export type UploadProblem = "common.uploads.missing" | "common.uploads.tooBig" | "common.uploads.type";

/** Checks an uploaded File: present, within the size limit, a PDF or an image. */
export async function readUpload(
  file: FormDataEntryValue | null | undefined,
): Promise<{ ok: true; name: string; bytes: Uint8Array; type: string } | { ok: false; error: UploadProblem }> {
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, error: "common.uploads.missing" };
  if (file.size > maxUploadBytes) return { ok: false, error: "common.uploads.tooBig" };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffType(bytes);
  if (!type) return { ok: false, error: "common.uploads.type" };
  const name = [...(file.name || "file")]
    .map((c) => (c === "/" || c === "\\" || c.charCodeAt(0) < 32 ? "_" : c))
    .join("")
    .slice(-120);
  return { ok: true, name, bytes, type };
}
