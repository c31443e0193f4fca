import { defineMessages } from "../define.js";

/**
 * What the sales-channel adapters say when a provider refuses or fails (issue 15): the error mappers of
 * Taobao/Xianyu (TOP), Pinduoduo, Shopify, WooCommerce, Amazon and eBay, and their per-item refusals.
 * `$provider` is the provider's name in the reader's language (`{ byLocale }`: 淘宝, 拼多多); `$call` is the
 * provider's own API name; `$detail` is the provider's own text, already quoted, or empty.
 */
export const channelErrorMessages = defineMessages({
  "ch-throttled": {
    en: "{ $provider } is rate-limiting channel { $channel }; retrying later.",
    "zh-CN": "{ $provider }正在对渠道 { $channel } 限流；稍后会重试。",
  },
  "ch-temporary": {
    en: "{ $provider } had a temporary problem on channel { $channel }; retrying later.",
    "zh-CN": "{ $provider }在渠道 { $channel } 上出现临时故障；稍后会重试。",
  },
  "ch-rejected-call": {
    en: "{ $provider } rejected { $call } on channel { $channel } (code { $code }).{ $detail }",
    "zh-CN": "{ $provider }拒绝了渠道 { $channel } 的 { $call } 调用（代码 { $code }）。{ $detail }",
  },
  "ch-unexpected-answer": {
    en: "{ $provider } sent an unexpected answer to { $call } on channel { $channel }.",
    "zh-CN": "{ $provider }对渠道 { $channel } 的 { $call } 调用返回了无法识别的内容。",
  },
  "ch-unreadable-answer": {
    en: "{ $provider } sent an unreadable answer on channel { $channel }; retrying.",
    "zh-CN": "{ $provider }在渠道 { $channel } 上返回了无法读取的内容；稍后会重试。",
  },
  "ch-item-not-found": {
    en: "{ $provider } item { $ref } was not found on channel { $channel }.",
    "zh-CN": "渠道 { $channel } 上找不到{ $provider }商品 { $ref }。",
  },
  "ch-sku-not-found": {
    en: "{ $provider } SKU { $ref } was not found on channel { $channel }.",
    "zh-CN": "渠道 { $channel } 上找不到{ $provider } SKU { $ref }。",
  },
  "ch-not-applied": {
    en: `{ $what ->
      [price] { $provider } did not apply the price update for { $ref } on channel { $channel }.
     *[stock] { $provider } did not apply the stock update for { $ref } on channel { $channel }.
    }`,
    "zh-CN": `{ $what ->
      [price] { $provider }没有应用渠道 { $channel } 上 { $ref } 的价格更新。
     *[stock] { $provider }没有应用渠道 { $channel } 上 { $ref } 的库存更新。
    }`,
  },
  "ch-not-cny": {
    en: "{ $provider } prices are in CNY; { $sku } has a { $currency } price. Set a CNY price for { $channel }.",
    "zh-CN":
      "{ $provider }的价格以人民币（CNY）计，{ $sku } 的价格是 { $currency }。请为 { $channel } 设置人民币价格。",
  },
  "ch-price-not-positive": {
    en: "A price for { $sku } must be above 0.",
    "zh-CN": "{ $sku } 的价格必须大于 0。",
  },
  "ch-price-negative": {
    en: "A price for { $sku } cannot be negative.",
    "zh-CN": "{ $sku } 的价格不能为负数。",
  },
  "ch-bad-quantity": {
    en: "Quantity for { $sku } must be a whole number ≥ 0, got { $qty }.",
    "zh-CN": "{ $sku } 的数量必须是不小于 0 的整数，收到的是 { $qty }。",
  },
  "ch-quantity-out-of-range": {
    en: "Quantity { $qty } for { $sku } is out of range.",
    "zh-CN": "{ $sku } 的数量 { $qty } 超出范围。",
  },
  "ch-duplicate-in-push": {
    en: "{ $sku } appears twice in one push; only the first is sent.",
    "zh-CN": "{ $sku } 在同一次推送里出现了两次；只发送第一条。",
  },
  "ch-no-answer": {
    en: "{ $provider } did not answer for { $sku }; it will be retried.",
    "zh-CN": "{ $provider } 没有返回 { $sku } 的结果；稍后会自动重试。",
  },
  "ch-refused-item": {
    en: `{ $what ->
      [price] { $provider } refused the price for { $sku } ({ $code }).{ $detail }
     *[quantity] { $provider } refused the quantity for { $sku } ({ $code }).{ $detail }
    }`,
    "zh-CN": `{ $what ->
      [price] { $provider } 拒绝了 { $sku } 的价格（{ $code }）。{ $detail }
     *[quantity] { $provider } 拒绝了 { $sku } 的数量（{ $code }）。{ $detail }
    }`,
  },
  "ch-refused-item-plain": {
    en: `{ $what ->
      [price] { $provider } refused the price for { $sku }.{ $detail }
     *[quantity] { $provider } refused the quantity for { $sku }.{ $detail }
    }`,
    "zh-CN": `{ $what ->
      [price] { $provider } 拒绝了 { $sku } 的价格。{ $detail }
     *[quantity] { $provider } 拒绝了 { $sku } 的数量。{ $detail }
    }`,
  },
  // The provider's own words, quoted after our sentence (`{ " " }`: Fluent drops a leading space).
  "ch-provider-said": { en: '{ " " }{ $provider } said: “{ $text }”', "zh-CN": "{ $provider } 原文：“{ $text }”" },

  // Pinduoduo (common error table of every pdd.* API page).
  "pdd-token-expired": {
    en: "The Pinduoduo access token of channel { $channel } has expired. Re-authorise the app and update accessToken.",
    "zh-CN": "渠道 { $channel } 的拼多多访问令牌已过期。请重新授权应用，并更新 accessToken。",
  },
  "pdd-bad-client-id": {
    en: "Pinduoduo does not know the clientId of channel { $channel } (or the app is offline). Check clientId in stockradar.yaml.",
    "zh-CN": "拼多多不认识渠道 { $channel } 的 clientId（或应用已下线）。请检查 stockradar.yaml 里的 clientId。",
  },
  "pdd-token-refused": {
    en: "Pinduoduo refused the access token or client id of channel { $channel } (code 20032). Check that accessToken was issued to this clientId.",
    "zh-CN":
      "拼多多拒绝了渠道 { $channel } 的访问令牌或 clientId（代码 20032）。请确认 accessToken 是为这个 clientId 签发的。",
  },
  "pdd-wrong-gateway": {
    en: "Pinduoduo says { $call } does not belong to the gateway of channel { $channel }. Check apiBase in stockradar.yaml.",
    "zh-CN": "拼多多表示 { $call } 不属于渠道 { $channel } 所用的网关。请检查 stockradar.yaml 里的 apiBase。",
  },
  "pdd-bad-signature": {
    en: "Pinduoduo refused the signature of channel { $channel }. Check clientSecret in stockradar.yaml (no trailing spaces).",
    "zh-CN": "拼多多拒绝了渠道 { $channel } 的签名。请检查 stockradar.yaml 里的 clientSecret（末尾不能有空格）。",
  },
  "pdd-ip-whitelist": {
    en: "Pinduoduo refused this server's IP for channel { $channel }. Add it to the app's IP whitelist (控制台 → 安全中心).",
    "zh-CN": "拼多多拒绝了渠道 { $channel } 所在服务器的 IP。请把它加入应用的 IP 白名单（控制台 → 安全中心）。",
  },
  "pdd-permission": {
    en: "The Pinduoduo app of channel { $channel } lacks the permission package for { $call }. Apply for it in the developer console.",
    "zh-CN": "渠道 { $channel } 的拼多多应用没有 { $call } 的权限包。请在开放平台控制台申请。",
  },
  "pdd-refused": {
    en: "Pinduoduo refused { $call } on channel { $channel } (code { $code }).",
    "zh-CN": "拼多多拒绝了渠道 { $channel } 的 { $call } 调用（代码 { $code }）。",
  },
  "pdd-test-quota": {
    en: "The Pinduoduo app of channel { $channel } is still in test state and has used its call quota (code 70036). Submit the app for launch in the developer console.",
    "zh-CN":
      "渠道 { $channel } 的拼多多应用仍处于测试状态，调用额度已用完（代码 70036）。请在开放平台控制台提交应用上线。",
  },
  "pdd-blocked": {
    en: "Pinduoduo blocked calls of channel { $channel } (code { $code }). Check the app's status in the developer console.",
    "zh-CN": "拼多多封禁了渠道 { $channel } 的调用（代码 { $code }）。请在开放平台控制台检查应用状态。",
  },
  "pdd-promotion-locked": {
    en: "Pinduoduo will not lower stock of a SKU on a promotion slot (channel { $channel }). Take it off the promotion or lower it by hand.",
    "zh-CN": "拼多多不允许降低活动资源位上 SKU 的库存（渠道 { $channel }）。请先让它退出活动，或手动调低。",
  },
  "pdd-bad-ref": {
    en: 'Pinduoduo ref "{ $ref }" is not GOODS_ID:SKU_ID (digits), e.g. 123456789:987654321.',
    "zh-CN": "拼多多关联“{ $ref }”不是 商品ID:SKU_ID（数字）格式，例如 123456789:987654321。",
  },

  // Taobao / Tmall (TOP) and Xianyu.
  "top-bad-signature": {
    en: "Taobao refused the signature of channel { $channel }. Check appSecret and signMethod in stockradar.yaml.",
    "zh-CN": "淘宝拒绝了渠道 { $channel } 的签名。请检查 stockradar.yaml 里的 appSecret 和 signMethod。",
  },
  "top-bad-app-key": {
    en: "Taobao does not know the appKey of channel { $channel }. Check appKey in stockradar.yaml.",
    "zh-CN": "淘宝不认识渠道 { $channel } 的 appKey。请检查 stockradar.yaml 里的 appKey。",
  },
  "top-permission": {
    en: "The Taobao app of channel { $channel } may not call { $call }. Apply for the API package or add this server's IP to the app's whitelist on open.taobao.com.",
    "zh-CN":
      "渠道 { $channel } 的淘宝应用无权调用 { $call }。请在 open.taobao.com 申请对应的接口权限包，或把本服务器的 IP 加入应用白名单。",
  },
  "top-clock-skew": {
    en: "Taobao rejected the request time of channel { $channel }. Check this server's clock (TOP allows ±10 minutes).",
    "zh-CN": "淘宝拒绝了渠道 { $channel } 的请求时间。请检查本服务器的时钟（淘宝开放平台允许误差 ±10 分钟）。",
  },
  "top-session-expired": {
    en: "The Taobao session of channel { $channel } is missing or expired. Re-authorise the app and update the session.",
    "zh-CN": "渠道 { $channel } 的淘宝授权缺失或已过期。请重新授权应用，并更新 session。",
  },
  "top-bad-ref": {
    en: 'Taobao ref "{ $ref }" is not NUM_IID or NUM_IID:SKU_ID (digits), e.g. 612345678901:4876543210123.',
    "zh-CN": "淘宝关联“{ $ref }”不是 NUM_IID 或 NUM_IID:SKU_ID（数字）格式，例如 612345678901:4876543210123。",
  },
  "top-nothing-to-list": {
    en: "Taobao item { $ref } has 0 in stock; push a quantity before relisting it.",
    "zh-CN": "淘宝商品 { $ref } 库存为 0；请先推送库存，再重新上架。",
  },
  "xianyu-awaiting": {
    en: `{ $what ->
      [price] Xianyu price to-do { $id }: waiting for someone to apply it by hand and press Done.
     *[stock] Xianyu to-do { $id }: waiting for someone to apply it by hand and press Done.
    }`,
    "zh-CN": `{ $what ->
      [price] 闲鱼改价待办 { $id }：等待有人手动改好后点“完成”。
     *[stock] 闲鱼待办 { $id }：等待有人手动改好后点“完成”。
    }`,
  },
  "todo-unknown": {
    en: "To-do { $id } does not exist. /todos lists the open ones.",
    "zh-CN": "待办 { $id } 不存在。/todos 会列出未完成的待办。",
  },
  "xianyu-no-pending-price": {
    en: "No price is queued for { $sku } on { $channel }; no to-do needed.",
    "zh-CN": "{ $channel } 上没有 { $sku } 的待改价格，无需待办。",
  },

  // Shopify.
  "shopify-throttled": {
    en: "Shopify is rate-limiting us (THROTTLED); the sync will slow down and retry.",
    "zh-CN": "Shopify 正在限流（THROTTLED）；同步会放慢并重试。",
  },
  "shopify-internal": {
    en: "Shopify had an internal error ({ $code }); the call will be retried.",
    "zh-CN": "Shopify 内部出错（{ $code }）；稍后会自动重试。",
  },
  "shopify-rejected": {
    en: "Shopify rejected the request ({ $code }).{ $detail }",
    "zh-CN": "Shopify 拒绝了请求（{ $code }）。{ $detail }",
  },
  "shopify-rejected-plain": { en: "Shopify rejected the request.", "zh-CN": "Shopify 拒绝了请求。" },
  "shopify-push-unconfirmed": {
    en: "Shopify did not confirm the push; it will be pushed again.",
    "zh-CN": "Shopify 没有确认这次推送；稍后会重新推送。",
  },
  "shopify-push-busy": {
    en: "Shopify is still processing the same push; it will be retried.",
    "zh-CN": "Shopify 仍在处理同一次推送；稍后会重试。",
  },
  "shopify-push-rejected": {
    en: "Shopify rejected the push ({ $code }).{ $detail }",
    "zh-CN": "Shopify 拒绝了这次推送（{ $code }）。{ $detail }",
  },
  "shopify-quantity-changed": {
    en: "Shopify shows a different quantity for { $sku } than the { $previous } we last confirmed; not overwritten.",
    "zh-CN": "Shopify 上 { $sku } 的数量与我们上次确认的 { $previous } 不同；未覆盖。",
  },
  "shopify-batch-kept-rejecting": {
    en: "Shopify kept rejecting the batch holding { $sku }; it will be pushed again.",
    "zh-CN": "Shopify 一直拒绝包含 { $sku } 的这批推送；稍后会重新推送。",
  },
  "shopify-price-unconfirmed": {
    en: "Shopify did not confirm the price of { $sku }.",
    "zh-CN": "Shopify 没有确认 { $sku } 的价格。",
  },
  "shopify-bad-ref": {
    en: 'Listing ref "{ $ref }" is not a Shopify InventoryItem gid. Re-link { $sku }.',
    "zh-CN": "商品关联“{ $ref }”不是 Shopify 的 InventoryItem gid。请重新关联 { $sku }。",
  },
  "shopify-no-variant": {
    en: "Shopify has no variant for { $sku } ({ $ref }). Re-link { $sku }.",
    "zh-CN": "Shopify 上没有 { $sku } 的款式（{ $ref }）。请重新关联 { $sku }。",
  },
  "shopify-currency-mismatch": {
    en: "The shop sells in { $shop }; { $sku } was priced in { $currency }.",
    "zh-CN": "店铺以 { $shop } 销售，而 { $sku } 的价格是 { $currency }。",
  },
  "shopify-unknown-location": {
    en: "Shopify does not know location { $location }. Check locationId in stockradar.yaml.",
    "zh-CN": "Shopify 找不到仓位 { $location }。请检查 stockradar.yaml 里的 locationId。",
  },
  "shopify-cancel-failed": {
    en: "Shopify did not cancel order { $order }; cancel it in the Shopify admin.{ $detail }",
    "zh-CN": "Shopify 没有取消订单 { $order }；请在 Shopify 后台取消。{ $detail }",
  },
  "shopify-unknown-order": {
    en: "Shopify does not know order { $order }.",
    "zh-CN": "Shopify 找不到订单 { $order }。",
  },
  "shopify-no-payment": {
    en: "Order { $order } has no captured payment on Shopify to refund.",
    "zh-CN": "订单 { $order } 在 Shopify 上没有已收款的付款，无法退款。",
  },
  "shopify-refund-unconfirmed": {
    en: "Shopify did not confirm the refund for order { $order }; check the order on Shopify before trying again.",
    "zh-CN": "Shopify 没有确认订单 { $order } 的退款；重试前请先在 Shopify 上查看该订单。",
  },
  "shopify-refund-refused": {
    en: "Shopify refused the refund for order { $order }.{ $detail }",
    "zh-CN": "Shopify 拒绝了订单 { $order } 的退款。{ $detail }",
  },

  // WooCommerce.
  "woo-bad-ref": {
    en: 'Listing ref "{ $ref }" is not a WooCommerce id (123 or 123:456). Re-link { $sku }.',
    "zh-CN": "商品关联“{ $ref }”不是 WooCommerce 的 ID（123 或 123:456）。请重新关联 { $sku }。",
  },
  "woo-bad-order-id": {
    en: "{ $order } is not a WooCommerce order id.",
    "zh-CN": "{ $order } 不是 WooCommerce 的订单号。",
  },
  "woo-cancel-kept": {
    en: "WooCommerce kept order { $order } as { $status }; cancel it in WooCommerce.",
    "zh-CN": "WooCommerce 没有取消订单 { $order }（状态仍为 { $status }）；请在 WooCommerce 后台取消。",
  },

  // Amazon.
  "amazon-lwa-refused": {
    en: "Amazon refused our LWA credentials ({ $code }). Check lwaClientId, lwaClientSecret (rotated every 180 days) and refreshToken.",
    "zh-CN":
      "Amazon 拒绝了我们的 LWA 凭据（{ $code }）。请检查 lwaClientId、lwaClientSecret（每 180 天轮换一次）和 refreshToken。",
  },
  "amazon-feed-pending": {
    en: `{ $what ->
      [price] Amazon has not finished feed { $feed } yet; the price changes will be pushed again.
     *[quantity] Amazon has not finished feed { $feed } yet; the quantity changes will be pushed again.
    }`,
    "zh-CN": `{ $what ->
      [price] Amazon 还没有处理完 feed { $feed }；这些价格改动会重新推送。
     *[quantity] Amazon 还没有处理完 feed { $feed }；这些数量改动会重新推送。
    }`,
  },
  "amazon-feed-ended": {
    en: "Amazon feed { $feed } ended { $status }.",
    "zh-CN": "Amazon 的 feed { $feed } 以 { $status } 状态结束。",
  },
  "amazon-report-failed": {
    en: "Amazon could not build the listings report.",
    "zh-CN": "Amazon 无法生成商品报告。",
  },
  "amazon-report-not-ready": {
    en: "Amazon's listings report is still not ready.",
    "zh-CN": "Amazon 的商品报告还没有准备好。",
  },
  "amazon-unpack-failed": {
    en: `{ $what ->
      [feed] Amazon's feed report could not be unpacked; it will be fetched again.
     *[report] Amazon's listings report could not be unpacked; it will be fetched again.
    }`,
    "zh-CN": `{ $what ->
      [feed] 无法解开 Amazon 的 feed 处理报告；稍后会重新获取。
     *[report] 无法解开 Amazon 的商品报告；稍后会重新获取。
    }`,
  },
  "amazon-unknown-sku": {
    en: "Amazon does not list seller SKU { $ref }; set productType for channel { $channel } or re-link { $sku }.",
    "zh-CN": "Amazon 上没有卖家 SKU { $ref }；请为渠道 { $channel } 设置 productType，或重新关联 { $sku }。",
  },

  // eBay.
  "ebay-oauth-refused": {
    en: "eBay refused our OAuth credentials ({ $code }). The refresh token may have expired (≈18 months): re-consent and update refreshToken.",
    "zh-CN":
      "eBay 拒绝了我们的 OAuth 凭据（{ $code }）。刷新令牌可能已过期（约 18 个月）：请重新授权，并更新 refreshToken。",
  },
  "ebay-bad-sku": {
    en: 'Cannot push { $qty } to eBay SKU "{ $ref }" (SKUs are at most 50 characters). Re-link { $sku }.',
    "zh-CN": "无法把 { $qty } 推送到 eBay SKU“{ $ref }”（SKU 最多 50 个字符）。请重新关联 { $sku }。",
  },
  "ebay-no-offer": {
    en: "eBay SKU { $ref } has no offer in { $marketplace }, so it has no price to set. Create the offer on eBay, then /link { $sku } again.",
    "zh-CN":
      "eBay SKU { $ref } 在 { $marketplace } 没有在售报价（offer），无法设置价格。请先在 eBay 上创建报价，再重新执行 /link { $sku }。",
  },
});
