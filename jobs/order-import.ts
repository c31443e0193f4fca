import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "order-import",
  scheduleKey: "orderImport",
  schedule: "*/5 * * * *",
  summary:
    "Poll every channel for orders changed since its cursor and record them in the ledger; forget old webhook delivery ids",
  run: async (slot, deps) => {
    const reports = await deps.sync.importOrders({ signal: slot.signal });
    // Channels stop redelivering after hours; older delivery ids only take space.
    deps.channelState.pruneDeliveries(
      new Date(deps.clock.now().getTime() - deps.config.sync.webhookDedupHours * 3_600_000),
    );
    const applied = reports.reduce((n, r) => n + r.applied, 0);
    if (applied)
      slot.log.info(
        { applied, byChannel: Object.fromEntries(reports.map((r) => [r.channelId, r.applied])) },
        "orders imported",
      );
    return {
      changed: applied,
      skipped: reports.reduce((n, r) => n + r.duplicates, 0),
      problems: reports.flatMap((r) => r.problems),
    };
  },
});
