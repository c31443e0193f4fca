import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "stock-sync",
  scheduleKey: "stockSync",
  schedule: "*/10 * * * *",
  summary: "Push every listing whose target differs from what its channel confirmed, and retry deferred pushes",
  run: async (slot, deps) => {
    const { enqueued, reports } = await deps.sync.syncStock({ signal: slot.signal });
    const paused = reports.filter((r) => r.isPaused).map((r) => r.channelId);
    const confirmed = reports.reduce((n, r) => n + r.confirmed, 0);
    const deferred = reports.reduce((n, r) => n + r.deferred, 0);
    if (confirmed || deferred) slot.log.info({ enqueued, confirmed, deferred, paused }, "stock sync pass");
    return {
      changed: confirmed,
      skipped: paused.length,
      problems: [...reports.flatMap((r) => r.problems), ...(deferred ? [`${deferred} pushes deferred for retry`] : [])],
    };
  },
});
