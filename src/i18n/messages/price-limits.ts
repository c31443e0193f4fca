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
  "arg-cost-cost": { en: "COST", "zh-CN": "成本" },
  "arg-cost-cost-help": { en: "the unit cost, e.g. 8.50 or 8.50EUR", "zh-CN": "单件成本，例如 8.50 或 8.50EUR" },
  "arg-cost-margin": { en: "MARGIN%", "zh-CN": "毛利率%" },
  "arg-cost-margin-help": { en: "the minimum margin, e.g. 20%", "zh-CN": "最低毛利率，例如 20%" },
  "arg-cost-ceiling": { en: "max=CEILING", "zh-CN": "max=最高价" },
  "arg-cost-ceiling-help": { en: "the highest price allowed, e.g. max=49.00", "zh-CN": "允许的最高价，例如 max=49.00" },
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
  "pb-usage": {
    en: "import prices FILE.csv: sku,amount[,currency,channel]",
    "zh-CN": "import prices 文件.csv：sku,amount[,currency,channel]",
  },
  "pb-refused": {
    en: `{ $count ->
      [one] Nothing changed: one row of { $file } is refused (the file applies whole or not at all):
     *[other] Nothing changed: { $count } rows of { $file } are refused (the file applies whole or not at all):
    }`,
    "zh-CN": "未做任何修改：{ $file } 有 { $count } 行被拒绝（整个文件要么全部生效，要么都不生效）：",
  },
  "pb-line": { en: "line { $line }: { $problem }", "zh-CN": "第 { $line } 行：{ $problem }" },
  "pb-unknown-sku": { en: "no SKU { $sku }", "zh-CN": "没有货号 { $sku }" },
  "pb-unknown-channel": { en: "no channel { $channel }", "zh-CN": "没有渠道 { $channel }" },
  "pb-duplicate-row": {
    en: "{ $sku }{ $where } is already on line { $first }",
    "zh-CN": "{ $sku }{ $where } 已在第 { $first } 行出现",
  },
  "pb-bad-row": { en: "{ $problem }", "zh-CN": "{ $problem }" },
  "pb-empty": { en: "{ $file } has no prices.", "zh-CN": "{ $file } 中没有价格。" },
  "pb-applied": {
    en: `{ $count ->
      [one] ✅ One price applied; queued { $channels }.
     *[other] ✅ { $count } prices applied; queued { $channels }.
    }`,
    "zh-CN": "✅ 已应用 { $count } 个价格；已排队 { $channels }。",
  },
  "pb-unchanged": {
    en: "Nothing new: every price of this file was applied before.",
    "zh-CN": "没有新的修改：此文件的所有价格之前都已应用。",
  },
  "pb-summary": {
    en: "{ $count } SKUs; largest moves: { $moves }; total value at the new prices (× on hand): { $total }",
    "zh-CN": "{ $count } 个货号；最大变动：{ $moves }；按新价格计算的总值（× 现有库存）：{ $total }",
  },
  "pb-requested": {
    en: "⏳ Price batch { $id } from { $requester } waits for an approver: { $summary }. /approve-prices { $id } applies it all at once; /reject-prices { $id } REASON drops it.",
    "zh-CN":
      "⏳ 来自 { $requester } 的批量改价 { $id } 等待审批：{ $summary }。/approve-prices { $id } 一次性全部应用；/reject-prices { $id } 原因 驳回。",
  },
  "pb-duplicate-request": {
    en: "This file is already price batch { $id } ({ $state }).",
    "zh-CN": "此文件已是批量改价 { $id }（{ $state }）。",
  },
  "pb-button-approve": { en: "Approve", "zh-CN": "批准" },
  "cmd-approve-prices-summary": {
    en: "approve a bulk price change (import prices) waiting for a second person",
    "zh-CN": "批准等待第二人审核的批量改价（import prices）",
  },
  "cmd-reject-prices-summary": {
    en: "reject a bulk price change waiting for a second person",
    "zh-CN": "驳回等待第二人审核的批量改价",
  },
  "pb-not-found": {
    en: "No price batch { $id }.",
    "zh-CN": "没有批量改价 { $id }。",
  },
  "pb-decided": {
    en: "Price batch { $id } was already { $state } by { $by }.",
    "zh-CN": "批量改价 { $id } 已由 { $by } { $state }。",
  },
  "pb-state-pending": { en: "pending", "zh-CN": "待审批" },
  "pb-state-approved": { en: "approved", "zh-CN": "批准" },
  "pb-state-rejected": { en: "rejected", "zh-CN": "驳回" },
  "pb-own": {
    en: "You asked for price batch { $id }; someone else must approve it.",
    "zh-CN": "批量改价 { $id } 是你提交的，须由其他人批准。",
  },
  "pb-approved": {
    en: "✅ Price batch { $id } approved by { $by }: { $count } prices applied; queued { $queued }.",
    "zh-CN": "✅ 批量改价 { $id } 已由 { $by } 批准：已应用 { $count } 个价格；已排队 { $queued }。",
  },
  "pb-queued": { en: "{ $count } for { $channel }", "zh-CN": "{ $channel } { $count } 个" },
  "pb-rejected": {
    en: "Price batch { $id } rejected by { $by }: { $reason }. No price changed.",
    "zh-CN": "批量改价 { $id } 已由 { $by } 驳回：{ $reason }。未修改任何价格。",
  },
  "pb-reason-required": {
    en: "Say why: /reject-prices { $id } REASON",
    "zh-CN": "请说明原因：/reject-prices { $id } 原因",
  },
  "hold-alert": {
    en: "🛑 Order { $order } on { $channel } wants { $qty } × { $sku }, more than { $factor }× the usual { $usual } per order (p{ $pct } of { $history } order lines in { $days } days). Held: the stock is reserved but the order is not to be shipped until an approver decides (/approve-held { $id } or /cancel-held { $id }).",
    "zh-CN":
      "🛑 { $channel } 订单 { $order } 购买 { $qty } × { $sku }，超过平时每单 { $usual } 件的 { $factor } 倍（{ $days } 天内 { $history } 个订单行的 p{ $pct }）。已暂扣：库存已预留，审批人决定前不要发货（/approve-held { $id } 或 /cancel-held { $id }）。",
  },
  "hold-button-approve": { en: "Approve", "zh-CN": "放行" },
  "hold-button-cancel": { en: "Cancel", "zh-CN": "取消" },
  "cmd-held-summary": {
    en: "List order lines held by the promotion guard (quantity far above normal)",
    "zh-CN": "列出被促销护栏暂扣的订单行（数量远超平时）",
  },
  "cmd-approve-held-summary": {
    en: "Let a held order line through",
    "zh-CN": "放行被暂扣的订单行",
  },
  "cmd-cancel-held-summary": {
    en: "Cancel a held order line and release its stock",
    "zh-CN": "取消被暂扣的订单行并释放库存",
  },
  "held-none": { en: "No order lines are held.", "zh-CN": "没有被暂扣的订单行。" },
  "held-header": {
    en: `{ $count ->
      [one] One order line is held:
     *[other] { $count } order lines are held:
    }`,
    "zh-CN": "{ $count } 个订单行被暂扣：",
  },
  "held-line": {
    en: "• #{ $id } { $channel } order { $order }: { $qty } × { $sku } (usually { $usual }), held { $at }",
    "zh-CN": "• #{ $id } { $channel } 订单 { $order }：{ $qty } × { $sku }（平时 { $usual } 件），暂扣于 { $at }",
  },
  "held-not-found": {
    en: "No held order line { $id }. /held lists them.",
    "zh-CN": "没有编号为 { $id } 的暂扣订单行。/held 可查看列表。",
  },
  "held-already": {
    en: "Held line { $id } was already { $state } by { $by }.",
    "zh-CN": "暂扣订单行 { $id } 已由 { $by } { $state }。",
  },
  "held-state-approved": { en: "approved", "zh-CN": "放行" },
  "held-state-cancelled": { en: "cancelled", "zh-CN": "取消" },
  "held-approved": {
    en: "✅ Held line { $id } approved by { $by }: order { $order } on { $channel } ({ $qty } × { $sku }) goes ahead; ship it as usual.",
    "zh-CN":
      "✅ 暂扣订单行 { $id } 已由 { $by } 放行：{ $channel } 订单 { $order }（{ $qty } × { $sku }）照常处理发货。",
  },
  "held-cancelled": {
    en: "❌ Held line { $id } cancelled by { $by }: { $qty } × { $sku } released back to stock. { $channelNote }",
    "zh-CN": "❌ 暂扣订单行 { $id } 已由 { $by } 取消：{ $qty } × { $sku } 已释放回库存。{ $channelNote }",
  },
  "held-channel-cancelled": {
    en: "Order { $order } is cancelled on { $channel } too (no refund there: use /refund if the customer paid).",
    "zh-CN": "订单 { $order } 已在 { $channel } 上取消（该渠道未退款：如客户已付款请用 /refund）。",
  },
  "held-channel-by-hand": {
    en: "Cancel order { $order } on { $channel } by hand: stockradar cannot cancel orders there.",
    "zh-CN": "请在 { $channel } 上手动取消订单 { $order }：stockradar 无法在该渠道取消订单。",
  },
  "held-channel-cancel-failed": {
    en: "{ $channel } did not cancel order { $order } ({ $reason }): cancel it on { $channel } by hand.",
    "zh-CN": "{ $channel } 未能取消订单 { $order }（{ $reason }）：请在 { $channel } 上手动取消。",
  },
  "held-cancel-gone": {
    en: "❌ Held line { $id } closed by { $by }: its reservation was already { $status }, so no stock was released.",
    "zh-CN": "❌ 暂扣订单行 { $id } 已由 { $by } 关闭：其预留已是 { $status } 状态，未释放库存。",
  },
  "held-ship-refused": {
    en: "Order { $order } has a line held by the promotion guard ({ $qty } × { $sku }): do not ship it until an approver decides (/approve-held { $id } or /cancel-held { $id }).",
    "zh-CN":
      "订单 { $order } 有一行被促销护栏暂扣（{ $qty } × { $sku }）：审批人决定前不要发货（/approve-held { $id } 或 /cancel-held { $id }）。",
  },
});
