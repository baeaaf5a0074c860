import net from "node:net";

/**
 * A TCP proxy in front of Vigil whose connections the test can cut, to take a browser's socket
 * away for real while the server keeps running and publishing.
 */
export async function cuttableProxy(targetPort: number) {
  const open = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    open.add(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** drops every connection and refuses new ones until `restore` */
    cut() {
      refusing = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        refusing = true;
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
