import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";
import { Transform, type Readable } from "node:stream";
import { createRemixHeaders } from "@remix-run/express/dist/server.js";
import { maxPhotoBytes as maxMemberPhotoBytes } from "~/committee/composition.server";
import { common } from "~/i18n/common.messages";
import { getLocale } from "~/i18n/i18n.server";
import { maxUploadBytes } from "~/lib/uploads/store.server";
import { rosterLimits } from "~/roster/roster-fields";
import { maxPhotoBytes as maxTicketPhotoBytes, maxPhotos } from "~/tickets/photo-limits";

/**
 * Where request bodies enter: every body is counted as it streams in (chunked the same as
 * Content-Length) and refused with 413 once it passes its limit, before any of it is parsed.
 * Ordinary forms (urlencoded, or multipart to a page that takes no file) are small: they are
 * read whole, up to `formBytes`, and checked for NUL bytes. Multipart posts to the forms that
 * take files stream through with the form's upload limit (the parsing helper, readUploadForm,
 * also limits each part). Any other kind of body (JSON, text) is refused with 415, except on
 * /webhooks/, whose handlers verify their own payloads. The URL is checked first: a path with
 * dot segments (raw or percent-encoded) or a NUL anywhere is refused with 400.
 */

/** An ordinary form: a few fields of text. */
export const formBytes = 64 * 1024;
/** A webhook's JSON payload (Stripe's events are a few kilobytes). */
export const webhookBytes = 1024 * 1024;
/** Room for an upload form's other fields and the multipart framing. */
const framing = 64 * 1024;

const page = String.raw`(?:\.data)?$`;
const estate = String.raw`^/e/[^/]+`;
/** The forms that take files, with the whole-request limit of each (its files and fields). */
export const uploadForms: { path: RegExp; bytes: number }[] = [
  { path: new RegExp(`${estate}/tickets/new${page}`), bytes: maxPhotos * maxTicketPhotoBytes + 256 * 1024 },
  { path: new RegExp(`${estate}/proposals/[^/]+${page}`), bytes: maxUploadBytes + framing },
  { path: new RegExp(`${estate}/proposals/[^/]+/(?:proxies|paper)${page}`), bytes: maxUploadBytes + framing },
  { path: new RegExp(`${estate}/committee/elections/[^/]+/(?:proxies|paper)${page}`), bytes: maxUploadBytes + framing },
  { path: new RegExp(`${estate}/committee/roles${page}`), bytes: maxUploadBytes + framing },
  { path: new RegExp(`${estate}/committee${page}`), bytes: maxMemberPhotoBytes + framing },
  { path: new RegExp(`${estate}/roster/import${page}`), bytes: rosterLimits.maxBytes + framing },
];

type Limit = { bytes: number; stream: boolean } | null;

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(header: string | undefined) {
  return (header ?? "").split(";")[0].trim().toLowerCase();
}

/** How much of which body a path takes; null for a kind of body it does not take. */
export function bodyLimit(path: string, contentType: string | undefined): Limit {
  const type = mediaType(contentType);
  if (path.startsWith("/webhooks/")) return { bytes: webhookBytes, stream: false };
  if (type === "application/x-www-form-urlencoded") return { bytes: formBytes, stream: false };
  if (type === "multipart/form-data") {
    const upload = uploadForms.find((f) => f.path.test(path));
    return upload ? { bytes: upload.bytes, stream: true } : { bytes: formBytes, stream: false };
  }
  return null;
}

/**
 * Whether a raw path (as sent, before any decoding) has a `.` or `..` segment, written plainly
 * or percent-encoded (`%2e%2e`), or a backslash, which some clients read as a slash.
 */
export function hasDotSegment(rawPath: string) {
  if (rawPath.includes("\\") || /%5c/i.test(rawPath)) return true;
  return rawPath.split(/\/|%2f/i).some((segment) => {
    const plain = segment.replace(/%2e/gi, ".");
    return plain === "." || plain === "..";
  });
}

/** A NUL byte in a URL, raw or percent-encoded. */
export function urlHasNul(url: string) {
  return url.includes("\0") || /%00/i.test(url);
}

/** A NUL in a small body: a raw zero byte, or `%00` in a urlencoded one. */
function bodyHasNul(body: Buffer, urlencoded: boolean) {
  return body.includes(0) || (urlencoded && /%00/i.test(body.toString("latin1")));
}

type Refusal = "tooLarge" | "badRequest" | "unsupportedType";
const statusOf: Record<Refusal, number> = { tooLarge: 413, badRequest: 400, unsupportedType: 415 };

/** The locale the 503 page would use: the lang cookie, else Accept-Language. */
async function localeOf(req: ExpressRequest) {
  const probe = new Request("http://localhost/", { headers: createRemixHeaders(req.headers) });
  return getLocale(probe).catch(() => "zh-CN" as const);
}

/**
 * Answers a refusal in the reader's language and stops reading the body: the connection is
 * closed once the answer is out, so the rest of an oversized body is never taken in.
 */
function refuse(req: ExpressRequest, res: ExpressResponse, reason: Refusal) {
  res.locals.bodyRefused = true;
  req.unpipe();
  req.pause();
  void localeOf(req).then((locale) => {
    if (res.headersSent) return;
    res.status(statusOf[reason]);
    res.set({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", Connection: "close" });
    res.end(common[locale].errors[reason]);
  });
}

const takesBody = (req: ExpressRequest) =>
  req.method !== "GET" &&
  req.method !== "HEAD" &&
  (req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0);

/** Counts an upload's bytes as they stream to the parser; past the limit the request is refused. */
function counted(req: ExpressRequest, res: ExpressResponse, limit: number): Readable {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        refuse(req, res, "tooLarge");
        callback(new Error("request body over its limit"));
        return;
      }
      callback(null, chunk);
    },
  });
  req.on("error", (error) => counter.destroy(error));
  // A route that answers without reading the whole body (a part over its limit): once it has
  // answered, the rest is read and dropped, as Node does for an unread body, so the client can
  // finish sending and read the answer (a refused body's connection is closed instead).
  const drain = () => {
    req.unpipe(counter);
    counter.destroy();
    if (!res.locals.bodyRefused) req.resume();
  };
  res.locals.drain = drain;
  res.on("finish", drain);
  return req.pipe(counter);
}

export const bodyGuard = (): RequestHandler => (req, res, next) => {
  const url = req.originalUrl;
  const query = url.indexOf("?");
  const rawPath = query < 0 ? url : url.slice(0, query);
  if (hasDotSegment(rawPath) || urlHasNul(url)) return refuse(req, res, "badRequest");
  if (!takesBody(req)) return next();
  const limit = bodyLimit(req.path, req.get("content-type"));
  if (!limit) return refuse(req, res, "unsupportedType");
  const length = req.get("content-length");
  if (length !== undefined && Number(length) > limit.bytes) return refuse(req, res, "tooLarge");
  if (limit.stream) {
    res.locals.body = counted(req, res, limit.bytes);
    return next();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit.bytes) {
      done = true;
      req.off("data", onData);
      refuse(req, res, "tooLarge");
      return;
    }
    chunks.push(chunk);
  };
  req.on("data", onData);
  req.on("error", (error) => {
    if (!done) next(error);
    done = true;
  });
  req.on("end", () => {
    if (done) return;
    done = true;
    const body = Buffer.concat(chunks);
    const urlencoded = mediaType(req.get("content-type")) === "application/x-www-form-urlencoded";
    if (!req.path.startsWith("/webhooks/") && bodyHasNul(body, urlencoded)) return refuse(req, res, "badRequest");
    res.locals.body = body;
    next();
  });
};
