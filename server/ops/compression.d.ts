// The few types of the `compression` middleware (1.8) that server/ops/compress.ts uses.
declare module "compression" {
  type Middleware = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, next: (error?: unknown) => void) => void;
  interface Options {
    threshold?: number | string;
    filter?: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => boolean;
    level?: number;
    brotli?: { params?: Record<number, number> };
  }
  function compression(options?: Options): Middleware;
  namespace compression {
    function filter(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): boolean;
  }
  export default compression;
}
