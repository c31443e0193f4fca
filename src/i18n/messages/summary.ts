import { defineMessages } from "../define.js";

/** The daily summary (src/summary/render.ts) and its sales chart. */
export const summaryMessages = defineMessages({
  "summary-header": { en: "📊 { $weekday } { $day } ({ $zone })", "zh-CN": "📊 { $day } { $weekday }（{ $zone }）" },
  "summary-orders": {
    en: `🛒 { $orders } { $orders ->
  [one] order
 *[other] orders
}, { $units } { $units ->
  [one] unit
 *[other] units
} — { $channels }`,
    "zh-CN": "🛒 { $orders } 单，{ $units } 件 — { $channels }",
  },
  "summary-no-orders": { en: "🛒 No orders", "zh-CN": "🛒 没有订单" },
  "summary-revenue": { en: "💵 { $amounts }", "zh-CN": "💵 { $amounts }" },
  "summary-no-revenue": { en: "💵 no revenue recorded", "zh-CN": "💵 没有记录到收入" },
  "summary-revenue-unknown": {
    en: "💵 Revenue: no order totals in the ledger (units only)",
    "zh-CN": "💵 收入：账本中没有订单金额（只有件数）",
  },
  "summary-oversells": {
    en: "❗ Oversells: { $count } ({ $short } short), { $unresolved } unresolved",
    "zh-CN": "❗ 超卖：{ $count } 次（缺 { $short } 件），{ $unresolved } 个未处理",
  },
  "summary-no-oversells": { en: "✔️ No oversells", "zh-CN": "✔️ 没有超卖" },
  "summary-no-oversells-older": {
    en: "✔️ No oversells ({ $unresolved } older unresolved)",
    "zh-CN": "✔️ 没有超卖（更早的还有 { $unresolved } 个未处理）",
  },
  "summary-low": { en: "📉 Low: { $items }", "zh-CN": "📉 库存不足：{ $items }" },
  "summary-low-item": { en: "{ $sku } { $available } left", "zh-CN": "{ $sku } 剩 { $available } 件" },
  "summary-low-item-cover": {
    en: "{ $sku } { $available } left (~{ $days }d)",
    "zh-CN": "{ $sku } 剩 { $available } 件（约 { $days } 天）",
  },
  "summary-sync": { en: "🔄 { $items }", "zh-CN": "🔄 { $items }" },
  "summary-no-pushes": { en: "🔄 no pushes", "zh-CN": "🔄 没有推送" },
  "summary-sync-item": {
    en: `{ $channel } { $pushes } { $pushes ->
  [one] push
 *[other] pushes
}, p95 { $p95 }`,
    "zh-CN": "{ $channel } 推送 { $pushes } 次，p95 { $p95 }",
  },
  "summary-sync-item-failing": {
    en: `{ $channel } { $pushes } { $pushes ->
  [one] push
 *[other] pushes
}, { $failing } failing, p95 { $p95 }`,
    "zh-CN": "{ $channel } 推送 { $pushes } 次，{ $failing } 次失败，p95 { $p95 }",
  },
  "summary-ms": { en: "{ $n }ms", "zh-CN": "{ $n } 毫秒" },
  "summary-s": { en: "{ $n }s", "zh-CN": "{ $n } 秒" },
  "summary-min": { en: "{ $n }m", "zh-CN": "{ $n } 分钟" },
  "summary-parcels": {
    en: "📦 { $shipped } shipped, { $delivered } delivered, { $late } late, { $exceptions } exceptions",
    "zh-CN": "📦 发出 { $shipped }，签收 { $delivered }，延误 { $late }，异常 { $exceptions }",
  },
  "summary-refunds": {
    en: "💸 Refunds: { $requested } asked, { $executed } paid{ $amounts }, { $rejected } rejected, { $pending } pending",
    "zh-CN": "💸 退款：申请 { $requested }，已付 { $executed }{ $amounts }，驳回 { $rejected }，待处理 { $pending }",
  },
  "summary-breaker-open": { en: "🚨 Breaker OPEN since { $since }", "zh-CN": "🚨 退款熔断器自 { $since } 起打开" },
  "summary-breaker-closed": { en: "🟢 Breaker closed", "zh-CN": "🟢 退款熔断器正常" },
  "summary-breaker-tripped": {
    en: "🟢 Breaker closed (tripped { $count }× that day)",
    "zh-CN": "🟢 退款熔断器正常（当天触发 { $count } 次）",
  },
  "summary-chart-title": {
    en: "Units sold per channel, { $days } days",
    "zh-CN": "各渠道每日销量（{ $days } 天）",
  },
  "summary-chart-subtitle": { en: "{ $from } – { $to } ({ $zone })", "zh-CN": "{ $from } 至 { $to }（{ $zone }）" },
  "summary-chart-units": { en: "units", "zh-CN": "件" },
  "summary-chart-orders": { en: "orders", "zh-CN": "订单" },
  "summary-chart-caption": { en: "Sales { $day }", "zh-CN": "{ $day } 销量" },
  "err-summary-bad-date": {
    en: "{ $date } is not a calendar date. Use YYYY-MM-DD, e.g. { $example }.",
    "zh-CN": "{ $date } 不是有效日期，请按 { $example } 这样的格式填写。",
  },
  "err-summary-future-date": {
    en: "{ $day } has not happened yet in { $zone }. Try /summary { $example }.",
    "zh-CN": "{ $zone }还没到 { $day }。试试 /summary { $example }。",
  },
});
