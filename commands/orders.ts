import { z } from "zod";
import { channelArg, checkChannel } from "../src/chat/args.js";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";

export default defineCommand({
  name: "orders",
  summary: msg("cmd-orders-summary"),
  aliases: { "zh-CN": ["订单"] },
  role: "viewer",
  args: z.object({ channel: channelArg() }),
  examples: ["/orders", "/orders shop1"],
  run: async ({ channel }, { deps, tr }) => {
    const only = checkChannel(deps, channel);
    const orders = deps.orders.recentOrders({ ...(only ? { channelId: only } : {}), limit: 10 });
    const at = (iso: string) => tr.dateTime(new Date(iso));
    const cursors = (only ? [only] : deps.sync.channelIds()).map((c) => {
      const cur = deps.channelState.orderCursor(c);
      return cur
        ? tr.t("orders-cursor-last", { channel: c, at: at(cur.updatedAt) })
        : tr.t("orders-cursor-never", { channel: c });
    });
    if (!orders.length) {
      const none = only ? tr.t("orders-none-for", { channel: only }) : tr.t("orders-none");
      return { text: [none, ...cursors].join("\n") };
    }
    const money = (minor: number | null, currency: string | null) =>
      minor === null || !currency ? "" : ` · ${tr.money({ amountMinor: minor, currency })}`;
    const lines = orders.map((o) => {
      const items = o.lines
        .map((l) => tr.t("orders-item", { status: tr.t(`order-status-${l.status}`), qty: l.qty, sku: l.sku ?? "?" }))
        .join(tr.locale === "en" ? ", " : "，");
      return tr.t("orders-line", {
        channel: o.channelId,
        order: o.orderId,
        at: at(o.createdAt),
        money: money(o.totalMinor, o.currency),
        items,
        source: tr.t(`order-source-${o.source}`),
      });
    });
    return { text: [...lines, ...cursors].join("\n") };
  },
});
