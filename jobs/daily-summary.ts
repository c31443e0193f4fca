import { defineJob } from "../src/scheduler.js";
import { sendDailySummary, yesterdayOf } from "../src/summary/send.js";

export default defineJob({
  name: "daily-summary",
  scheduleKey: "dailySummary",
  schedule: "0 9 * * *",
  summary: "Post yesterday's orders, stock, sync, parcels, refunds and a sales chart to the group (once per day)",
  run: async (slot, deps) => {
    const r = await sendDailySummary(deps, yesterdayOf(deps, slot.scheduledFor));
    return {
      changed: r.kind === "sent" ? 1 : 0,
      skipped: r.kind === "already_sent" ? 1 : 0,
      problems: r.kind === "failed" ? [`summary ${r.day}: ${r.error}`] : [],
    };
  },
});
