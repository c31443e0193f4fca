import { defineMessages } from "../define.js";

/** Texts of the price push on every channel and its daily-summary lines (issue 14). */
export const pricePushMessages = defineMessages({
  "summary-price-changes": {
    en: "💲 Price changes ({ $count }): { $items }",
    "zh-CN": "💲 改价（{ $count } 次）：{ $items }",
  },
  "summary-price-change": {
    en: "{ $sku }{ $where } { $old } → { $new } by { $who }",
    "zh-CN": "{ $sku }{ $where } { $old } → { $new }（{ $who }）",
  },
  "summary-price-more": {
    en: "and { $n } more (/prices SKU)",
    "zh-CN": "另有 { $n } 次（/prices SKU）",
  },
  "summary-price-where": { en: " on { $channel }", "zh-CN": "（{ $channel }）" },
  "summary-price-none": { en: "none", "zh-CN": "无" },
  "summary-held-orders": {
    en: "⏸ Held orders (promotion guard): { $count } waiting for Approve / Cancel (/held).",
    "zh-CN": "⏸ 暂扣订单（促销保护）：{ $count } 单等待批准 / 取消（/held）。",
  },
});
