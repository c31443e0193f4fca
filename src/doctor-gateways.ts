import type { PinduoduoConfig } from "./channels/pinduoduo.js";
import { pddErrorOf, pddGateway, pddSignedParams } from "./channels/pinduoduo.js";
import type { TaobaoConfig } from "./channels/taobao.js";
import { taobaoGateway, topErrorOf, topSignedParams } from "./channels/taobao.js";
import type { ChannelConfig } from "./config.js";
import type { Finding } from "./doctor.js";
import { probe } from "./doctor-credentials.js";
import type { Translator } from "./i18n/translator.js";

/**
 * The setting a Taobao (TOP) error code points at: 25/24 the signature, 28/29 the app key, 26/27 the seller session,
 * 11–13 the app's API permissions or IP whitelist, 30/31 this server's clock (TOP allows ±10 minutes).
 */
function topSetting(id: string, code: number): string | undefined {
  if (code === 24 || code === 25) return `channels[${id}].appSecret / signMethod`;
  if (code === 28 || code === 29) return `channels[${id}].appKey`;
  if (code === 26 || code === 27) return `channels[${id}].session`;
  if (code >= 11 && code <= 13) return "open.taobao.com: API permissions / IP whitelist";
  if (code === 30 || code === 31) return "the server clock";
  return undefined;
}

/**
 * The setting a Pinduoduo error code points at: 10016 the client id, 20004 the client secret, 10019/20032 the access
 * token (expired, or issued to another client id), 20005 the IP whitelist, 20031 and 70032–70036 the app's
 * permissions or state in the developer console.
 */
function pddSetting(id: string, code: number): string | undefined {
  if (code === 10016) return `channels[${id}].clientId`;
  if (code === 20004) return `channels[${id}].clientSecret`;
  if (code === 10019) return `channels[${id}].accessToken`;
  if (code === 20032) return `channels[${id}].accessToken / clientId`;
  if (code === 20005) return "open.pinduoduo.com: IP whitelist";
  if (code === 20031 || (code >= 70032 && code <= 70036)) return "open.pinduoduo.com: app permissions / state";
  return undefined;
}

interface GatewayCall {
  gateway: string;
  params: Record<string, string>;
  /** The provider's error code in an answer, or undefined when the call succeeded. */
  errorCode: (json: Record<string, unknown>) => number | undefined;
  setting: (code: number) => string | undefined;
}

function gatewayCall(ch: ChannelConfig, now: Date): GatewayCall | undefined {
  if (ch.kind === "taobao") {
    const c = ch as TaobaoConfig;
    return {
      gateway: taobaoGateway(c),
      // The cheapest call that needs the seller session: one on-sale item, one field.
      params: topSignedParams(c, "taobao.items.onsale.get", { fields: "num_iid", page_no: 1, page_size: 1 }, now),
      errorCode: (json) => topErrorOf(json)?.code,
      setting: (code) => topSetting(ch.id, code),
    };
  }
  if (ch.kind === "pinduoduo") {
    const c = ch as PinduoduoConfig;
    return {
      gateway: pddGateway(c),
      params: pddSignedParams(c, "pdd.goods.list.get", { page: 1, page_size: 1 }, now),
      errorCode: (json) => pddErrorOf(json)?.error_code,
      setting: (code) => pddSetting(ch.id, code),
    };
  }
  return undefined;
}

/**
 * Taobao and Pinduoduo answer every call with HTTP 200 and put a refusal in `error_response`, so doctor signs one
 * cheap read with the adapter's own signing and reads the code: a refused credential is a failure naming the
 * setting to fix. Returns undefined for other kinds.
 */
export async function gatewayCredentialFinding(
  ch: ChannelConfig,
  tr: Translator,
  timeoutMs = 5000,
  now = new Date(),
): Promise<Finding | undefined> {
  const call = gatewayCall(ch, now);
  if (!call) return undefined;
  const { id, kind } = ch;
  const base = new URL(call.gateway).origin;
  const r = await probe(
    call.gateway,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", accept: "application/json" },
      body: new URLSearchParams(call.params).toString(),
    },
    timeoutMs,
    true,
  );
  if ("error" in r) {
    const error = tr.t("doctor-net-cause", { code: r.error });
    return { ok: false, line: tr.t("doctor-gateway-unreachable", { id, kind, base, error }) };
  }
  const { json } = r;
  if (!json || typeof json !== "object")
    return { ok: false, line: tr.t("hard-doctor-credential-unexpected", { id, kind, base, status: String(r.status) }) };
  const code = call.errorCode(json as Record<string, unknown>);
  if (code === undefined) return { ok: true, line: tr.t("doctor-gateway-ok", { id, kind, base }) };
  const setting = call.setting(code);
  return {
    ok: false,
    line: setting
      ? tr.t("doctor-gateway-refused", { id, kind, code: String(code), setting })
      : tr.t("doctor-gateway-error", { id, kind, code: String(code) }),
  };
}
