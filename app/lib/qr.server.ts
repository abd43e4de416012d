import QRCode from "qrcode";

/**
 * A QR code as an inline SVG (black on white, one module of quiet zone each side, error
 * correction M: a printed letter that is folded or slightly smudged still scans). Made on the
 * server, so the page carries it whole and prints without scripts.
 */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
}
