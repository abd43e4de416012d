import { deflateSync } from "node:zlib";
import { crc32 } from "../app/lib/uploads/images";

/**
 * Sample photos for the ticket tests: a real 24×16 JPEG (drawn by Chromium), and builders that
 * add what a phone adds — an EXIF block with GPS coordinates and an orientation, an IPTC block,
 * a comment, bytes after the end — and a PNG with text and EXIF chunks.
 */
export const plainJpeg = Uint8Array.from(
  Buffer.from(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABgDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABAAG/8QAHRAAAQQCAwAAAAAAAAAAAAAAEQABAgMTQRRjov/EABYBAQEBAAAAAAAAAAAAAAAAAAYEBf/EACcRAAADBQcFAAAAAAAAAAAAABEhMQABExQyAgMEBRIVUVJhYnGB/9oADAMBAAIRAxEAPwDL0wyWNAg7SeF2eUameOxpgjSTzev0p8t26E+bqHyQHcfWS55vcxZ22gDoUX9RoHZjXQx2PAkbUq6eSx5gHSllX+iLahUi8PQkyHBxZe7mKwdqRQNCXgm//9k=",
    "base64",
  ),
);

/** Where the sample photo "was taken": the marker the stripped file must not contain. */
export const gpsMarker = "GPSPHONE-31.2989N-120.5853E";

const be16 = (n: number) => [n >> 8, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** An EXIF APP1 segment (big-endian TIFF): IFD0 with Make, Orientation and a GPS IFD with latitude and longitude. */
export function exifSegment(orientation = 6): Uint8Array {
  const make = [...ascii(gpsMarker), 0];
  // Layout after the TIFF header (offsets from its start): IFD0 at 8 (3 entries), GPS IFD after it, then data.
  const ifd0At = 8;
  const ifd0Size = 2 + 3 * 12 + 4;
  const gpsAt = ifd0At + ifd0Size;
  const gpsSize = 2 + 4 * 12 + 4;
  const makeAt = gpsAt + gpsSize;
  const latAt = makeAt + make.length;
  const lonAt = latAt + 24;
  const rational = (deg: number, min: number, sec100: number) => [
    ...be32(deg),
    ...be32(1),
    ...be32(min),
    ...be32(1),
    ...be32(sec100),
    ...be32(100),
  ];
  const tiff = [
    ...ascii("MM"),
    ...be16(42),
    ...be32(ifd0At),
    ...be16(3),
    ...be16(0x010f),
    ...be16(2),
    ...be32(make.length),
    ...be32(makeAt), // Make (ASCII) → the marker
    ...be16(0x0112),
    ...be16(3),
    ...be32(1),
    ...be16(orientation),
    0,
    0, // Orientation
    ...be16(0x8825),
    ...be16(4),
    ...be32(1),
    ...be32(gpsAt), // GPSInfo IFD pointer
    ...be32(0),
    ...be16(4),
    ...be16(0x0001),
    ...be16(2),
    ...be32(2),
    ...ascii("N"),
    0,
    0,
    0, // GPSLatitudeRef
    ...be16(0x0002),
    ...be16(5),
    ...be32(3),
    ...be32(latAt), // GPSLatitude
    ...be16(0x0003),
    ...be16(2),
    ...be32(2),
    ...ascii("E"),
    0,
    0,
    0, // GPSLongitudeRef
    ...be16(0x0004),
    ...be16(5),
    ...be32(3),
    ...be32(lonAt), // GPSLongitude
    ...be32(0),
    ...make,
    ...rational(31, 17, 5604),
    ...rational(120, 35, 719),
  ];
  const data = [...ascii("Exif"), 0, 0, ...tiff];
  return Uint8Array.from([0xff, 0xe1, ...be16(data.length + 2), ...data]);
}

function segment(marker: number, payload: number[]): number[] {
  return [0xff, marker, ...be16(payload.length + 2), ...payload];
}

/** The sample JPEG as a phone would send it: EXIF with GPS, XMP, IPTC, a comment, and junk after EOI. */
export function phoneJpeg(orientation = 6): Uint8Array<ArrayBuffer> {
  const xmp = segment(0xe1, [
    ...ascii("http://ns.adobe.com/xap/1.0/"),
    0,
    ...ascii(`<x:xmpmeta><exif:GPSLatitude>${gpsMarker}</exif:GPSLatitude></x:xmpmeta>`),
  ]);
  const iptc = segment(0xed, [
    ...ascii("Photoshop 3.0"),
    0,
    ...ascii("8BIM"),
    0x04,
    0x04,
    0,
    0,
    0,
    0,
    0,
    12,
    0x1c,
    0x02,
    0x5a,
    0,
    7,
    ...ascii("Suzhou!"),
  ]);
  const comment = segment(0xfe, ascii(`taken at ${gpsMarker}`));
  const trailer = ascii(`PK-appended-${gpsMarker}`);
  return Uint8Array.from([
    0xff,
    0xd8,
    ...exifSegment(orientation),
    ...xmp,
    ...plainJpeg.subarray(2, plainJpeg.length - 2),
    ...iptc,
    ...comment,
    0xff,
    0xd9,
    ...trailer,
  ]);
}

function pngChunk(type: string, data: Uint8Array | number[]): number[] {
  const body = Uint8Array.from([...ascii(type), ...data]);
  return [...be32(body.length - 4), ...body, ...be32(crc32(body))];
}

/** A 2×2 RGB PNG with tEXt, iTXt, zTXt, eXIf and tIME chunks (and optionally bytes after IEND). */
export function pngWithText(trailer = true): Uint8Array<ArrayBuffer> {
  const ihdr = [...be32(2), ...be32(2), 8, 2, 0, 0, 0];
  const raw = Uint8Array.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const out = [
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...pngChunk("IHDR", ihdr),
    ...pngChunk("tEXt", [...ascii("Comment"), 0, ...ascii(gpsMarker)]),
    ...pngChunk("iTXt", [...ascii("XML:com.adobe.xmp"), 0, 0, 0, 0, 0, ...ascii(gpsMarker)]),
    ...pngChunk("zTXt", [...ascii("Location"), 0, 0, ...deflateSync(Buffer.from(gpsMarker))]),
    ...pngChunk("eXIf", Array.from(exifSegment().subarray(10))),
    ...pngChunk("tIME", [0x07, 0xea, 11, 26, 10, 0, 0]),
    ...pngChunk("gAMA", be32(45455)),
    ...pngChunk("IDAT", Array.from(deflateSync(Buffer.from(raw)))),
    ...pngChunk("IEND", []),
    ...(trailer ? ascii(gpsMarker) : []),
  ];
  return Uint8Array.from(out);
}

/** Whether the bytes contain the text anywhere (to prove the GPS marker is gone). */
export function containsText(bytes: Uint8Array, text: string): boolean {
  return Buffer.from(bytes).includes(Buffer.from(text));
}
