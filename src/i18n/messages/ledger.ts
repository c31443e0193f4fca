import { defineMessages } from "../define.js";

/** Refusals from the stock core (src/ledger/) and shared argument checks, rendered in the asker's language. */
export const ledgerMessages = defineMessages({
  "err-bad-set-qty": {
    en: "Quantity must be a whole number ≥ 0, got { $qty }.",
    "zh-CN": "数量必须是不小于 0 的整数，收到的是 { $qty }。",
  },
  "err-bad-adjust-qty": {
    en: "Adjustment must be a non-zero whole number, got { $qty }.",
    "zh-CN": "调整数量必须是非零整数，收到的是 { $qty }。",
  },
  "err-bad-move-qty": {
    en: "Quantity to move must be a whole number ≥ 1, got { $qty }.",
    "zh-CN": "调拨数量必须是不小于 1 的整数，收到的是 { $qty }。",
  },
  "err-unknown-sku": {
    en: "SKU { $sku } is not in the ledger. Check the spelling or import it first.",
    "zh-CN": "账本里没有货号 { $sku }。请检查拼写，或先导入该货号。",
  },
  "err-unknown-sku-import": {
    en: "SKU { $sku } is not in the ledger. Import it first.",
    "zh-CN": "账本里没有货号 { $sku }。请先导入该货号。",
  },
  "err-reserved-floor": {
    en: "SKU { $sku }: { $reserved } units are reserved, so on hand cannot go below { $reserved }. Release or ship reservations first.",
    "zh-CN": "货号 { $sku }：已预留 { $reserved } 件，在手库存不能低于 { $reserved }。请先释放或发货这些预留。",
  },
  "err-insufficient": {
    en: "SKU { $sku }: { $available } available, { $requested } requested. Lower the quantity or restock.",
    "zh-CN": "货号 { $sku }：可售 { $available } 件，需要 { $requested } 件。请减少数量或先补货。",
  },
  "err-release-too-much": {
    en: "SKU { $sku }: cannot release more than is reserved.",
    "zh-CN": "货号 { $sku }：释放的数量不能超过已预留的数量。",
  },
  "err-same-location": {
    en: "From and to are both { $location }; name two different locations.",
    "zh-CN": "调出和调入都是 { $location }，请填写两个不同的仓位。",
  },
  "err-insufficient-at": {
    en: "SKU { $sku }: { $onHand } on hand at { $location }, { $requested } requested there. Lower the quantity or move stock first.",
    "zh-CN": "货号 { $sku }：仓位 { $location } 现货 { $onHand } 件，需要 { $requested } 件。请减少数量或先调货。",
  },
  "err-ref-taken": {
    en: "{ $channel } item { $ref } is already linked to SKU { $other }. Link { $other } to its own item first (/link { $other } { $channel } REF).",
    "zh-CN":
      "{ $channel } 的商品 { $ref } 已关联到货号 { $other }。请先把 { $other } 关联到它自己的商品（/link { $other } { $channel } 商品编号）。",
  },
  "err-not-listed-link": {
    en: "SKU { $sku } is not listed on { $channel }. Link it with /link { $sku } { $channel } REF.",
    "zh-CN": "货号 { $sku } 没有在 { $channel } 上架。请用 /link { $sku } { $channel } 商品编号 关联。",
  },
  "err-not-listed": {
    en: "SKU { $sku } is not listed on { $channel }.",
    "zh-CN": "货号 { $sku } 没有在 { $channel } 上架。",
  },
  "err-no-listings": {
    en: "SKU { $sku } has no listings. Link one with /link { $sku } CHANNEL REF.",
    "zh-CN": "货号 { $sku } 还没有关联任何渠道商品。请用 /link { $sku } 渠道 商品编号 关联。",
  },
  "err-confirm-unknown": {
    en: "No pending confirmation { $token }. Run the command again to get a new one.",
    "zh-CN": "没有待确认的口令 { $token }。请重新执行命令获取新的口令。",
  },
  "err-confirm-not-yours": {
    en: "Confirmation { $token } belongs to someone else. Run the command yourself to get your own.",
    "zh-CN": "口令 { $token } 属于其他人。请自己执行一次命令获取你的口令。",
  },
  "err-confirm-used": { en: "Confirmation { $token } was already used.", "zh-CN": "口令 { $token } 已经用过了。" },
  "err-confirm-expired": {
    en: "Confirmation { $token } expired. Run the command again.",
    "zh-CN": "口令 { $token } 已过期，请重新执行命令。",
  },
  "err-unknown-location": {
    en: "Unknown location { $location }. Known: { $known }. Add it to stock.locations in the config.",
    "zh-CN": "没有仓位 { $location }。已有：{ $known }。如需新增，请在配置的 stock.locations 中添加。",
  },
  "err-unknown-channel": {
    en: "No channel { $channel }. Configured: { $known }.",
    "zh-CN": "没有渠道 { $channel }。已配置：{ $known }。",
  },
  "err-none": { en: "none", "zh-CN": "无" },
});
