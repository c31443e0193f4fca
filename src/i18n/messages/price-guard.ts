import { defineMessages } from "../define.js";

/** Texts of the price guard's maker-checker (/approve-price, /reject-price, the pending request) and of /prices (issue 14). */
export const priceGuardMessages = defineMessages({
  "cmd-prices-summary": {
    en: "Show a SKU's price on each channel, pushes still waiting, approvals pending and the last changes",
    "zh-CN": "查看货号在各渠道的价格、待推送、待审批和最近的改价",
  },
  "pg-preview-needs-approval": {
    en: "This moves { $pct }%, above the { $limit }% that needs a second person: confirming opens a price request for an approver other than you; nothing changes until then.",
    "zh-CN":
      "变动 { $pct }%，超过需第二人审核的 { $limit }%：确认后将提交改价申请，由你以外的审批人处理；在此之前不会改价。",
  },
  "pg-prices-header": {
    en: "💶 { $sku }: our price { $price }",
    "zh-CN": "💶 { $sku }：我方价格 { $price }",
  },
  "pg-prices-no-price": { en: "not set", "zh-CN": "未设置" },
  "pg-prices-channels": { en: "On the channels:", "zh-CN": "各渠道：" },
  "pg-prices-no-listings": {
    en: "Not listed on any channel.",
    "zh-CN": "未在任何渠道上架。",
  },
  "pg-prices-channel": { en: "• { $channel }: { $price }", "zh-CN": "• { $channel }：{ $price }" },
  "pg-prices-not-pushed": { en: "not pushed yet", "zh-CN": "尚未推送" },
  "pg-prices-pending": { en: "Waiting to push:", "zh-CN": "等待推送：" },
  "pg-prices-target": {
    en: "• { $channel }: { $price } (version { $version }, { $attempts } attempts)",
    "zh-CN": "• { $channel }：{ $price }（版本 { $version }，已尝试 { $attempts } 次）",
  },
  "pg-prices-target-error": {
    en: "• { $channel }: { $price } (version { $version }, { $attempts } attempts, last error: { $error })",
    "zh-CN": "• { $channel }：{ $price }（版本 { $version }，已尝试 { $attempts } 次，最近错误：{ $error }）",
  },
  "pg-prices-no-pending": { en: "Nothing waiting to push.", "zh-CN": "没有等待推送的价格。" },
  "pg-prices-requests": { en: "Waiting for approval:", "zh-CN": "等待审批：" },
  "pg-prices-request": {
    en: "• #{ $id } by { $requester }{ $where }: { $old } → { $new } ({ $pct }%), /approve-price { $id }",
    "zh-CN": "• #{ $id } { $requester } 申请{ $where }：{ $old } → { $new }（{ $pct }%），/approve-price { $id }",
  },
  "pg-prices-changes": { en: "Last changes:", "zh-CN": "最近改价：" },
  "pg-prices-change": {
    en: "• { $at } { $actor }{ $where }: { $old } → { $new }",
    "zh-CN": "• { $at } { $actor }{ $where }：{ $old } → { $new }",
  },
  "pg-prices-change-refused": {
    en: "• { $at } { $actor }{ $where }: { $old } → { $new } (refused)",
    "zh-CN": "• { $at } { $actor }{ $where }：{ $old } → { $new }（已拒绝）",
  },
  "pg-prices-no-changes": { en: "No price changes yet.", "zh-CN": "还没有改价记录。" },
  "cmd-approve-price-summary": {
    en: "approve a price change waiting for a second person",
    "zh-CN": "批准等待第二人审核的改价",
  },
  "cmd-reject-price-summary": {
    en: "reject a price change waiting for a second person",
    "zh-CN": "驳回等待第二人审核的改价",
  },
  "pg-request-opened": {
    en: "⏳ { $sku }{ $where }: { $old } → { $new } moves { $pct }%, above the { $limit }% that needs a second person. Nothing changed yet: price request { $id } waits for an approver other than { $requester } (/approve-price { $id } or /reject-price { $id } REASON).",
    "zh-CN":
      "⏳ { $sku }{ $where }：{ $old } → { $new } 变动 { $pct }%，超过需第二人审核的 { $limit }%。尚未改价：改价申请 { $id } 等待 { $requester } 以外的审批人处理（/approve-price { $id } 或 /reject-price { $id } 理由）。",
  },
  "pg-approve-preview": {
    en: "Approve price request { $id }: { $sku }{ $where } { $old } → { $new } ({ $pct }%), asked by { $requester }, pushed to { $channels }.",
    "zh-CN":
      "批准改价申请 { $id }：{ $sku }{ $where } { $old } → { $new }（{ $pct }%），由 { $requester } 申请，将推送到 { $channels }。",
  },
  "pg-approved": {
    en: "✅ Price request { $id } approved by { $by }: { $sku }{ $where } { $old } → { $new }. Confirmed by { $confirmed }; waiting: { $waiting }.",
    "zh-CN":
      "✅ 改价申请 { $id } 已由 { $by } 批准：{ $sku }{ $where } { $old } → { $new }。已确认：{ $confirmed }；等待中：{ $waiting }。",
  },
  "pg-rejected": {
    en: "✖️ Price request { $id } rejected by { $by }: { $reason }. { $sku } keeps { $old }.",
    "zh-CN": "✖️ 改价申请 { $id } 已由 { $by } 驳回：{ $reason }。{ $sku } 保持 { $old }。",
  },
  "pg-own-request": {
    en: "You asked for price request { $id }; someone else must approve it.",
    "zh-CN": "改价申请 { $id } 是你提出的，须由其他人批准。",
  },
  "pg-not-found": {
    en: "No price request { $id }. /prices SKU lists the pending ones.",
    "zh-CN": "没有改价申请 { $id }。/prices SKU 可查看待审批的申请。",
  },
  "pg-already-approved": {
    en: "Price request { $id } was already approved by { $by }; nothing changed.",
    "zh-CN": "改价申请 { $id } 已由 { $by } 批准过；未做任何改动。",
  },
  "pg-already-rejected": {
    en: "Price request { $id } was rejected by { $by }: { $reason }. Nothing changed; ask again with /price if still wanted.",
    "zh-CN": "改价申请 { $id } 已被 { $by } 驳回：{ $reason }。未做任何改动；如仍需改价请重新 /price。",
  },
  "pg-reason-required": {
    en: "Say why: /reject-price { $id } REASON",
    "zh-CN": "请说明理由：/reject-price { $id } 理由",
  },
});
