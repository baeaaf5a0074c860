import net from "node:net";

/** A probed target: a TCP port on loopback that accepts and closes. Stop it, start it again on its port. */
export class TcpTarget {
  private server: net.Server | null = null;
  port = 0;

  async start(at = this.port): Promise<number> {
    const server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(at, "127.0.0.1", resolve));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
