import { signedWebhookRead, webhookReadQuery } from "./channels/webhook.js";
import type { ChannelConfig, Config } from "./config.js";
import type { Finding } from "./doctor.js";
import type { Translator } from "./i18n/translator.js";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
/** A token guarding a route on a non-loopback host needs at least this many characters. */
export const MIN_EXPOSED_TOKEN_LENGTH = 16;
/**
 * Placeholder values from deploy/*.example, docs and common habit; a deployment that still has one is open.
 * test/doctor-credentials.test.ts checks that every value in deploy/*.example is listed.
 */
export const EXAMPLE_TOKENS: ReadonlySet<string> = new Set([
  "change-me",
  "changeme",
  "change_me",
  "replace-me",
  "secret",
  "token",
  "password",
  "example",
  "test",
  "...",
  "xxx",
]);

/** What the probe of one signed request saw (`json`: the answer's JSON, when asked for and the status is 200). */
export type Probe = { status: number; json?: unknown } | { error: string };

/**
 * Why a request never got an answer, as a `doctor-net-cause` key: the first errno-style code along the cause
 * chain (fetch wraps it: `TypeError: fetch failed` → `cause.code` ECONNREFUSED, or an AggregateError when a host
 * has several addresses), TLS for certificate refusals, TimeoutError for our deadline, else the error's name.
 */
export function networkCause(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const x = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (x.name === "TimeoutError" || x.code === "UND_ERR_CONNECT_TIMEOUT" || x.code === "ETIMEDOUT")
      return "TimeoutError";
    if (typeof x.code === "string" && x.code)
      return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS|^ERR_SSL/.test(x.code) ? "TLS" : x.code;
    // undici refuses the fetch spec's "bad ports" (6000, 10080, …) with a code-less Error.
    if (x.message === "bad port") return "BAD_PORT";
    e = x.cause ?? (Array.isArray(x.errors) ? x.errors[0] : undefined);
  }
  return (err as Error)?.name ?? "Error";
}

/** One request with a deadline; a network failure is its error code ({@link networkCause}), never a throw. */
export async function probe(url: string, init: RequestInit, timeoutMs: number, readJson = false): Promise<Probe> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (readJson && res.status === 200) return { status: res.status, json: await res.json().catch(() => undefined) };
    await res.body?.cancel();
    return { status: res.status };
  } catch (err) {
    return { error: networkCause(err) };
  }
}

/** The one cheap signed request that proves a channel's credentials, for the kinds doctor can sign. */
interface SignedRequest {
  url: string;
  init: RequestInit;
  base: string;
  credential: "shopify" | "woo" | "lwa" | "ebay" | "webhook";
  /** The setting to fix, by the status that refused it (`*` for any refusal). */
  key: Record<string, string>;
}

function signedRequest(ch: ChannelConfig, nowMs: number): SignedRequest | undefined {
  if (ch.kind === "webhook") {
    // One signed read GET of the first catalog page, signed as the adapter signs it: 401/403 means the secret.
    if (!ch.readUrl) return undefined;
    const { url, headers } = signedWebhookRead(ch, ch.readUrl, webhookReadQuery(ch.readUrl, undefined, null), nowMs);
    return {
      base: new URL(ch.readUrl).origin,
      url,
      init: { headers },
      credential: "webhook",
      key: { "*": `channels[${ch.id}].secret` },
    };
  }
  if (ch.kind === "amazon") {
    // The LWA refresh-token exchange the adapter makes first: 401 invalid_client, 400 invalid_grant.
    const url = ch.tokenUrl ?? "https://api.amazon.com/auth/o2/token";
    return {
      base: new URL(url).origin,
      url,
      init: {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: ch.refreshToken,
          client_id: ch.lwaClientId,
          client_secret: ch.lwaClientSecret,
        }).toString(),
      },
      credential: "lwa",
      key: {
        "400": `channels[${ch.id}].refreshToken`,
        "*": `channels[${ch.id}].lwaClientId / lwaClientSecret (rotated every 180 days)`,
      },
    };
  }
  if (ch.kind === "ebay") {
    // The OAuth refresh-token grant the adapter makes first: 401 invalid_client, 400 invalid_grant.
    const base = (ch.apiBase ?? "https://api.ebay.com").replace(/\/$/, "");
    return {
      base,
      url: `${base}/identity/v1/oauth2/token`,
      init: {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${ch.clientId}:${ch.clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: ch.refreshToken,
          scope: ch.scopes.join(" "),
        }).toString(),
      },
      credential: "ebay",
      key: { "400": `channels[${ch.id}].refreshToken`, "*": `channels[${ch.id}].clientId / clientSecret` },
    };
  }
  if (ch.kind === "shopify") {
    const base = (ch.apiBase ?? `https://${ch.shop.includes(".") ? ch.shop : `${ch.shop}.myshopify.com`}`).replace(
      /\/$/,
      "",
    );
    return {
      base,
      url: `${base}/admin/api/${ch.apiVersion}/graphql.json`,
      init: {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": ch.accessToken },
        body: JSON.stringify({ query: "{ shop { name } }" }),
      },
      credential: "shopify",
      key: { "*": `channels[${ch.id}].accessToken` },
    };
  }
  if (ch.kind === "woocommerce") {
    const base = ch.apiBase.replace(/\/$/, "");
    const u = new URL(`${base}/wp-json/wc/v3/products`);
    u.searchParams.set("per_page", "1");
    if (ch.queryStringAuth) {
      u.searchParams.set("consumer_key", ch.consumerKey);
      u.searchParams.set("consumer_secret", ch.consumerSecret);
    }
    const basic = Buffer.from(`${ch.consumerKey}:${ch.consumerSecret}`).toString("base64");
    return {
      base,
      url: u.toString(),
      init: { headers: ch.queryStringAuth ? {} : { authorization: `Basic ${basic}` } },
      credential: "woo",
      key: { "*": `channels[${ch.id}].consumerKey / consumerSecret` },
    };
  }
  return undefined;
}

