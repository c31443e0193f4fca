import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { msg } from "../src/i18n/commands.js";
import type { RefundState } from "../src/money/refund-store.js";
import { refundLine } from "../src/money/render.js";

type FilterName = "open" | "pending" | "approved" | "executed" | "rejected" | "failed" | "all";

const FILTERS: Record<FilterName, RefundState[]> = {
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
      .enum(Object.keys(FILTERS) as [FilterName, ...FilterName[]])
      .default("open")
      .describe("FILTER"),
  }),
  examples: ["/refunds", "/refunds all"],
  run: async ({ filter }, { deps, tr }) => {
    const list = deps.refunds.listRefunds({ states: FILTERS[filter], limit: 15 });
    const breaker = deps.breaker.breakerState();
    const head = breaker.isOpen ? `${tr.t("refunds-breaker-open")}\n` : "";
    const name = tr.t(`refunds-filter-${filter}`);
    if (!list.length)
      return { text: `${head}${filter === "all" ? tr.t("refunds-none-all") : tr.t("refunds-none", { filter: name })}` };
    const pending = list.filter((r) => r.state === "pending").slice(0, 3);
    return {
      text: `${head}${tr.t("refunds-head", { filter: name })}\n${list.map((r) => refundLine(r, tr)).join("\n")}`,
      buttons: pending.map((r) => ({
        label: tr.t("button-approve-refund", { id: r.id }),
        action: `/approve-refund ${r.id}`,
      })),
    };
  },
});
