import { deliverDueAlerts } from "../src/chat/alert-sender.js";
import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "alert-resend",
  scheduleKey: "alertResend",
  schedule: "* * * * *",
  summary: "Send new alerts and re-send critical ones nobody acknowledged",
  run: async (_slot, deps) => ({ changed: await deliverDueAlerts(deps), skipped: 0, problems: [] }),
});
