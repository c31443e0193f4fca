import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A fault a simulator can inject instead of (or after) doing the real work. */
export type FaultKind =
  /** 429 with Retry-After, nothing applied. */
  | "429"
  /** 500 with the provider's error body, nothing applied. */
  | "500"
  /** 503, nothing applied. */
  | "503"
  /** No answer at all until the client gives up; nothing applied. */
  | "hang"
  /** The work is done, then no answer: the client times out and must not apply it twice. */
  | "hang-after-apply"
  /** 200 with a truncated JSON body; nothing applied. */
  | "malformed"
  /** 200 with an HTML page (a proxy's error page); nothing applied. */
  | "html";

/** Fault settings; `failureRate` picks uniformly among `kinds` with a seeded generator. */
export interface FaultOptions {
  failureRate?: number;
  kinds?: FaultKind[];
  latencyMs?: number;
  retryAfterSeconds?: number;
  seed?: number;
}

/** One request as the simulator saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Operation name the simulator resolved (e.g. "inventorySetQuantities", "products/batch"). */
  op?: string;
  fault?: FaultKind;
  status?: number;
}

/** What a simulator route answers. */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  raw?: Buffer;
}

/** Deterministic PRNG (mulberry32) so fault sequences repeat run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fault control shared by every simulator. */
export interface Faults {
  /** Replaces the random fault settings. */
  set(opts: FaultOptions): void;
  /** Forces the next `count` eligible requests to fail with `kind`. */
  failNext(kind: FaultKind, count?: number): void;
  /** Forces the next `count` eligible requests that `match` to fail with `kind`. */
  failWhen(match: (req: RecordedRequest) => boolean, kind: FaultKind, count?: number): void;
  /** Decides the fault for one eligible request. */
  pick(req: RecordedRequest): FaultKind | undefined;
  readonly options: FaultOptions;
}

/** Builds a fault controller. */
export function createFaults(initial: FaultOptions = {}): Faults {
  let opts = { ...initial };
  let random = seededRandom(opts.seed ?? 1);
  const queue: FaultKind[] = [];
  const rules: { match: (req: RecordedRequest) => boolean; kind: FaultKind; left: number }[] = [];
  return {
    set(o) {
      opts = { ...o };
      random = seededRandom(o.seed ?? 1);
    },
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) queue.push(kind);
    },
    failWhen(match, kind, count = 1) {
      rules.push({ match, kind, left: count });
    },
    pick(req) {
      const rule = rules.find((r) => r.left > 0 && r.match(req));
      if (rule) {
        rule.left -= 1;
        return rule.kind;
      }
      const q = queue.shift();
      if (q) return q;
      const rate = opts.failureRate ?? 0;
      if (rate <= 0 || random() >= rate) return undefined;
      const kinds = opts.kinds?.length ? opts.kinds : (["429", "500", "hang"] as FaultKind[]);
      return kinds[Math.floor(random() * kinds.length)];
    },
    get options() {
      return opts;
    },
  };
}

/** A running simulator's HTTP side. */
export interface SimServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts a node:http server on 127.0.0.1, port 0. `route` returns the normal answer; faults chosen by
 * `faultFor` replace it (or, for "hang-after-apply", swallow it after the work was done).
 */
export async function startSimServer(args: {
  requests: RecordedRequest[];
  faults: Faults;
  /** Which requests are eligible for faults (API calls, not health checks). */
  isFaultable: (req: RecordedRequest) => boolean;
  /** The provider's body for a fault status (e.g. Shopify's `{"errors":…}`). */
  faultBody: (kind: "429" | "500" | "503") => unknown;
  /** Runs before faults: auth checks; a response here is final. */
  gate?: (req: RecordedRequest) => SimResponse | undefined;
  route: (req: RecordedRequest) => SimResponse | Promise<SimResponse>;
}): Promise<SimServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void handle(req, res, Buffer.concat(chunks).toString("utf8"));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const u = new URL(req.url ?? "/", "http://sim.local");
    const rec: RecordedRequest = {
      method: req.method ?? "GET",
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body,
    };
    args.requests.push(rec);
    const write = (r: SimResponse) => {
      rec.status = r.status;
      const headers: Record<string, string> = { ...r.headers };
      let payload: string | Buffer = r.raw ?? r.text ?? "";
      if (r.json !== undefined) {
        payload = JSON.stringify(r.json);
        headers["content-type"] ??= "application/json; charset=utf-8";
      }
      res.writeHead(r.status, headers).end(payload);
    };
    try {
      const latency = args.faults.options.latencyMs ?? 0;
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const gated = args.gate?.(rec);
      if (gated) return write(gated);
      const fault = args.isFaultable(rec) ? args.faults.pick(rec) : undefined;
      rec.fault = fault;
      const retryAfter = String(args.faults.options.retryAfterSeconds ?? 1);
      switch (fault) {
        case "429":
          return write({ status: 429, headers: { "retry-after": retryAfter }, json: args.faultBody("429") });
        case "500":
        case "503":
          return write({ status: Number(fault), json: args.faultBody(fault) });
        case "hang":
          return;
        case "malformed":
          return write({ status: 200, headers: { "content-type": "application/json" }, text: '{"data": {"inventory' });
        case "html":
          return write({
            status: 200,
            headers: { "content-type": "text/html" },
            text: "<html><body><h1>502 Bad Gateway</h1></body></html>",
          });
        default: {
          const answer = await args.route(rec);
          if (fault === "hang-after-apply") return;
          return write(answer);
        }
      }
    } catch (err) {
      write({ status: 500, json: { error: "simulator_crash", message: (err as Error).message } });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Base64 HMAC-SHA256, as Shopify and WooCommerce sign webhooks. */
export function signBase64(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

/** POSTs a webhook body with the given headers; returns the receiver's status. */
export async function deliver(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  await res.arrayBuffer();
  return res.status;
}
