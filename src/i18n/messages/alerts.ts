import { defineMessages } from "../define.js";

/** The alert centre: how an alert reads in chat, its buttons, and the alerts the ledger, sync and radar raise. */
export const alertMessages = defineMessages({
  "alert-reminder": { en: "(reminder { $count })", "zh-CN": "（第 { $count } 次提醒）" },
  "button-ack": { en: "Ack", "zh-CN": "知道了" },
  "button-snooze-2h": { en: "Snooze 2h", "zh-CN": "静默 2 小时" },
  "button-why": { en: "Why", "zh-CN": "原因" },
  "button-history": { en: "History", "zh-CN": "变动记录" },
  "button-stock": { en: "Stock", "zh-CN": "库存" },
  "button-track": { en: "Track", "zh-CN": "查物流" },
  "button-status": { en: "Status", "zh-CN": "同步状态" },
  "button-pause": { en: "Pause", "zh-CN": "暂停" },
  "button-breaker": { en: "Breaker", "zh-CN": "熔断器" },
  "button-refunds": { en: "Refunds", "zh-CN": "退款列表" },
  "err-alert-unknown": {
    en: "Alert { $id } does not exist. /alerts lists the open ones.",
    "zh-CN": "没有编号为 { $id } 的告警。发送 /alerts 查看未处理的告警。",
  },
  "err-alert-resolved-ack": {
    en: "Alert { $id } is already resolved; nothing to acknowledge.",
    "zh-CN": "告警 { $id } 已经解决，无需确认。",
  },
  "err-alert-resolved-snooze": {
    en: "Alert { $id } is already resolved; nothing to snooze.",
    "zh-CN": "告警 { $id } 已经解决，无需静默。",
  },
  "alert-low-stock": {
    en: "Low stock: { $sku } has { $available } available (threshold { $threshold }). { $action }",
    "zh-CN": "库存不足：{ $sku } 可售 { $available } 件（预警线 { $threshold }）。{ $action }",
  },
  "alert-low-stock-delist": {
    en: "Listings are delisted until you restock.",
    "zh-CN": "补货前各渠道商品已下架。",
  },
  "alert-low-stock-split": {
    en: "Channels now share what is left so they cannot oversell together.",
    "zh-CN": "各渠道现在分摊剩余库存，不会一起超卖。",
  },
  "alert-low-stock-zero": {
    en: "Every channel now shows 0.",
    "zh-CN": "各渠道现在都显示 0 件。",
  },
  "alert-low-stock-cap": {
    en: "Every channel now shows at most { $cap }.",
    "zh-CN": "各渠道现在最多显示 { $cap } 件。",
  },
  "alert-oversell": {
    en: "Oversold: order { $order } on { $channel } wants { $qty } × { $sku } but only { $held } were available (short { $short }). Restock, or cancel the line on { $channel }.",
    "zh-CN":
      "超卖：{ $channel } 的订单 { $order } 要 { $qty } 件 { $sku }，但只有 { $held } 件可售（缺 { $short } 件）。请补货，或在 { $channel } 取消该商品行。",
  },
  "alert-channel-failing": {
    en: "{ $channel } has failed { $failures } calls in a row (last: { $error }). Pushes stay queued and are retried; check the channel's credentials and status, or /pause { $channel }.",
    "zh-CN":
      "{ $channel } 已连续 { $failures } 次调用失败（最近一次：{ $error }）。推送仍在排队并会重试；请检查该渠道的凭据和状态，或发送 /pause { $channel } 暂停。",
  },
  "alert-internal-error": {
    en: "Internal error in { $where } (ref { $ref }). This is a stockradar bug, not a provider failure; the work stays queued and is retried. Report it with the log lines carrying ref { $ref }.",
    "zh-CN":
      "内部出错（{ $where }，编号 { $ref }）。这是 stockradar 自身的问题，不是平台故障；任务仍在排队并会重试。请连同编号 { $ref } 的日志一起反馈。",
  },
  "where-sync": { en: "the sync of { $channel }", "zh-CN": "{ $channel } 的同步" },
  "where-job": { en: "job { $job }", "zh-CN": "定时任务 { $job }" },
  "radar-orders": {
    en: `{ $count ->
  [one] order
 *[other] orders
} { $orders }`,
    "zh-CN": "订单 { $orders }（{ $count } 个）",
  },
  "radar-headline": {
    en: "{ $carrier } { $trackingNo } ({ $orders })",
    "zh-CN": "{ $carrier } { $trackingNo }（{ $orders }）",
  },
  "radar-headline-to": {
    en: "{ $carrier } { $trackingNo } ({ $orders } → { $to })",
    "zh-CN": "{ $carrier } { $trackingNo }（{ $orders }，寄往 { $to }）",
  },
  "radar-for-buyer": { en: "For the buyer:", "zh-CN": "可发给买家：" },
  "radar-with-apology": {
    en: "{ $text }\n{ $label }\n{ $apology }",
    "zh-CN": "{ $text }\n{ $label }\n{ $apology }",
  },
  "alert-stalled": {
    en: "No new scan for { $hours } h (last { $last }): { $headline }. Ask the carrier to trace it.",
    "zh-CN": "包裹已 { $hours } 小时没有新的物流轨迹（最后一条 { $last }）：{ $headline }。请联系快递公司查件。",
  },
  "alert-no-pickup": {
    en: "No pickup scan { $hours } h after shipping: { $headline }. Ask the carrier to collect it, or check the number.",
    "zh-CN": "发货 { $hours } 小时后仍未揽收：{ $headline }。请催快递公司上门揽收，或核对运单号。",
  },
  "alert-parcel-problem": {
    en: "Parcel { $status }: { $headline }.",
    "zh-CN": "包裹{ $status }：{ $headline }。",
  },
  "alert-parcel-problem-scan": {
    en: "Parcel { $status }: { $headline }. Last scan { $last }: { $scan }",
    "zh-CN": "包裹{ $status }：{ $headline }。最后一条轨迹 { $last }：{ $scan }",
  },
  "alert-tracking-stale": {
    en: "Tracking data stale: no fresh data since { $since } for { $headline }. Check the courier provider settings and quota.",
    "zh-CN": "物流数据过期：{ $headline } 自 { $since } 起没有新数据。请检查物流查询服务的设置和额度。",
  },
  "alert-tracking-stale-never": {
    en: "Tracking data stale: no fresh data ever for { $headline }. Check the courier provider settings and quota.",
    "zh-CN": "物流数据过期：{ $headline } 从未取到数据。请检查物流查询服务的设置和额度。",
  },
  "alert-tracking-last-error": { en: "Last error: { $error }", "zh-CN": "最近的错误：{ $error }" },
  "alert-two-parts": { en: "{ $first } { $second }", "zh-CN": "{ $first }{ $second }" },
  "parcel-status-no-info": { en: "no info yet", "zh-CN": "暂无信息" },
  "parcel-status-info-received": { en: "label created", "zh-CN": "已下单" },
  "parcel-status-picked-up": { en: "picked up", "zh-CN": "已揽收" },
  "parcel-status-in-transit": { en: "in transit", "zh-CN": "运输中" },
  "parcel-status-out-for-delivery": { en: "out for delivery", "zh-CN": "派送中" },
  "parcel-status-available-for-pickup": { en: "at pickup point", "zh-CN": "待取件" },
  "parcel-status-delivery-failed": { en: "delivery failed", "zh-CN": "派送失败" },
  "parcel-status-exception": { en: "exception", "zh-CN": "异常" },
  "parcel-status-rejected": { en: "rejected by buyer", "zh-CN": "被拒收" },
  "parcel-status-returning": { en: "returning to sender", "zh-CN": "退回中" },
  "parcel-status-returned": { en: "returned", "zh-CN": "已退回" },
  "parcel-status-delivered": { en: "delivered", "zh-CN": "已签收" },
  "parcel-status-cancelled": { en: "cancelled", "zh-CN": "已销单" },
  "parcel-status-expired": { en: "tracking expired", "zh-CN": "已停止跟踪" },
  "breaker-page": {
    en: "🚨 Refund breaker OPEN since { $since }",
    "zh-CN": "🚨 退款熔断器自 { $since } 起已打开",
  },
  "breaker-page-n": {
    en: "🚨 Refund breaker OPEN since { $since } (page { $count })",
    "zh-CN": "🚨 退款熔断器自 { $since } 起已打开（第 { $count } 次通知）",
  },
  "breaker-reason": {
    en: "{ $refund } would take refunds in the window over the limit of { $limit }",
    "zh-CN": "退款 { $refund } 会使时间窗口内的退款总额超过上限 { $limit }",
  },
  "err-breaker-open": {
    en: "The refund breaker is open since { $since }: { $what } is blocked. An admin must check the refunds and run /breaker reset REASON.",
    "zh-CN": "退款熔断器自 { $since } 起已打开：{ $what } 已暂停。请管理员核对退款后发送 /breaker reset 原因。",
  },
  "what-approving": { en: "approving { $id }", "zh-CN": "批准 { $id }" },
  "what-retrying": { en: "retrying { $id }", "zh-CN": "重试 { $id }" },
  "breaker-page-blocked": {
    en: "Every refund and price change is blocked. An admin must check /refunds, then run /breaker reset REASON.",
    "zh-CN": "所有退款和改价都已暂停。请管理员先查看 /refunds，再发送 /breaker reset 原因 解除。",
  },
});
