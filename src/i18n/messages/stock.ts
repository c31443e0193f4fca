import { defineMessages } from "../define.js";

/** /stock, /why, /history, /set, /adjust replies and their argument texts. */
export const stockMessages = defineMessages({
  "stock-overview": {
    en: "{ $skus } SKUs, { $onHand } units on hand, { $reserved } reserved.",
    "zh-CN": "共 { $skus } 个货号，在手 { $onHand } 件，预留 { $reserved } 件。",
  },
  "stock-overview-low": { en: "Low: { $items }", "zh-CN": "库存不足：{ $items }" },
  "stock-overview-none-low": { en: "Nothing is low.", "zh-CN": "没有库存不足的货号。" },
  "stock-low-none": {
    en: "No SKU is at or below its low-stock threshold.",
    "zh-CN": "没有货号达到或低于库存预警线。",
  },
  "stock-low-header": { en: "Low stock ({ $count }):", "zh-CN": "库存不足（{ $count } 个）：" },
  "stock-low-line": {
    en: "{ $sku }: { $available } available ({ $onHand } on hand, { $reserved } reserved)",
    "zh-CN": "{ $sku }：可售 { $available } 件（在手 { $onHand }，预留 { $reserved }）",
  },
  "stock-level": {
    en: "{ $available } available = { $onHand } on hand − { $reserved } reserved",
    "zh-CN": "可售 { $available } 件 = 在手 { $onHand } − 预留 { $reserved }",
  },
  "stock-shows": { en: "{ $channel }: shows { $qty }", "zh-CN": "{ $channel }：显示 { $qty } 件" },
  "stock-shows-delisted": { en: "{ $channel }: shows delisted", "zh-CN": "{ $channel }：已下架" },
  "stock-push-pending": {
    en: "(channel confirmed { $confirmed }, push pending)",
    "zh-CN": "（渠道确认的是 { $confirmed }，推送待完成）",
  },
  "stock-not-listed": {
    en: "Not listed anywhere yet. /link { $sku } CHANNEL REF",
    "zh-CN": "还没有在任何渠道上架。/link { $sku } 渠道 商品编号",
  },
  "why-not-listed": {
    en: "{ $sku }: { $available } available, but it is not listed on any channel.",
    "zh-CN": "{ $sku }：可售 { $available } 件，但还没有在任何渠道上架。",
  },
  "why-shows": { en: "{ $channel } → { $qty }", "zh-CN": "{ $channel } → { $qty }" },
  "why-delisted": { en: "{ $channel } → delisted (0)", "zh-CN": "{ $channel } → 已下架（0）" },
  "history-none": { en: "{ $sku } has no movements yet.", "zh-CN": "{ $sku } 还没有库存变动。" },
  "history-header": { en: "Movements of { $sku }, newest first:", "zh-CN": "{ $sku } 的库存变动（最新的在前）：" },
  "history-on-hand": { en: "on hand { $delta } → { $after }", "zh-CN": "在手 { $delta } → { $after }" },
  "history-reserved": { en: "reserved { $delta } → { $after }", "zh-CN": "预留 { $delta } → { $after }" },
  "history-no-change": { en: "no change", "zh-CN": "无变化" },
  "history-line": {
    en: "#{ $id } { $at } { $reason } by { $actor }: { $parts }",
    "zh-CN": "#{ $id } { $at } { $reason }（{ $actor }）：{ $parts }",
  },
  "set-duplicate": {
    en: "Already applied: { $sku } on hand is { $onHand }.",
    "zh-CN": "已处理过：{ $sku } 在手库存为 { $onHand }。",
  },
  "set-done": {
    en: "{ $sku }: on hand { $before } → { $after }{ $at }; { $available } available.",
    "zh-CN": "{ $sku }：在手 { $before } → { $after }{ $at }；可售 { $available } 件。",
  },
  "adjust-done": {
    en: "{ $sku }: on hand { $before } → { $after } ({ $delta }){ $at }; { $available } available.",
    "zh-CN": "{ $sku }：在手 { $before } → { $after }（{ $delta }）{ $at }；可售 { $available } 件。",
  },
  "move-reason-set": { en: "set", "zh-CN": "盘点" },
  "move-reason-adjust": { en: "adjust", "zh-CN": "调整" },
  "move-reason-move": { en: "move", "zh-CN": "调拨" },
  "arg-n": { en: "N", "zh-CN": "条数" },
  "arg-n-help": { en: "how many, at most 50", "zh-CN": "显示多少条，最多 50" },
  "arg-qty-help": { en: "a whole number of units", "zh-CN": "件数（整数）" },
  "arg-delta": { en: "±N", "zh-CN": "±数量" },
  "arg-delta-help": { en: "units to add (+5) or remove (-2)", "zh-CN": "增加（+5）或减少（-2）的件数" },
  "arg-note-help": {
    en: "free text kept with the movement; @location picks a stock room",
    "zh-CN": "随变动保存的说明；@仓位 指定库位",
  },
  "arg-sku-or-low": { en: "SKU|low", "zh-CN": "货号|low" },
  "arg-sku-or-low-help": {
    en: "a SKU, or low for the low-stock list; nothing for the overview",
    "zh-CN": "货号，或 low 查看低库存列表；不填查看总览",
  },
  "adjust-example-delivery": {
    en: "/adjust A-12 +24 delivery from supplier",
    "zh-CN": "/adjust A-12 +24 供应商到货",
  },
  "adjust-example-damaged": { en: "/adjust A-12 -1 damaged", "zh-CN": "/adjust A-12 -1 损坏" },
  "adjust-example-returns": { en: "/adjust A-12 +5 @3pl returns", "zh-CN": "/adjust A-12 +5 @3pl 退货入库" },
});
