import rateLimit from "@fastify/rate-limit";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type onRequestAsyncHookHandler,
} from "fastify";
import type { Deps } from "../deps.js";
import { reportDiskFull } from "../disk-full.js";
import { isDiskFull } from "../errors.js";
import { type RouteModule, sendDiskFull } from "./body.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

declare module "fastify" {
  interface FastifyRequest {
    /** The exact bytes received; signatures (Shopify, Woo, couriers, WeCom) are checked on these. */
    rawBody?: Buffer;
  }
  interface FastifyInstance {
    /** Per-IP limit for unauthenticated requests (`http.rateLimit`): 429 + Retry-After past it. */
    unauthenticatedLimit: onRequestAsyncHookHandler;
  }
}

/**
 * Builds the one HTTP server (not yet listening). Every body is kept raw in `request.rawBody` and in
 * `request.body` (a Buffer): nothing is parsed before a route has checked its signature or token, and a
 * route that wants JSON calls `parseJsonBody` after that. Unknown routes answer 404 before any body is read.
 */
export async function createHttpServer(deps: Deps, routes: readonly RouteModule[]): Promise<FastifyInstance> {
  const h = deps.config.http;
  const app = Fastify({
    loggerInstance: deps.log.child({ component: "http" }) as FastifyBaseLogger,
    bodyLimit: h.bodyLimitBytes,
    // Slow clients are cut off: a body trickled past requestTimeoutMs gets 408 and the socket closes.
    requestTimeout: h.requestTimeoutMs,
    connectionTimeout: h.connectionTimeoutMs,
    keepAliveTimeout: h.keepAliveTimeoutMs,
    maxRequestsPerSocket: h.maxRequestsPerSocket,
    // A reverse proxy on this host names the real client in X-Forwarded-For; nobody else is believed.
    trustProxy: [...LOOPBACK],
    http: {
      requestTimeout: h.requestTimeoutMs,
      headersTimeout: h.headersTimeoutMs,
      // Node checks the two timeouts on this interval (default 30 s): check often enough to honour them.
      connectionsCheckingInterval: Math.max(50, Math.floor(Math.min(h.headersTimeoutMs, h.requestTimeoutMs) / 4)),
    },
    // Per-request lines would drown the log at webhook volume; routes log what matters themselves.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  app.server.maxConnections = h.maxConnections;
  await app.register(rateLimit, {
    global: false,
    max: h.rateLimit.max,
    timeWindow: h.rateLimit.windowSeconds * 1000,
    allowList: (req) => h.rateLimit.exemptLoopback && LOOPBACK.has(req.ip),
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(new Error(`Too many requests; retry in ${ctx.after}.`), { statusCode: 429, code: "rate_limited" }),
  });
  app.decorate("unauthenticatedLimit", app.rateLimit() as onRequestAsyncHookHandler);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (req, body, done) => {
    req.rawBody = body as Buffer;
    done(null, body);
  });
  // onRequest runs before the body is read: an unknown route costs no body bytes and no parsing.
  app.addHook("onRequest", async (req, reply) => {
    if (req.is404) {
      await app.unauthenticatedLimit.call(app, req, reply);
      void reply.header("connection", "close");
      return reply.code(404).send({ error: "not_found", message: `No route ${req.method} ${req.url.split("?")[0]}.` });
    }
    return undefined;
  });
  app.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, req, reply) => {
    if (isDiskFull(err)) {
      void reportDiskFull(deps, `HTTP ${req.method} ${req.routeOptions.url ?? "?"}`);
      return sendDiskFull(reply);
    }
    if (err.statusCode === 429) return reply.code(429).send({ error: "rate_limited", message: err.message });
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err, url: req.url }, "request failed");
    // Same envelope as the routes' own refusals: a stable code plus a message a person can act on.
    void reply
      .code(status)
      .send(
        status >= 500
          ? { error: "internal_error", message: "Internal error; it is in the log. Retry later." }
          : { error: "bad_request", message: err.message },
      );
  });
  for (const r of routes) await r(app, deps);
  return app;
}
