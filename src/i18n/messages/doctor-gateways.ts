import { defineMessages } from "../define.js";

/** doctor's Taobao and Pinduoduo credential probes (src/doctor-gateways.ts). */
export const doctorGatewayMessages = defineMessages({
  "doctor-gateway-ok": {
    en: "channel { $id } ({ $kind }): { $base } accepted the app credentials and the seller authorisation",
    "zh-CN": "渠道 { $id }（{ $kind }）：{ $base } 接受了应用凭据和店铺授权",
  },
  "doctor-gateway-refused": {
    en: "channel { $id } ({ $kind }): refused (code { $code }); check { $setting }",
    "zh-CN": "渠道 { $id }（{ $kind }）：被拒绝（错误码 { $code }）；请检查 { $setting }",
  },
  "doctor-gateway-error": {
    en: "channel { $id } ({ $kind }): a signed read failed (code { $code }); see the provider's error code table",
    "zh-CN": "渠道 { $id }（{ $kind }）：带签名的读取失败（错误码 { $code }）；请查平台的错误码说明",
  },
  "doctor-net-cause": {
    en: `{ $code ->
      [ECONNREFUSED] connection refused
      [ENOTFOUND] host name not found
      [EAI_AGAIN] host name lookup failed
      [TimeoutError] no answer in time
      [ECONNRESET] connection reset
      [EHOSTUNREACH] host unreachable
      [ENETUNREACH] network unreachable
      [TLS] TLS certificate not accepted
      [BAD_PORT] port blocked by the HTTP client
     *[other] network error { $code }
    }`,
    "zh-CN": `{ $code ->
      [ECONNREFUSED] 连接被拒绝
      [ENOTFOUND] 找不到该主机名
      [EAI_AGAIN] 主机名解析失败
      [TimeoutError] 未及时响应
      [ECONNRESET] 连接被重置
      [EHOSTUNREACH] 主机不可达
      [ENETUNREACH] 网络不可达
      [TLS] TLS 证书未被接受
      [BAD_PORT] 该端口被 HTTP 客户端禁止
     *[other] 网络错误 { $code }
    }`,
  },
  "doctor-gateway-unreachable": {
    en: "channel { $id } ({ $kind }): { $base } unreachable ({ $error }); check apiBase and the network",
    "zh-CN": "渠道 { $id }（{ $kind }）：无法连接 { $base }（{ $error }）；请检查 apiBase 和网络",
  },
});
