import { defineMessages } from "../define.js";

/** Learned stall thresholds per carrier × lane, "label created, never scanned" and "customs needs information" (issue 18). */
export const radarLearnedMessages = defineMessages({
  "alert-stalled-learned": {
    en: "{ $carrier } { $lane } usually scans within { $usual } h; this one has been { $hours } h (last { $last }): { $headline }. Ask the carrier to trace it.",
    "zh-CN":
      "{ $carrier } { $lane } 通常 { $usual } 小时内有扫描；这一件已 { $hours } 小时（最后一条 { $last }）：{ $headline }。请联系快递公司查件。",
  },
  "alert-label-only": {
    en: "Label created { $hours } h ago but never scanned: { $headline }. It may not have been handed over; check with the warehouse and the carrier.",
    "zh-CN":
      "面单已创建 { $hours } 小时，但一直没有扫描：{ $headline }。包裹可能还没有交给快递，请核实仓库和快递公司。",
  },
  "alert-customs-action": {
    en: "Customs needs information since { $since }: { $headline }. Send the carrier what customs asks for (ID, invoice, declared value), or the parcel goes back.",
    "zh-CN":
      "自 { $since } 起海关要求补充资料：{ $headline }。请按要求向快递公司提供资料（身份证、发票、申报价值），否则包裹会被退回。",
  },
  "late-stalled-learned": {
    en: "{ $carrier } { $lane } usually scans within { $usual } h; this one has been { $hours } h",
    "zh-CN": "{ $carrier } { $lane } 通常 { $usual } 小时内有扫描；这一件已 { $hours } 小时",
  },
  "late-label-only": {
    en: "label created { $hours } h ago, never scanned",
    "zh-CN": "面单已创建 { $hours } 小时，从未扫描",
  },
  "late-customs-action": {
    en: "customs needs information since { $since }",
    "zh-CN": "自 { $since } 起海关要求补充资料",
  },
});
