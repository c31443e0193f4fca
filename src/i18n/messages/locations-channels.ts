import { defineMessages } from "../define.js";

/** Channels that show stock per location (Shopify per location) and read-only locations such as Amazon FBA (issue 13). */
export const locationChannelMessages = defineMessages({
  "alert-location-drift": {
    en: "Reconcile found { $count } listing(s) on { $channel } whose quantities per location differ from the ledger (channel → ledger: { $examples }) and pushed them again. Someone may be moving stock between locations on the channel directly.",
    "zh-CN":
      "对账发现 { $channel } 上有 { $count } 个商品的分仓库存与账本不一致（渠道 → 账本：{ $examples }），已重新推送。可能有人直接在渠道上调拨了仓位库存。",
  },
  "err-read-only-location": {
    en: "Location { $location } is read-only: the marketplace holds that stock and reports it; change it there.",
    "zh-CN": "仓位 { $location } 是只读的：这部分库存由平台保管并回报，请在平台上修改。",
  },
  "err-location-not-read-only": {
    en: "Location { $location } holds our own stock, so a marketplace cannot report into it. Pick another name for the read-only location.",
    "zh-CN": "仓位 { $location } 存放的是我们自己的库存，平台数据不能写入。请为只读仓位另取一个名字。",
  },
  "inv-stock-read-only": {
    en: "{ $location } (read-only, { $channel }): { $quantity } can ship, { $total } in total; not sold by other channels",
    "zh-CN": "{ $location }（只读，{ $channel }）：可发 { $quantity }，共 { $total }；不计入其他渠道的可售数",
  },
  "summary-locations": {
    en: "🏬 By location: { $items }",
    "zh-CN": "🏬 分仓现货：{ $items }",
  },
  "summary-location-item": {
    en: "{ $location } { $onHand }",
    "zh-CN": "{ $location } { $onHand }",
  },
  "summary-location-read-only": {
    en: "{ $location } { $quantity } can ship (read-only)",
    "zh-CN": "{ $location } 可发 { $quantity }（只读）",
  },
});
