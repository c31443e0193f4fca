import { defineMessages } from "../define.js";

/** /approve-refund outcomes and preview, the manual to-do, channel refund notices, refund state refusals and /breaker. */
export const refundFlowMessages = defineMessages({
  "err-own-refund": {
    en: "You requested { $id }; someone else must approve it.",
    "zh-CN": "{ $id } 是你申请的，需要其他人批准。",
  },
  "err-needs-approver": {
    en: "{ $id } is { $amount }, above { $limit }: only approvers can approve it. Ask one to run /approve_refund { $id }.",
    "zh-CN":
      "{ $id } 金额 { $amount }，超过 { $limit }：只有审批人能批准。请找一位审批人发送 /approve_refund { $id }。",
  },
  "approve-preview": {
    en: "Approve refund { $id }: { $amount } to { $channel } order { $order }, { $how }.",
    "zh-CN": "批准退款 { $id }：{ $channel } 订单 { $order } 退 { $amount }，{ $how }。",
  },
  "approve-how-api": { en: "through { $channel }'s refund API", "zh-CN": "通过 { $channel } 的退款接口" },
  "approve-how-manual": {
    en: "by hand (a to-do is posted, then Done)",
    "zh-CN": "手动处理（先发待办，退完后点“完成”）",
  },
  "approve-preview-retry": {
    en: "Retry refund { $id }: { $amount } to { $channel } order { $order }, same idempotency key (last attempt: { $last }).",
    "zh-CN": "重试退款 { $id }：{ $channel } 订单 { $order } 退 { $amount }，使用同一个幂等键（上次尝试：{ $last }）。",
  },
  "approve-last-cut-off": { en: "cut off", "zh-CN": "中断" },
  "approve-preview-reason": {
    en: "Reason: { $reason }. Asked by { $who }.",
    "zh-CN": "原因：{ $reason }。申请人 { $who }。",
  },
  "approve-preview-trip": {
    en: "⚠️ This would bring refunds in the last { $minutes } min to { $total }, over { $limit }: confirming opens the breaker instead.",
    "zh-CN":
      "⚠️ 这会使最近 { $minutes } 分钟内的退款总额达到 { $total }，超过 { $limit }：确认后会打开熔断器，不会退款。",
  },
  "approve-tripped": {
    en: "⛔ { $id } blocked: refunds in the last { $minutes } min are { $total }; { $amount } more would pass the limit of { $limit }. The breaker is now open: nothing is refunded until an admin runs /breaker reset REASON.",
    "zh-CN":
      "⛔ { $id } 已拦截：最近 { $minutes } 分钟内退款已达 { $total }，再退 { $amount } 将超过上限 { $limit }。熔断器现已打开：管理员发送 /breaker reset 原因 之前不会再退款。",
  },
  "approve-manual": {
    en: "✅ { $id } approved. { $channel } has no refund API here: a to-do was posted; press Done once { $amount } is sent.",
    "zh-CN": "✅ { $id } 已批准。{ $channel } 在这里没有退款接口：已发出待办；{ $amount } 退出后请点“完成”。",
  },
  "approve-executed": {
    en: "💸 { $id } refunded: { $amount } on { $channel } order { $order } (channel refund { $ref }). Approved by { $who }.",
    "zh-CN": "💸 { $id } 已退款：{ $channel } 订单 { $order } 退 { $amount }（渠道退款号 { $ref }）。批准人 { $who }。",
  },
  "approve-failed": {
    en: "⚠️ { $id } approved but { $channel } refused it: { $error } Nothing was refunded.",
    "zh-CN": "⚠️ { $id } 已批准，但 { $channel } 拒绝了：{ $error } 没有退款。",
  },
  "approve-unknown": {
    en: "⚠️ { $id } approved but { $channel } did not confirm ({ $error }). Retry sends the same idempotency key, so it cannot refund twice.",
    "zh-CN": "⚠️ { $id } 已批准，但 { $channel } 没有确认（{ $error }）。重试使用同一个幂等键，不会重复退款。",
  },
  "button-done": { en: "Done", "zh-CN": "完成" },
  "button-retry": { en: "Retry", "zh-CN": "重试" },
  "refund-manual-todo": {
    en: "📝 To do: refund { $amount } on { $channel } order { $order } by hand ({ $id }, approved by { $who }). Reason: { $reason }. Press Done when the money is sent.",
    "zh-CN":
      "📝 待办：请在 { $channel } 订单 { $order } 手动退款 { $amount }（{ $id }，批准人 { $who }）。原因：{ $reason }。钱退出后请点“完成”。",
  },
  "refund-channel-notice": {
    en: "💸 { $channel } refunded { $amount } on order { $order } ({ $id }, made on the channel).",
    "zh-CN": "💸 { $channel } 已为订单 { $order } 退款 { $amount }（{ $id }，在渠道上发起）。",
  },
  "err-refund-in-flight": {
    en: "{ $id } was approved by { $who } and is being sent to { $channel } right now. /refunds shows the result.",
    "zh-CN": "{ $id } 已由 { $who } 批准，正在发往 { $channel }。结果见 /refunds。",
  },
  "err-refund-retry-in-flight": {
    en: "{ $id } is being sent to { $channel } right now (approved by { $who }). Wait for the result; /refunds shows it.",
    "zh-CN": "{ $id } 正在发往 { $channel }（批准人 { $who }）。请等待结果，见 /refunds。",
  },
  "err-refund-already-approved": {
    en: "{ $id } was already approved by { $who } at { $at }.",
    "zh-CN": "{ $id } 已由 { $who } 于 { $at } 批准。",
  },
  "err-refund-already-approved-manual": {
    en: "{ $id } was already approved by { $who } at { $at }; it waits for Done.",
    "zh-CN": "{ $id } 已由 { $who } 于 { $at } 批准，正在等待点“完成”。",
  },
  "err-refund-already-executed": {
    en: "{ $id } was already refunded ({ $amount }, { $at }, approved by { $who }). Nothing more to do.",
    "zh-CN": "{ $id } 已经退款（{ $amount }，{ $at }，批准人 { $who }）。无需再操作。",
  },
  "err-refund-already-executed-channel": {
    en: "{ $id } was already refunded ({ $amount }, { $at }). Nothing more to do.",
    "zh-CN": "{ $id } 已经退款（{ $amount }，{ $at }）。无需再操作。",
  },
  "err-refund-rejected": {
    en: "{ $id } was rejected by { $who }: { $reason }. Request a new refund if it is still owed.",
    "zh-CN": "{ $id } 已被 { $who } 拒绝：{ $reason }。如仍需退款，请重新申请。",
  },
  "err-refund-failed": {
    en: "{ $id } failed on { $channel } ({ $error }). Request a new refund if it is still owed.",
    "zh-CN": "{ $id } 在 { $channel } 上失败（{ $error }）。如仍需退款，请重新申请。",
  },
  "refund-no-detail": { en: "no detail", "zh-CN": "无详情" },
  "err-unknown-refund": {
    en: "No refund { $id }. /refunds lists the open ones.",
    "zh-CN": "没有退款 { $id }。/refunds 列出未完成的退款。",
  },
  "err-refund-not-manual": {
    en: "{ $id } is refunded through { $channel }'s API; nothing to mark done by hand.",
    "zh-CN": "{ $id } 通过 { $channel } 的接口退款，无需手动标记完成。",
  },
  "err-refund-not-approved": {
    en: "{ $id } is still pending; it needs an approval before anyone pays it out.",
    "zh-CN": "{ $id } 仍在待审批，批准后才能付款。",
  },
  "err-breaker-closed": {
    en: "The breaker is not open; nothing to reset. /breaker shows its state.",
    "zh-CN": "熔断器没有打开，无需重置。/breaker 显示它的状态。",
  },
  "err-breaker-needs-admin": {
    en: "Only an admin can reset the breaker. /breaker shows why it opened.",
    "zh-CN": "只有管理员能重置熔断器。/breaker 显示它打开的原因。",
  },
  "err-breaker-reason": {
    en: "Say why it is safe: /breaker reset REASON",
    "zh-CN": "请说明为什么可以恢复：/breaker reset 原因",
  },
  "breaker-reset-done": {
    en: "🟢 Breaker reset by { $who }: { $reason }. Refunds and price changes are allowed again; blocked refunds still need a new approval (/refunds).",
    "zh-CN": "🟢 熔断器已由 { $who } 重置：{ $reason }。退款和改价已恢复；被拦截的退款仍需重新批准（/refunds）。",
  },
  "breaker-state-open": {
    en: "🚨 Breaker OPEN since { $since } (paged { $count }×)",
    "zh-CN": "🚨 退款熔断器自 { $since } 起打开（已通知 { $count } 次）",
  },
  "breaker-state-closed": { en: "🟢 Breaker closed", "zh-CN": "🟢 退款熔断器正常" },
  "breaker-window-head": {
    en: "Refunds in the last { $minutes } min:",
    "zh-CN": "最近 { $minutes } 分钟内的退款：",
  },
  "breaker-window-none": { en: "none", "zh-CN": "无" },
  "breaker-window-line": {
    en: `{ $total } of { $limit } ({ $count ->
        [one] { $count } refund
       *[other] { $count } refunds
    })`,
    "zh-CN": "{ $total } / 上限 { $limit }（{ $count } 笔退款）",
  },
  "breaker-history-head": { en: "History:", "zh-CN": "历史：" },
  "breaker-history-trip": {
    en: "{ $at } opened by { $who }{ $amount }: { $reason }",
    "zh-CN": "{ $at } 由 { $who } 打开{ $amount }：{ $reason }",
  },
  "breaker-history-reset": {
    en: "{ $at } reset by { $who }: { $reason }",
    "zh-CN": "{ $at } 由 { $who } 重置：{ $reason }",
  },
  "refund-no-api": {
    en: "{ $channel } has no refund API here; refund { $id } by hand and press Done.",
    "zh-CN": "{ $channel } 在这里没有退款接口；请手工退款 { $id }，然后点“完成”。",
  },
  "refund-no-answer": {
    en: "{ $channel } did not answer in time",
    "zh-CN": "{ $channel } 未及时响应",
  },
});
