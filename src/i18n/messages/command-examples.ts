import { defineMessages } from "../define.js";

/** Command examples that carry free text (titles, reasons, notes): the text is in the reader's language. */
export const commandExampleMessages = defineMessages({
  "add-example": { en: "/add A-12 40 Red tee, size M", "zh-CN": "/add A-12 40 红色T恤 M码" },
  "breaker-example-reset": {
    en: "/breaker reset checked R-7K3QX9PA with the customer, refunds are genuine",
    "zh-CN": "/breaker reset 已与买家核实 R-7K3QX9PA，退款属实",
  },
  "bundle-example-title": {
    en: '/bundle GIFT-2 = 2×MUG-1 + 1×CST-1 "Gift set"',
    "zh-CN": '/bundle GIFT-2 = 2×MUG-1 + 1×CST-1 "礼盒"',
  },
  "refund-example-order": {
    en: "/refund shop1:1001 25.50 arrived broken",
    "zh-CN": "/refund shop1:1001 25.50 到货破损",
  },
  "refund-example-currency": { en: "/refund 1001 12USD late delivery", "zh-CN": "/refund 1001 12USD 延迟发货" },
  "reject-price-example": { en: "/reject_price 3 typo, meant 19.90", "zh-CN": "/reject_price 3 输错了，应为 19.90" },
  "reject-prices-example": { en: "/reject_prices 2 wrong file", "zh-CN": "/reject_prices 2 文件传错了" },
  "reject-refund-example": {
    en: "/reject_refund R-7K3QX9PA duplicate of R-2M4N6P8Q",
    "zh-CN": "/reject_refund R-7K3QX9PA 与 R-2M4N6P8Q 重复",
  },
  "set-example-take": { en: "/set A-12 40 stock take", "zh-CN": "/set A-12 40 盘点" },
  "set-example-location": { en: "/set A-12 12 @3pl count", "zh-CN": "/set A-12 12 @3pl 清点" },
});
