import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { carrierLabel } from "../src/couriers/carrier-codes.js";
import { STATUS_LABEL } from "../src/couriers/status.js";
import { formatShort, hoursBetween } from "../src/couriers/time.js";
import { msg } from "../src/i18n/commands.js";
import { must } from "../src/internal-error.js";
import { assessParcel, radarSettings } from "../src/radar/rules.js";

export default defineCommand({
  name: "late",
  summary: msg("cmd-late-summary"),
  aliases: { "zh-CN": ["延误"] },
  role: "viewer",
  args: z.object({}),
  run: async (_args, { deps }) => {
    const settings = radarSettings(deps.config);
    const now = deps.clock.now();
    const tz = deps.config.timezone;
    const late = deps.shipments
      .activeShipments()
      .map((s) => ({ s, a: assessParcel(s, settings, now) }))
      .filter(({ a }) => a.since !== undefined)
      .sort((x, y) => (x.a.since ?? "").localeCompare(y.a.since ?? ""));
    if (!late.length) return { text: "No late parcels: everything moved within the thresholds." };
    const lines = late.slice(0, 30).map(({ s, a }) => {
      const what = a.problem
        ? `${STATUS_LABEL[a.problem]} since ${formatShort(must(a.since, "late parcels have a since"), tz)}`
        : a.stalled
          ? `no scan for ${Math.floor(hoursBetween(must(s.lastEventAt, "a stalled parcel has a last event"), now))} h`
          : a.noPickup
            ? `no pickup ${Math.floor(hoursBetween(s.shippedAt, now))} h after shipping`
            : `tracking data stale since ${formatShort(must(a.since, "late parcels have a since"), tz)}`;
      const to = s.destination.region ?? s.destination.country;
      return `${s.trackingNo} ${carrierLabel(s.carrier)} · order ${s.orderRef}${to ? ` → ${to}` : ""} · ${what}`;
    });
    const more = late.length > 30 ? [`…and ${late.length - 30} more.`] : [];
    return {
      text: [`Late parcels (${late.length}), oldest problem first:`, ...lines, ...more].join("\n"),
      buttons: late.slice(0, 3).map(({ s }) => ({ label: `Track ${s.trackingNo}`, action: `/track ${s.trackingNo}` })),
    };
  },
});
