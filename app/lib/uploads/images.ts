/*
 * Photos (ticket photos, and every JPEG or PNG the upload store takes): JPEG and PNG only,
 * recognised by their bytes (never by the name or the browser's claim), with everything but
 * the picture removed before they are stored — above all the EXIF block, whose GPS tags would
 * tell everyone where the person who took it lives.
 *
 * No image library re-encodes here; the files are filtered structurally instead, keeping only
 * what is needed to draw the picture (a whitelist, so an unknown block is dropped, not kept):
 *  - JPEG: the frame, tables and scans; APP0 (JFIF), APP2 ICC profile, APP14 (Adobe colour
 *    transform). Dropped: APP1 (EXIF, XMP), APP13 (Photoshop/IPTC), the other APPn, COM, and
 *    anything after EOI. The EXIF orientation is kept, alone, in a new minimal EXIF block, so a
 *    phone photo taken upright is not shown on its side.
 *  - PNG: critical chunks and the rendering ones (transparency, gamma, colour, ICC, physical
 *    size, background, animation). Dropped: tEXt, iTXt, zTXt, eXIf, tIME and anything unknown;
 *    CRCs are checked, anything after IEND is dropped.
 * A file that does not parse is refused rather than passed through.
 */

export type PhotoType = "image/jpeg" | "image/png";

export type StripResult =
  { ok: true; type: PhotoType; bytes: Uint8Array } | { ok: false; reason: "type" | "malformed" };

export function sniffPhoto(bytes: Uint8Array): PhotoType | null {
  const starts = (sig: readonly number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts(pngSignature)) return "image/png";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  return null;
}

export function stripMetadata(bytes: Uint8Array): StripResult {
  const type = sniffPhoto(bytes);
  if (!type) return { ok: false, reason: "type" };
  const out = type === "image/png" ? stripPng(bytes) : stripJpeg(bytes);
  return out ? { ok: true, type, bytes: out } : { ok: false, reason: "malformed" };
}

class Chunks {
  private parts: Uint8Array[] = [];
  private size = 0;
  push(part: Uint8Array) {
    this.parts.push(part);
    this.size += part.length;
  }
  join(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------- JPEG

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const startsWithAt = (bytes: Uint8Array, at: number, sig: readonly number[]) =>
  at + sig.length <= bytes.length && sig.every((b, i) => bytes[at + i] === b);

/** Markers with a length field that are kept: frames, tables, scans, restart interval. */
function keepJpegSegment(marker: number, bytes: Uint8Array, dataAt: number): boolean {
  if (marker >= 0xc0 && marker <= 0xcf) return true; // SOF0–SOF15, DHT (C4), JPG (C8), DAC (CC)
  if (marker === 0xdb || marker === 0xdd || marker === 0xdc) return true; // DQT, DRI, DNL
  if (marker === 0xe0) return startsWithAt(bytes, dataAt, ascii("JFIF\0")); // APP0 JFIF (not JFXX thumbnails)
  if (marker === 0xe2) return startsWithAt(bytes, dataAt, ascii("ICC_PROFILE\0"));
  if (marker === 0xee) return startsWithAt(bytes, dataAt, ascii("Adobe"));
  return false; // APP1 (EXIF/XMP), APP13 (IPTC), other APPn, COM, anything unknown
}

/** The orientation tag (1–8) of an EXIF APP1 block, or null. */
export function exifOrientation(bytes: Uint8Array, dataAt: number, dataEnd: number): number | null {
  if (!startsWithAt(bytes, dataAt, ascii("Exif\0\0"))) return null;
  const tiff = dataAt + 6;
  if (tiff + 8 > dataEnd) return null;
  const little = bytes[tiff] === 0x49 && bytes[tiff + 1] === 0x49;
  const big = bytes[tiff] === 0x4d && bytes[tiff + 1] === 0x4d;
  if (!little && !big) return null;
  const u16 = (at: number) => (little ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] << 8) | bytes[at + 1]);
  const u32 = (at: number) =>
    little
      ? (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 2 ** 24
      : bytes[at] * 2 ** 24 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
  if (u16(tiff + 2) !== 42) return null;
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > dataEnd) return null;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > dataEnd) return null;
    if (u16(e) === 0x0112 && u16(e + 2) === 3) {
      const value = u16(e + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

/** An APP1 segment holding nothing but the orientation (big-endian TIFF, one IFD entry). */
export function orientationSegment(orientation: number): Uint8Array {
  const tiff = [
    0x4d,
    0x4d,
    0x00,
    0x2a,
    0x00,
    0x00,
    0x00,
    0x08,
    0x00,
    0x01,
    0x01,
    0x12,
    0x00,
    0x03,
    0x00,
    0x00,
    0x00,
    0x01,
    0x00,
    orientation,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
    0x00,
  ];
  const data = [...ascii("Exif\0\0"), ...tiff];
  const length = data.length + 2;
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...data]);
}

