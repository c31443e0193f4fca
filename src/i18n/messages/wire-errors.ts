import { defineMessages } from "../define.js";

/**
 * Refusals and failures from remote calls, webhooks and wire parsing (issue 15): couriers, channels, WeCom
 * callbacks, reservations and channel import, rendered in the reader's language.
 */
export const wireErrorMessages = defineMessages({
  "up-timeout": {
    en: "{ $provider } did not answer in time; the call will be retried.",
    "zh-CN": "{ $provider } 未及时响应；稍后会自动重试。",
  },
  "up-unreachable": {
    en: "{ $provider } could not be reached; the call will be retried.",
    "zh-CN": "无法连接 { $provider }；稍后会自动重试。",
  },
  "up-not-json": {
    en: "{ $provider } sent a body that is not valid JSON; the call will be retried.",
    "zh-CN": "{ $provider } 返回的内容不是有效的 JSON；稍后会自动重试。",
  },
  "up-not-json-type": {
    en: "{ $provider } answered with { $type } instead of JSON; the call will be retried.",
    "zh-CN": "{ $provider } 返回的是 { $type } 而不是 JSON；稍后会自动重试。",
  },
  "up-no-content-type": { en: "no content type", "zh-CN": "无内容类型" },
  "up-unexpected-shape": {
    en: "{ $provider } sent a { $what } we do not understand; check the pinned API version.",
    "zh-CN": "{ $provider } 返回的 { $what } 无法识别；请检查固定的接口版本。",
  },
  "up-throttled": {
    en: "{ $provider } is rate-limiting us{ $tail }; the sync will slow down and retry.",
    "zh-CN": "{ $provider } 正在限流{ $tail }；同步会放慢并重试。",
  },
  "up-auth": {
    en: "{ $provider } refused our credentials{ $tail }. Check the channel's keys and scopes in stockradar.yaml.",
    "zh-CN": "{ $provider } 拒绝了我们的凭据{ $tail }。请检查 stockradar.yaml 里该渠道的密钥和权限范围。",
  },
  "up-not-found": {
    en: "{ $provider } does not know that item{ $tail }. Check the listing link.",
    "zh-CN": "{ $provider } 找不到该商品{ $tail }。请检查商品关联。",
  },
  "up-server-error": {
    en: "{ $provider } had a server error ({ $status }){ $tail }; the call will be retried.",
    "zh-CN": "{ $provider } 服务器出错（{ $status }）{ $tail }；稍后会自动重试。",
  },
  "up-status-timeout": {
    en: "{ $provider } timed out ({ $status }){ $tail }; the call will be retried.",
    "zh-CN": "{ $provider } 超时（{ $status }）{ $tail }；稍后会自动重试。",
  },
  "up-status-rejected": {
    en: "{ $provider } rejected the request ({ $status }){ $tail }.",
    "zh-CN": "{ $provider } 拒绝了请求（{ $status }）{ $tail }。",
  },
  "kdniao-no-package": {
    en: "The Kdniao account has no package for this API. Check the plan.",
    "zh-CN": "快递鸟账号没有开通此接口的套餐。请检查套餐。",
  },
  "kdniao-refused": {
    en: "Kdniao refused the request; check carrier and number.",
    "zh-CN": "快递鸟拒绝了请求；请检查快递公司和单号。",
  },
  "kdniao-no-carrier": {
    en: "Kdniao has no code for carrier { $carrier }.",
    "zh-CN": "快递鸟没有快递公司 { $carrier } 的编码。",
  },
  "kdniao-push-no-data": { en: "Kdniao push without RequestData.", "zh-CN": "快递鸟推送缺少 RequestData。" },
  "kdniao-push-bad-sign": {
    en: "Kdniao push DataSign does not match.",
    "zh-CN": "快递鸟推送的 DataSign 签名不匹配。",
  },
  "kdniao-push-not-json": {
    en: "Kdniao push RequestData is not JSON.",
    "zh-CN": "快递鸟推送的 RequestData 不是 JSON。",
  },
  "kdniao-push-shape": {
    en: "Kdniao push does not match the documented shape.",
    "zh-CN": "快递鸟推送的格式与文档不符。",
  },
  "kd100-400": {
    en: "Kuaidi100 rejected the request (carrier code, customer id or balance). Check the carrier and the account.",
    "zh-CN": "快递100 拒绝了请求（快递公司编码、customer 或余额）。请检查快递公司和账号。",
  },
  "kd100-408": {
    en: "Kuaidi100 needs the recipient's phone (last 4 digits) for this carrier. Add it: /ship ORDER CARRIER TRACKING [REGION] PHONE4.",
    "zh-CN": "该快递公司需要收件人手机号后 4 位。请补上：/ship 订单 快递公司 单号 [地区] 手机后四位。",
  },
  "kd100-503": {
    en: "Kuaidi100 rejected our signature. Check couriers.kuaidi100 key and customer.",
    "zh-CN": "快递100 拒绝了我们的签名。请检查 couriers.kuaidi100 的 key 和 customer。",
  },
  "kd100-600": {
    en: "Kuaidi100 rejected our key. Check couriers.kuaidi100 key.",
    "zh-CN": "快递100 拒绝了我们的 key。请检查 couriers.kuaidi100 的 key。",
  },
  "kd100-601": {
    en: "The Kuaidi100 account has no quota left (or the key expired). Top up or renew it.",
    "zh-CN": "快递100 账号额度已用完（或 key 已过期）。请充值或续期。",
  },
  "kd100-700": {
    en: "Kuaidi100 refused the subscription data (carrier, number or callback URL).",
    "zh-CN": "快递100 拒绝了订阅数据（快递公司、单号或回调地址）。",
  },
  "kd100-701": {
    en: "Kuaidi100 does not accept subscriptions for this carrier.",
    "zh-CN": "快递100 不支持订阅该快递公司。",
  },
  "kd100-702": {
    en: "Kuaidi100 could not identify the carrier for this number. Give the carrier explicitly.",
    "zh-CN": "快递100 无法识别该单号的快递公司。请明确指定快递公司。",
  },
  "kd100-other": {
    en: `{ $where ->
      [query] Kuaidi100 query failed (code { $code }); will retry.
     *[subscribe] Kuaidi100 subscribe failed (code { $code }); will retry.
    }`,
    "zh-CN": `{ $where ->
      [query] 快递100 查询失败（代码 { $code }）；稍后会重试。
     *[subscribe] 快递100 订阅失败（代码 { $code }）；稍后会重试。
    }`,
  },
  "kd100-no-public-url": {
    en: "Set http.publicUrl so Kuaidi100 can push updates to us.",
    "zh-CN": "请设置 http.publicUrl，快递100 才能把物流更新推送给我们。",
  },
  "kd100-push-no-param": {
    en: "Kuaidi100 push without a param field.",
    "zh-CN": "快递100 推送缺少 param 字段。",
  },
  "kd100-push-unsigned": {
    en: "Kuaidi100 pushes need couriers.kuaidi100 salt configured.",
    "zh-CN": "接收快递100 推送需要配置 couriers.kuaidi100 的 salt。",
  },
  "kd100-push-bad-sign": {
    en: "Kuaidi100 push signature does not match.",
    "zh-CN": "快递100 推送的签名不匹配。",
  },
  "kd100-push-not-json": {
    en: "Kuaidi100 push param is not JSON.",
    "zh-CN": "快递100 推送的 param 不是 JSON。",
  },
  "kd100-push-shape": {
    en: "Kuaidi100 push does not match the documented shape.",
    "zh-CN": "快递100 推送的格式与文档不符。",
  },
  "webhook-secret-missing": {
    en: "No webhook secret is configured for this { $provider } channel; set webhookSecret.",
    "zh-CN": "此 { $provider } 渠道未配置 webhook 密钥；请设置 webhookSecret。",
  },
  "webhook-unsigned": {
    en: "The { $provider } webhook carried no signature.",
    "zh-CN": "{ $provider } 的 webhook 没有签名。",
  },
  "webhook-bad-signature": {
    en: "The { $provider } webhook signature does not match.",
    "zh-CN": "{ $provider } 的 webhook 签名不匹配。",
  },
  "webhook-not-json": {
    en: "The { $provider } webhook body is not JSON.",
    "zh-CN": "{ $provider } 的 webhook 内容不是 JSON。",
  },
  "webhook-bad-shape": {
    en: "The { $provider } webhook body is not a shape we know.",
    "zh-CN": "{ $provider } 的 webhook 内容格式无法识别。",
  },
  "webhook-no-answer": {
    en: "The webhook receiver did not answer for { $sku }; it will be retried.",
    "zh-CN": "webhook 接收方没有回应 { $sku }；稍后会自动重试。",
  },
  "wire-bad-amount": { en: "Not an amount: { $value }", "zh-CN": "不是有效金额：{ $value }" },
  "wire-bad-cursor": {
    en: "Not a { $provider } order cursor: { $cursor }",
    "zh-CN": "不是有效的 { $provider } 订单游标：{ $cursor }",
  },
  "wecom-bad-aes-key": {
    en: "The WeCom EncodingAESKey must be the 43-character key shown in the admin console.",
    "zh-CN": "企业微信 EncodingAESKey 必须是管理后台显示的 43 位密钥。",
  },
  "wecom-cb-bad-signature": { en: "Callback signature does not match.", "zh-CN": "回调签名不匹配。" },
  "wecom-cb-bad-timestamp": { en: "Callback timestamp is not a number.", "zh-CN": "回调时间戳不是数字。" },
  "wecom-cb-stale": {
    en: "Callback timestamp is outside the accepted window.",
    "zh-CN": "回调时间戳超出了允许的时间范围。",
  },
  "wecom-cb-no-decrypt": { en: "Callback payload does not decrypt.", "zh-CN": "回调内容无法解密。" },
  "wecom-cb-other-receiver": {
    en: "Callback was encrypted for another receiver.",
    "zh-CN": "回调是加密给另一个接收方的。",
  },
  "wecom-cb-missing": {
    en: "Callback is missing msg_signature, timestamp, nonce or the encrypted payload.",
    "zh-CN": "回调缺少 msg_signature、timestamp、nonce 或加密内容。",
  },
  "wecom-cb-not-xml": { en: "Callback body is not XML.", "zh-CN": "回调内容不是 XML。" },
  "wecom-cb-no-root": { en: "Callback XML has no <xml> root.", "zh-CN": "回调 XML 没有 <xml> 根节点。" },
  "res-unknown": { en: "Reservation { $id } does not exist.", "zh-CN": "预留 { $id } 不存在。" },
  "res-bad-hold-qty": {
    en: "Quantity must be a whole number ≥ 1, got { $qty }.",
    "zh-CN": "数量必须是不小于 1 的整数，收到的是 { $qty }。",
  },
  "res-bad-line-qty": {
    en: "Order line quantity must be ≥ 1, got { $qty }.",
    "zh-CN": "订单行数量必须不小于 1，收到的是 { $qty }。",
  },
  "res-bad-resize-qty": {
    en: "Order line quantity must be ≥ 0, got { $qty }.",
    "zh-CN": "订单行数量必须不小于 0，收到的是 { $qty }。",
  },
  "res-status": {
    en: `{ $status ->
      [active] active
      [released] released
      [expired] expired
      [shipped] shipped
     *[other] { $status }
    }`,
    "zh-CN": `{ $status ->
      [active] 生效中
      [released] 已释放
      [expired] 已过期
      [shipped] 已发货
     *[other] { $status }
    }`,
  },
  "res-cannot-commit": {
    en: "Reservation { $id } is { $status }; it can no longer be committed. Place a new one.",
    "zh-CN": "预留 { $id } 状态为{ $status }，无法再确认。请重新预留。",
  },
  "res-expired-at": {
    en: "Reservation { $id } expired at { $at }. Place a new one.",
    "zh-CN": "预留 { $id } 已于 { $at } 过期。请重新预留。",
  },
  "res-cannot-resize": {
    en: "Reservation { $id } is { $status }; it cannot be resized.",
    "zh-CN": "预留 { $id } 状态为{ $status }，无法修改数量。",
  },
  "res-cannot-ship": {
    en: "Reservation { $id } is { $status }; it cannot be shipped.",
    "zh-CN": "预留 { $id } 状态为{ $status }，无法发货。",
  },
  "import-source-needs-channel": {
    en: "--source goes with --quantity channel (the rule { $rule } reads every linked channel).",
    "zh-CN": "--source 只能和 --quantity channel 一起用（规则 { $rule } 会读取所有已关联的渠道）。",
  },
  "xianyu-no-pending": {
    en: "Nothing is queued for { $sku } on { $channel }; no to-do needed.",
    "zh-CN": "{ $channel } 上没有 { $sku } 的待推送内容，无需待办。",
  },
  "up-telegram-refused": {
    en: "Telegram refused { $method } ({ $code }).",
    "zh-CN": "Telegram 拒绝了 { $method } 请求（{ $code }）。",
  },
});
