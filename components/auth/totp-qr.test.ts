import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { totpQrDataUrl } from "./totp-qr";

const uri = "otpauth://totp/Vigil:ada%40bank.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Vigil&digits=6&period=30";

describe("enrolment QR code", () => {
  it("is an SVG image in a data: URI, sized for exactly this URI's symbol plus a quiet zone", async () => {
    const url = await totpQrDataUrl(uri);
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    const svg = decodeURIComponent(url.slice(url.indexOf(",") + 1));
    const size = QRCode.create(uri, { errorCorrectionLevel: "M" }).modules.size + 4;
    expect(svg).toMatch(new RegExp(`^<svg [^>]*viewBox="0 0 ${size} ${size}"`));
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing to fetch
  });

  it("differs for a different secret", async () => {
    expect(await totpQrDataUrl(uri.replace("JBSW", "KRSX"))).not.toBe(await totpQrDataUrl(uri));
  });
});
