import { pageBreaker } from "../src/money/refund-flow.js";
import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "breaker-page",
  scheduleKey: "breakerPage",
  schedule: "* * * * *",
  summary: "Page the group (mentioning admins) every money.breaker.pageEveryMinutes while the refund breaker is open",
  run: async (_slot, deps) => {
    const isPaged = await pageBreaker(deps);
    return { changed: isPaged ? 1 : 0, skipped: isPaged ? 0 : 1, problems: [] };
  },
});
