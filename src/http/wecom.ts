import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CallbackRequest, CallbackResponse, WecomTransport } from "../chat/transports/wecom.js";
import { BODY_LIMITS } from "./body.js";

/** Routes of one WeCom setup: the app callback path and, when configured, the AI bot's. */
export interface WecomRoutePaths {
  callbackPath: string;
  aiBotPath?: string | undefined;
}

function toCallback(req: FastifyRequest): CallbackRequest {
  const url = req.raw.url ?? "";
  const i = url.indexOf("?");
  const raw = (req as FastifyRequest & { rawBody?: Buffer }).rawBody;
  const body =
    raw !== undefined
      ? raw.toString("utf8")
      : typeof req.body === "string"
        ? req.body
        : Buffer.isBuffer(req.body)
          ? req.body.toString("utf8")
          : req.body === undefined
            ? ""
            : JSON.stringify(req.body);
  return { method: req.method, rawQuery: i < 0 ? "" : url.slice(i + 1), body, ip: req.ip };
}

const send = (reply: FastifyReply, r: CallbackResponse) => reply.code(r.status).type(r.contentType).send(r.body);

/**
 * Registers `GET|POST <callbackPath>` (self-built app) and `GET|POST <aiBotPath>` (AI bot) in their own
 * plugin scope, which reads XML and plain-text bodies as strings. Usage in app.ts:
 * `extraRoutes.push(wecomRoutes(transport, { callbackPath, aiBotPath }))`.
 */
export function wecomRoutes(
  transport: WecomTransport,
  paths: WecomRoutePaths,
): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(async (scope) => {
      for (const type of ["text/xml", "application/xml", "text/plain"]) {
        if (!scope.hasContentTypeParser(type))
          scope.addContentTypeParser(type, { parseAs: "string" }, (_req, body, done) => done(null, body));
      }
      scope.route({
        method: ["GET", "POST"],
        url: paths.callbackPath,
        bodyLimit: BODY_LIMITS.wecom,
        handler: async (req, reply) => send(reply, await transport.handleAppCallback(toCallback(req))),
      });
      if (paths.aiBotPath) {
        scope.route({
          method: ["GET", "POST"],
          url: paths.aiBotPath,
          bodyLimit: BODY_LIMITS.wecom,
          handler: async (req, reply) => send(reply, await transport.handleAiBotCallback(toCallback(req))),
        });
      }
    });
  };
}
