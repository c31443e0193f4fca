import { learnedWindowStart } from "../src/radar/lanes.js";
import { defineJob } from "../src/scheduler.js";

/** Each channel's newest pushes always kept: the latency sample of /sync status and the risk buffers. */
const KEEP_PUSHES_PER_CHANNEL = 200;
const DAY_MS = 86_400_000;

export default defineJob({
  name: "retention",
  scheduleKey: "retention",
  schedule: "40 3 * * *",
  summary: "Age out push log and delivered parcels' scan events (config retention:)",
  run: async (slot, deps) => {
    const now = deps.clock.now().getTime();
    const r = deps.config.retention;
    const pushes = deps.channelState.prunePushLog(new Date(now - r.pushLogDays * DAY_MS), KEEP_PUSHES_PER_CHANNEL);
    // Learned stall thresholds read the scans of parcels delivered within radar.learnedStall.windowDays: those stay
    // until both windows have passed, so a lane's learned threshold is the same before and after this job.
    const learned = deps.config.radar.learnedStall;
    const retained = now - r.deliveredTrackingDays * DAY_MS;
    const before = learned.enabled
      ? Math.min(retained, learnedWindowStart(new Date(now), learned.windowDays).getTime())
      : retained;
    const events = deps.shipments.pruneDeliveredEvents(new Date(before));
    if (pushes || events) slot.log.info({ pushes, events }, "retention removed aged rows");
    return { changed: pushes + events, skipped: 0, problems: [] };
  },
});
