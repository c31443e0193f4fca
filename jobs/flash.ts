import { flashTick } from "../src/flash/flow.js";
import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "flash",
  scheduleKey: "flash",
  schedule: "* * * * *",
  summary:
    "End flash sales whose time is up (re-publish with the normal policy, announce) and re-queue drifted flash targets",
  run: async (_slot, deps) => {
    const r = await flashTick(deps);
    return { changed: r.ended + r.queued, skipped: 0, problems: [] };
  },
});
