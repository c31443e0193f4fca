import { z } from "zod";
import { courierCommon, secret, url } from "../config-fields.js";
import { ForbiddenError, InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { type TextRef, textRef } from "../i18n/ref.js";
import type { CourierCode } from "../ids.js";
import { UpstreamError } from "../upstream/errors.js";
import { carrierInfo, fromKuaidi100, toKuaidi100 } from "./carrier-codes.js";
import {
  badShape,
  type CourierFactoryDeps,
  callProvider,
  defineCourier,
  jsonReply,
  md5Upper,
  orderEvents,
  parseJsonBody,
  signaturesMatch,
} from "./generic.js";
import { mapProviderStatus } from "./status.js";
import { parseProviderTime } from "./time.js";
import type { CourierAdapter, PushRequest, PushResult, Tracking, TrackingEvent, TrackRequest } from "./types.js";

/** The `kuaidi100` entry of `couriers` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const Kuaidi100ConfigSchema = z.object({
  kind: z.literal("kuaidi100"),
  customer: z.string().min(1),
  key: secret,
  salt: secret.optional(),
  apiBase: url.optional(),
  dailyQueryCap: z.number().int().positive().optional(),
  ...courierCommon,
  /** Host of the autonumber (carrier detection) API; defaults to https://www.kuaidi100.com. */
  autoNumberBase: url.optional(),
});
/** A validated `kuaidi100` courier config. */
export type Kuaidi100Config = z.infer<typeof Kuaidi100ConfigSchema>;

const PROVIDER = "kuaidi100";
/** Real hosts; every one is overridable (sandbox, tests). */
export const KUAIDI100_DEFAULT_BASE = "https://poll.kuaidi100.com";
const AUTONUMBER_DEFAULT_BASE = "https://www.kuaidi100.com";

/** One `data[]` entry of a query response or push `lastResult` (§1.2). */
const EventSchema = z.object({
  time: z.string().nullish(),
  ftime: z.string().nullish(),
  context: z.string().nullish(),
  location: z.string().nullish(),
  areaName: z.string().nullish(),
  status: z.string().nullish(),
  statusCode: z.string().nullish(),
});

/** The success body of `poll/query.do`, also the push `lastResult` (§1.2, §1.6). */
export const Kuaidi100ResultSchema = z.object({
  message: z.string().nullish(),
  nu: z.string(),
  com: z.string(),
  status: z.string().nullish(),
  state: z.union([z.string(), z.number()]).nullish(),
  ischeck: z.union([z.string(), z.number()]).nullish(),
  data: z.array(EventSchema).nullish(),
});

/** The failure envelope shared by query, subscribe and autonumber (§1.3). */
const ErrorSchema = z.object({
  result: z.literal(false),
  returnCode: z.union([z.string(), z.number()]),
  message: z.string().nullish(),
});
const SubscribeReplySchema = z.object({
  result: z.boolean(),
  returnCode: z.union([z.string(), z.number()]),
  message: z.string().nullish(),
});
const AutoNumberSchema = z.array(z.object({ comCode: z.string(), name: z.string().nullish() }));

/** The decoded push `param` (§1.6). */
export const Kuaidi100PushSchema = z.object({
  status: z.string(),
  message: z.string().nullish(),
  autoCheck: z.union([z.string(), z.number()]).nullish(),
  comOld: z.string().nullish(),
  comNew: z.string().nullish(),
  lastResult: Kuaidi100ResultSchema,
});

/** Query `sign`: UPPER(MD5(param + key + customer)) over the exact param text that is sent. */
export const kuaidi100QuerySign = (param: string, key: string, customer: string): string =>
  md5Upper(param + key + customer);
/** Push `sign`: UPPER(MD5(param + salt)) over the URL-decoded param exactly as received. */
export const kuaidi100PushSign = (param: string, salt: string): string => md5Upper(param + salt);

/** Maps a failure envelope to an UpstreamError with the right retry advice (§1.3). */
function envelopeError(code: string, where: "query" | "subscribe"): UpstreamError {
  const retryable = code === "500" || code === "501" || code === "502";
  const messages: Record<string, TextRef> = {
    "400": textRef("kd100-400"),
    "408": textRef("kd100-408"),
    "503": textRef("kd100-503"),
    "600": textRef("kd100-600"),
    "601": textRef("kd100-601"),
    "700": textRef("kd100-700"),
    "701": textRef("kd100-701"),
    "702": textRef("kd100-702"),
  };
  return new UpstreamError({
    provider: PROVIDER,
    // Unknown codes are retried: Kuaidi100 adds codes without notice, and most new ones have been transient.
    kind: code === "503" || code === "600" ? "auth" : retryable || !(code in messages) ? "network" : "rejected",
    ...(code === "601"
      ? { code: "upstream_quota_exhausted" as const }
      : retryable
        ? { code: "upstream_unavailable" as const }
        : {}),
    i18n: messages[code] ?? textRef("kd100-other", { where, code }),
    retryAfterSeconds: code === "601" ? 6 * 3600 : undefined,
    providerCode: code,
  });
}

