import { checkPriceDrift } from "../src/money/price-flow.js";
import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "reconcile",
  scheduleKey: "reconcile",
  schedule: "0 * * * *",
  summary: "Import orders, read every channel's quantities back, and queue a push for each listing that drifted",
  run: async (slot, deps) => {
    const reports = await deps.sync.reconcile({ signal: slot.signal });
    const repaired = reports.reduce((n, r) => n + r.repaired, 0);
    if (repaired) slot.log.warn({ repaired, examples: reports.flatMap((r) => r.examples) }, "drift repaired");
    const priceDrift = await checkPriceDrift(deps, slot.signal);
    if (priceDrift.length) slot.log.warn({ priceDrift: priceDrift.length }, "price drift reported, not overwritten");
    return {
      changed: repaired,
      skipped: reports.reduce((n, r) => n + r.skipped, 0),
      problems: reports.flatMap((r) => [...r.imported.problems, ...r.problems]),
    };
  },
});
