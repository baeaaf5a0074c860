// Plain JavaScript on purpose: a next.config.ts makes Next load its native SWC compiler (24 MB
// resident) at every start of the production server, only to transpile this file.
/** @type {import("next").NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon: never bundle it.
  serverExternalPackages: ["better-sqlite3"],
  poweredByHeader: false,
  // the custom server compresses (brotli or gzip, server/ops/compress.ts); Next's is gzip only
  compress: false,
  reactStrictMode: true,
  // The custom server in server/ owns the process; Next only renders and routes.
  typescript: { ignoreBuildErrors: false },
  experimental: {
    // Fewer, larger chunks for the console. Under a live ingest load the server's event loop
    // answers each asset request in its own turn behind ingest work, so the console's 13 script
    // and style requests (over Chromium's 6 connections) waited 300–600 ms for bytes served
    // from memory. bench/console-scale.ts measures the first load with and without the load.
    turbopackChunking: { minChunkSize: 200_000, maxChunkCountPerGroup: 4, requestCost: 1_000_000 },
  },
};

export default nextConfig;
