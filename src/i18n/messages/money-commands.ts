import { defineMessages } from "../define.js";

/** /refunds, /refund, /approve-refund, /reject-refund, /refund-done and /breaker replies; refund lines. */
export const moneyCommandMessages = defineMessages({
  "refund-state-pending": { en: "pending", "zh-CN": "待审批" },
  "refund-state-approved": { en: "approved", "zh-CN": "已批准" },
  "refund-state-rejected": { en: "rejected", "zh-CN": "已拒绝" },
  "refund-state-executed": { en: "executed", "zh-CN": "已退款" },
  "refund-state-failed": { en: "failed", "zh-CN": "失败" },
  "refund-by": { en: "by { $who }", "zh-CN": "经办 { $who }" },
  "refund-waits-done": { en: " — waits for Done", "zh-CN": " — 等待点“完成”" },
  "refund-last-error": { en: " — last attempt: { $error }", "zh-CN": " — 上次尝试：{ $error }" },
  "refund-line": {
    en: "{ $icon } { $id } { $state } { $amount } { $channel }:{ $order } { $who }{ $extra }",
    "zh-CN": "{ $icon } { $id } { $state } { $amount } { $channel }:{ $order } { $who }{ $extra }",
  },
  "refunds-breaker-open": {
    en: "🚨 Breaker OPEN: refunds are blocked. /breaker for details.",
    "zh-CN": "🚨 退款熔断器已打开：退款被暂停。详情见 /breaker。",
  },
  "refunds-filter-open": { en: "open", "zh-CN": "未完成" },
  "refunds-filter-pending": { en: "pending", "zh-CN": "待审批" },
  "refunds-filter-approved": { en: "approved", "zh-CN": "已批准" },
  "refunds-filter-executed": { en: "executed", "zh-CN": "已退款" },
  "refunds-filter-rejected": { en: "rejected", "zh-CN": "已拒绝" },
  "refunds-filter-failed": { en: "failed", "zh-CN": "失败" },
  "refunds-filter-all": { en: "all", "zh-CN": "全部" },
  "refunds-none": { en: "No { $filter } refunds.", "zh-CN": "没有{ $filter }的退款。" },
  "refunds-none-all": { en: "No refunds.", "zh-CN": "没有退款记录。" },
  "refunds-head": { en: "Refunds ({ $filter }, newest first):", "zh-CN": "退款（{ $filter }，最新在前）：" },
  "button-approve-refund": { en: "Approve { $id }", "zh-CN": "批准 { $id }" },
  "refund-request-head": {
    en: "💰 Refund request { $id }: { $amount } for { $channel } order { $order }",
    "zh-CN": "💰 退款申请 { $id }：{ $channel } 订单 { $order } 退 { $amount }",
  },
  "refund-request-reason": { en: "Reason: { $reason }", "zh-CN": "原因：{ $reason }" },
  "refund-request-asked": {
    en: "Asked by { $who }. Needs an operator other than the requester.",
    "zh-CN": "申请人 { $who }。需要申请人以外的一位操作员批准。",
  },
  "refund-request-asked-approver": {
    en: "Asked by { $who }. Needs an approver other than the requester.",
    "zh-CN": "申请人 { $who }。需要申请人以外的一位审批人批准。",
  },
  "refund-request-breaker": {
    en: "⛔ The refund breaker is open: it waits until an admin resets it.",
    "zh-CN": "⛔ 退款熔断器已打开：等管理员重置后才会处理。",
  },
  "refund-already-recorded": { en: "Already recorded:", "zh-CN": "已经登记过：" },
  "button-approve": { en: "Approve", "zh-CN": "批准" },
  "button-reject": { en: "Reject…", "zh-CN": "拒绝…" },
  "err-refund-currency": {
    en: "Order { $order } is in { $orderCurrency }, not { $currency }. Use e.g. { $example }.",
    "zh-CN": "订单 { $order } 的币种是 { $orderCurrency }，不是 { $currency }。请写成例如 { $example }。",
  },
  "err-refund-zero": { en: "A refund must be more than 0.", "zh-CN": "退款金额必须大于 0。" },
  "err-refund-exceeds": {
    en: "Order { $order } totals { $total }; { $left } is left to refund, not { $amount }.",
    "zh-CN": "订单 { $order } 总额 { $total }，还可退 { $left }，不能退 { $amount }。",
  },
  "err-reject-reason": {
    en: "Say why: /reject_refund { $id } REASON",
    "zh-CN": "请说明原因：/reject_refund { $id } 原因",
  },
  "reject-refund-done": {
    en: "✖️ { $id } rejected by { $who }: { $reason }. { $amount } on { $order } will not be refunded.",
    "zh-CN": "✖️ { $id } 已被 { $who } 拒绝：{ $reason }。{ $order } 的 { $amount } 不会退款。",
  },
  "refund-done-already": {
    en: "{ $id } was already marked done by { $who }.",
    "zh-CN": "{ $id } 已由 { $who } 标记为完成。",
  },
  "refund-done": {
    en: "💸 { $id } done: { $amount } refunded by hand on { $order } ({ $who }).",
    "zh-CN": "💸 { $id } 已完成：已在 { $order } 手动退款 { $amount }（{ $who }）。",
  },
});
