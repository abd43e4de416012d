import { describe, expect, it } from "vitest";
import { containsText, exifSegment, gpsMarker, phoneJpeg, plainJpeg, pngWithText } from "../../../tests/ticket-photos";
import { crc32, exifOrientation, orientationSegment, sniffPhoto, stripMetadata } from "./images";

/** The JPEG markers of a file, in order, up to and including the first SOS. */
function headerMarkers(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let at = 2;
  while (at < bytes.length) {
    const marker = bytes[at + 1];
    out.push(marker);
    if (marker === 0xda) break;
    at += 2 + ((bytes[at + 2] << 8) | bytes[at + 3]);
  }
  return out;
}

/** The PNG chunk types of a file, in order. */
function pngChunks(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    out.push(String.fromCharCode(...bytes.subarray(at + 4, at + 8)));
    at += 12 + length;
  }
  return out;
}

describe("sniffPhoto", () => {
  it("knows JPEG and PNG by their bytes, and nothing else", () => {
    expect(sniffPhoto(plainJpeg)).toBe("image/jpeg");
    expect(sniffPhoto(pngWithText())).toBe("image/png");
    expect(sniffPhoto(new TextEncoder().encode("%PDF-1.7"))).toBeNull();
    expect(sniffPhoto(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffPhoto(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]))).toBeNull(); // WebP: not accepted
    expect(sniffPhoto(Uint8Array.from([0xff, 0xd8]))).toBeNull();
    expect(sniffPhoto(new Uint8Array())).toBeNull();
  });
});

describe("JPEG", () => {
  it("the sample really carries GPS, XMP, IPTC, a comment and a trailer", () => {
    const phone = phoneJpeg();
    expect(containsText(phone, gpsMarker)).toBe(true);
    expect(headerMarkers(phone)).toContain(0xe1);
  });

  it("drops EXIF (with its GPS), XMP, IPTC, comments and anything after EOI", () => {
    const result = stripMetadata(phoneJpeg(1));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.type).toBe("image/jpeg");
    expect(containsText(result.bytes, gpsMarker)).toBe(false);
    expect(containsText(result.bytes, "Exif")).toBe(false);
    expect(containsText(result.bytes, "Photoshop")).toBe(false);
    expect(containsText(result.bytes, "xmpmeta")).toBe(false);
    const markers = headerMarkers(result.bytes);
    expect(markers).not.toContain(0xe1);
    expect(markers).not.toContain(0xed);
    expect(markers).not.toContain(0xfe);
    // JFIF first, the ICC profile kept.
    expect(markers[0]).toBe(0xe0);
    expect(markers).toContain(0xe2);
    expect([...result.bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
  });

  it("keeps the picture itself byte for byte: stripping the clean original changes nothing", () => {
    const result = stripMetadata(plainJpeg);
    expect(result.ok && Buffer.from(result.bytes).equals(Buffer.from(plainJpeg))).toBe(true);
    // And a stripped phone photo (orientation 1: nothing to keep) is exactly the original.
    const phone = stripMetadata(phoneJpeg(1));
    expect(phone.ok && Buffer.from(phone.bytes).equals(Buffer.from(plainJpeg))).toBe(true);
  });

  it("keeps the orientation alone, in a minimal EXIF block after JFIF", () => {
    const result = stripMetadata(phoneJpeg(6));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(headerMarkers(result.bytes).slice(0, 2)).toEqual([0xe0, 0xe1]);
    const app1 = orientationSegment(6);
    expect(Buffer.from(result.bytes).includes(Buffer.from(app1))).toBe(true);
    expect(exifOrientation(app1, 4, app1.length)).toBe(6);
    expect(containsText(result.bytes, gpsMarker)).toBe(false);
    // Stripping again is a no-op.
    const again = stripMetadata(result.bytes);
    expect(again.ok && Buffer.from(again.bytes).equals(Buffer.from(result.bytes))).toBe(true);
  });

  it("reads the orientation from a little- or big-endian EXIF block", () => {
    const big = exifSegment(8);
    expect(exifOrientation(big, 4, big.length)).toBe(8);
    // The same block, little-endian: a hand-made IFD with the orientation only.
    const le = Uint8Array.from([
      ...Buffer.from("Exif\0\0", "latin1"),
      0x49,
      0x49,
      42,
      0,
      8,
      0,
      0,
      0,
      1,
      0,
      0x12,
      0x01,
      3,
      0,
      1,
      0,
      0,
      0,
      3,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(exifOrientation(le, 0, le.length)).toBe(3);
    expect(exifOrientation(Uint8Array.from(Buffer.from("Exif\0\0MM\0\x2a", "latin1")), 0, 10)).toBeNull();
  });

  it("refuses a file that does not parse: truncated, no scan, junk between segments", () => {
    expect(stripMetadata(plainJpeg.subarray(0, 200))).toEqual({ ok: false, reason: "malformed" });
    expect(stripMetadata(plainJpeg.subarray(0, plainJpeg.length - 2))).toEqual({ ok: false, reason: "malformed" });
    expect(stripMetadata(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]))).toEqual({ ok: false, reason: "malformed" });
    const junk = Uint8Array.from([...plainJpeg.subarray(0, 20), 0x00, 0x01, ...plainJpeg.subarray(20)]); // after APP0
    expect(stripMetadata(junk)).toEqual({ ok: false, reason: "malformed" });
    const badLength = Uint8Array.from(plainJpeg);
    badLength[4] = 0xff; // APP0 claims 65,000 bytes
    expect(stripMetadata(badLength)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuses what is not a photo", () => {
    expect(stripMetadata(new TextEncoder().encode("GIF89a"))).toEqual({ ok: false, reason: "type" });
  });
});

describe("PNG", () => {
  it("drops tEXt, iTXt, zTXt, eXIf, tIME and bytes after IEND; keeps the picture and its gamma", () => {
    const input = pngWithText();
    expect(containsText(input, gpsMarker)).toBe(true);
    const result = stripMetadata(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.type).toBe("image/png");
    expect(pngChunks(result.bytes)).toEqual(["IHDR", "gAMA", "IDAT", "IEND"]);
    expect(containsText(result.bytes, gpsMarker)).toBe(false);
  });

  it("checks every chunk's CRC and the order of IHDR and IEND", () => {
    const input = pngWithText(false);
    const corrupt = Uint8Array.from(input);
    corrupt[corrupt.length - 20] ^= 0xff; // inside IDAT
    expect(stripMetadata(corrupt)).toEqual({ ok: false, reason: "malformed" });
    expect(stripMetadata(input.subarray(0, input.length - 12))).toEqual({ ok: false, reason: "malformed" }); // no IEND
    expect(crc32(new TextEncoder().encode("IEND"))).toBe(0xae426082);
  });
});
