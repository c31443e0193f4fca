import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { carrierLabel } from "../src/couriers/carrier-codes.js";
import { STATUS_LABEL } from "../src/couriers/status.js";
import { formatShort } from "../src/couriers/time.js";
import { NotFoundError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "track",
  summary: msg("cmd-track-summary"),
  aliases: { "zh-CN": ["物流"] },
  role: "viewer",
  args: z.object({
    ref: z.string().trim().min(1).max(64, { message: "must be at most 64 characters" }).describe("ORDER|TRACKING"),
  }),
  examples: ["/track SF1234567890123", "/track 1001"],
  run: async ({ ref }, { deps }) => {
    const found = deps.shipments.findShipments(ref);
    if (!found.length)
      throw new NotFoundError("unknown_parcel", `No parcel for "${ref}". Record it with /ship ORDER CARRIER TRACKING.`);
    const tz = deps.config.timezone;
    const blocks = found.slice(0, 3).map((s) => {
      const events = deps.shipments.eventsFor(s.id, 10);
      const to = [s.destination.region, s.destination.city].filter(Boolean).join(" ") || s.destination.country;
      const head = [
        `${carrierLabel(s.carrier)} ${s.trackingNo} — ${STATUS_LABEL[s.status]}`,
        `Order ${s.orderRefs.join(", ")}${to ? ` → ${to}` : ""}; shipped ${formatShort(s.shippedAt, tz)}` +
          (s.deliveredAt ? `, delivered ${formatShort(s.deliveredAt, tz)}` : ""),
        s.lastSyncOkAt
          ? `Checked ${formatShort(s.lastSyncOkAt, tz)}${s.provider ? ` via ${s.provider}` : ""}${s.endedAt ? " (tracking finished)" : ""}`
          : `Not checked yet${s.lastSyncError ? `: ${s.lastSyncError}` : ""}`,
      ];
      const scans = events.length
        ? events.map(
            (e) =>
              `${formatShort(e.occurredAt, tz)}  ${e.description || STATUS_LABEL[e.status]}${e.location ? ` (${e.location})` : ""}`,
          )
        : ["No scans yet."];
      return [...head, ...scans].join("\n");
    });
    const more = found.length > 3 ? `\n…and ${found.length - 3} more parcels.` : "";
    return { text: blocks.join("\n\n") + more };
  },
});
