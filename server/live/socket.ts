import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import {
  subscribeSchema,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
} from "../../lib/contracts/live";
import { describeZodError } from "../../lib/contracts/common";
import { can, type Identity } from "../auth/actor";
import type { IdentityResult } from "../auth/identity";
import { STREAM_PERMISSION } from "../auth/permissions";
import { listedBatch, type Hub } from "./hub";
import { buildHostPolicy, hostAllowed, originAllowed, type HostPolicyHolder } from "../origin";

interface SocketData {
  identity: Identity;
  token?: string;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface LiveOptions {
  /** proves who is connecting: the handshake's cookies, or `auth: {token}` for API keys */
  authenticate(request: IncomingMessage, token: string | undefined): Promise<IdentityResult>;
  /** how often open connections are checked again (sign-out, expiry, revocation, role change) */
  revalidateMs?: number;
  now?: () => number;
  /** Vigil's own names and origins (server/origin.ts): a handshake naming another is refused */
  hosts?: HostPolicyHolder;
  /** permessage-deflate for messages of 1 KB or more (VIGIL_LIVE_COMPRESSION) */
  compression?: boolean;
}

/**
 * WebSocket compression when asked for: level 1 and no shared window between messages on the
 * server side, so each connection holds no 256 KB deflate state between batches. A 5,000 events/s
 * security stream is about 1.5 MB/s per connection as JSON and 15-19 times smaller deflated; the
 * price is CPU per connection (deflate runs once per receiving socket, not once per broadcast).
 */
export const LIVE_DEFLATE = { threshold: 1024, serverNoContextTakeover: true, zlibDeflateOptions: { level: 1 } } as const;



/** Whether a connection re-checked still acts with the role and permissions it was admitted with. */
function sameAccess(before: Identity, after: Identity): boolean {
  return before.role === after.role && before.permissions.size === after.permissions.size && [...before.permissions].every((p) => after.permissions.has(p));
}

async function admit(options: LiveOptions, request: IncomingMessage, token: string | undefined): Promise<{ ok: true; identity: Identity } | { ok: false; message: string }> {
  const result = await options.authenticate(request, token);
  if (!result.ok) return { ok: false, message: result.message };
  if (result.identity.mfaPending) return { ok: false, message: "set up two-factor authentication first" };
  if (!can(result.identity, "read")) return { ok: false, message: "this credential may not read live streams (the read scope is needed)" };
  return result;
}

/**
 * socket.io on the HTTP server, one room per stream. Only a valid session or read-scoped API key
 * gets past the handshake. `subscribe {streams, since?, epoch?}` joins the rooms the caller may
 * read, after sending what it missed since `since` (or a resync order when that is gone).
 */
export function attachLive(httpServer: HttpServer, hub: Hub, options: LiveOptions) {
  const now = options.now ?? Date.now;
  const hosts = options.hosts ?? { current: buildHostPolicy({ bindHost: "127.0.0.1", port: 0, tls: false }) };
  const io: LiveServer = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // leave other upgrade requests (Next's dev HMR) to their own handler
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    perMessageDeflate: options.compression ? LIVE_DEFLATE : false,
    // a browser's WebSocket handshake is not bound by CORS: refuse another site's page (a sibling sharing the cookie)
    // and a handshake whose Host is not one of Vigil's names (DNS rebinding), polling and upgrade alike
    allowRequest: (req, callback) =>
      callback(null, hostAllowed(hosts.current, req.headers.host) && originAllowed(hosts.current, req.headers.origin, req.headers.host)),
  });

  // figures for GET /metrics: delta items delivered (once per receiving client), replayed, resyncs
  const figures = { sent: 0, replayed: 0, resyncs: 0 };
  hub.onBatch((batch) => {
    const listeners = io.sockets.adapter.rooms.get(batch.stream)?.size ?? 0;
    // socket.io encodes a broadcast (JSON of up to 2,000 items) before it looks for recipients:
    // with nobody in the room (an ingest flood while no console shows that pane) that was wasted
    if (listeners === 0) return;
    io.to(batch.stream).emit("batch", listedBatch(batch));
    figures.sent += batch.items.length * listeners;
  });

  io.use((socket, next) => {
    const token = typeof socket.handshake.auth?.token === "string" ? socket.handshake.auth.token : undefined;
    admit(options, socket.request, token)
      .then((result) => {
        if (!result.ok) return next(new Error(result.message));
        socket.data.identity = result.identity;
        socket.data.token = token;
        next();
      })
      .catch(next);
  });

  io.on("connection", (socket) => {
    socket.on("subscribe", (raw, ack) => {
      const reply = typeof ack === "function" ? ack : () => undefined;
      const identity = socket.data.identity;
      if (identity.expiresAt !== undefined && identity.expiresAt <= now()) {
        reply({ ok: false, error: "session expired: sign in again" } satisfies SubscribeAck);
        socket.disconnect(true);
        return;
      }
      const parsed = subscribeSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: `invalid subscribe: ${describeZodError(parsed.error)}` } satisfies SubscribeAck);
        return;
      }
      const { streams, since, epoch } = parsed.data;
      const denied = streams.filter((s) => !can(identity, STREAM_PERMISSION[s]));
      if (denied.length) {
        reply({ ok: false, error: `not allowed to read ${denied.join(", ")}` } satisfies SubscribeAck);
        return;
      }
      for (const stream of streams) {
        const from = since?.[stream];
        if (from !== undefined) {
          const replay = hub.replay(stream, from, epoch);
          if (replay.kind === "replay") {
            socket.emit("batch", replay.batch);
            figures.sent += replay.batch.items.length;
            figures.replayed += replay.batch.items.length;
          } else if (replay.kind === "resync") {
            socket.emit("resync", { stream, reason: replay.reason });
            figures.resyncs += 1;
          }
        }
        // joining in the same tick as the replay: the next flush carries exactly what follows it
        socket.join(stream);
      }
      reply({ ok: true, epoch: hub.epoch, head: hub.heads() });
    });
  });

  /**
   * Checks open connections again (all, or those `filter` picks). A connection no longer admitted
   * (revoked key, disabled user, ended session) is dropped, and so is one whose role or
   * permissions changed: it reconnects and subscribes under the new rules. A check of everyone
   * asked for while one runs is run once more after it, so a burst of changes costs two passes.
   */
  let running: Promise<void> | null = null;
  let again = false;
  const check = async (filter?: (identity: Identity) => boolean) => {
    for (const socket of [...io.sockets.sockets.values()]) {
      if (!socket.connected || (filter && !filter(socket.data.identity))) continue;
      const result = await admit(options, socket.request, socket.data.token).catch(() => null);
      if (!result?.ok || !sameAccess(socket.data.identity, result.identity)) socket.disconnect(true);
      else socket.data.identity = result.identity;
    }
  };
  const revalidate = async (filter?: (identity: Identity) => boolean): Promise<void> => {
    if (filter) return check(filter);
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await check();
      } while (again);
    })().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void revalidate(), options.revalidateMs ?? 60_000);
  timer.unref();

  /** connected, admitted clients and the delivery counters, for GET /metrics */
  const stats = () => ({ clients: io.sockets.sockets.size, ...figures });
  return { io, revalidate, stats, close: () => { clearInterval(timer); io.close(); } };
}
