import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { qrSvg } from "./qr.server";

/**
 * The dark modules an SVG from `qrSvg` draws: its path is rows of horizontal strokes
 * (`M x y.5 h n m dx 0 h n …`), read back into a matrix the size of its viewBox.
 */
function modulesOfSvg(svg: string): { size: number; dark: boolean[][] } {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)?.[1] ?? "";
  const dark = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of d.matchAll(/([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?/g)) {
    if (op === "M") [x, y] = [Number(a), Number(b)];
    else if (op === "m") [x, y] = [x + Number(a), y + Number(b)];
    else {
      const n = Number(a);
      for (let i = 0; i < n; i++) dark[Math.floor(y)][x + i] = true;
      x += n;
    }
  }
  return { size, dark };
}

describe("qrSvg", () => {
  const url = "https://yst.example.cn/claim?code=ABCDE-FGHJK";

  it("draws exactly the modules of a QR code holding the URL (level M, quiet zone of one)", async () => {
    const svg = await qrSvg(url);
    const qr = QRCode.create(url, { errorCorrectionLevel: "M" });
    // What the symbol holds: the URL, whole (bytes for the site, alphanumerics for the code).
    const held = qr.segments
      .map((s) => {
        const data = (s as unknown as { data: Uint8Array | string }).data;
        return typeof data === "string" ? data : Buffer.from(data).toString("utf8");
      })
      .join("");
    expect(held).toBe(url);
    expect(qr.errorCorrectionLevel).toBe(QRCode.create(url, { errorCorrectionLevel: "M" }).errorCorrectionLevel);

    const n = qr.modules.size;
    const { size, dark } = modulesOfSvg(svg);
    expect(size).toBe(n + 2);
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const inside = row >= 1 && col >= 1 && row <= n && col <= n;
        const expected = inside ? qr.modules.get(row - 1, col - 1) === 1 : false;
        expect(dark[row][col], `module ${row},${col}`).toBe(expected);
      }
    }
  });

  it("differs for another code (the symbol carries the code, not only the site)", async () => {
    const other = modulesOfSvg(await qrSvg(url.replace("FGHJK", "FGHJM")));
    const mine = modulesOfSvg(await qrSvg(url));
    expect(other.dark).not.toEqual(mine.dark);
  });
});
