// Real local webhook receivers for the notification tests, on 127.0.0.1 and an ephemeral port.
// Test support only: nothing in the product imports this file.
import http from "node:http";
import { listen } from "../../network/checks/test-servers";

export interface Received {
  headers: http.IncomingHttpHeaders;
  /** the exact body bytes, as UTF-8 */
  body: string;
}

/** What the receiver does with its n-th request (1-based): answer a status, or never answer. */
export type Answer = (n: number, request: Received) => number | "hang";

export async function receiver(answer: Answer = () => 200) {
  const got: Received[] = [];
  let waiters: { n: number; wake: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      got.push(r);
      const what = answer(got.length, r);
      if (what !== "hang") res.writeHead(what, { "content-type": "text/plain" }).end("ok");
      waiters = waiters.filter((w) => (got.length >= w.n ? (w.wake(), false) : true));
    });
  });
  const { port, close } = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    /** parsed JSON bodies so far */
    bodies: () => got.map((r) => JSON.parse(r.body) as Record<string, unknown>),
    /** resolves once `n` requests have arrived (real I/O, no timer) */
    received: (n: number) => (got.length >= n ? Promise.resolve() : new Promise<void>((wake) => waiters.push({ n, wake }))),
    close,
  };
}
export type Receiver = Awaited<ReturnType<typeof receiver>>;
