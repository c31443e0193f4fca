import { defineMessages } from "../define.js";

/** Texts of the price guard's limits, /cost, bulk price changes (import prices) and the promotion guard (/held) (issue 14). */
export const priceLimitMessages = defineMessages({
  "pl-refused": {
    en: "Price of { $sku }{ $where } not changed: { $reason }.",
    "zh-CN": "{ $sku }{ $where }的价格未修改：{ $reason }。",
  },
  "pl-refused-breaker": {
    en: "Price of { $sku }{ $where } not changed: { $reason }. /breaker shows why.",
    "zh-CN": "{ $sku }{ $where }的价格未修改：{ $reason }。/breaker 查看原因。",
  },
  "pl-refused-hint": {
    en: "Price of { $sku }{ $where } not changed: { $reason }. Pick a price inside the limits (money.priceGuard in stockradar.yaml, /cost { $sku }).",
    "zh-CN":
      "{ $sku }{ $where }的价格未修改：{ $reason }。请在限额内定价（stockradar.yaml 的 money.priceGuard，或 /cost { $sku }）。",
  },
  "pl-breaker-open": {
    en: "the refund breaker is open; price changes wait until an admin resets it",
    "zh-CN": "退款熔断已打开；管理员重置前不能改价",
  },
  "pl-currency-change": {
    en: "the price is in { $currency }; give the new one in { $currency } too",
    "zh-CN": "当前价格以 { $currency } 计；新价格也请用 { $currency }",
  },
  "pl-below-floor": {
    en: "{ $price } is below the floor of { $floor } (money.priceGuard.floor)",
    "zh-CN": "{ $price } 低于最低价 { $floor }（money.priceGuard.floor）",
  },
  "pl-above-ceiling": {
    en: "{ $price } is above the ceiling of { $ceiling } (money.priceGuard.ceiling)",
    "zh-CN": "{ $price } 高于最高价 { $ceiling }（money.priceGuard.ceiling）",
  },
  "pl-below-cost-floor": {
    en: "{ $price } is below the floor of { $floor } (cost { $cost } with a { $margin }% minimum margin)",
    "zh-CN": "{ $price } 低于最低价 { $floor }（成本 { $cost }，最低毛利率 { $margin }%）",
  },
  "pl-above-sku-ceiling": {
    en: "{ $price } is above this SKU's ceiling of { $ceiling } (/cost)",
    "zh-CN": "{ $price } 高于该货号的最高价 { $ceiling }（/cost）",
  },
  "pl-change-too-large": {
    en: "{ $old } → { $new } moves { $pct }%, more than the { $limit }% allowed in one step (money.priceGuard.maxChangePct)",
    "zh-CN": "{ $old } → { $new } 变动 { $pct }%，超过单次允许的 { $limit }%（money.priceGuard.maxChangePct）",
  },
  "pl-daily-move-too-large": {
    en: "{ $opening } (the price 24 hours ago) → { $new } moves { $pct }%, more than the { $limit }% allowed per day (money.priceGuard.maxDailyMovePct)",
    "zh-CN":
      "{ $opening }（24 小时前的价格）→ { $new } 变动 { $pct }%，超过每日允许的 { $limit }%（money.priceGuard.maxDailyMovePct）",
  },
  "cmd-cost-summary": {
    en: "Show or set a SKU's cost, minimum margin and price ceiling (the price guard's floor and ceiling)",
    "zh-CN": "查看或设置货号的成本、最低毛利率和最高价（价格护栏的下限和上限）",
  },
  "cost-usage": {
    en: "Give a cost: /cost { $sku } 8.50 [MARGIN%] [max=CEILING]",
    "zh-CN": "请给出成本：/cost { $sku } 8.50 [毛利率%] [max=最高价]",
  },
  "cost-bad-margin": {
    en: "The margin must be a percentage from 0 to 99, e.g. 25%; got { $value }.",
    "zh-CN": "毛利率须为 0 到 99 的百分比，例如 25%；收到的是 { $value }。",
  },
  "cost-bad-ceiling": {
    en: "The ceiling must be an amount, e.g. max=99.00; got { $value }.",
    "zh-CN": "最高价须为金额，例如 max=99.00；收到的是 { $value }。",
  },
  "cost-none": {
    en: "{ $sku } has no cost, margin or ceiling set. /cost { $sku } 8.50 25% sets them.",
    "zh-CN": "{ $sku } 尚未设置成本、毛利率或最高价。/cost { $sku } 8.50 25% 可设置。",
  },
  "cost-line": {
    en: "{ $sku } ({ $currency }): cost { $cost }, minimum margin { $margin }, floor { $floor }, ceiling { $ceiling }",
    "zh-CN":
      "{ $sku }（{ $currency }）：成本 { $cost }，最低毛利率 { $margin }，最低价 { $floor }，最高价 { $ceiling }",
  },
  "cost-set": {
    en: "✅ { $sku } ({ $currency }): cost { $cost }, minimum margin { $margin }, floor { $floor }, ceiling { $ceiling }.",
    "zh-CN":
      "✅ { $sku }（{ $currency }）：成本 { $cost }，最低毛利率 { $margin }，最低价 { $floor }，最高价 { $ceiling }。",
  },
  "cost-unset": { en: "not set", "zh-CN": "未设置" },
});
