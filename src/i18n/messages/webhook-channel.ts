import { defineMessages } from "../define.js";

/** The generic `webhook` channel kind: refused items and refused inbound bodies. */
export const webhookChannelMessages = defineMessages({
  "webhook-item-refused": {
    en: "The webhook receiver refused { $sku }: { $reason }",
    "zh-CN": "Webhook 接收方拒绝了 { $sku }：{ $reason }",
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
