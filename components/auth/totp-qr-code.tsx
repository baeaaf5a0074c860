"use client";

import { useEffect, useState } from "react";
import { totpQrDataUrl } from "./totp-qr";

/** The otpauth:// URI as a QR code for an authenticator app to scan, drawn in the browser (see totpQrDataUrl). */
export function TotpQrCode({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    totpQrDataUrl(uri)
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [uri]);

  if (!src) return <div aria-hidden className="h-44 w-44 shrink-0 rounded bg-slate-800" />;
  // a data: URI made on this page: nothing for next/image to fetch or optimise
  return <img src={src} alt="QR code for your authenticator app" width={176} height={176} className="h-44 w-44 shrink-0 rounded bg-white p-1" />;
}
