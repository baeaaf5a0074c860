// The scripts the browser loads only when they are needed, in one module that the root layout's
// providers import. Turbopack gives each `import()` a small loader module (the chunk names to
// fetch) and places it with the code that imports it; from the console page's own code the latency
// chart's loader (248 bytes) was a 7th script of the first load, queued behind the others for one
// of Chromium's 6 connections (in traced first loads under the live load, the last to arrive
// before hydration in 3 of 40, 420 and 857 ms after the one before it). Here both loaders ride in
// the layout's script.

/** socket.io-client (about 40 KB), opened once the page has hydrated (components/live/live-provider.tsx). */
export const loadSocketIo = () => import("socket.io-client");

/** A node's latency plot with recharts (about 110 KB gzipped), when a chart is first opened (components/network/latency-chart.tsx). */
export const loadLatencyPlot = () => import("@/components/network/latency-plot");
