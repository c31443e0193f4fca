import { runCourierCheck } from "../src/radar/check.js";
import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "courier-check",
  scheduleKey: "courierCheck",
  schedule: "0 * * * *",
  summary: "Poll parcels that need it within each provider's quota, then raise stalled / no-pickup / stale alerts",
  run: async (slot, deps) => {
    const r = await runCourierCheck(deps, { signal: slot.signal, log: slot.log });
    slot.log.info({ calls: r.calls, alertsRaised: r.alertsRaised }, "courier check done");
    return { changed: r.changed, skipped: r.skipped, problems: r.problems };
  },
});
