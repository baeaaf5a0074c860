import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { EARLY_CLICKS_SCRIPT } from "@/components/ui/early-clicks";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Vigil",
  description: "Network health and security events for payment infrastructure",
};

export const viewport: Viewport = { themeColor: "#020617", width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // the response's CSP nonce (server/http-security.ts), without which no inline script runs
  const nonce = /'nonce-([^']+)'/.exec((await headers()).get("content-security-policy") ?? "")?.[1];
  return (
    <html lang="en" className="dark">
      <head>
        {/* first, so a click made while the page's JavaScript loads is held, then replayed (components/ui/early-clicks.ts) */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: EARLY_CLICKS_SCRIPT }} />
      </head>
      <body className="antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
