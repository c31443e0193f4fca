import { z } from "zod";
import { courierCommon, secret, url } from "../config-fields.js";
import { ForbiddenError, InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import type { CourierCode } from "../ids.js";
import { UpstreamError } from "../upstream/errors.js";
import { fromKdniao, toKdniao } from "./carrier-codes.js";
import {
  badShape,
  type CourierFactoryDeps,
  callProvider,
  defineCourier,
  jsonReply,
  md5Hex,
  orderEvents,
  parseJsonBody,
  signaturesMatch,
} from "./generic.js";
import { mapProviderStatus } from "./status.js";
import { formatBeijingTime, parseProviderTime } from "./time.js";
import type { CourierAdapter, PushRequest, PushResult, Tracking, TrackingEvent, TrackRequest } from "./types.js";

/** The `kdniao` entry of `couriers` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const KdniaoConfigSchema = z.object({
  kind: z.literal("kdniao"),
  businessId: z.string().min(1),
  apiKey: secret,
  apiBase: url.optional(),
  dailyCap: z.number().int().positive().optional(),
  ...courierCommon,
  /** 1002 (standard) or 8001 (value-added, adds StateEx). */
  queryRequestType: z.enum(["1002", "8001"]).default("8001"),
});
/** A validated `kdniao` courier config. */
export type KdniaoConfig = z.infer<typeof KdniaoConfigSchema>;

const PROVIDER = "kdniao";
/** The real host; overridable for tests. */
export const KDNIAO_DEFAULT_BASE = "https://api.kdniao.com";

/** DataSign = base64(lowercase hex MD5(RequestData + AppKey)) — base64 of the hex text, not the raw digest (§4.1). */
export const kdniaoDataSign = (requestData: string, appKey: string): string =>
  Buffer.from(md5Hex(requestData + appKey), "utf8").toString("base64");

const TraceSchema = z.object({
  AcceptTime: z.string(),
  AcceptStation: z.string().nullish(),
  Location: z.string().nullish(),
  Action: z.union([z.string(), z.number()]).nullish(),
  Remark: z.string().nullish(),
});

/** A 1002/8001 query answer; also one element of a push `Data[]` (§4.2). */
export const KdniaoTraceResultSchema = z.object({
  EBusinessID: z.union([z.string(), z.number()]).nullish(),
  ShipperCode: z.string().nullish(),
  // A refusal (bad DataSign, unknown EBusinessID) echoes no waybill: `{ EBusinessID, Success: false, Reason }`.
  LogisticCode: z.string().nullish(),
  Success: z.boolean(),
  Reason: z.string().nullish(),
  State: z.union([z.string(), z.number()]).nullish(),
  StateEx: z.union([z.string(), z.number()]).nullish(),
  Traces: z.array(TraceSchema).nullish(),
});

/** The decoded push RequestData (§4.4). */
export const KdniaoPushSchema = z.object({
  EBusinessID: z.union([z.string(), z.number()]).nullish(),
  PushTime: z.string().nullish(),
  Count: z.union([z.string(), z.number()]).nullish(),
  Data: z.array(KdniaoTraceResultSchema),
});

const SubscribeReplySchema = z.object({ Success: z.boolean(), Reason: z.string().nullish() });
const DetectReplySchema = z.object({
  Success: z.boolean(),
  Reason: z.string().nullish(),
  Shippers: z.array(z.object({ ShipperCode: z.string() })).nullish(),
});

