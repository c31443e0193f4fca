import { defineMessages } from "../define.js";

/** The bulk-change breaker: its alert, buttons and /bulk replies (issue 18). */
export const bulkGuardMessages = defineMessages({
  "cmd-bulk-summary": {
    en: "Bulk stock changes held for approval: list, release or discard",
    "zh-CN": "等待批准的批量库存变更：查看、放行或丢弃",
  },
  "bulk-held-alert": {
    en: "🛑 Bulk change { $id } held: { $skus } SKUs would change at once ({ $zeroed } to 0, { $moved } of { $published } published units). Cause: { $cause }. Nothing was pushed for these SKUs.\nLargest moves:\n{ $moves }\nAn approver decides: /bulk release { $id } pushes them, /bulk discard { $id } leaves the channels as they are.",
    "zh-CN":
      "🛑 批量变更 { $id } 已拦截：{ $skus } 个 SKU 将同时变化（{ $zeroed } 个变为 0，涉及已发布 { $published } 件中的 { $moved } 件）。原因：{ $cause }。这些 SKU 都还没有推送。\n变化最大的：\n{ $moves }\n请审批人决定：/bulk release { $id } 推送，/bulk discard { $id } 保持各渠道不变。",
  },
  "button-bulk-release": { en: "Release", "zh-CN": "放行" },
  "button-bulk-discard": { en: "Discard", "zh-CN": "丢弃" },
  "arg-bulk-action": { en: "release|discard", "zh-CN": "release|discard" },
  "arg-bulk-action-help": {
    en: "release pushes the held changes; discard drops them (approver)",
    "zh-CN": "release 放行被拦截的变更；discard 丢弃（需审批人）",
  },
  "bulk-none": { en: "No bulk change is held.", "zh-CN": "没有被拦截的批量变更。" },
  "bulk-line": {
    en: "{ $id } · { $at } · { $skus } SKUs ({ $zeroed } to 0, { $moved }/{ $published } units) · { $cause } · { $held } pushes held",
    "zh-CN":
      "{ $id } · { $at } · { $skus } 个 SKU（{ $zeroed } 个变为 0，{ $moved }/{ $published } 件）· { $cause } · 拦截 { $held } 条推送",
  },
  "bulk-unknown": {
    en: "No bulk hold { $id }. /bulk lists the held ones.",
    "zh-CN": "没有批量拦截 { $id }。发送 /bulk 查看被拦截的。",
  },
  "bulk-already": {
    en: "Bulk hold { $id } was already { $status } by { $who }.",
    "zh-CN": "批量拦截 { $id } 已由 { $who } { $status }。",
  },
  "bulk-needs-approver": {
    en: "Only an approver can release or discard a bulk change. /bulk shows what is held.",
    "zh-CN": "只有审批人可以放行或丢弃批量变更。发送 /bulk 查看被拦截的。",
  },
  "bulk-own-release": {
    en: "You caused bulk hold { $id } ({ $who }), so another approver must release it; you may still discard it.",
    "zh-CN": "批量拦截 { $id } 由你（{ $who }）的操作引起，需由另一位审批人放行；你仍可以丢弃它。",
  },
  "bulk-status-released": { en: "released", "zh-CN": "放行" },
  "bulk-status-discarded": { en: "discarded", "zh-CN": "丢弃" },
  "bulk-preview-release": {
    en: "Release bulk hold { $id }: { $held } pushes go to { $channels } now ({ $zeroed } SKUs to 0).\nLargest moves:\n{ $moves }",
    "zh-CN":
      "放行批量拦截 { $id }：{ $held } 条推送将立即发往 { $channels }（{ $zeroed } 个 SKU 变为 0）。\n变化最大的：\n{ $moves }",
  },
  "bulk-preview-discard": {
    en: "Discard bulk hold { $id }: its { $held } pushes are dropped and { $channels } keep what they show. The ledger keeps its numbers: put them right (the correct file, /set) or the next change of these SKUs is checked again.",
    "zh-CN":
      "丢弃批量拦截 { $id }：丢弃其中 { $held } 条推送，{ $channels } 保持现状。账本中的数量不变：请改正（正确的文件、/set），否则这些 SKU 的下一次变化会再次被检查。",
  },
  "bulk-released": {
    en: "✅ Bulk hold { $id } released by { $who }: { $held } pushes go to { $channels }.",
    "zh-CN": "✅ 批量拦截 { $id } 已由 { $who } 放行：{ $held } 条推送发往 { $channels }。",
  },
  "bulk-discarded": {
    en: "🗑 Bulk hold { $id } discarded by { $who }: { $held } pushes dropped; { $channels } keep what they show. The ledger still holds the new numbers: fix them (the correct file, /set).",
    "zh-CN":
      "🗑 批量拦截 { $id } 已由 { $who } 丢弃：丢弃 { $held } 条推送；{ $channels } 保持现状。账本中仍是新数量：请改正（正确的文件、/set）。",
  },
});
