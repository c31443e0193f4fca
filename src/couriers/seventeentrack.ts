import { z } from "zod";
import { courierCommon, secret, url } from "../config-fields.js";
import { ForbiddenError, InvalidInputError } from "../errors.js";
import type { CourierCode } from "../ids.js";
import { UpstreamError } from "../upstream/errors.js";
import { fromSeventeen, toSeventeen } from "./carrier-codes.js";
import {
  badShape,
  type CourierFactoryDeps,
  callProvider,
  defineCourier,
  failedOutcome,
  header,
  jsonReply,
  orderEvents,
  parseJsonBody,
  sha256Hex,
  signaturesMatch,
} from "./generic.js";
import { mapProviderStatus, SEVENTEENTRACK_STAGE } from "./status.js";
import { parseProviderTime } from "./time.js";
import type {
  CourierAdapter,
  PushRequest,
  PushResult,
  SubscribeOutcome,
  Tracking,
  TrackingEvent,
  TrackOutcome,
  TrackRequest,
} from "./types.js";

/** The `17track` entry of `couriers` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const SeventeenTrackConfigSchema = z.object({
  kind: z.literal("17track"),
  apiKey: secret,
  apiBase: url.optional(),
  webhookSecret: secret.optional(),
  dailyCap: z.number().int().positive().optional(),
  ...courierCommon,
});
/** A validated `17track` courier config. */
export type SeventeenTrackConfig = z.infer<typeof SeventeenTrackConfigSchema>;

const PROVIDER = "17track";
/** The real API root (version included); overridable for the sandbox and tests. */
export const SEVENTEENTRACK_DEFAULT_BASE = "https://api.17track.net/track/v2.2";
/** Numbers per call; more is rejected with -18010014 (§2.1). */
export const SEVENTEENTRACK_BATCH = 40;

const TimeRawSchema = z.object({
  date: z.string().nullish(),
  time: z.string().nullish(),
  timezone: z.string().nullish(),
});
const EventSchema = z.object({
  time_iso: z.string().nullish(),
  time_utc: z.string().nullish(),
  time_raw: TimeRawSchema.nullish(),
  description: z.string().nullish(),
  location: z.string().nullish(),
  stage: z.string().nullish(),
  sub_status: z.string().nullish(),
});

/** A `gettrackinfo` accepted item; also the `data` of a TRACKING_UPDATED webhook (§2.3). */
export const SeventeenTrackItemSchema = z.object({
  number: z.string(),
  carrier: z.number().nullish(),
  track_info: z
    .object({
      latest_status: z.object({ status: z.string().nullish(), sub_status: z.string().nullish() }).nullish(),
      tracking: z
        .object({ providers: z.array(z.object({ events: z.array(EventSchema).nullish() })).nullish() })
        .nullish(),
    })
    .nullish(),
});

const RejectedSchema = z.object({
  number: z.string(),
  error: z.object({ code: z.number(), message: z.string().nullish() }),
});
/** The common envelope `{code, data: {accepted, rejected}}` (§2.1). */
const EnvelopeSchema = z.object({
  code: z.number(),
  data: z.object({ accepted: z.array(z.unknown()).nullish(), rejected: z.array(RejectedSchema).nullish() }).nullish(),
});

/** A webhook body (§2.5). */
export const SeventeenTrackWebhookSchema = z.object({
  event: z.string(),
  data: z.object({ number: z.string(), carrier: z.number().nullish() }).loose(),
});

/** Webhook `sign`: lowercase hex SHA-256 of the raw body, "/", and the security key. */
export const seventeenTrackSign = (rawBody: string | Buffer, key: string): string =>
  sha256Hex(
    Buffer.concat([Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, "utf8"), Buffer.from(`/${key}`, "utf8")]),
  );

/** Error codes that mean "not a failure" or need a specific reaction (§2.6). */
const ALREADY_REGISTERED = -18019901;
const NOT_REGISTERED = -18019902;
const NO_INFO_YET = -18019909;

function rejectionError(code: number): UpstreamError {
  const retryable = code === -18010003 || code === -18019907;
  const messages: Record<number, string> = {
    [-18010002]: "17TRACK rejected our security key. Check couriers.17track apiKey.",
    [-18010001]: "17TRACK refused our IP address. Add it to the 17TRACK IP whitelist.",
    [NOT_REGISTERED]: "The number is not registered with 17TRACK yet; registering it.",
    [-18019903]: "17TRACK could not detect the carrier. Give the carrier explicitly with /ship.",
    [-18019907]: "17TRACK's daily request limit is reached; retrying tomorrow.",
    [-18019908]: "The 17TRACK quota is used up. Buy more quota to track new numbers.",
    [-18019910]: "17TRACK says the carrier is wrong for this number. Correct it with /ship.",
  };
  return new UpstreamError({
    provider: PROVIDER,
    // Not registered is transient: the poller registers the number again and the next poll succeeds.
    kind:
      code === -18019907
        ? "throttled"
        : code === -18010002 || code === -18010001
          ? "auth"
          : retryable || code === NOT_REGISTERED
            ? "network"
            : "rejected",
    ...(code === NOT_REGISTERED
      ? { code: "upstream_not_registered" as const }
      : code === -18019908
        ? { code: "upstream_quota_exhausted" as const }
        : code === -18010003
          ? { code: "upstream_unavailable" as const }
          : {}),
    message: messages[code] ?? `17TRACK refused the request (code ${code}).`,
    retryAfterSeconds: code === -18019907 ? 6 * 3600 : undefined,
    providerCode: code,
  });
}

