import type { RouteModule } from "./server.js";

/** `GET /healthz`: the ledger answers a write transaction and the jobs' last runs. */
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
    const body = { ok: problems.length === 0, problems, jobs };
    return reply.code(problems.length ? 503 : 200).send(body);
  });
};
