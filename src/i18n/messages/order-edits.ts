import { defineMessages } from "../define.js";

/** Texts of order edits (line quantity changes after import) and of channel refunds that cannot run (issue 17). */
export const orderEditMessages = defineMessages({
  "order-edit-oversold": {
    en: "Oversold: order { $order } on { $channel } now wants { $qty } × { $sku } but only { $held } are reserved (short { $short }). Restock, or lower the line on { $channel }.",
    "zh-CN":
      "超卖：{ $channel } 订单 { $order } 现在要 { $qty } 件 { $sku }，但只预留了 { $held } 件（缺 { $short } 件）。请补货，或在 { $channel } 减少该行数量。",
  },
  "order-edit-after-ship": {
    en: "Order { $order } on { $channel } changed line { $line } ({ $sku }) from { $from } to { $to } after it shipped: stock is not changed. Record a return or a refund if units came back.",
    "zh-CN":
      "{ $channel } 订单 { $order } 的第 { $line } 行（{ $sku }）在发货后从 { $from } 件改为 { $to } 件：库存未变。如有退货，请登记退货或退款。",
  },
  "order-edit-applied": {
    en: "{ $channel } order { $order } line { $line } ({ $sku }): { $from } → { $to } units.",
    "zh-CN": "{ $channel } 订单 { $order } 第 { $line } 行（{ $sku }）：{ $from } → { $to } 件。",
  },
  "order-partial-refund": {
    en: "{ $channel } order { $order } line { $line }: ¥{ $refunded } of ¥{ $paid } refunded. Taobao does not say how many units, so its stock stays reserved; if units came back, cancel them on { $channel } or adjust stock.",
    "zh-CN":
      "{ $channel } 订单 { $order } 子订单 { $line }：已退款 ¥{ $refunded }（共 ¥{ $paid }）。淘宝不提供退货件数，库存仍保留；如有件数退回，请在 { $channel } 取消或调整库存。",
  },
  "refund-no-gateway": {
    en: "Order { $order }'s payment on Shopify names no gateway, so it cannot be refunded from here.",
    "zh-CN": "订单 { $order } 在 Shopify 上的付款没有注明支付网关，无法从这里退款。",
  },
});
