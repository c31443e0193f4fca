import type { RouteModule } from "./server.js";

/**
 * `GET /healthz`: the ledger answers a write transaction, the jobs' last runs, and every channel's sync state
 * ("ok", "paused", "failing", or "unhealthy" once it has failed for longer than its `unhealthyAfterMinutes`).
 * 503 when the ledger is not writable, a job's last run failed, or a channel is unhealthy.
 */
export const healthRoutes: RouteModule = (app, deps) => {
  app.get("/healthz", async (_req, reply) => {
    const problems: string[] = [];
    try {
      deps.ledger.transaction(() => deps.ledger.jobs.setKv("health:probe", deps.clock.now().toISOString()));
    } catch {
      problems.push("ledger not writable");
    }
    const jobs = deps.ledger.jobs.lastJobRuns();
    const failed = jobs.filter((j) => j.status === "failed").map((j) => j.name);
    if (failed.length) problems.push(`last run failed: ${failed.join(", ")}`);
    const channels = deps.sync.status().map((s) => ({
      id: s.channelId,
      state: s.health.isPaused ? "paused" : s.isUnhealthy ? "unhealthy" : s.health.consecutiveFailures > 0 ? "failing" : "ok",
      backlog: s.backlog?.pending ?? 0,
      lastSuccessAt: s.health.lastSuccessAt,
      consecutiveFailures: s.health.consecutiveFailures,
    }));
    const unhealthy = channels.filter((c) => c.state === "unhealthy").map((c) => c.id);
    if (unhealthy.length) problems.push(`channel unhealthy: ${unhealthy.join(", ")}`);
    const body = { ok: problems.length === 0, problems, jobs, channels };
    return reply.code(problems.length ? 503 : 200).send(body);
  });
};
