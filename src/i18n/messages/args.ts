import { defineMessages } from "../define.js";

/** Argument names shared by many commands' usage lines ("/set SKU QTY" / "/set 货号 数量"). */
export const argMessages = defineMessages({
  "arg-sku": { en: "SKU", "zh-CN": "货号" },
  "arg-qty": { en: "QTY", "zh-CN": "数量" },
  "arg-reason": { en: "REASON", "zh-CN": "原因" },
  "arg-sku-help": {
    en: "the stock-keeping unit, e.g. A-12 (letters, digits, - _ .)",
    "zh-CN": "库存货号，例如 A-12（字母、数字及 - _ .）",
  },
});