const CREDENTIAL_TEXT = {
  shopify: "hard-credential-shopify-token",
  woo: "hard-credential-woo-keys",
  lwa: "hard-credential-amazon-lwa",
  ebay: "hard-credential-ebay-oauth",
  webhook: "hard-credential-webhook-secret",
} as const;

/**
 * Signs one cheap request with a channel's own credentials (Shopify, WooCommerce and a webhook with `readUrl`: a
 * read; Amazon and eBay: the refresh-token exchange, where 400 invalid_grant is a refused refresh token too): a
 * 401 or 403 is a failure naming the credential to fix, not "reachable". Returns undefined for kinds it cannot sign (doctor then
 * only checks the host answers).
 */
export async function channelCredentialFinding(
  ch: ChannelConfig,
  tr: Translator,
  timeoutMs = 5000,
  nowMs = Date.now(),
): Promise<Finding | undefined> {
  const req = signedRequest(ch, nowMs);
  if (!req) return undefined;
  const r = await probe(req.url, req.init, timeoutMs);
  const id = ch.id;
  const kind = ch.kind;
  if ("error" in r)
    return {
      ok: false,
      line: tr.t("doctor-gateway-unreachable", {
        id,
        kind,
        base: req.base,
        error: tr.t("doctor-net-cause", { code: r.error }),
      }),
    };
  const credential = tr.t(CREDENTIAL_TEXT[req.credential]);
  // An OAuth token endpoint answers a refused grant with 400 (invalid_grant), a refused client with 401.
  const isOAuth = req.credential === "lwa" || req.credential === "ebay";
  if (r.status === 401 || r.status === 403 || (isOAuth && r.status === 400)) {
    const status = String(r.status);
    const key = req.key[status] ?? req.key["*"] ?? "";
    return { ok: false, line: tr.t("hard-doctor-credential-refused", { id, kind, credential, status, key }) };
  }
  if (r.status >= 200 && r.status < 300)
    return { ok: true, line: tr.t("hard-doctor-credential-ok", { id, kind, credential, base: req.base }) };
  return {
    ok: false,
    line: tr.t("hard-doctor-credential-unexpected", { id, kind, base: req.base, status: String(r.status) }),
  };
}

/**
 * On a non-loopback `http.host`, the API token and every webhook secret must be neither a known example value
 * (`change-me` from deploy/stockradar.env.example) nor shorter than {@link MIN_EXPOSED_TOKEN_LENGTH}.
 */
export function exposedTokenFindings(config: Config, tr: Translator): Finding[] {
  const { host } = config.http;
  if (!config.http.enabled || LOOPBACK.has(host)) return [];
  const tokens: { key: string; value: string }[] = [];
  if (config.http.apiToken) tokens.push({ key: "http.apiToken (STOCKRADAR_API_TOKEN)", value: config.http.apiToken });
  for (const ch of config.channels)
    if ("webhookSecret" in ch && typeof ch.webhookSecret === "string")
      tokens.push({ key: `channels[${ch.id}].webhookSecret`, value: ch.webhookSecret });
    // A webhook channel's one secret signs both directions, so it also guards its inbound route.
    else if (ch.kind === "webhook") tokens.push({ key: `channels[${ch.id}].secret`, value: ch.secret });
  const out: Finding[] = [];
  for (const { key, value } of tokens) {
    if (EXAMPLE_TOKENS.has(value.trim().toLowerCase()))
      out.push({ ok: false, line: tr.t("hard-doctor-example-token", { key, value: value.trim(), host }) });
    else if (value.length < MIN_EXPOSED_TOKEN_LENGTH)
      out.push({ ok: false, line: tr.t("hard-doctor-short-token", { key, length: value.length, host }) });
  }
  return out;
}
