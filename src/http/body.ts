import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../deps.js";

// What route modules share with the server, without fastify itself: `cmd` loads the routes' code but never
// serves, so `createHttpServer` (and fastify with its validators) is imported only when HTTP starts.

/** A route module: registers its routes on the shared server. */
export type RouteModule = (app: FastifyInstance, deps: Deps) => void | Promise<void>;

/** Per-route body caps, in bytes: small JSON calls get small caps; webhooks keep `http.bodyLimitBytes`. */
export const BODY_LIMITS = { api: 16 * 1024, courierPush: 256 * 1024, wecom: 64 * 1024 } as const;

/** Seconds a client is told to wait when the ledger's disk is full. */
export const DISK_FULL_RETRY_AFTER_S = 30;

/** Answers 503 + Retry-After with the stable code `disk_full` (the same code chat and jobs use): nothing was stored, the client retries later. */
export function sendDiskFull(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header("retry-after", String(DISK_FULL_RETRY_AFTER_S))
    .send({ error: "disk_full", message: "The ledger's disk is full; nothing was stored. Retry later." });
}

/** How many request bodies the server itself has parsed as JSON (only ever after authentication). */
export const bodyStats = { jsonParses: 0 };

/**
 * Parses a request's raw bytes as JSON: call it only after the request is authenticated. Returns
 * `undefined` for an empty body; throws a 400 (clear message) for malformed JSON.
 */
export function parseJsonBody(req: FastifyRequest): unknown {
  const raw = req.rawBody;
  if (!raw?.length) return undefined;
  bodyStats.jsonParses++;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    req.log.warn({ url: req.url, bytes: raw.length }, "malformed JSON body");
    throw Object.assign(new Error("Body is not valid JSON."), { statusCode: 400 });
  }
}
