import type { KyInstance } from "ky";
import type { z } from "zod";
import type { Clock } from "../../clock.js";
import type { Logger } from "../../log.js";
import { UpstreamError, type UpstreamKind } from "../../upstream/errors.js";
import { parseJsonText, type SendRequest, send, statusError, unexpectedShape } from "../../upstream/http.js";
import { createRedactor, type Redactor, redactAdapter } from "../../upstream/redact.js";
import { ApiEnvelopeSchema, SendResponseSchema, TokenResponseSchema } from "./wire.js";

/** errcodes that mean "this access_token is no longer good": invalid, expired, missing. */
const TOKEN_ERRCODES = new Set([40014, 42001, 41001]);
/** errcodes that mean "slow down": frequency limits, concurrency limit. */
const THROTTLE_ERRCODES = new Set([45009, 45011, 45033]);
/** errcodes that mean our credentials are wrong: invalid secret or corpid, IP not on the trusted list. */
const AUTH_ERRCODES = new Set([40001, 40013, 60020]);
/** Refresh this long before `expires_in` runs out, so a token never expires mid-request. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

/** What `message/send` answered. */
export interface SendResult {
  msgId: string | undefined;
  /** Single-use code for `update_template_card` (template cards only). */
  responseCode: string | undefined;
  /** Recipients WeCom did not deliver to ("a|b"). */
  invalidUser: string | undefined;
}

/** The WeCom server API a transport needs: the self-built app (token-authenticated) and the group robot webhook. */
export interface WecomApi {
  /** A valid access_token, from cache when fresh; `force` fetches a new one; `signal` aborts that fetch. */
  accessToken(opts?: { force?: boolean; signal?: AbortSignal }): Promise<string>;
  /** `message/send` to users of the app (1:1 session); `agentid` is filled in. */
  sendMessage(body: Record<string, unknown>): Promise<SendResult>;
  /** `message/update_template_card` with a response_code from a send or a click; `agentid` is filled in. */
  updateTemplateCard(body: Record<string, unknown>): Promise<void>;
  /** `webhook/send?key=…` for one group robot. */
  robotSend(robotKey: string, body: Record<string, unknown>): Promise<void>;
  /** POSTs an AI-bot proactive reply to the single-use `response_url` WeCom put in the callback. */
  respond(responseUrl: string, body: Record<string, unknown>): Promise<void>;
}

/** Dependencies of {@link createWecomApi}. */
export interface WecomApiDeps {
  http: KyInstance;
  apiBase: string;
  corpId: string;
  secret: string;
  agentId: number;
  clock: Clock;
  log: Logger;
  /** Per-request timeout; 10 s when not given. */
  timeoutMs?: number;
  /** The process's shared redactor: each access token and robot key is registered there too (logs, stores). */
  secrets?: Pick<Redactor, "add">;
}

/** Turns a WeCom errcode into an UpstreamError; 45009 carries a 60-second retry hint (the robot window). */
export function wecomError(errcode: number, errmsg: string, what: string): UpstreamError {
  // -1 is "system busy": transient on WeCom's side.
  const kind: UpstreamKind = THROTTLE_ERRCODES.has(errcode)
    ? "throttled"
    : TOKEN_ERRCODES.has(errcode) || AUTH_ERRCODES.has(errcode)
      ? "auth"
      : errcode === -1
        ? "network"
        : "rejected";
  return new UpstreamError({
    provider: "wecom",
    kind,
    ...(TOKEN_ERRCODES.has(errcode)
      ? { code: "upstream_token_expired" as const }
      : errcode === -1
        ? { code: "upstream_unavailable" as const }
        : {}),
    message: `WeCom refused ${what} (errcode ${errcode}).`,
    status: 200,
    ...(errcode === 45009 ? { retryAfterSeconds: 60 } : {}),
    providerCode: errcode,
    // errmsg may quote our egress IP or a hint URL; it goes to logs only, never to users.
    details: { errmsg: errmsg.slice(0, 200) },
  });
}

/**
 * Creates the WeCom API client. URLs carry the access_token or robot key, so errors are rebuilt without them
 * (ky's own messages quote the URL) and nothing here logs a URL.
 *
 * @example
 * const api = createWecomApi({ http: ky.create({ timeout: 10_000 }), apiBase, corpId, secret, agentId, clock, log });
 * await api.sendMessage({ touser: "zhangsan", msgtype: "text", text: { content: "hi" } });
 */
