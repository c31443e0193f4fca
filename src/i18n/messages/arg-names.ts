import { defineMessages } from "../define.js";

/** Argument names that had no Chinese yet: /add's title, a location after @, /import's rule, /link's SKU-or-auto. */
export const argNameMessages = defineMessages({
  "arg-title": { en: "TITLE", "zh-CN": "标题" },
  "arg-title-help": { en: "the product name shown in replies", "zh-CN": "回复里显示的商品名称" },
  "arg-at-location": { en: "@LOCATION", "zh-CN": "@仓位" },
  "arg-at-location-help": { en: "a location id after @, e.g. @shop", "zh-CN": "@ 后面写仓位编号，例如 @shop" },
  "arg-import-rule": { en: "channel|min|max|keep", "zh-CN": "规则" },
  "arg-import-rule-help": {
    en: "how on-hand is taken: channel, min, max or keep",
    "zh-CN": "在手库存的取法：channel、min、max 或 keep",
  },
  "arg-sku-or-auto": { en: "SKU|auto", "zh-CN": "货号|auto" },
});
