import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError, ConflictError, isDiskFull, NotFoundError } from "../errors.js";
import { SkuSchema } from "../ids.js";
import { randomId } from "../ledger/context.js";
import type { Ledger, Reservation } from "../ledger/index.js";
import { BODY_LIMITS, parseJsonBody, type RouteModule } from "./body.js";

/** What the reservation API needs. */
export interface ReservationRouteDeps {
  ledger: Ledger;
  config: { http: { apiToken?: string | undefined }; stock: { holdTtlMinutes: number } };
}

/** Body of `POST /api/v1/reservations`. */
export const CreateHoldSchema = z.object({
  sku: SkuSchema,
  qty: z.number().int().min(1).max(1_000_000),
  ttlSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
  ref: z.string().min(1).max(128),
});

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

function isAuthorized(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  // Compare fixed-length digests so neither the length nor the content leaks through timing.
  return !!m?.[1] && timingSafeEqual(digest(m[1]), digest(token));
}

function send(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply.code(status).send({ error, message, ...extra });
}

function sendError(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof NotFoundError) return send(reply, 404, err.code, err.userMessage);
  if (err instanceof ConflictError) {
    const available = typeof err.details.available === "number" ? { available: err.details.available } : {};
    return send(reply, 409, err.code, err.userMessage, available);
  }
  if (err instanceof AppError) return send(reply, 400, err.code, err.userMessage);
  // A full disk goes to the server's error handler: 503 disk_full, and the one disk-full alert.
  if (isDiskFull(err)) throw err;
  const ref = randomId("E", 6);
  req.log.error({ err, ref }, "reservation api failed");
  return send(reply, 500, "internal_error", `Something went wrong (ref ${ref}).`);
}

const view = (r: Reservation) => ({
  id: r.id,
  sku: r.sku,
  qty: r.qty,
  status: r.status,
  kind: r.kind,
  ref: r.ref,
  expiresAt: r.expiresAt,
});

/**
 * The seller's own storefront holds stock during checkout:
 * `POST /api/v1/reservations` {sku, qty, ttlSeconds?, ref} → 201 {id, expiresAt} or 409 {available};
 * `POST /api/v1/reservations/:id/commit` (checkout done: the hold becomes an order reservation);
 * `DELETE /api/v1/reservations/:id` (cart abandoned). Bearer token `http.apiToken`; an `Idempotency-Key`
 * header makes a retried create return the first hold. Expired holds are released by `reservation-expiry`.
 */
export function registerReservationRoutes(app: FastifyInstance, deps: ReservationRouteDeps): void {
  void app.register(async (scope) => {
    scope.addHook("onRequest", async (req, reply) => {
      const token = deps.config.http.apiToken;
      if (!token)
        return send(reply, 503, "api_disabled", "The reservation API is off: set http.apiToken in the config.");
      if (!isAuthorized(req, token)) {
        await scope.unauthenticatedLimit.call(scope, req, reply);
        // The body is never read: close the connection rather than drain an unauthenticated upload.
        void reply.header("www-authenticate", 'Bearer realm="stockradar"').header("connection", "close");
        return send(reply, 401, "unauthorized", "Missing or wrong bearer token.");
      }
      return undefined;
    });

    scope.post("/api/v1/reservations", { bodyLimit: BODY_LIMITS.api }, async (req, reply) => {
      // The token was checked in onRequest, before a byte of the body was read; only now is it parsed.
      const parsed = CreateHoldSchema.safeParse(parseJsonBody(req));
      if (!parsed.success) {
        return send(reply, 400, "invalid_request", "Expected {sku, qty, ttlSeconds?, ref}.", {
          issues: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`),
        });
      }
      const { sku, qty, ttlSeconds, ref } = parsed.data;
      const key = req.headers["idempotency-key"];
      try {
        const { reservation, isDuplicate } = deps.ledger.reservations.reserveHold({
          sku,
          qty,
          ttlSeconds: ttlSeconds ?? deps.config.stock.holdTtlMinutes * 60,
          ref,
          actor: "api",
          idempotencyKey:
            typeof key === "string" && key.length > 0 && key.length <= 200 ? `api:${key}` : randomId("api", 16),
        });
        return reply.code(isDuplicate ? 200 : 201).send({ ...view(reservation), expiresAt: reservation.expiresAt });
      } catch (err) {
        if (
          err instanceof ConflictError &&
          err.code === "insufficient_stock" &&
          typeof err.details.available === "number"
        ) {
          const available = err.details.available;
          return send(
            reply,
            409,
            err.code,
            `SKU ${sku}: ${available} available, ${qty} requested. Lower the quantity or try later.`,
            { available },
          );
        }
        return sendError(req, reply, err);
      }
    });

    const ownHold = (id: string): Reservation => {
      const r = deps.ledger.reservations.getReservation(id);
      // Channel order reservations are not the storefront's to touch; do not even confirm they exist.
      if (r.channelId !== null) throw new NotFoundError("unknown_reservation", `Reservation ${id} does not exist.`);
      return r;
    };

    scope.post<{ Params: { id: string } }>(
      "/api/v1/reservations/:id/commit",
      { bodyLimit: BODY_LIMITS.api },
      async (req, reply) => {
        try {
          ownHold(req.params.id);
          return reply.code(200).send(view(deps.ledger.reservations.commitHold(req.params.id)));
        } catch (err) {
          return sendError(req, reply, err);
        }
      },
    );

    // The storefront ships what it sold itself: on hand and reserved both drop, exactly once.
    scope.post<{ Params: { id: string } }>(
      "/api/v1/reservations/:id/ship",
      { bodyLimit: BODY_LIMITS.api },
      async (req, reply) => {
        try {
          const r = ownHold(req.params.id);
          if (r.kind === "hold" && r.status === "active") {
            throw new ConflictError(
              "not_committed",
              `Reservation ${r.id} is still a checkout hold. Commit it before shipping.`,
              { id: r.id },
            );
          }
          return reply.code(200).send(view(deps.ledger.reservations.shipReservation(req.params.id, "api")));
        } catch (err) {
          return sendError(req, reply, err);
        }
      },
    );

    scope.delete<{ Params: { id: string } }>(
      "/api/v1/reservations/:id",
      { bodyLimit: BODY_LIMITS.api },
      async (req, reply) => {
        try {
          ownHold(req.params.id);
          return reply.code(200).send(view(deps.ledger.reservations.releaseReservation(req.params.id, "api")));
        } catch (err) {
          return sendError(req, reply, err);
        }
      },
    );
  });
}

/** The reservation API as a server route module. */
export const reservationRoutes: RouteModule = (app, deps) => registerReservationRoutes(app, deps);
