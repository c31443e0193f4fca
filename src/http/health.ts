import type { ChannelHealthView } from "../metrics.js";
import type { SyncEngine } from "../sync/engine.js";
import type { RouteModule } from "./body.js";

/** Every channel's state for /healthz and /metrics: ok, failing, unhealthy (failing longer than its threshold) or paused. */
export function channelHealthViews(sync: Pick<SyncEngine, "status">): (ChannelHealthView & { backlog: number })[] {
  return sync.status().map((s) => ({
    channelId: s.channelId,
    state: s.health.isPaused
      ? "paused"
      : s.isUnhealthy
        ? "unhealthy"
        : s.health.consecutiveFailures > 0
          ? "failing"
          : "ok",
    backlog: s.backlog?.pending ?? 0,
    lastSuccessAt: s.health.lastSuccessAt,
    consecutiveFailures: s.health.consecutiveFailures,
  }));
}

/** How long one ledger write probe of /healthz stands for (ms). */
export const HEALTH_PROBE_MS = 5000;

/**
 * `GET /healthz`: whether the ledger takes a write, each channel's state and last successful sync, and each
 * job's lag, and each chat transport's state. 503 when the ledger is not writable, a chat transport is down, a channel is unhealthy (failing for longer than its
 * `unhealthyAfterMinutes`), a job's last run failed, or a job is overdue (lag beyond one interval and 5 minutes).
 */
export const healthRoutes: RouteModule = (app, deps) => {
  // One probe write per HEALTH_PROBE_MS at most: /healthz is unauthenticated and must not become a write flood.
  let probe: { at: number; isWritable: boolean } | undefined;
  const ledgerWritable = (): boolean => {
    const now = deps.clock.now().getTime();
    if (probe && now - probe.at < HEALTH_PROBE_MS) return probe.isWritable;
    let isWritable = true;
    try {
      deps.ledger.transaction(() => deps.ledger.jobs.setKv("health:probe", deps.clock.now().toISOString()));
    } catch {
      isWritable = false;
    }
    probe = { at: now, isWritable };
    return isWritable;
  };
  app.get("/healthz", { onRequest: app.unauthenticatedLimit }, async (_req, reply) => {
    const problems: string[] = [];
    const isLedgerWritable = ledgerWritable();
    if (!isLedgerWritable) problems.push("ledger not writable");
    const runs = new Map(deps.ledger.jobs.lastJobRuns().map((r) => [r.name, r]));
    const jobs = deps.metrics.jobLags().map((l) => ({
      name: l.name,
      lastStatus: runs.get(l.name)?.status ?? null,
      lastStartedAt: l.lastStartedAt ?? null,
      dueAt: l.dueAt ?? null,
      lagSeconds: Math.round(l.lagSeconds),
      isOverdue: l.isOverdue,
    }));
    const failed = jobs.filter((j) => j.lastStatus === "failed").map((j) => j.name);
    if (failed.length) problems.push(`last run failed: ${failed.join(", ")}`);
    for (const j of jobs.filter((x) => x.isOverdue))
      problems.push(`job ${j.name} overdue by ${Math.round(j.lagSeconds / 60)} min`);
    const channels = channelHealthViews(deps.sync).map((c) => ({
      id: c.channelId,
      state: c.state,
      backlog: c.backlog,
      lastSuccessAt: c.lastSuccessAt,
      consecutiveFailures: c.consecutiveFailures,
    }));
    const unhealthy = channels.filter((c) => c.state === "unhealthy").map((c) => c.id);
    if (unhealthy.length) problems.push(`channel unhealthy: ${unhealthy.join(", ")}`);
    const chat = deps.chatStatus?.() ?? [];
    const chatDown = chat.filter((c) => c.state === "down").map((c) => c.transport);
    if (chatDown.length) problems.push(`chat down: ${chatDown.join(", ")}`);
    const body = {
      ok: problems.length === 0,
      problems,
      ledger: { isWritable: isLedgerWritable },
      chat,
      channels,
      jobs,
    };
    return reply.code(problems.length ? 503 : 200).send(body);
  });
};

/** `GET /metrics`: Prometheus text format (prom-client); also counts every answered request by route pattern and status. */
export const metricsRoutes: RouteModule = (app, deps) => {
  app.addHook("onResponse", async (req, reply) => {
    deps.metrics.httpRequest(req.routeOptions.url ?? "unmatched", reply.statusCode);
  });
  app.get("/metrics", { onRequest: app.unauthenticatedLimit }, async (_req, reply) =>
    reply.type(deps.metrics.contentType).send(await deps.metrics.render()),
  );
};
