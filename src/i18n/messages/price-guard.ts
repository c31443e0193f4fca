import { defineMessages } from "../define.js";

/** Texts of the price guard's maker-checker: /approve-price, /reject-price and the pending price request (issue 14). */
export const priceGuardMessages = defineMessages({
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
