import { defineMessages } from "../define.js";

/** Texts of /price, /prices and the price lane (issue 14). */
export const priceMessages = defineMessages({
  "price-needs-amount": {
    en: "Give the new price: /price { $sku } AMOUNT.",
    "zh-CN": "请给出新价格：/price { $sku } 金额。",
  },
  "price-preview": {
    en: "{ $sku }{ $where }: { $old } → { $new }, pushed to { $channels }.",
    "zh-CN": "{ $sku }{ $where }：{ $old } → { $new }，将推送到 { $channels }。",
  },
  "price-pushed": {
    en: "{ $sku }{ $where }: { $old } → { $new }. Confirmed by { $confirmed }; waiting: { $waiting }.",
    "zh-CN": "{ $sku }{ $where }：{ $old } → { $new }。已确认：{ $confirmed }；等待中：{ $waiting }。",
  },
  "price-duplicate": {
    en: "Already applied: { $sku }{ $where } is { $new }.",
    "zh-CN": "已执行过：{ $sku }{ $where } 现价 { $new }。",
  },
  "price-none": { en: "none", "zh-CN": "无" },
  "price-no-channels": {
    en: "no channel (none lists it with a price API)",
    "zh-CN": "无渠道（没有支持改价的上架渠道）",
  },
  "price-drift": {
    en: "{ $channel } shows { $actual } for { $sku }, not the { $expected } it confirmed: changed on the channel? Not overwritten; set the price you want with /price { $sku } AMOUNT.",
    "zh-CN":
      "{ $channel } 上 { $sku } 的价格是 { $actual }，不是之前确认的 { $expected }：是否在渠道后台改过？未覆盖；请用 /price { $sku } 金额 设定想要的价格。",
  },
  "price-push-refused": {
    en: "{ $channel } refused the price for { $sku } ({ $code }): { $reason } It stays queued; fix the item on { $channel } or re-link it.",
    "zh-CN":
      "{ $channel } 拒绝了 { $sku } 的价格（{ $code }）：{ $reason } 仍在队列中；请在 { $channel } 修正商品或重新关联。",
  },
  "price-button-prices": { en: "Prices", "zh-CN": "价格" },
  "price-on-channel": { en: " on { $channel }", "zh-CN": "（{ $channel }）" },
});
