import { defineMessages } from "../define.js";

/** Operator lines outside chat (issue 15): the WeCom doctor checks and the config refusal lines. */
export const opsLineMessages = defineMessages({
  "doctor-wecom-token-ok": {
    en: "wecom: app token ok (corp { $corp }, agent { $agent })",
    "zh-CN": "wecom：应用令牌正常（企业 { $corp }，应用 { $agent }）",
  },
  "doctor-wecom-token-failed": {
    en: "wecom: gettoken failed; check chat.wecom.apiBase and the network",
    "zh-CN": "wecom：gettoken 失败；请检查 chat.wecom.apiBase 和网络",
  },
  "doctor-wecom-robot-ok": { en: "wecom: robot key accepted", "zh-CN": "wecom：群机器人 key 有效" },
  "doctor-wecom-robot-refused": {
    en: "wecom: robot key refused (93000); copy the webhook key again from the group robot's settings",
    "zh-CN": "wecom：群机器人 key 被拒绝（93000）；请从群机器人设置里重新复制 webhook key",
  },
  "doctor-wecom-robot-failed": {
    en: `{ $errcode ->
      [none] wecom: robot check failed; check chat.wecom.apiBase and the network
     *[other] wecom: robot check failed (errcode { $errcode }); check chat.wecom.apiBase and the network
    }`,
    "zh-CN": `{ $errcode ->
      [none] wecom：群机器人检查失败；请检查 chat.wecom.apiBase 和网络
     *[other] wecom：群机器人检查失败（errcode { $errcode }）；请检查 chat.wecom.apiBase 和网络
    }`,
  },
  "cfg-invalid-heading": {
    en: `{ $source } is invalid:
{ $problems }`,
    "zh-CN": `{ $source } 配置有误：
{ $problems }`,
  },
  "cfg-problem": { en: "{ $path }: { $detail }", "zh-CN": "{ $path }：{ $detail }" },
  "cfg-raw": { en: "{ $line }", "zh-CN": "{ $line }" },
  "cfg-unknown-key-near": {
    en: '{ $path }: unknown key (did you mean "{ $near }"?)',
    "zh-CN": "{ $path }：未知的设置项（是不是想写“{ $near }”？）",
  },
  "cfg-unknown-key": {
    en: "{ $path }: unknown key; known keys: { $known }",
    "zh-CN": "{ $path }：未知的设置项；可用的有：{ $known }",
  },
  "cfg-env-unset": {
    en: "{ $path }: environment variable { $name } is not set",
    "zh-CN": "{ $path }：环境变量 { $name } 未设置",
  },
  "cfg-required": { en: "required", "zh-CN": "必须填写" },
  "cfg-expected-type": {
    en: "expected { $expected }",
    "zh-CN": `{ $expected ->
      [string] 应为文本
      [number] 应为数字
      [int] 应为整数
      [boolean] 应为 true 或 false
      [object] 应为一组设置（键: 值）
      [array] 应为列表
     *[other] 类型不对（应为 { $expected }）
    }`,
  },
  "cfg-too-small": {
    en: `{ $inclusive ->
      [no] must be more than { $bound }
     *[yes] must be at least { $bound }
    }`,
    "zh-CN": `{ $inclusive ->
      [no] 必须大于 { $bound }
     *[yes] 不能小于 { $bound }
    }`,
  },
  "cfg-too-big": {
    en: `{ $inclusive ->
      [no] must be less than { $bound }
     *[yes] must be at most { $bound }
    }`,
    "zh-CN": `{ $inclusive ->
      [no] 必须小于 { $bound }
     *[yes] 不能大于 { $bound }
    }`,
  },
  "cfg-one-of": { en: "expected one of { $values }", "zh-CN": "应为以下之一：{ $values }" },
  "cfg-bad-format": { en: "not a valid { $format }", "zh-CN": "格式不对（{ $format }）" },
  "cfg-no-variant": { en: "matches none of the allowed forms", "zh-CN": "不符合任何一种允许的写法" },
  "cfg-invalid": { en: "invalid ({ $detail })", "zh-CN": "取值无效（{ $detail }）" },
  "cfg-cron": {
    en: "expected a cron expression such as */10 * * * *",
    "zh-CN": "应为 cron 表达式，例如 */10 * * * *",
  },
  "cfg-currency": {
    en: "expected an ISO 4217 currency code such as USD or CNY",
    "zh-CN": "应为 ISO 4217 货币代码，例如 USD 或 CNY",
  },
  "cfg-user-key": {
    en: 'expected a user key such as "tg:111" or "wecom:zhangsan"',
    "zh-CN": "应为用户标识，例如 “tg:111” 或 “wecom:zhangsan”",
  },
  "cfg-time-zone": {
    en: "expected an IANA time zone such as Asia/Shanghai",
    "zh-CN": "应为 IANA 时区名，例如 Asia/Shanghai",
  },
  "cfg-headers-timeout": {
    en: "headersTimeoutMs must not exceed requestTimeoutMs",
    "zh-CN": "headersTimeoutMs 不能大于 requestTimeoutMs",
  },
  "cfg-webhook-secret": {
    en: "webhook mode needs webhookSecret (1–256 of A-Z a-z 0-9 _ -), the same secret_token you give setWebhook",
    "zh-CN": "webhook 模式需要 webhookSecret（1–256 个 A-Z a-z 0-9 _ - 字符），与传给 setWebhook 的 secret_token 相同",
  },
  "cfg-aes-key": {
    en: "expected the 43-character EncodingAESKey",
    "zh-CN": "应为 43 位的 EncodingAESKey",
  },
  "cfg-unique-ids": { en: "channel ids must be unique", "zh-CN": "渠道 id 不能重复" },
  "cfg-url": {
    en: "expected an absolute URL such as https://example.com",
    "zh-CN": "应为完整网址，例如 https://example.com",
  },
  "cfg-secret": {
    en: "expected a non-empty secret (use { $syntax } to read it from the environment)",
    "zh-CN": "密钥不能为空（可用 { $syntax } 从环境变量读取）",
  },
  "cfg-shopify-location-needed": {
    en: 'expected locationId, or a locations mapping such as locations.home: "gid://shopify/Location/1"',
    "zh-CN": '需要 locationId，或 locations 仓位映射，例如 locations.home: "gid://shopify/Location/1"',
  },
  "cfg-shopify-location": {
    en: "expected a Shopify location id such as gid://shopify/Location/1",
    "zh-CN": "应为 Shopify 仓位 ID，例如 gid://shopify/Location/1",
  },
  "cfg-location": {
    en: "expected 1–32 lowercase letters, digits, _ or - (a location)",
    "zh-CN": "应为 1–32 个小写字母、数字、_ 或 -（仓位名）",
  },
  "cfg-id": {
    en: "expected 1–32 lowercase letters, digits, _ or -",
    "zh-CN": "应为 1–32 个小写字母、数字、_ 或 -",
  },
  "cfg-locale": { en: "expected one of en, zh-CN", "zh-CN": "应为 en 或 zh-CN" },
  "cfg-sku": {
    en: "must be 1–64 letters, digits or . _ - / # (no spaces or quotes), e.g. A-12",
    "zh-CN": "应为 1–64 个字母、数字或 . _ - / #（不含空格和引号），例如 A-12",
  },
  "cfg-channel-id": {
    en: "channel id must be 1–32 lowercase letters, digits, _ or -, e.g. shop1",
    "zh-CN": "渠道 ID 应为 1–32 个小写字母、数字、_ 或 -，例如 shop1",
  },
  "cli-bad-option": { en: "{ $reason }", "zh-CN": "命令行参数有误（{ $reason }）" },
});
