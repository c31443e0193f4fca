import { defineMessages } from "../define.js";

/** Hardening (issue 19): ledger invariants in restore and doctor, credential checks, config refusals. */
export const hardeningMessages = defineMessages({
  "hard-mismatch-on-hand": {
    en: "{ $sku } on hand { $actual }, movements say { $expected }",
    "zh-CN": "{ $sku } 现货为 { $actual }，流水合计为 { $expected }",
  },
  "hard-mismatch-reserved-replay": {
    en: "{ $sku } reserved { $actual }, movements say { $expected }",
    "zh-CN": "{ $sku } 已预留 { $actual }，流水合计为 { $expected }",
  },
  "hard-mismatch-location": {
    en: "{ $sku } at { $location } { $actual }, movements say { $expected }",
    "zh-CN": "{ $sku } 在仓位 { $location } 为 { $actual }，流水合计为 { $expected }",
  },
  "hard-mismatch-locations-sum": {
    en: "{ $sku } on hand { $actual }, its locations add up to { $expected }",
    "zh-CN": "{ $sku } 现货为 { $actual }，各仓位合计为 { $expected }",
  },
  "hard-mismatch-reserved-active": {
    en: "{ $sku } reserved { $actual }, active reservations hold { $expected }",
    "zh-CN": "{ $sku } 已预留 { $actual }，有效预留合计为 { $expected }",
  },
  "hard-mismatch-negative": {
    en: "{ $sku } has a negative or over-reserved balance ({ $actual })",
    "zh-CN": "{ $sku } 的余额为负或预留超过现货（{ $actual }）",
  },
  "hard-mismatch-bundle": {
    en: "bundle { $sku } holds stock ({ $actual }); a bundle's stock is its components'",
    "zh-CN": "组合商品 { $sku } 自身有库存（{ $actual }）；组合商品的库存应来自其组件",
  },
  "hard-restore-inconsistent": {
    en: `{ $file } is not a consistent ledger: { $count ->
        [one] one balance disagrees
       *[other] { $count } balances disagree
    } with its movements ({ $examples }). Pick an older backup.`,
    "zh-CN": "{ $file } 不是一致的账本：有 { $count } 处余额与流水不符（{ $examples }）。请选择更早的备份。",
  },
  "hard-doctor-invariants-ok": {
    en: `ledger: balances match the movements and reservations ({ $skus ->
        [one] one SKU
       *[other] { $skus } SKUs
    })`,
    "zh-CN": "账本：余额与流水和预留一致（{ $skus } 个 SKU）",
  },
  "hard-doctor-invariants-failed": {
    en: `ledger: { $count ->
        [one] one balance disagrees
       *[other] { $count } balances disagree
    } with the movements ({ $examples }); restore the newest consistent backup`,
    "zh-CN": "账本：有 { $count } 处余额与流水不符（{ $examples }）；请恢复最新的一致备份",
  },
  "hard-doctor-credential-refused": {
    en: "channel { $id } ({ $kind }): { $credential } refused (HTTP { $status }); check { $key }",
    "zh-CN": "渠道 { $id }（{ $kind }）：{ $credential }被拒绝（HTTP { $status }）；请检查 { $key }",
  },
  "hard-doctor-credential-ok": {
    en: "channel { $id } ({ $kind }): { $credential } accepted by { $base }",
    "zh-CN": "渠道 { $id }（{ $kind }）：{ $base } 接受了{ $credential }",
  },
  "hard-doctor-credential-unexpected": {
    en: "channel { $id } ({ $kind }): { $base } answered HTTP { $status } to a signed request; check apiBase",
    "zh-CN": "渠道 { $id }（{ $kind }）：{ $base } 对带凭据的请求返回 HTTP { $status }；请检查 apiBase",
  },
  "hard-credential-shopify-token": { en: "the access token", "zh-CN": "访问令牌" },
  "hard-credential-woo-keys": { en: "the consumer key and secret", "zh-CN": "consumer key 和 secret" },
  "hard-credential-amazon-lwa": { en: "the LWA credentials", "zh-CN": "LWA 凭据" },
  "hard-credential-ebay-oauth": { en: "the OAuth credentials", "zh-CN": "OAuth 凭据" },
  "hard-credential-webhook-secret": { en: "the signing secret", "zh-CN": "签名密钥" },
  "hard-doctor-example-token": {
    en: "http: { $key } is an example value ({ $value }) while http.host is { $host }; set a random token (openssl rand -hex 32)",
    "zh-CN":
      "http：{ $key } 还是示例值（{ $value }），而 http.host 为 { $host }；请设置随机令牌（openssl rand -hex 32）",
  },
  "hard-doctor-short-token": {
    en: "http: { $key } has { $length } characters while http.host is { $host }; use at least 16 random characters (openssl rand -hex 32)",
    "zh-CN":
      "http：{ $key } 只有 { $length } 个字符，而 http.host 为 { $host }；请至少使用 16 个随机字符（openssl rand -hex 32）",
  },
  "hard-config-query-auth-http": {
    en: "channels.{ $index }.queryStringAuth: true would send the WooCommerce key and secret in URLs over plain http ({ $base }); use an https:// apiBase or queryStringAuth: false",
    "zh-CN":
      "channels.{ $index }.queryStringAuth：设为 true 会通过明文 http（{ $base }）在 URL 中发送 WooCommerce 的 key 和 secret；请使用 https:// 的 apiBase，或设 queryStringAuth: false",
  },
});
