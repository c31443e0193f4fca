import type { AppError } from "../errors.js";
import type { CourierCode } from "../ids.js";
import type { CanonicalStatus, SubStatus } from "./status.js";

/** The tracking providers we speak to (config `couriers[].kind`). */
export type ProviderKind = "kuaidi100" | "17track" | "kdniao";

/** One carrier scan, mapped to our model. */
export interface TrackingEvent {
  /** When the carrier scanned (provider time, offset-less CN times read as Beijing), never poll time. */
  occurredAt: Date;
  status: CanonicalStatus;
  subStatus?: SubStatus | undefined;
  /** The provider's own code for the event ("1002", "InTransit_Arrival", "202"), for audits. */
  providerCode: string;
  description: string;
  location?: string | undefined;
}

/** What a provider currently knows about one parcel. */
export interface Tracking {
  carrier: CourierCode;
  trackingNo: string;
  /** Status from the provider's summary field (or the newest event when it has none). */
  status: CanonicalStatus;
  subStatus?: SubStatus | undefined;
  /** The raw summary code ("304", "Delivered_Other"), for audits. */
  providerStatus: string;
  /** Oldest first. */
  events: TrackingEvent[];
  /** The provider stopped tracking this number (Kuaidi100 `abort`, 17TRACK `TRACKING_STOPPED`). */
  isStopped?: boolean;
  /** The provider corrected the carrier (Kuaidi100 autoCheck / comNew). */
  correctedCarrier?: CourierCode | undefined;
}

/** What to track: our carrier code, the number, and what some carriers need besides it. */
export interface TrackRequest {
  carrier: CourierCode;
  trackingNo: string;
  /** Recipient phone or its last 4 digits (SF / ZTO on Kuaidi100 and Kdniao). */
  phone?: string | undefined;
  /** Destination text (improves Kuaidi100 accuracy). */
  destination?: string | undefined;
}

/** Per-number result of a track call. A batch never throws for one bad number. */
export type TrackOutcome =
  | { trackingNo: string; ok: true; tracking: Tracking }
  | { trackingNo: string; ok: false; error: AppError; retryable: boolean; retryAfterSeconds?: number | undefined };

/** Per-number result of a subscribe / register call. */
export type SubscribeOutcome =
  | { trackingNo: string; ok: true }
  | { trackingNo: string; ok: false; error: AppError; retryable: boolean };

/** A verified provider push: the parcels it updates, and the exact reply the provider expects. */
export interface PushResult {
  trackings: Tracking[];
  /** Numbers the provider stopped tracking without data (17TRACK TRACKING_STOPPED). */
  stopped: { carrier?: CourierCode | undefined; trackingNo: string }[];
  reply: PushReply;
}

/** An HTTP answer in the provider's own format. */
export interface PushReply {
  status: number;
  contentType: string;
  body: string;
}

/** A raw inbound push; signatures are checked on the raw bytes. */
export interface PushRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** How fast and how much we may call a provider. */
export interface ProviderLimits {
  /** Numbers per track call (17TRACK 40, Kuaidi100 1, Kdniao 1). */
  batchSize: number;
  /** Requests per second across the whole provider. */
  ratePerSecond: number;
  /** Calls per calendar day (provider time zone), when the plan caps it. */
  dailyCap: number | undefined;
  /** Minimum minutes between two queries of the same number (Kuaidi100 locks a number after 48 in 24 h). */
  minRequeryMinutes: number;
}

/**
 * A tracking provider adapter: one file per provider, built by a factory such as
 * `createKuaidi100Adapter({ config, http, log, publicUrl })`. Adapters parse the provider's own wire
 * format with zod, map codes through `status.ts`, and override only what differs from `generic.ts`.
 *
 * @example
 * const [outcome] = await kuaidi100.track([{ carrier: asCourierCode("shunfeng"), trackingNo: "SF1234567890123", phone: "1234" }], signal);
 * if (outcome.ok) ledger.shipments.applyTracking(shipmentId, outcome.tracking, { source: "kuaidi100" });
 */
export interface CourierAdapter {
  readonly kind: ProviderKind;
  readonly limits: ProviderLimits;
  /** True when this provider can track the carrier (it has a code for it, or auto-detects). */
  supports(carrier: CourierCode): boolean;
  /** Polls the provider for up to `limits.batchSize` numbers; one outcome per request, in order. */
  track(items: TrackRequest[], signal: AbortSignal): Promise<TrackOutcome[]>;
  /** Starts push updates for numbers (Kuaidi100 poll, 17TRACK register, Kdniao 1008); absent when the provider has no push. */
  subscribe?(items: TrackRequest[], signal: AbortSignal): Promise<SubscribeOutcome[]>;
  /** Candidate carriers for a number, most likely first, where the provider offers detection. */
  detectCarrier?(trackingNo: string, signal: AbortSignal): Promise<CourierCode[]>;
  /** Verifies a push on its raw body and parses it; throws ForbiddenError (bad signature) or InvalidInputError. */
  parsePush?(req: PushRequest): PushResult;
  /** The reply to send when a push is refused (the provider's failure format). */
  pushRefusal?(reason: string): PushReply;
}
