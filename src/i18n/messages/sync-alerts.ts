import { defineMessages } from "../define.js";

/** Alerts raised by the sync (push refusals, unmapped or rejected orders, reconcile repairs) and the CN channel adapters. */
export const syncAlertMessages = defineMessages({
  "alert-token-pinduoduo": {
    en: "Pinduoduo channel { $channel }: the seller's access token has expired (error 10019), so stock pushes and order polling on { $channel } have stopped. Renew it: have the shop owner re-authorise the app (fuwu.pinduoduo.com → 服务市场 → 我的服务), or refresh it with pdd.pop.auth.token.refresh; put the new token in channels → { $channel } → accessToken and restart stockradar.",
    "zh-CN":
      "拼多多渠道 { $channel }：商家的访问令牌已过期（错误 10019），{ $channel } 的库存推送和订单拉取已停止。请续期：让店主重新授权应用（fuwu.pinduoduo.com → 服务市场 → 我的服务），或用 pdd.pop.auth.token.refresh 刷新；把新令牌填到 channels → { $channel } → accessToken，然后重启 stockradar。",
  },
  "alert-token-taobao": {
    en: "Taobao channel { $channel }: the seller session (授权) is missing or expired, so stock pushes and order polling on { $channel } have stopped. Have the shop owner re-authorise the app on open.taobao.com, put the new session key in channels → { $channel } → session, and restart stockradar.",
    "zh-CN":
      "淘宝渠道 { $channel }：商家授权缺失或已过期，{ $channel } 的库存推送和订单拉取已停止。请店主在 open.taobao.com 重新授权应用，把新的授权码填到 channels → { $channel } → session，然后重启 stockradar。",
  },
  "alert-promotion-locked": {
    en: "Pinduoduo channel { $channel } refused to lower { $sku } (item { $ref }) to { $qty }: the goods is on a promotion slot (资源位), where stock can only go up. It may oversell. Take it off the promotion or lower its stock by hand in the PDD merchant backend; the bot does not send this number again, the next stock change will try again.",
    "zh-CN":
      "拼多多渠道 { $channel } 拒绝把 { $sku }（商品 { $ref }）降到 { $qty }：该商品在资源位上，库存只能加不能减，可能超卖。请撤下活动，或在拼多多商家后台手动调低库存；机器人不会再发这个数，下次库存变动时再试。",
  },
  "alert-push-rejected": {
    en: "{ $channel } refused the quantity for { $sku } ({ $code }): { $reason } It will be retried; fix the item on { $channel }, point the listing at the right item with /link { $sku } { $channel } REF, or stop selling it there with /delist { $sku } { $channel }.",
    "zh-CN":
      "{ $channel } 拒绝了 { $sku } 的库存数（{ $code }）：{ $reason } 会再重试；请在 { $channel } 修正商品，用 /link { $sku } { $channel } 商品编号 关联到正确的商品，或用 /delist { $sku } { $channel } 停止在那里售卖。",
  },
  "alert-order-unmapped": {
    en: "Order { $order } on { $channel } has a line for { $what } that is not in the ledger, so its stock is not reserved. Import the SKU or /link it; the next order import applies it.",
    "zh-CN":
      "{ $channel } 的订单 { $order } 有一行 { $what } 不在账本里，所以没有预留库存。请导入该货号或用 /link 关联；下次导入订单时会补上。",
  },
  "alert-order-item": { en: "item { $ref }", "zh-CN": "商品 { $ref }" },
  "alert-order-rejected": {
    en: "Order { $order } on { $channel } could not be recorded ({ $error }), so its stock is not reserved. Check the order on { $channel }; /orders { $channel } shows the rest.",
    "zh-CN":
      "{ $channel } 的订单 { $order } 无法记录（{ $error }），所以没有预留库存。请在 { $channel } 核对该订单；/orders { $channel } 显示其余订单。",
  },
  "alert-drift-repaired": {
    en: `Reconcile repaired { $count ->
        [one] { $count } listing
       *[other] { $count } listings
    } on { $channel } that drifted from the ledger ({ $examples }). Someone may be editing stock on the channel directly.`,
    "zh-CN":
      "对账修复了 { $channel } 上 { $count } 个与账本不一致的商品（{ $examples }）。可能有人在渠道后台直接改库存。",
  },
  "drift-example": {
    en: "{ $sku }: { $channel } showed { $shown }, ledger wants { $wanted }",
    "zh-CN": "{ $sku }：{ $channel } 显示 { $shown }，账本要求 { $wanted }",
  },
  "drift-delisted": { en: "delisted", "zh-CN": "已下架" },
});
