import { defineMessages } from "../define.js";

/** /orders, /sync, /link, /ship and /carriers replies. */
export const syncCommandMessages = defineMessages({
  "orders-cursor-last": { en: "{ $channel }: last import { $at }", "zh-CN": "{ $channel }：上次导入 { $at }" },
  "orders-cursor-never": { en: "{ $channel }: never imported", "zh-CN": "{ $channel }：还没有导入过" },
  "orders-none": { en: "No orders recorded yet.", "zh-CN": "还没有记录到订单。" },
  "orders-none-for": { en: "No orders recorded for { $channel } yet.", "zh-CN": "{ $channel } 还没有记录到订单。" },
  "orders-line": {
    en: "{ $channel } #{ $order } · { $at }{ $money } · { $items } ({ $source })",
    "zh-CN": "{ $channel } #{ $order } · { $at }{ $money } · { $items }（{ $source }）",
  },
  "orders-item": { en: "{ $status } { $qty }×{ $sku }", "zh-CN": "{ $status } { $qty }×{ $sku }" },
  "order-status-pending": { en: "pending", "zh-CN": "待付款" },
  "order-status-paid": { en: "paid", "zh-CN": "已付款" },
  "order-status-shipped": { en: "shipped", "zh-CN": "已发货" },
  "order-status-cancelled": { en: "cancelled", "zh-CN": "已取消" },
  "order-status-unmapped": { en: "unmapped", "zh-CN": "未关联" },
  "order-source-webhook": { en: "webhook", "zh-CN": "推送" },
  "order-source-poll": { en: "poll", "zh-CN": "轮询" },
  "sync-ago-never": { en: "never", "zh-CN": "从未" },
  "sync-ago-s": { en: "{ $n }s ago", "zh-CN": "{ $n } 秒前" },
  "sync-ago-m": { en: "{ $n }m ago", "zh-CN": "{ $n } 分钟前" },
  "sync-ago-h": { en: "{ $n }h ago", "zh-CN": "{ $n } 小时前" },
  "sync-ago-d": { en: "{ $n }d ago", "zh-CN": "{ $n } 天前" },
  "sync-state-paused": { en: "PAUSED by { $who } { $ago }", "zh-CN": "已暂停（{ $who }，{ $ago }）" },
  "sync-state-unhealthy": {
    en: "UNHEALTHY: { $failures } failures since { $since } ({ $error })",
    "zh-CN": "异常：自 { $since } 起失败 { $failures } 次（{ $error }）",
  },
  "sync-state-failing": {
    en: "failing: { $failures } in a row ({ $error })",
    "zh-CN": "正在失败：连续 { $failures } 次（{ $error }）",
  },
  "sync-state-ok": { en: "ok", "zh-CN": "正常" },
  "sync-backlog": {
    en: "backlog { $pending } (oldest { $oldest })",
    "zh-CN": "积压 { $pending } 条（最早 { $oldest }）",
  },
  "sync-backlog-retry": {
    en: "backlog { $pending } (oldest { $oldest }, { $deferred } waiting to retry)",
    "zh-CN": "积压 { $pending } 条（最早 { $oldest }，{ $deferred } 条等待重试）",
  },
  "sync-backlog-none": { en: "backlog 0", "zh-CN": "无积压" },
  "sync-latency": {
    en: "push p50 { $p50 } ms, p95 { $p95 } ms over { $count } pushes (24h)",
    "zh-CN": "24 小时内推送 { $count } 次，p50 { $p50 } 毫秒，p95 { $p95 } 毫秒",
  },
  "sync-latency-none": { en: "no pushes in 24h", "zh-CN": "24 小时内没有推送" },
  "sync-status-line": {
    en: "{ $channel } ({ $kind }): { $state } · { $backlog } · last success { $success } · { $latency }",
    "zh-CN": "{ $channel }（{ $kind }）：{ $state } · { $backlog } · 上次成功 { $success } · { $latency }",
  },
  "sync-no-channels": { en: "No channels are configured.", "zh-CN": "还没有配置任何渠道。" },
  "sync-todos-head": {
    en: "Open Xianyu to-dos ({ $count }), change these by hand and press Done:",
    "zh-CN": "闲鱼待办 { $count } 条，请手动修改后点“完成”：",
  },
  "sync-todo-set": { en: "set to { $qty }", "zh-CN": "改为 { $qty } 件" },
  "sync-todo-off": { en: "take off sale", "zh-CN": "下架" },
  "sync-todo-line": {
    en: "{ $id } { $channel } { $sku }: { $what } (since { $since })",
    "zh-CN": "{ $id } { $channel } { $sku }：{ $what }（自 { $since }）",
  },
  "todos-none": { en: "No open Xianyu to-dos.", "zh-CN": "没有未完成的闲鱼待办。" },
  "todos-head": {
    en: `{ $count } open Xianyu { $count ->
  [one] to-do
 *[other] to-dos
}:`,
    "zh-CN": "未完成的闲鱼待办 { $count } 条：",
  },
  "button-todo-done": { en: "Done { $sku }", "zh-CN": "完成 { $sku }" },
  "sync-report-paused": {
    en: "{ $channel }: paused, skipped (/sync { $channel } pushes anyway, /resume { $channel } resumes).",
    "zh-CN": "{ $channel }：已暂停，跳过（/sync { $channel } 可强制推送，/resume { $channel } 恢复）。",
  },
  "sync-report": {
    en: `{ $channel }: { $confirmed } confirmed in { $calls } { $calls ->
  [one] call
 *[other] calls
}.{ $problems }`,
    "zh-CN": "{ $channel }：调用 { $calls } 次，确认 { $confirmed } 条。{ $problems }",
  },
  "sync-report-deferred": {
    en: `{ $channel }: { $confirmed } confirmed, { $deferred } deferred for retry in { $calls } { $calls ->
  [one] call
 *[other] calls
}.{ $problems }`,
    "zh-CN": "{ $channel }：调用 { $calls } 次，确认 { $confirmed } 条，{ $deferred } 条稍后重试。{ $problems }",
  },
  "sync-queued": {
    en: `Queued { $count } changed { $count ->
  [one] listing
 *[other] listings
}.`,
    "zh-CN": "已排队 { $count } 个有变动的商品。",
  },
  "sync-full": {
    en: "Full sync of { $channel }: { $count } listings.",
    "zh-CN": "{ $channel } 全量同步：{ $count } 个商品。",
  },
  "sync-resku": { en: "Re-pushed { $sku }.", "zh-CN": "已重新推送 { $sku }。" },
  "sync-none-configured": { en: "none configured", "zh-CN": "未配置" },
  "err-sync-bad-target": {
    en: '{ $target } is neither a channel ({ $channels }), a SKU, nor "status".',
    "zh-CN": "{ $target } 既不是渠道（{ $channels }），也不是货号或 status。",
  },
  "link-missing-ref": {
    en: "Say which { $channel } item: /link { $sku } { $channel } REF, or /link auto { $channel } to map the whole catalog by SKU.",
    "zh-CN":
      "请说明是 { $channel } 的哪个商品：/link { $sku } { $channel } 商品编号；或用 /link auto { $channel } 按货号关联整个商品目录。",
  },
  "link-done": {
    en: "Linked { $sku } to { $channel } item { $ref }; it will show { $qty }.",
    "zh-CN": "已把 { $sku } 关联到 { $channel } 商品 { $ref }；将显示 { $qty } 件。",
  },
  "link-more": { en: "{ $list } and { $count } more", "zh-CN": "{ $list } 等（另有 { $count } 个）" },
  "link-auto-head": {
    en: "{ $channel }: { $items } catalog items. Linked { $linked }; already linked { $already }.",
    "zh-CN": "{ $channel }：目录共 { $items } 个商品。新关联 { $linked } 个；已关联 { $already } 个。",
  },
  "link-auto-head-queued": {
    en: "{ $channel }: { $items } catalog items. Linked { $linked } (first pushes queued); already linked { $already }.",
    "zh-CN":
      "{ $channel }：目录共 { $items } 个商品。新关联 { $linked } 个（首次推送已排队）；已关联 { $already } 个。",
  },
  "link-auto-head-dry": {
    en: "{ $channel }: { $items } catalog items. Would link { $linked }; already linked { $already }.",
    "zh-CN": "{ $channel }：目录共 { $items } 个商品。将关联 { $linked } 个；已关联 { $already } 个。",
  },
  "link-auto-unmatched": {
    en: "Not in the ledger ({ $count }): { $list }. Import them, then run /link auto { $channel } again.",
    "zh-CN": "账本里没有的货号（{ $count } 个）：{ $list }。请先导入，再运行一次 /link auto { $channel }。",
  },
  "link-auto-dup-item": { en: "{ $sku } (items { $refs })", "zh-CN": "{ $sku }（商品 { $refs }）" },
  "link-auto-duplicates": {
    en: "Same SKU on several items, not linked ({ $count }): { $list }. Fix the SKUs on { $channel } or use /link SKU { $channel } REF.",
    "zh-CN":
      "同一货号出现在多个商品上，未关联（{ $count } 个）：{ $list }。请在 { $channel } 上改正货号，或用 /link 货号 { $channel } 商品编号。",
  },
  "link-auto-without-sku": {
    en: "Items without a SKU: { $count }. Give them SKUs on { $channel } or link them by hand.",
    "zh-CN": "没有货号的商品：{ $count } 个。请在 { $channel } 上补上货号，或手动关联。",
  },
  "link-auto-refused": { en: "Refused ({ $count }): { $list }", "zh-CN": "被拒绝（{ $count } 个）：{ $list }" },
  "link-auto-refused-item": { en: "{ $sku } → { $ref }: { $reason }", "zh-CN": "{ $sku } → { $ref }：{ $reason }" },
  "link-auto-linked-to": { en: "already linked to item { $ref }", "zh-CN": "已关联到商品 { $ref }" },
  "ship-cannot-tell": {
    en: "Could not tell the carrier of { $number }. Name it: /ship { $order } sf { $number }",
    "zh-CN": "认不出 { $number } 是哪家快递。请写明快递公司：/ship { $order } sf { $number }",
  },
  "ship-unknown-carrier": {
    en: 'Unknown carrier "{ $carrier }". Use a code such as sf, zto, yto, jd, ems or auto.',
    "zh-CN": "不认识快递公司“{ $carrier }”。请用 sf、zto、yto、jd、ems 或 auto 这样的代码。",
  },
  "ship-would": {
    en: "Would watch { $carrier } { $number } for order { $order }.",
    "zh-CN": "将为订单 { $order } 跟踪 { $carrier } { $number }。",
  },
  "ship-watching": {
    en: "Watching { $carrier } { $number } for order { $order }.",
    "zh-CN": "开始为订单 { $order } 跟踪 { $carrier } { $number }。",
  },
  "ship-watching-to": {
    en: "Watching { $carrier } { $number } for order { $order } → { $region }.",
    "zh-CN": "开始为订单 { $order } 跟踪 { $carrier } { $number }，寄往 { $region }。",
  },
  "ship-already": {
    en: "{ $carrier } { $number } was already watched (orders { $orders }); status { $status }.",
    "zh-CN": "{ $carrier } { $number } 已在跟踪中（订单 { $orders }）；状态：{ $status }。",
  },
  "ship-provider": {
    en: "Tracked through { $provider }; the next courier check picks it up.",
    "zh-CN": "通过 { $provider } 查询物流，下一次物流检查会查到它。",
  },
  "ship-no-provider": {
    en: "No tracking provider is configured for { $code }: add one under couriers in stockradar.yaml.",
    "zh-CN": "{ $code } 还没有配置物流查询服务：请在 stockradar.yaml 的 couriers 下添加。",
  },
  "carriers-none": {
    en: "No parcels shipped in the last { $days } days.",
    "zh-CN": "近 { $days } 天没有发出的包裹。",
  },
  "carriers-none-to": {
    en: "No parcels shipped to { $region } in the last { $days } days.",
    "zh-CN": "近 { $days } 天没有发往 { $region } 的包裹。",
  },
  "carriers-header": {
    en: "Carriers, last { $days } days (transit = first scan → delivered):",
    "zh-CN": "快递表现，近 { $days } 天（时效 = 首次揽收扫描 → 签收）：",
  },
  "carriers-header-region": {
    en: "Carriers, last { $days } days, { $region } (transit = first scan → delivered):",
    "zh-CN": "快递表现，近 { $days } 天，{ $region }（时效 = 首次揽收扫描 → 签收）：",
  },
  "carriers-na": { en: "n/a", "zh-CN": "无数据" },
  "carriers-hours": { en: "{ $n }h", "zh-CN": "{ $n } 小时" },
  "carriers-row": {
    en: `{ $region } · { $carrier }: { $parcels } { $parcels ->
  [one] parcel
 *[other] parcels
}, { $delivered } delivered, p50 { $p50 }, p90 { $p90 }, on time { $onTime } (≤{ $promise }h), exceptions { $exceptions }, lost/returned { $lost }`,
    "zh-CN":
      "{ $region } · { $carrier }：{ $parcels } 个包裹，签收 { $delivered } 个，p50 { $p50 }，p90 { $p90 }，准时率 { $onTime }（≤{ $promise } 小时），异常 { $exceptions }，丢失/退回 { $lost }",
  },
  "carriers-advice-head": { en: "Recommendations:", "zh-CN": "建议：" },
  "carriers-advice": {
    en: "{ $region }: { $to } is faster than { $from } (p90 { $toP90 } h vs { $fromP90 } h, { $pct }% faster; on time { $toOnTime } vs { $fromOnTime }).{ $cost }",
    "zh-CN":
      "{ $region }：{ $to } 比 { $from } 快（p90 { $toP90 } 小时对 { $fromP90 } 小时，快 { $pct }%；准时率 { $toOnTime } 对 { $fromOnTime }）。{ $cost }",
  },
  "carriers-advice-cost": {
    en: " Cost { $perParcel }/parcel, { $window } over { $parcels } parcels in { $days } days.",
    "zh-CN": "每个包裹成本 { $perParcel }，{ $days } 天 { $parcels } 个包裹共 { $window }。",
  },
  "carriers-no-switch": {
    en: "No switch recommended (needs ≥{ $min } deliveries per carrier and a clearly faster p90).",
    "zh-CN": "暂不建议换快递（每家至少需要 { $min } 个签收，且 p90 明显更快）。",
  },
  "carriers-chart-title": { en: "Carrier transit hours", "zh-CN": "承运商时效" },
  "carriers-chart-subtitle": { en: "last { $days } days", "zh-CN": "近 { $days } 天" },
  "carriers-chart-on-time": { en: "on time %", "zh-CN": "准时率 %" },
  "carriers-chart-hours": { en: "hours", "zh-CN": "小时" },
});
