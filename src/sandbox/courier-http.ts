import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request a courier simulator received, for tests to assert on. */
export interface SeenRequest {
  at: number;
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A simulator's answer. */
export interface SimReply {
  status: number;
  body: string;
  contentType?: string;
}

/** A running local simulator. */
export interface SimServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Starts a local HTTP server on 127.0.0.1 (port 0 unless given) that records every request and answers through `handle`. */
export async function startSimServer(
  handle: (req: SeenRequest, url: URL) => SimReply | Promise<SimReply>,
  port = 0,
): Promise<SimServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://sim.local");
      const seen: SeenRequest = {
        at: Date.now(),
        method: req.method ?? "GET",
        path: url.pathname,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      Promise.resolve()
        .then(() => handle(seen, url))
        .then(
          (r) => {
            res.writeHead(r.status, { "content-type": r.contentType ?? "application/json; charset=utf-8" });
            res.end(r.body);
          },
          (err: unknown) => {
            res.writeHead(500, { "content-type": "text/plain" });
            res.end(`simulator error: ${(err as Error).message}`);
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A JSON reply. */
export const json = (body: unknown, status = 200): SimReply => ({ status, body: JSON.stringify(body) });

/** Counts requests in the trailing second and remembers the busiest second seen. */
export function createRateMeter(limitPerSecond: number) {
  const stamps: number[] = [];
  let maxPerSecond = 0;
  let throttled = 0;
  return {
    /** Records a request now; false when it exceeds the limit (answer 429). */
    admit(at: number): boolean {
      while ((stamps[0] ?? Number.POSITIVE_INFINITY) <= at - 1000) stamps.shift();
      if (stamps.length >= limitPerSecond) {
        throttled += 1;
        return false;
      }
      stamps.push(at);
      maxPerSecond = Math.max(maxPerSecond, stamps.length);
      return true;
    },
    get maxPerSecond() {
      return maxPerSecond;
    },
    get throttled() {
      return throttled;
    },
  };
}
