import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A running local simulator. */
export interface SandboxServer {
  /** Base URL such as http://127.0.0.1:53122 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** What a simulator handler answers. */
export interface SandboxResponse {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

/** Reads a request body fully. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Starts a `node:http` server on `port` (0 = any free port) that hands every request and its raw body to
 * `handler`. A handler that throws answers 500, like a broken upstream would.
 */
export async function listen(
  handler: (req: IncomingMessage, body: Buffer) => Promise<SandboxResponse> | SandboxResponse,
  opts: { host?: string; port?: number } = {},
): Promise<SandboxServer> {
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => handler(req, body))
      .then(
        (r) => {
          res.writeHead(r.status ?? 200, { "content-type": "application/json;charset=UTF-8", ...r.headers });
          res.end(r.body);
        },
        (err: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(`sandbox error: ${(err as Error).message}`);
        },
      );
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Request parameters from the query string and a form-urlencoded or JSON body, merged (body wins). */
export function requestParams(req: IncomingMessage, body: Buffer): Record<string, string> {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const out: Record<string, string> = Object.fromEntries(url.searchParams);
  const type = String(req.headers["content-type"] ?? "");
  const text = body.toString("utf8");
  if (type.includes("application/json") && text.trim()) {
    for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
      out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
  } else if (text) {
    Object.assign(out, Object.fromEntries(new URLSearchParams(text)));
  }
  return out;
}

/**
 * JSON text in which the named id fields, held as decimal strings, are written as bare JSON numbers,
 * the way Taobao sends tids and oids (often beyond 2^53).
 */
export function jsonWithBareIds(value: unknown, idKeys: readonly string[]): string {
  const text = JSON.stringify(value);
  if (!idKeys.length) return text;
  const keys = idKeys.map((k) => k.replace(/[^a-z_]/g, "")).join("|");
  return text.replace(new RegExp(`"(${keys})":"(\\d+)"`, "g"), '"$1":$2');
}
