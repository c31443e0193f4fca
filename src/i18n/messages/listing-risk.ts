import { defineMessages } from "../define.js";

/** The risk-based buffer per listing: /link's risk|norisk option and its replies (issue 18). */
export const listingRiskMessages = defineMessages({
  "arg-link-risk": { en: "risk|norisk", "zh-CN": "risk|norisk" },
  "arg-link-risk-help": {
    en: "risk: hold back a risk-based buffer on this listing (stock.oversellRisk); norisk: never; left out: as before (the channel's riskBuffer)",
    "zh-CN":
      "risk：此商品按风险保留缓冲（stock.oversellRisk）；norisk：不保留；不写：保持原设置（跟随渠道的 riskBuffer）",
  },
  "link-risk-on": {
    en: "Risk buffer on for { $sku } on { $channel }: /why { $sku } shows the sales rate, push p95, target and the units held back.",
    "zh-CN": "已为 { $channel } 上的 { $sku } 开启风险缓冲：/why { $sku } 显示销售速度、推送 p95、目标和保留的件数。",
  },
  "link-risk-off": {
    en: "Risk buffer off for { $sku } on { $channel }, whatever the channel's setting.",
    "zh-CN": "已为 { $channel } 上的 { $sku } 关闭风险缓冲（不论渠道设置）。",
  },
});
