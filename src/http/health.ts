import type { FastifyInstance } from "fastify";
import type { Ledger } from "../ledger/index.js";
import type { SyncEngine } from "../sync/engine.js";

/** What the health route needs. */
export interface HealthRouteDeps {
  ledger: Ledger;
  sync: Pick<SyncEngine, "status">;
}

/**
 * `GET /healthz`: 200 while the ledger answers, with each channel's state ("ok", "paused", "failing",
 * "unhealthy" once it has failed longer than `unhealthyAfterMinutes`) and backlog; 503 when the ledger does not.
 * A failing marketplace does not fail the probe: restarting the bot would not fix the marketplace.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthRouteDeps): void {
  app.get("/healthz", async (req, reply) => {
    try {
      deps.ledger.db.prepare("SELECT 1").get();
    } catch (err) {
      req.log.error({ err }, "health check: ledger unavailable");
      return reply.code(503).send({ status: "down", ledger: "unavailable" });
    }
    const channels = deps.sync.status().map((s) => ({
      id: s.channelId,
      state: s.health.isPaused ? "paused" : s.isUnhealthy ? "unhealthy" : s.health.consecutiveFailures > 0 ? "failing" : "ok",
      backlog: s.backlog?.pending ?? 0,
      lastSuccessAt: s.health.lastSuccessAt,
      consecutiveFailures: s.health.consecutiveFailures,
    }));
    const status = channels.some((c) => c.state === "unhealthy") ? "degraded" : "ok";
    return reply.code(200).send({ status, ledger: "ok", channels });
  });
}
