import { z } from "zod";
import { fromMinor } from "../src/channels/http.js";
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
  run: async ({ channel }, { deps }) => {
    const only = checkChannel(deps, channel);
    const orders = deps.orders.recentOrders({ ...(only ? { channelId: only } : {}), limit: 10 });
    const cursors = (only ? [only] : deps.sync.channelIds()).map((c) => {
      const cur = deps.channelState.orderCursor(c);
      return `${c}: ${cur ? `last import ${cur.updatedAt.slice(0, 16).replace("T", " ")} UTC` : "never imported"}`;
    });
    if (!orders.length) return { text: `No orders recorded${only ? ` for ${only}` : ""} yet.\n${cursors.join("\n")}` };
    const money = (minor: number | null, currency: string | null) =>
      minor === null || !currency ? "" : ` · ${fromMinor(minor, currency)} ${currency}`;
    const lines = orders.map((o) => {
      const items = o.lines.map((l) => `${l.status} ${l.qty}×${l.sku ?? "?"}`).join(", ");
      return `${o.channelId} #${o.orderId} · ${o.createdAt.slice(0, 16).replace("T", " ")}${money(o.totalMinor, o.currency)} · ${items} (${o.source})`;
    });
    return { text: `${lines.join("\n")}\n${cursors.join("\n")}` };
  },
});
