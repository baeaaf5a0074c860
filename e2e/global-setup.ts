// The specs run the production bundle: make sure it exists and matches the sources.
export default async function globalSetup() {
  // @ts-expect-error plain ESM helper shared with `npm start`
  const { ensureBuild } = await import("../scripts/ensure-build.mjs");
  ensureBuild();
}