/** Creates the 17TRACK v2 adapter: register, batched gettrackinfo (≤40), and signed webhooks. */
export function createSeventeenTrackAdapter(config: SeventeenTrackConfig, deps: CourierFactoryDeps): CourierAdapter {
  const base = (config.apiBase ?? SEVENTEENTRACK_DEFAULT_BASE).replace(/\/$/, "");
  const { http, log, clock } = deps;
  const webhookKey = config.webhookSecret ?? config.apiKey;

  async function call(endpoint: string, items: unknown[], signal: AbortSignal) {
    const text = await callProvider(http, PROVIDER, `${base}/${endpoint}`, {
      body: JSON.stringify(items),
      headers: { "17token": config.apiKey, "content-type": "application/json" },
      signal,
    });
    const env = EnvelopeSchema.safeParse(parseJsonBody(PROVIDER, text));
    if (!env.success) throw badShape(PROVIDER, env.error.issues);
    if (env.data.code !== 0) throw rejectionError(env.data.code);
    return { accepted: env.data.data?.accepted ?? [], rejected: env.data.data?.rejected ?? [] };
  }

  function eventTime(e: z.infer<typeof EventSchema>): Date | undefined {
    const explicit = parseProviderTime(e.time_utc) ?? parseProviderTime(e.time_iso);
    if (explicit) return explicit;
    const raw = e.time_raw;
    if (!raw?.date) return undefined;
    // time_raw is floating local time; its own zone when given, else Beijing (most of our carriers are CN).
    const zone = raw.timezone && /^[+-]\d{2}:?\d{2}$/.test(raw.timezone) ? raw.timezone : undefined;
    return parseProviderTime(`${raw.date} ${raw.time ?? "00:00:00"}${zone ?? ""}`);
  }

  function toTracking(item: z.infer<typeof SeventeenTrackItemSchema>, carrier: CourierCode): Tracking {
    const events: TrackingEvent[] = [];
    const seen = new Set<string>();
    for (const p of item.track_info?.tracking?.providers ?? []) {
      for (const e of p.events ?? []) {
        const occurredAt = eventTime(e);
        if (!occurredAt) {
          log.warn({ provider: PROVIDER, trackingNo: item.number }, "courier event without a readable time skipped");
          continue;
        }
        const description = (e.description ?? "").trim();
        // Origin post and last-mile carrier often repeat the same scan.
        const key = `${occurredAt.toISOString()}|${description}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const mapped = e.sub_status
          ? mapProviderStatus("17track", e.sub_status, { log, fallback: "IN_TRANSIT" })
          : e.stage && SEVENTEENTRACK_STAGE[e.stage]
            ? mapProviderStatus("17track-stage", e.stage, { log, fallback: "IN_TRANSIT" })
            : { status: "IN_TRANSIT" as const, subStatus: undefined };
        events.push({
          occurredAt,
          status: mapped.status,
          subStatus: mapped.subStatus,
          providerCode: e.sub_status ?? e.stage ?? "",
          description,
          location: e.location ?? undefined,
        });
      }
    }
    const ordered = orderEvents(events, { now: clock.now(), log, provider: PROVIDER, trackingNo: item.number });
    const latest = item.track_info?.latest_status;
    const code = latest?.sub_status || latest?.status || "";
    const newest = ordered[ordered.length - 1];
    const summary = code
      ? mapProviderStatus("17track", code, { log, fallback: newest?.status ?? "IN_TRANSIT" })
      : { status: newest?.status ?? ("NO_INFO" as const), subStatus: newest?.subStatus };
    const known = typeof item.carrier === "number" ? fromSeventeen(item.carrier) : undefined;
    return {
      carrier: known ?? carrier,
      trackingNo: item.number,
      status: summary.status,
      subStatus: summary.subStatus,
      providerStatus: code,
      events: ordered,
    };
  }

  const request = (i: TrackRequest) => {
    const key = toSeventeen(i.carrier);
    return key === undefined ? { number: i.trackingNo } : { number: i.trackingNo, carrier: key };
  };

  async function track(items: TrackRequest[], signal: AbortSignal): Promise<TrackOutcome[]> {
    if (items.length > SEVENTEENTRACK_BATCH)
      throw new InvalidInputError("batch_too_large", `17TRACK takes at most ${SEVENTEENTRACK_BATCH} numbers per call.`);
    let result: Awaited<ReturnType<typeof call>>;
    try {
      result = await call("gettrackinfo", items.map(request), signal);
    } catch (err) {
      return items.map((i) => failedOutcome(i.trackingNo, err));
    }
    const accepted = new Map<string, z.infer<typeof SeventeenTrackItemSchema>>();
    for (const a of result.accepted) {
      const parsed = SeventeenTrackItemSchema.safeParse(a);
      if (parsed.success) accepted.set(parsed.data.number, parsed.data);
      else log.warn({ provider: PROVIDER, issues: parsed.error.issues }, "courier item we do not understand skipped");
    }
    const rejected = new Map(result.rejected.map((r) => [r.number, r.error.code]));
    return items.map((i): TrackOutcome => {
      const a = accepted.get(i.trackingNo);
      if (a) return { trackingNo: i.trackingNo, ok: true, tracking: toTracking(a, i.carrier) };
      const code = rejected.get(i.trackingNo);
      if (code === NO_INFO_YET) {
        return {
          trackingNo: i.trackingNo,
          ok: true,
          tracking: {
            carrier: i.carrier,
            trackingNo: i.trackingNo,
            status: "NO_INFO",
            subStatus: "NOT_FOUND",
            providerStatus: String(code),
            events: [],
          },
        };
      }
      return failedOutcome(
        i.trackingNo,
        code === undefined ? badShape(PROVIDER, "number missing from answer") : rejectionError(code),
      );
    });
  }

  async function subscribe(items: TrackRequest[], signal: AbortSignal): Promise<SubscribeOutcome[]> {
    let result: Awaited<ReturnType<typeof call>>;
    try {
      result = await call("register", items.map(request), signal);
    } catch (err) {
      const error = err instanceof UpstreamError ? err : rejectionError(-18010003);
      return items.map(
        (i): SubscribeOutcome => ({ trackingNo: i.trackingNo, ok: false, error, retryable: error.retryable }),
      );
    }
    const ok = new Set(result.accepted.map((a) => (a as { number?: string }).number));
    const rejected = new Map(result.rejected.map((r) => [r.number, r.error.code]));
    return items.map((i): SubscribeOutcome => {
      const code = rejected.get(i.trackingNo);
      if (ok.has(i.trackingNo) || code === ALREADY_REGISTERED) return { trackingNo: i.trackingNo, ok: true };
      const err = code === undefined ? badShape(PROVIDER, "number missing from answer") : rejectionError(code);
      return { trackingNo: i.trackingNo, ok: false, error: err, retryable: err.retryable };
    });
  }

  function parsePush(req: PushRequest): PushResult {
    if (!signaturesMatch(seventeenTrackSign(req.rawBody, webhookKey), header(req.headers, "sign"))) {
      throw new ForbiddenError("push_bad_signature", "17TRACK webhook signature does not match.");
    }
    let raw: unknown;
    try {
      raw = JSON.parse(req.rawBody.toString("utf8"));
    } catch {
      throw new InvalidInputError("push_malformed", "17TRACK webhook body is not JSON.");
    }
    const body = SeventeenTrackWebhookSchema.safeParse(raw);
    if (!body.success)
      throw new InvalidInputError("push_malformed", "17TRACK webhook does not match the documented shape.", {
        issues: body.error.issues,
      });
    const reply = jsonReply(200, { code: 0 });
    const carrier = typeof body.data.data.carrier === "number" ? fromSeventeen(body.data.data.carrier) : undefined;
    if (body.data.event === "TRACKING_STOPPED")
      return { trackings: [], stopped: [{ carrier, trackingNo: body.data.data.number }], reply };
    if (body.data.event !== "TRACKING_UPDATED") {
      log.info({ provider: PROVIDER, event: body.data.event }, "courier push event ignored");
      return { trackings: [], stopped: [], reply };
    }
    const item = SeventeenTrackItemSchema.safeParse(body.data.data);
    if (!item.success)
      throw new InvalidInputError("push_malformed", "17TRACK webhook data does not match the documented shape.", {
        issues: item.error.issues,
      });
    // The carrier key may be one we have no name for; the radar then matches on the number alone.
    const tracking = toTracking(item.data, carrier ?? ("" as CourierCode));
    return { trackings: [tracking], stopped: [], reply };
  }

  return defineCourier({
    kind: "17track",
    limits: {
      batchSize: SEVENTEENTRACK_BATCH,
      ratePerSecond: config.ratePerSecond ?? 3,
      dailyCap: config.dailyCap,
      minRequeryMinutes: 30,
    },
    track,
    subscribe,
    parsePush,
  });
}
