import QRCode from "qrcode";

const MARGIN = 2;

/**
 * The otpauth:// URI as a QR code: an SVG in a data: URI, made locally (no service sees the
 * secret), black on white with a quiet zone so phone cameras read it on the dark page.
 */
export async function totpQrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: MARGIN, color: { dark: "#000000", light: "#ffffff" } });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
