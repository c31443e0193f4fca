import type { FastifyInstance, FastifyReply } from "fastify";
import { AppError, ForbiddenError, InvalidInputError, isDiskFull, NotFoundError } from "../errors.js";
import type { SyncEngine } from "../sync/engine.js";
import type { RouteModule } from "./body.js";

/** What the webhook routes need. */
export interface WebhookRouteDeps {
  sync: Pick<SyncEngine, "acceptWebhook">;
}

function refuse(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).send({ error, message });
}

/**
 * `POST /webhooks/:channelId`: verifies the channel's signature on the raw bytes, records the delivery id and
 * the order in one transaction, and answers fast (channels time out in seconds and then redeliver).
 * 401 for a bad signature (`bad_signature`) or a signed delivery for another shop (`wrong_shop`), 400 for a malformed body, 404 for an unknown channel; the ledger is untouched then.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookRouteDeps): void {
  app.post<{ Params: { channelId: string } }>("/webhooks/:channelId", async (req, reply) => {
    const { channelId } = req.params;
    // Signatures are over the exact bytes sent (the server keeps them), never over re-serialised JSON.
    const rawBody = req.rawBody ?? Buffer.alloc(0);
    try {
      const result = await deps.sync.acceptWebhook(channelId, { headers: req.headers, rawBody });
      // The pushes this delivery started on idle lanes go on the wire first (their requests are written within this
      // turn): the channel waits seconds for our answer, while another channel's oversell window is the push.
      await new Promise<void>((resolve) => setImmediate(resolve));
      req.log.info({ channelId, deliveryId: result.deliveryId, status: result.status }, "webhook accepted");
      return reply.code(200).send({ status: result.status });
    } catch (err) {
      // Correctly signed, but for another shop (one app installed on several): its own line, not a bad signature.
      if (err instanceof ForbiddenError && err.code === "webhook_wrong_shop") {
        const shop = req.headers["x-shopify-shop-domain"];
        req.log.warn({ channelId, code: err.code, shop }, "webhook for another shop rejected");
        return refuse(reply, 401, "wrong_shop", err.userMessage);
      }
      if (err instanceof ForbiddenError) {
        req.log.warn({ channelId, code: err.code }, "webhook signature rejected");
        return refuse(reply, 401, "bad_signature", "Signature does not match.");
      }
      if (err instanceof InvalidInputError) {
        req.log.warn({ channelId, code: err.code }, "webhook body rejected");
        return refuse(reply, 400, "bad_request", err.userMessage);
      }
      // Only the engine's own "no such channel / no webhooks" answers are 404; a NotFound from inside intake is a 422 below.
      if (err instanceof NotFoundError && (err.code === "unknown_channel" || err.code === "no_webhooks")) {
        return refuse(reply, 404, "unknown_channel", `No webhook endpoint for ${channelId}.`);
      }
      if (err instanceof AppError) {
        req.log.warn({ err, channelId }, "webhook could not be applied");
        return refuse(reply, 422, err.code, err.userMessage);
      }
      // Not recorded: the server's error handler answers 503 disk_full (the channel redelivers) and alerts once.
      if (isDiskFull(err)) throw err;
      req.log.error({ err, channelId }, "webhook failed");
      // 500 makes the channel redeliver; nothing was recorded because the transaction rolled back.
      return refuse(reply, 500, "internal_error", "Could not record the delivery; it will be retried.");
    }
  });
}

/** The webhook routes as a server route module. */
export const webhookRoutes: RouteModule = (app, deps) => registerWebhookRoutes(app, deps);
