import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { NotFoundError } from "../src/errors.js";
import { msg } from "../src/i18n/commands.js";
import { localized } from "../src/i18n/errors.js";
import { renderRef, textRef } from "../src/i18n/ref.js";
import { carrierName, statusRef } from "../src/radar/rules.js";

export default defineCommand({
  name: "track",
  summary: msg("cmd-track-summary"),
  aliases: { "zh-CN": ["物流"] },
  role: "viewer",
  args: z.object({
    ref: z.string().trim().min(1).max(64, { message: "must be at most 64 characters" }).describe("ORDER|TRACKING"),
  }),
  examples: ["/track SF1234567890123", "/track 1001"],
  run: async ({ ref }, { deps, tr }) => {
    const found = deps.shipments.findShipments(ref);
    if (!found.length) throw localized(NotFoundError, "unknown_parcel", textRef("track-unknown", { ref }));
    const at = (iso: string) => tr.dateTime(new Date(iso));
    const status = (st: Parameters<typeof statusRef>[0]) => renderRef(tr, statusRef(st));
    const sep = tr.locale === "en" ? ", " : "，";
    const blocks = found.slice(0, 3).map((s) => {
      const events = deps.shipments.eventsFor(s.id, 10);
      const to = [s.destination.region, s.destination.city].filter(Boolean).join(" ") || s.destination.country;
      const orders = s.orderRefs.join(", ");
      const checked = s.lastSyncOkAt
        ? [
            tr.t("track-checked", { at: at(s.lastSyncOkAt) }),
            ...(s.provider ? [tr.t("track-via", { provider: s.provider })] : []),
            ...(s.endedAt ? [tr.t("track-finished")] : []),
          ].join(tr.locale === "en" ? " " : "")
        : `${tr.t("track-not-checked")}${s.lastSyncError ? `: ${s.lastSyncError}` : ""}`;
      const head = [
        tr.t("track-head", {
          carrier: carrierName(s.carrier).byLocale[tr.locale],
          trackingNo: s.trackingNo,
          status: status(s.status),
        }),
        [
          to ? tr.t("track-order-to", { orders, to }) : tr.t("track-order", { orders }),
          [
            tr.t("track-shipped", { at: at(s.shippedAt) }),
            ...(s.deliveredAt ? [tr.t("track-delivered", { at: at(s.deliveredAt) })] : []),
          ].join(sep),
        ].join(tr.locale === "en" ? "; " : "；"),
        checked,
      ];
      const scans = events.length
        ? events.map(
            (e) => `${at(e.occurredAt)}  ${e.description || status(e.status)}${e.location ? ` (${e.location})` : ""}`,
          )
        : [tr.t("track-no-scans")];
      return [...head, ...scans].join("\n");
    });
    const more = found.length > 3 ? `\n${tr.t("track-more", { count: found.length - 3 })}` : "";
    return { text: blocks.join("\n\n") + more };
  },
});
