import { defineMessages } from "../define.js";

/** Locations and bundles (issue 13): /move, /stock per location, location arguments on /adjust and /set. */
export const inventoryMessages = defineMessages({
  "inv-move-summary": {
    en: "Move on-hand units of a SKU from one location to another",
    "zh-CN": "把某个 SKU 的现货从一个仓位调到另一个仓位",
  },
  "inv-moved": {
    en: "{ $sku }: moved { $qty } from { $from } ({ $fromBefore } → { $fromAfter }) to { $to } ({ $toBefore } → { $toAfter }); { $onHand } on hand in total.",
    "zh-CN":
      "{ $sku }：已从 { $from }（{ $fromBefore } → { $fromAfter }）调 { $qty } 件到 { $to }（{ $toBefore } → { $toAfter }）；合计现货 { $onHand }。",
  },
  "inv-move-duplicate": {
    en: "Already applied: { $sku } move { $key }.",
    "zh-CN": "已处理过：{ $sku } 的这次调拨（{ $key }）。",
  },
  "inv-stock-location": {
    en: "{ $location }: { $onHand } on hand",
    "zh-CN": "{ $location }：现货 { $onHand }",
  },
  "inv-why-locations": {
    en: "On hand by location: { $items }.",
    "zh-CN": "分仓现货：{ $items }。",
  },
  "inv-stock-locations-header": {
    en: "By location:",
    "zh-CN": "按仓位：",
  },
  "inv-history-location": {
    en: "{ $location } { $delta } → { $after }",
    "zh-CN": "{ $location } { $delta } → { $after }",
  },
  "inv-at-location": {
    en: "at { $location }",
    "zh-CN": "（仓位 { $location }）",
  },
});
