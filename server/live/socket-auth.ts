import type { IncomingMessage } from "node:http";
import type { Core } from "../core";
import { REMOTE_ADDR_HEADER } from "../auth/better-auth";
import { clientAddress } from "../http-security";

/** Authenticates a socket handshake exactly as an HTTP request: its cookies, or the token it sends. */
export function socketAuthenticator(core: Pick<Core, "access">, trustProxy = false) {
  return (request: IncomingMessage, token: string | undefined) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && name !== REMOTE_ADDR_HEADER) headers.set(name, value);
    }
    headers.set(REMOTE_ADDR_HEADER, clientAddress(request, trustProxy));
    return core.access.identity.fromHeaders(headers, token);
  };
}
