import { defineMessages } from "../define.js";

/** The generic `webhook` channel kind: refused items, refused inbound bodies and a catalog it cannot read. */
export const webhookChannelMessages = defineMessages({
  "webhook-item-refused": {
    en: "The webhook receiver refused { $sku }: { $reason }",
    "zh-CN": "Webhook 接收方拒绝了 { $sku }：{ $reason }",
  },
  "webhook-no-read-url": {
    en: "Channel { $channel } has no readUrl, so its catalog cannot be read. Set channels[{ $channel }].readUrl (docs/webhook-channel.md) or import a CSV.",
    "zh-CN":
      "渠道 { $channel } 没有配置 readUrl，无法读取其商品目录。请设置 channels[{ $channel }].readUrl（见 docs/webhook-channel.md），或导入 CSV。",
  },
  "webhook-body-not-json": {
    en: "The webhook body is not JSON.",
    "zh-CN": "Webhook 请求体不是 JSON。",
  },
  "webhook-body-invalid": {
    en: "The webhook body is not valid: { $issue }",
    "zh-CN": "Webhook 请求体无效：{ $issue }",
  },
});