function stripJpeg(bytes: Uint8Array): Uint8Array | null {
  // First walk the file, keeping the parts needed; then write SOI, JFIF, the orientation, the rest.
  const app0: Uint8Array[] = [];
  const rest: Uint8Array[] = [];
  let orientation: number | null = null;
  let sawFrame = false;
  let sawScan = false;
  let at = 2;
  for (;;) {
    if (at >= bytes.length || bytes[at] !== 0xff) return null; // truncated, or junk between segments
    // Fill bytes: any number of 0xFF before a marker.
    while (at < bytes.length && bytes[at] === 0xff) at++;
    if (at >= bytes.length) return null;
    const marker = bytes[at++];
    if (marker === 0xd9) break; // EOI: anything after it is dropped
    if (marker === 0x00 || marker === 0x01 || marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) return null; // not a segment here
    if (at + 2 > bytes.length) return null;
    const length = (bytes[at] << 8) | bytes[at + 1];
    if (length < 2 || at + length > bytes.length) return null;
    const dataAt = at + 2;
    const end = at + length;
    const segment = bytes.subarray(at - 2, end);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) sawFrame = true;
    if (marker === 0xe1 && orientation === null) orientation = exifOrientation(bytes, dataAt, end);
    if (marker === 0xda) {
      if (!sawFrame) return null;
      sawScan = true;
      // Entropy-coded data runs to the next marker that is not a stuffed 0x00 or a restart marker.
      let p = end;
      while (p < bytes.length) {
        if (bytes[p] === 0xff) {
          const next = bytes[p + 1];
          if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
            p += 2;
            continue;
          }
          if (next === 0xff) {
            p += 1;
            continue;
          }
          break;
        }
        p++;
      }
      if (p >= bytes.length) return null; // no EOI
      rest.push(bytes.subarray(at - 2, p));
      at = p;
      continue;
    }
    if (keepJpegSegment(marker, bytes, dataAt)) (marker === 0xe0 && !sawFrame ? app0 : rest).push(segment);
    at = end;
  }
  if (!sawFrame || !sawScan) return null;
  const out = new Chunks();
  out.push(Uint8Array.from([0xff, 0xd8]));
  for (const part of app0) out.push(part);
  if (orientation !== null && orientation !== 1) out.push(orientationSegment(orientation));
  for (const part of rest) out.push(part);
  out.push(Uint8Array.from([0xff, 0xd9]));
  return out.join();
}

// ---------------------------------------------------------------- PNG

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** Chunks needed to draw the picture faithfully; everything else is dropped. */
const keptPngChunks = new Set([
  "IHDR",
  "PLTE",
  "IDAT",
  "IEND",
  "tRNS",
  "gAMA",
  "cHRM",
  "sRGB",
  "iCCP",
  "sBIT",
  "pHYs",
  "bKGD",
  "hIST",
  "cICP",
  "mDCv",
  "cLLi",
  "acTL",
  "fcTL",
  "fdAT",
]);

let crcTable: Uint32Array | null = null;
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function stripPng(bytes: Uint8Array): Uint8Array | null {
  const out = new Chunks();
  out.push(bytes.subarray(0, 8));
  let at = 8;
  let first = true;
  let sawData = false;
  while (at + 12 <= bytes.length) {
    const length = bytes[at] * 2 ** 24 + ((bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]);
    const end = at + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) return null;
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) return null;
    const crc = bytes[end - 4] * 2 ** 24 + ((bytes[end - 3] << 16) | (bytes[end - 2] << 8) | bytes[end - 1]);
    if (crc32(bytes, at + 4, end - 4) !== crc) return null;
    if (first && type !== "IHDR") return null;
    first = false;
    if (type === "IDAT") sawData = true;
    if (keptPngChunks.has(type)) out.push(bytes.subarray(at, end));
    if (type === "IEND") return sawData ? out.join() : null; // anything after IEND is dropped
    at = end;
  }
  return null; // no IEND
}
