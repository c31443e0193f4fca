import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Deps } from "../deps.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The exact bytes received; signatures (Shopify, Woo, couriers, WeCom) are checked on these. */
    rawBody?: Buffer;
  }
}

/** A route module: registers its routes on the shared server. */
export type RouteModule = (app: FastifyInstance, deps: Deps) => void | Promise<void>;

/**
 * Builds the one HTTP server (not yet listening). Every body is kept raw in `request.rawBody`; JSON is
 * parsed leniently into `request.body` (malformed JSON → 400 with a clear message, logged).
 */
export async function createHttpServer(deps: Deps, routes: readonly RouteModule[]): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: "http" }) as FastifyBaseLogger,
    bodyLimit: deps.config.http.bodyLimitBytes,
    // Per-request lines would drown the log at webhook volume; routes log what matters themselves.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (req, body, done) => {
    const raw = body as Buffer;
    req.rawBody = raw;
    const type = String(req.headers["content-type"] ?? "");
    if (/json/i.test(type)) {
      if (!raw.length) return done(null, undefined);
      try {
        done(null, JSON.parse(raw.toString("utf8")));
      } catch {
        const err = Object.assign(new Error("Body is not valid JSON."), { statusCode: 400 });
        req.log.warn({ url: req.url, bytes: raw.length }, "malformed JSON body");
        done(err, undefined);
      }
      return;
    }
    done(null, raw);
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
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