export function createWecomApi(deps: WecomApiDeps): WecomApi {
  // The secret, every access token and every robot key travel in URLs; none may reach an error.
  const redactor = createRedactor([deps.secret]);
  let cached: { token: string; expiresAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  const url = (path: string) => new URL(path, deps.apiBase.endsWith("/") ? deps.apiBase : `${deps.apiBase}/`);

  async function request<S extends z.ZodType>(
    what: string,
    schema: S,
    req: Omit<SendRequest, "timeoutMs">,
  ): Promise<z.infer<S>> {
    const res = await send(deps.http, "wecom", { ...req, timeoutMs: deps.timeoutMs ?? 10_000 });
    if (res.status < 200 || res.status >= 300)
      throw statusError({ provider: "wecom", status: res.status, headers: res.headers, now: deps.clock.now() });
    const raw = parseJsonText("wecom", res.text, res.status);
    const env = ApiEnvelopeSchema.safeParse(raw);
    if (!env.success)
      throw unexpectedShape(
        "wecom",
        `${what} answer`,
        env.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
      );
    if (env.data.errcode !== 0) throw wecomError(env.data.errcode, env.data.errmsg, what);
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw unexpectedShape(
        "wecom",
        `${what} answer`,
        parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
      );
    return parsed.data;
  }

  async function fetchToken(signal?: AbortSignal): Promise<string> {
    const u = url("cgi-bin/gettoken");
    u.searchParams.set("corpid", deps.corpId);
    u.searchParams.set("corpsecret", deps.secret);
    const res = await request("gettoken", TokenResponseSchema, { method: "GET", url: u, signal });
    redactor.add(res.access_token);
    deps.secrets?.add(res.access_token);
    cached = {
      token: res.access_token,
      expiresAt: deps.clock.now().getTime() + res.expires_in * 1000 - TOKEN_MARGIN_MS,
    };
    deps.log.info({ expiresInSeconds: res.expires_in }, "wecom access token refreshed");
    return res.access_token;
  }

  async function accessToken(opts: { force?: boolean; signal?: AbortSignal } = {}): Promise<string> {
    if (!opts.force && cached && cached.expiresAt > deps.clock.now().getTime()) return cached.token;
    if (opts.force) cached = undefined;
    // Single flight: concurrent callers share one gettoken (WeCom frequency-blocks frequent gettoken).
    inflight ??= fetchToken(opts.signal).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function withToken<S extends z.ZodType>(
    what: string,
    path: string,
    body: Record<string, unknown>,
    schema: S,
  ): Promise<z.infer<S>> {
    const post = async (token: string) => {
      const u = url(path);
      u.searchParams.set("access_token", token);
      return request(what, schema, { method: "POST", url: u, json: body });
    };
    const token = await accessToken();
    try {
      return await post(token);
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.code !== "upstream_token_expired") throw err;
      deps.log.warn({ providerCode: err.providerCode }, "wecom access token rejected; refreshing");
      if (cached?.token === token) cached = undefined;
      return post(await accessToken());
    }
  }

  return redactAdapter<WecomApi>(
    {
      accessToken,
      async sendMessage(body) {
        const res = await withToken(
          "message/send",
          "cgi-bin/message/send",
          { agentid: deps.agentId, ...body },
          SendResponseSchema,
        );
        return { msgId: res.msgid, responseCode: res.response_code, invalidUser: res.invaliduser || undefined };
      },
      async updateTemplateCard(body) {
        await withToken(
          "update_template_card",
          "cgi-bin/message/update_template_card",
          { agentid: deps.agentId, ...body },
          ApiEnvelopeSchema,
        );
      },
      async robotSend(robotKey, body) {
        redactor.add(robotKey);
        deps.secrets?.add(robotKey);
        const u = url("cgi-bin/webhook/send");
        u.searchParams.set("key", robotKey);
        await request("webhook/send", ApiEnvelopeSchema, { method: "POST", url: u, json: body });
      },
      async respond(responseUrl, body) {
        await request("aibot/response", ApiEnvelopeSchema, { method: "POST", url: new URL(responseUrl), json: body });
      },
    },
    redactor,
  );
}
