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
};

export default nextConfig;