/** Creates the Kuaidi100 adapter: real-time query, subscription, autonumber detection and signed pushes. */
export function createKuaidi100Adapter(config: Kuaidi100Config, deps: CourierFactoryDeps): CourierAdapter {
  const base = (config.apiBase ?? KUAIDI100_DEFAULT_BASE).replace(/\/$/, "");
  const autoBase = (config.autoNumberBase ?? config.apiBase ?? AUTONUMBER_DEFAULT_BASE).replace(/\/$/, "");
  const { http, log, clock } = deps;

  /** Maps a query result / push lastResult to our Tracking. */
  function toTracking(r: z.infer<typeof Kuaidi100ResultSchema>, fallbackCarrier: CourierCode): Tracking {
    const events: TrackingEvent[] = [];
    for (const e of r.data ?? []) {
      const occurredAt = parseProviderTime(e.ftime ?? e.time);
      if (!occurredAt) {
        log.warn(
          { provider: PROVIDER, trackingNo: r.nu, time: e.ftime ?? e.time },
          "courier event without a readable time skipped",
        );
        continue;
      }
      // Without resultv2=4 events carry no code; a scan with text still means the parcel moved.
      const mapped = e.statusCode
        ? mapProviderStatus("kuaidi100", e.statusCode, { log, fallback: "IN_TRANSIT" })
        : { status: "IN_TRANSIT" as const };
      events.push({
        occurredAt,
        status: mapped.status,
        subStatus: "subStatus" in mapped ? mapped.subStatus : undefined,
        providerCode: e.statusCode ?? e.status ?? "",
        description: (e.context ?? "").trim(),
        location: e.location || e.areaName || undefined,
      });
    }
    const ordered = orderEvents(events, { now: clock.now(), log, provider: PROVIDER, trackingNo: r.nu });
    const newest = ordered[ordered.length - 1];
    const state = r.state === null || r.state === undefined ? "" : String(r.state);
    let summary = state
      ? mapProviderStatus("kuaidi100", state, { log, fallback: newest?.status ?? "IN_TRANSIT" })
      : { status: newest?.status ?? ("NO_INFO" as const), subStatus: newest?.subStatus };
    if (String(r.ischeck ?? "") === "1") summary = { status: "DELIVERED", subStatus: summary.subStatus };
    return {
      carrier: r.com ? fromKuaidi100(r.com) : fallbackCarrier,
      trackingNo: r.nu,
      status: summary.status,
      subStatus: summary.subStatus,
      providerStatus: state,
      events: ordered,
    };
  }

  async function trackOne(item: TrackRequest, signal: AbortSignal): Promise<Tracking> {
    const p: Record<string, string> = { com: toKuaidi100(item.carrier), num: item.trackingNo };
    if (item.phone) p.phone = item.phone.slice(-4);
    if (item.destination) p.to = item.destination;
    Object.assign(p, { resultv2: "4", show: "0", order: "desc" });
    // The sign covers the literal param text: build it once, sign it, send that same string.
    const param = JSON.stringify(p);
    const body = new URLSearchParams({
      customer: config.customer,
      sign: kuaidi100QuerySign(param, config.key, config.customer),
      param,
    });
    const json = parseJsonBody(PROVIDER, await callProvider(http, PROVIDER, `${base}/poll/query.do`, { body, signal }));
    const failure = ErrorSchema.safeParse(json);
    if (failure.success) {
      const code = String(failure.data.returnCode);
      // 500 = "no result yet": normal for a fresh waybill; a successful fetch that knows nothing.
      if (code === "500")
        return {
          carrier: item.carrier,
          trackingNo: item.trackingNo,
          status: "NO_INFO",
          subStatus: "NOT_FOUND",
          providerStatus: "500",
          events: [],
        };
      throw envelopeError(code, "query");
    }
    const parsed = Kuaidi100ResultSchema.safeParse(json);
    if (!parsed.success) throw badShape(PROVIDER, parsed.error.issues);
    return toTracking(parsed.data, item.carrier);
  }

  async function subscribeOne(item: TrackRequest, signal: AbortSignal): Promise<void> {
    if (!deps.publicUrl) throw localized(InvalidInputError, "no_public_url", textRef("kd100-no-public-url"));
    const parameters: Record<string, string> = {
      callbackurl: `${deps.publicUrl.replace(/\/$/, "")}/couriers/kuaidi100/push`,
      resultv2: "4",
    };
    if (config.salt) parameters.salt = config.salt;
    if (item.phone) parameters.phone = item.phone.slice(-4);
    const param = JSON.stringify({
      company: toKuaidi100(item.carrier),
      number: item.trackingNo,
      to: item.destination ?? "",
      key: config.key,
      parameters,
    });
    const body = new URLSearchParams({ schema: "json", param });
    const json = parseJsonBody(PROVIDER, await callProvider(http, PROVIDER, `${base}/poll`, { body, signal }));
    const parsed = SubscribeReplySchema.safeParse(json);
    if (!parsed.success) throw badShape(PROVIDER, parsed.error.issues);
    const code = String(parsed.data.returnCode);
    // 501 = already subscribed: the number is being watched, which is what we wanted.
    if (code === "200" || code === "501") return;
    throw envelopeError(code, "subscribe");
  }

  async function detectCarrier(trackingNo: string, signal: AbortSignal): Promise<CourierCode[]> {
    const url = `${autoBase}/autonumber/auto?${new URLSearchParams({ num: trackingNo, key: config.key })}`;
    const json = parseJsonBody(PROVIDER, await callProvider(http, PROVIDER, url, { method: "get", signal }));
    const failure = ErrorSchema.safeParse(json);
    if (failure.success) throw envelopeError(String(failure.data.returnCode), "query");
    const parsed = AutoNumberSchema.safeParse(json);
    if (!parsed.success) throw badShape(PROVIDER, parsed.error.issues);
    return parsed.data.map((x) => fromKuaidi100(x.comCode));
  }

  function parsePush(req: PushRequest): PushResult {
    const form = new URLSearchParams(req.rawBody.toString("utf8"));
    const param = form.get("param");
    if (param === null) throw localized(InvalidInputError, "push_malformed", textRef("kd100-push-no-param"));
    // Without a salt Kuaidi100 sends no sign; refuse rather than accept unauthenticated data.
    if (config.salt === undefined) throw localized(ForbiddenError, "push_unsigned", textRef("kd100-push-unsigned"));
    if (!signaturesMatch(kuaidi100PushSign(param, config.salt), form.get("sign") ?? undefined, { ignoreCase: true })) {
      throw localized(ForbiddenError, "push_bad_signature", textRef("kd100-push-bad-sign"));
    }
    let raw: unknown;
    try {
      raw = JSON.parse(param);
    } catch {
      throw localized(InvalidInputError, "push_malformed", textRef("kd100-push-not-json"));
    }
    const push = Kuaidi100PushSchema.safeParse(raw);
    if (!push.success)
      throw localized(InvalidInputError, "push_malformed", textRef("kd100-push-shape"), {
        issues: push.error.issues,
      });
    const p = push.data;
    const tracking = toTracking(p.lastResult, fromKuaidi100(p.lastResult.com));
    if (String(p.autoCheck ?? "") === "1" && p.comNew) tracking.correctedCarrier = fromKuaidi100(p.comNew);
    if (p.status === "abort") {
      tracking.isStopped = true;
      const noResult = (p.message ?? "").includes("3天");
      if (tracking.status !== "DELIVERED") {
        if (noResult && tracking.events.length === 0)
          Object.assign(tracking, { status: "NO_INFO", subStatus: "NO_RESULT_3_DAYS" });
        else if (!noResult) Object.assign(tracking, { status: "EXPIRED", subStatus: "NO_CHANGE_60_DAYS" });
      }
    }
    return {
      trackings: [tracking],
      stopped: [],
      reply: jsonReply(200, { result: true, returnCode: "200", message: "提交成功" }),
    };
  }

  return defineCourier({
    kind: "kuaidi100",
    // ≥30 min between queries of one number, and >48 in 24 h locks it: hourly at most (§1.7).
    limits: {
      batchSize: 1,
      ratePerSecond: config.ratePerSecond ?? 1,
      dailyCap: config.dailyQueryCap,
      minRequeryMinutes: 60,
    },
    supports: (carrier) => carrierInfo(carrier)?.kuaidi100 !== undefined || /^[a-z0-9]+$/.test(carrier),
    trackOne,
    subscribeOne,
    detectCarrier,
    parsePush,
    pushRefusal: (reason) => jsonReply(403, { result: false, returnCode: "500", message: reason }),
  });
}
