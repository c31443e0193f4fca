import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { hoursBetween } from "../src/couriers/time.js";
import { msg } from "../src/i18n/commands.js";
import { renderRef } from "../src/i18n/ref.js";
import { must } from "../src/internal-error.js";
import { laneName } from "../src/radar/lanes.js";
import { assessParcel, canStall, carrierName, laneModelFor, radarSettings, statusRef } from "../src/radar/rules.js";

export default defineCommand({
  name: "late",
  summary: msg("cmd-late-summary"),
  aliases: { "zh-CN": ["延误"] },
  role: "viewer",
  args: z.object({}),
  run: async (_args, { deps, tr }) => {
    const settings = radarSettings(deps.config);
    const now = deps.clock.now();
    const lanes = laneModelFor(deps.radarLanes, settings, now);
    const late = deps.shipments
      .activeShipments()
      .map((s) => {
        const threshold = canStall(s) ? lanes.thresholdFor(s) : undefined;
        return { s, threshold, a: assessParcel(s, settings, now, threshold) };
      })
      .filter(({ a }) => a.since !== undefined)
      .sort((x, y) => (x.a.since ?? "").localeCompare(y.a.since ?? ""));
    if (!late.length) return { text: tr.t("late-none") };
    const since = (a: { since: string | undefined }) =>
      tr.dateTime(new Date(must(a.since, "late parcels have a since")));
    const lines = late.slice(0, 30).map(({ s, a, threshold }) => {
      const stalledFor = () => Math.floor(hoursBetween(must(s.lastEventAt, "a stalled parcel has a last event"), now));
      const what = a.problem
        ? tr.t("late-problem", { status: renderRef(tr, statusRef(a.problem)), since: since(a) })
        : a.customsAction
          ? tr.t("late-customs-action", { since: since(a) })
          : a.stalled && threshold?.learned
            ? tr.t("late-stalled-learned", {
                carrier: carrierName(s.carrier).byLocale[tr.locale],
                lane: laneName(threshold.learned).byLocale[tr.locale],
                usual: a.stallHours,
                hours: stalledFor(),
              })
            : a.stalled
              ? tr.t("late-stalled", { hours: stalledFor() })
              : a.labelOnly
                ? tr.t("late-label-only", { hours: Math.floor(hoursBetween(s.shippedAt, now)) })
                : a.noPickup
                  ? tr.t("late-no-pickup", { hours: Math.floor(hoursBetween(s.shippedAt, now)) })
                  : tr.t("late-stale", { since: since(a) });
      const to = s.destination.region ?? s.destination.country;
      const common = {
        trackingNo: s.trackingNo,
        carrier: carrierName(s.carrier).byLocale[tr.locale],
        order: s.orderRef,
        what,
      };
      return to ? tr.t("late-line-to", { ...common, to }) : tr.t("late-line", common);
    });
    const more = late.length > 30 ? [tr.t("late-more", { count: late.length - 30 })] : [];
    return {
      text: [tr.t("late-header", { count: late.length }), ...lines, ...more].join("\n"),
      buttons: late.slice(0, 3).map(({ s }) => ({
        label: tr.t("late-button", { trackingNo: s.trackingNo }),
        action: `/track ${s.trackingNo}`,
      })),
    };
  },
});