/** Creates the Kdniao adapter: DataSign-signed queries (1002/8001), subscription (1008), detection (2002) and pushes (101/102). */
export function createKdniaoAdapter(config: KdniaoConfig, deps: CourierFactoryDeps): CourierAdapter {
  const base = (config.apiBase ?? KDNIAO_DEFAULT_BASE).replace(/\/$/, "");
  const { http, log, clock } = deps;

  async function call(
    path: string,
    requestType: string,
    data: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const requestData = JSON.stringify(data);
    const body = new URLSearchParams({
      RequestData: requestData,
      EBusinessID: config.businessId,
      RequestType: requestType,
      DataSign: kdniaoDataSign(requestData, config.apiKey),
      DataType: "2",
    });
    return parseJsonBody(PROVIDER, await callProvider(http, PROVIDER, `${base}${path}`, { body, signal }));
  }

  function refusal(reason: string): UpstreamError {
    const noPackage = reason.includes("套餐");
    return new UpstreamError({
      provider: PROVIDER,
      // Only "no package" (套餐) and "illegal parameter" (非法) are final; Kdniao's other refusals have cleared on retry.
      kind: noPackage || reason.includes("非法") ? "rejected" : "network",
      ...(noPackage ? { code: "upstream_quota_exhausted" as const } : {}),
      i18n: textRef(noPackage ? "kdniao-no-package" : "kdniao-refused"),
      details: { reason },
    });
  }

  function toTracking(
    r: z.infer<typeof KdniaoTraceResultSchema> & { LogisticCode: string },
    carrier: CourierCode,
  ): Tracking {
    const events: TrackingEvent[] = [];
    for (const t of r.Traces ?? []) {
      const occurredAt = parseProviderTime(t.AcceptTime);
      if (!occurredAt) continue;
      const code = t.Action === null || t.Action === undefined ? "" : String(t.Action);
      const mapped = code
        ? mapProviderStatus("kdniao", code, { log, fallback: "IN_TRANSIT" })
        : { status: "IN_TRANSIT" as const, subStatus: undefined };
      events.push({
        occurredAt,
        status: mapped.status,
        subStatus: mapped.subStatus,
        providerCode: code,
        description: (t.AcceptStation ?? "").trim(),
        location: t.Location ?? undefined,
      });
    }
    const ordered = orderEvents(events, { now: clock.now(), log, provider: PROVIDER, trackingNo: r.LogisticCode });
    const code = String(r.StateEx ?? "") || String(r.State ?? "");
    const newest = ordered[ordered.length - 1];
    const summary = code
      ? mapProviderStatus("kdniao", code, { log, fallback: newest?.status ?? "IN_TRANSIT" })
      : { status: newest?.status ?? ("NO_INFO" as const), subStatus: undefined };
    return {
      carrier: (r.ShipperCode && fromKdniao(r.ShipperCode)) || carrier,
      trackingNo: r.LogisticCode,
      status: summary.status,
      subStatus: summary.subStatus,
      providerStatus: code,
      events: ordered,
    };
  }

  const requestFor = (item: TrackRequest): Record<string, unknown> => {
    const shipper = toKdniao(item.carrier);
    if (!shipper)
      throw localized(
        InvalidInputError,
        "carrier_unsupported",
        textRef("kdniao-no-carrier", { carrier: item.carrier }),
      );
    return {
      OrderCode: "",
      ShipperCode: shipper,
      LogisticCode: item.trackingNo,
      ...(item.phone ? { CustomerName: item.phone.slice(-4) } : {}),
    };
  };

  async function trackOne(item: TrackRequest, signal: AbortSignal): Promise<Tracking> {
    const json = await call("/Ebusiness/EbusinessOrderHandle.aspx", config.queryRequestType, requestFor(item), signal);
    const parsed = KdniaoTraceResultSchema.safeParse(json);
    if (!parsed.success) throw badShape(PROVIDER, parsed.error.issues);
    if (!parsed.data.Success) {
      // "no trace yet" comes back as a failure with State 0: a successful fetch that knows nothing.
      if (String(parsed.data.State ?? "") === "0")
        return {
          carrier: item.carrier,
          trackingNo: item.trackingNo,
          status: "NO_INFO",
          providerStatus: "0",
          events: [],
        };
      throw refusal(parsed.data.Reason ?? "");
    }
    return toTracking({ ...parsed.data, LogisticCode: parsed.data.LogisticCode || item.trackingNo }, item.carrier);
  }

  async function subscribeOne(item: TrackRequest, signal: AbortSignal): Promise<void> {
    const json = await call("/api/dist", "1008", requestFor(item), signal);
    const parsed = SubscribeReplySchema.safeParse(json);
    if (!parsed.success) throw badShape(PROVIDER, parsed.error.issues);
    if (!parsed.data.Success) throw refusal(parsed.data.Reason ?? "");
  }

  async function detectCarrier(trackingNo: string, signal: AbortSignal): Promise<CourierCode[]> {
    const json = await call("/Ebusiness/EbusinessOrderHandle.aspx", "2002", { LogisticCode: trackingNo }, signal);
    const parsed = DetectReplySchema.safeParse(json);
    if (!parsed.success) throw badShape(PROVIDER, parsed.error.issues);
    if (!parsed.data.Success) return [];
    return (parsed.data.Shippers ?? [])
      .map((s) => fromKdniao(s.ShipperCode))
      .filter((c): c is CourierCode => c !== undefined);
  }

  const reply = (success: boolean, reason: string) =>
    jsonReply(success ? 200 : 403, {
      EBusinessID: config.businessId,
      UpdateTime: formatBeijingTime(clock.now()),
      Success: success,
      Reason: reason,
    });

  function parsePush(req: PushRequest): PushResult {
    const form = new URLSearchParams(req.rawBody.toString("utf8"));
    const requestData = form.get("RequestData");
    if (requestData === null) throw localized(InvalidInputError, "push_malformed", textRef("kdniao-push-no-data"));
    if (!signaturesMatch(kdniaoDataSign(requestData, config.apiKey), form.get("DataSign") ?? undefined)) {
      throw localized(ForbiddenError, "push_bad_signature", textRef("kdniao-push-bad-sign"));
    }
    let raw: unknown;
    try {
      raw = JSON.parse(requestData);
    } catch {
      throw localized(InvalidInputError, "push_malformed", textRef("kdniao-push-not-json"));
    }
    const push = KdniaoPushSchema.safeParse(raw);
    if (!push.success)
      throw localized(InvalidInputError, "push_malformed", textRef("kdniao-push-shape"), {
        issues: push.error.issues,
      });
    const trackings = push.data.Data.flatMap((d) =>
      d.LogisticCode && (d.Success || (d.Traces?.length ?? 0) > 0)
        ? [
            toTracking(
              { ...d, LogisticCode: d.LogisticCode },
              (d.ShipperCode && fromKdniao(d.ShipperCode)) || ("" as CourierCode),
            ),
          ]
        : [],
    );
    return { trackings, stopped: [], reply: reply(true, "") };
  }

  return defineCourier({
    kind: "kdniao",
    limits: {
      batchSize: 1,
      ratePerSecond: config.ratePerSecond ?? 5,
      dailyCap: config.dailyCap,
      minRequeryMinutes: 60,
    },
    supports: (carrier) => toKdniao(carrier) !== undefined,
    trackOne,
    subscribeOne,
    detectCarrier,
    parsePush,
    pushRefusal: (reason) => reply(false, reason),
  });
}
