import { defineJob } from "../src/scheduler.js";

export default defineJob({
  name: "reservation-expiry",
  scheduleKey: "reservationExpiry",
  schedule: "* * * * *",
  summary: "Release checkout holds whose time is up",
  run: async (slot, deps) => {
    const expired = deps.ledger.reservations.expireHolds();
    if (expired.length) slot.log.info({ count: expired.length }, "expired holds released");
    return { changed: expired.length, skipped: 0, problems: [] };
  },
});
