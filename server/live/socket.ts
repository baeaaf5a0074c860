import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import {
  subscribeSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
} from "../../lib/contracts/live";
import { describeZodError } from "../../lib/contracts/common";
import type { Hub } from "./hub";

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * socket.io on the HTTP server, one room per stream. `subscribe {streams, since?, epoch?}` joins
 * the rooms, after sending the caller what it missed since `since` (or a resync order when that
 * is no longer buffered). The hub's batches go to the rooms.
 */
export function attachLive(httpServer: HttpServer, hub: Hub): LiveServer {
  const io: LiveServer = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // leave other upgrade requests (Next's dev HMR) to their own handler
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    perMessageDeflate: false,
  });

  hub.onBatch((batch) => {
    io.to(batch.stream).emit("batch", batch);
  });

  io.on("connection", (socket) => {
    socket.on("subscribe", (raw, ack) => {
      const reply = typeof ack === "function" ? ack : () => undefined;
      const parsed = subscribeSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: `invalid subscribe: ${describeZodError(parsed.error)}` } satisfies SubscribeAck);
        return;
      }
      const { streams, since, epoch } = parsed.data;
      for (const stream of streams) {
        const from = since?.[stream];
        if (from !== undefined) {
          const replay = hub.replay(stream, from, epoch);
          if (replay.kind === "replay") socket.emit("batch", replay.batch);
          else if (replay.kind === "resync") socket.emit("resync", { stream, reason: replay.reason });
        }
        // joining in the same tick as the replay: the next flush carries exactly what follows it
        socket.join(stream);
      }
      reply({ ok: true, epoch: hub.epoch, head: hub.heads() });
    });
  });

  return io;
}
