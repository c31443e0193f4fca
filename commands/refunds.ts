import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import { must } from "../src/internal-error.js";
import type { RefundState } from "../src/money/refund-store.js";
import { refundLine } from "../src/money/render.js";

const FILTERS: Record<string, RefundState[]> = {
  open: ["pending", "approved"],
  pending: ["pending"],
  approved: ["approved"],
  executed: ["executed"],
  rejected: ["rejected"],
  failed: ["failed"],
  all: ["pending", "approved", "rejected", "executed", "failed"],
};

export default defineCommand({
  name: "refunds",
  summary: msg("cmd-refunds-summary"),
  aliases: { "zh-CN": ["退款列表"] },
  role: "viewer",
  args: z.object({
    filter: z
      .enum(Object.keys(FILTERS) as [string, ...string[]])
      .default("open")
      .describe("FILTER"),
  }),
  examples: ["/refunds", "/refunds all"],
  run: async ({ filter }, { deps }) => {
    const list = deps.refunds.listRefunds({ states: must(FILTERS[filter], "refund filters are validated"), limit: 15 });
    const breaker = deps.breaker.breakerState();
    const head = breaker.isOpen ? "🚨 Breaker OPEN: refunds are blocked. /breaker for details.\n" : "";
    if (!list.length) return { text: `${head}No ${filter === "all" ? "" : `${filter} `}refunds.` };
    const pending = list.filter((r) => r.state === "pending").slice(0, 3);
    return {
      text: `${head}Refunds (${filter}, newest first):\n${list.map(refundLine).join("\n")}`,
      buttons: pending.map((r) => ({ label: `Approve ${r.id}`, action: `/approve-refund ${r.id}` })),
    };
  },
});
