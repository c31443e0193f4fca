import { defineMessages } from "../define.js";

/** The steps of a publication trail (what `/why` and the dashboard print under each channel). */
export const whyTrailMessages = defineMessages({
  "why-step-available": {
    en: "available { $available } = on hand { $onHand } − reserved { $reserved }",
    "zh-CN": "可售 { $available } = 在手 { $onHand } − 预留 { $reserved }",
  },
  "why-step-bundle-available": {
    en: "bundle available { $available } = min({ $parts }), bound by { $binding }",
    "zh-CN": "套装可售 { $available } = min（{ $parts }），受 { $binding } 限制",
  },
  "why-step-sells-from": {
    en: "sells from { $locations }: { $onHand } on hand → { $qty }",
    "zh-CN": "从 { $locations } 发货：在手 { $onHand } → { $qty }",
  },
  "why-step-global-buffer": {
    en: "global buffer { $units } → { $qty }",
    "zh-CN": "全局缓冲 { $units } → { $qty }",
  },
  "why-step-channel-buffer": {
    en: "channel buffer { $units } → { $qty }",
    "zh-CN": "渠道缓冲 { $units } → { $qty }",
  },
  "why-step-listing-buffer": {
    en: "listing buffer { $units } → { $qty }",
    "zh-CN": "商品缓冲 { $units } → { $qty }",
  },
  "why-step-risk-unmeasured": {
    en: "risk buffer: no push latency measured on this channel yet → +0",
    "zh-CN": "风险缓冲：这个渠道还没有测到推送延迟 → +0",
  },
  "why-step-risk": {
    en: "risk buffer { $units } (sales { $rate }/h on all channels × push p95 { $latencyMs } ms, oversell chance ≤ { $risk }%) → { $qty }",
    "zh-CN":
      "风险缓冲 { $units }（所有渠道每小时销量 { $rate } × 推送 p95 { $latencyMs } 毫秒，超卖概率 ≤ { $risk }%）→ { $qty }",
  },
  "why-step-share": { en: "share { $share }% → { $qty }", "zh-CN": "分配比例 { $share }% → { $qty }" },
  "why-step-channel-cap": { en: "channel cap { $cap } → { $qty }", "zh-CN": "渠道上限 { $cap } → { $qty }" },
  "why-step-listing-cap": { en: "listing cap { $cap } → { $qty }", "zh-CN": "商品上限 { $cap } → { $qty }" },
  "why-step-flash-cap": {
    en: "flash sale: cap { $pct }% of available → { $qty }",
    "zh-CN": "限时促销：最多可售的 { $pct }% → { $qty }",
  },
  "why-step-delisted": { en: "delisted by an operator → 0", "zh-CN": "已被操作员下架 → 0" },
  "why-step-low-cap": {
    en: "low stock ({ $available } ≤ { $threshold }): cap { $cap } → { $qty }",
    "zh-CN": "库存不足（{ $available } ≤ { $threshold }）：上限 { $cap } → { $qty }",
  },
  "why-step-low-delist": {
    en: "low stock ({ $available } ≤ { $threshold }): delist everywhere → 0",
    "zh-CN": "库存不足（{ $available } ≤ { $threshold }）：所有渠道下架 → 0",
  },
  "why-step-low-split": {
    en: "low stock ({ $available } ≤ { $threshold }): split { $pool } across { $count } channels → { $qty }",
    "zh-CN": "库存不足（{ $available } ≤ { $threshold }）：把 { $pool } 件分给 { $count } 个渠道 → { $qty }",
  },
  "why-step-flash-split": {
    en: "flash sale: split { $pool } across { $count } channels → { $qty }",
    "zh-CN": "限时促销：把 { $pool } 件分给 { $count } 个渠道 → { $qty }",
  },
  "why-step-channel-max": {
    en: "channel maximum { $max } → { $qty }",
    "zh-CN": "渠道允许的最大值 { $max } → { $qty }",
  },
  "why-step-split-guard-pending": {
    en: "split guard: stays at { $qty } until the pushes pending to other channels are confirmed",
    "zh-CN": "分配保护：保持 { $qty }，直到其他渠道待完成的推送得到确认",
  },
  "why-step-split-guard-slack": {
    en: "split guard: raised only to { $qty }, so what every channel may show stays within { $available } available",
    "zh-CN": "分配保护：只提高到 { $qty }，让所有渠道显示的总数不超过可售的 { $available }",
  },
});
