import { defineMessages } from "../define.js";

/** /delist, /relist, /pause, /resume and /track replies. */
export const listingCommandMessages = defineMessages({
  "delist-not-listed": { en: "SKU { $sku } is not listed.", "zh-CN": "货号 { $sku } 没有在任何渠道上架。" },
  "delist-not-listed-on": {
    en: "SKU { $sku } is not listed on { $channel }.",
    "zh-CN": "货号 { $sku } 没有在 { $channel } 上架。",
  },
  "delist-already-on": {
    en: "{ $sku } is already delisted on { $channels }.",
    "zh-CN": "{ $sku } 在 { $channels } 已经是下架状态。",
  },
  "delist-will": {
    en: "Will delist { $sku } on { $channels } (they will show 0 until /relist).",
    "zh-CN": "将在 { $channels } 下架 { $sku }（重新上架 /relist 之前显示 0）。",
  },
  "delist-done": {
    en: "Delisted { $sku } on { $channels }. Pushes are queued.",
    "zh-CN": "已在 { $channels } 下架 { $sku }，推送已排队。",
  },
  "delist-already": { en: "{ $sku } was already delisted.", "zh-CN": "{ $sku } 已经是下架状态。" },
  "relist-not-delisted": { en: "{ $sku } was not delisted.", "zh-CN": "{ $sku } 没有下架。" },
  "relist-not-delisted-on": {
    en: "{ $sku } was not delisted on { $channel }.",
    "zh-CN": "{ $sku } 在 { $channel } 没有下架。",
  },
  "relist-done": {
    en: "Relisted { $sku } on { $channels }: { $shows }.",
    "zh-CN": "已在 { $channels } 重新上架 { $sku }：{ $shows }。",
  },
  "relist-shows": { en: "{ $channel } shows { $qty }", "zh-CN": "{ $channel } 显示 { $qty } 件" },
  "pause-every-channel": { en: "every channel", "zh-CN": "所有渠道" },
  "pause-already": { en: "{ $target } was already paused.", "zh-CN": "{ $target } 已经暂停了。" },
  "pause-done": {
    en: "Paused automated pushes to { $channels }. Changes queue up; /resume { $resume } pushes them, /sync { $sync } pushes once anyway.",
    "zh-CN":
      "已暂停向 { $channels } 自动推送。变动会排队；/resume { $resume } 恢复推送，/sync { $sync } 可手动推送一次。",
  },
  "resume-not-paused": { en: "{ $channel } was not paused.", "zh-CN": "{ $channel } 没有暂停。" },
  "resume-none-paused": { en: "No channel was paused.", "zh-CN": "没有暂停的渠道。" },
  "resume-done": {
    en: `Resumed pushes to { $channels }; { $queued } queued { $queued ->
  [one] change
 *[other] changes
} will go out now.`,
    "zh-CN": "已恢复向 { $channels } 推送；排队的 { $queued } 个变动现在发出。",
  },
  "track-unknown": {
    en: 'No parcel for "{ $ref }". Record it with /ship ORDER CARRIER TRACKING.',
    "zh-CN": "没有找到“{ $ref }”的包裹。请用 /ship 订单号 快递公司 运单号 登记。",
  },
  "track-head": {
    en: "{ $carrier } { $trackingNo } — { $status }",
    "zh-CN": "{ $carrier } { $trackingNo } — { $status }",
  },
  "track-order": { en: "Order { $orders }", "zh-CN": "订单 { $orders }" },
  "track-order-to": { en: "Order { $orders } → { $to }", "zh-CN": "订单 { $orders }，寄往 { $to }" },
  "track-shipped": { en: "shipped { $at }", "zh-CN": "发货 { $at }" },
  "track-delivered": { en: "delivered { $at }", "zh-CN": "签收 { $at }" },
  "track-checked": { en: "Checked { $at }", "zh-CN": "查询于 { $at }" },
  "track-via": { en: "via { $provider }", "zh-CN": "（{ $provider }）" },
  "track-finished": { en: "(tracking finished)", "zh-CN": "（已停止跟踪）" },
  "track-not-checked": { en: "Not checked yet", "zh-CN": "还没有查询过" },
  "track-no-scans": { en: "No scans yet.", "zh-CN": "还没有物流轨迹。" },
  "late-none": {
    en: "No late parcels: everything moved within the thresholds.",
    "zh-CN": "没有延误的包裹：全部在时限内有进展。",
  },
  "late-header": {
    en: "Late parcels ({ $count }), oldest problem first:",
    "zh-CN": "延误的包裹（{ $count } 个），问题最久的在前：",
  },
  "late-line": {
    en: "{ $trackingNo } { $carrier } · order { $order } · { $what }",
    "zh-CN": "{ $trackingNo } { $carrier } · 订单 { $order } · { $what }",
  },
  "late-line-to": {
    en: "{ $trackingNo } { $carrier } · order { $order } → { $to } · { $what }",
    "zh-CN": "{ $trackingNo } { $carrier } · 订单 { $order }，寄往 { $to } · { $what }",
  },
  "late-problem": { en: "{ $status } since { $since }", "zh-CN": "自 { $since } 起{ $status }" },
  "late-stalled": { en: "no scan for { $hours } h", "zh-CN": "{ $hours } 小时没有轨迹" },
  "late-no-pickup": { en: "no pickup { $hours } h after shipping", "zh-CN": "发货 { $hours } 小时仍未揽收" },
  "late-stale": { en: "tracking data stale since { $since }", "zh-CN": "自 { $since } 起物流数据未更新" },
  "late-more": { en: "…and { $count } more.", "zh-CN": "……还有 { $count } 个。" },
  "late-button": { en: "Track { $trackingNo }", "zh-CN": "查物流 { $trackingNo }" },
  "track-more": {
    en: `…and { $count } more { $count ->
  [one] parcel
 *[other] parcels
}.`,
    "zh-CN": "……还有 { $count } 个包裹。",
  },
});
