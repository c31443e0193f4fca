import { defineMessages } from "../define.js";

/** Channels that show stock per location (Shopify per location) and read-only locations such as Amazon FBA (issue 13). */
export const locationChannelMessages = defineMessages({
  "alert-location-drift": {
    en: "Reconcile found { $count } listing(s) on { $channel } whose quantities per location differ from the ledger (channel → ledger: { $examples }) and pushed them again. Someone may be moving stock between locations on the channel directly.",
    "zh-CN":
      "对账发现 { $channel } 上有 { $count } 个商品的分仓库存与账本不一致（渠道 → 账本：{ $examples }），已重新推送。可能有人直接在渠道上调拨了仓位库存。",
  },
});
