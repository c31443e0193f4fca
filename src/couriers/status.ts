import type { Logger } from "../log.js";

/** Canonical parcel statuses, whatever the tracking provider (shared/reference/couriers.md §6). */
export const CANONICAL_STATUSES = [
  "NO_INFO",
  "INFO_RECEIVED",
  "PICKED_UP",
  "IN_TRANSIT",
  "OUT_FOR_DELIVERY",
  "AVAILABLE_FOR_PICKUP",
  "DELIVERY_FAILED",
  "EXCEPTION",
  "REJECTED",
  "RETURNING",
  "RETURNED",
  "DELIVERED",
  "CANCELLED",
  "EXPIRED",
] as const;

/** A canonical parcel status. */
export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

/** Optional refinement of a status (why it is an exception, that it sits in a locker, …). */
export type SubStatus =
  | "DEST_CITY"
  | "CUSTOMS"
  | "CUSTOMS_ACTION"
  | "REDIRECTED"
  | "TRANSFERRED"
  | "LOCKER"
  | "PROXY_SIGNED"
  | "NO_CONTACT"
  | "ADDRESS"
  | "OUT_OF_AREA"
  | "HELD"
  | "DAMAGED"
  | "LOST"
  | "DELAYED"
  | "STALE"
  | "PICKUP_OVERDUE"
  | "PAYMENT"
  | "INTERCEPTED"
  | "INVALID_NUMBER"
  | "NOT_FOUND"
  | "NO_RESULT_3_DAYS"
  | "NO_CHANGE_60_DAYS";

/** A provider code mapped to our model. */
export interface MappedStatus {
  status: CanonicalStatus;
  subStatus?: SubStatus;
}

/** Progress rank: did the parcel move forward? Problem statuses are orthogonal and have no rank. */
export const PROGRESS_RANK: Partial<Record<CanonicalStatus, number>> = {
  NO_INFO: 0,
  INFO_RECEIVED: 1,
  PICKED_UP: 2,
  IN_TRANSIT: 3,
  OUT_FOR_DELIVERY: 4,
  AVAILABLE_FOR_PICKUP: 4,
  DELIVERED: 9,
};

/** Statuses after which the parcel will not move again: polling stops. */
export const TERMINAL_STATUSES: ReadonlySet<CanonicalStatus> = new Set([
  "DELIVERED",
  "RETURNED",
  "CANCELLED",
  "EXPIRED",
]);

/** Statuses that are a problem for the buyer; entering one raises one alert. */
export const PROBLEM_STATUSES: ReadonlySet<CanonicalStatus> = new Set([
  "DELIVERY_FAILED",
  "EXCEPTION",
  "REJECTED",
  "RETURNING",
  "RETURNED",
]);

/** True when the status is terminal (delivered, returned, cancelled, expired). */
export const isTerminal = (s: CanonicalStatus): boolean => TERMINAL_STATUSES.has(s);
/** True when the status is a buyer-facing problem. */
export const isProblem = (s: CanonicalStatus): boolean => PROBLEM_STATUSES.has(s);
/** True for any status that implies a physical parcel has been scanned by the carrier. */
export const impliesScan = (s: CanonicalStatus): boolean =>
  !(s === "NO_INFO" || s === "INFO_RECEIVED" || s === "CANCELLED" || s === "EXPIRED");

/** Parses a stored status string (our own column) back to the type. */
export function asCanonicalStatus(s: string): CanonicalStatus {
  return (CANONICAL_STATUSES as readonly string[]).includes(s) ? (s as CanonicalStatus) : "IN_TRANSIT";
}

/** Human labels (English + Chinese) for replies and alerts. */
export const STATUS_LABEL: Record<CanonicalStatus, string> = {
  NO_INFO: "no info yet 暂无信息",
  INFO_RECEIVED: "label created 已下单",
  PICKED_UP: "picked up 已揽收",
  IN_TRANSIT: "in transit 运输中",
  OUT_FOR_DELIVERY: "out for delivery 派件中",
  AVAILABLE_FOR_PICKUP: "at pickup point 待取件",
  DELIVERY_FAILED: "delivery failed 派送失败",
  EXCEPTION: "exception 异常",
  REJECTED: "rejected by buyer 拒收",
  RETURNING: "returning to sender 退回中",
  RETURNED: "returned 已退回",
  DELIVERED: "delivered 已签收",
  CANCELLED: "cancelled 已销单",
  EXPIRED: "tracking expired 已停止跟踪",
};

type Table = Record<string, MappedStatus>;
const m = (status: CanonicalStatus, subStatus?: SubStatus): MappedStatus =>
  subStatus ? { status, subStatus } : { status };

/** Kuaidi100 `state` / per-event `statusCode`: base codes 0–14 and the advanced resultv2=4 codes (§1.4, §6.2). */
export const KUAIDI100_STATUS: Table = {
  "0": m("IN_TRANSIT"),
  "1001": m("IN_TRANSIT", "DEST_CITY"),
  "1002": m("IN_TRANSIT"),
  "1003": m("IN_TRANSIT", "REDIRECTED"),
  "1": m("PICKED_UP"),
  "101": m("INFO_RECEIVED"),
  "102": m("INFO_RECEIVED"),
  "103": m("PICKED_UP"),
  "5": m("OUT_FOR_DELIVERY"),
  "501": m("AVAILABLE_FOR_PICKUP", "LOCKER"),
  "3": m("DELIVERED"),
  "301": m("DELIVERED"),
  "302": m("DELIVERED"),
  "303": m("DELIVERED", "PROXY_SIGNED"),
  "304": m("DELIVERED", "LOCKER"),
  "6": m("RETURNING"),
  "4": m("RETURNED"),
  "401": m("CANCELLED"),
  "14": m("REJECTED"),
  "7": m("IN_TRANSIT", "TRANSFERRED"),
  "2": m("EXCEPTION"),
  "201": m("EXCEPTION", "DELAYED"),
  "202": m("EXCEPTION", "STALE"),
  "203": m("REJECTED"),
  "204": m("DELIVERY_FAILED"),
  "205": m("EXCEPTION", "PICKUP_OVERDUE"),
  "206": m("DELIVERY_FAILED", "NO_CONTACT"),
  "207": m("EXCEPTION", "OUT_OF_AREA"),
  "208": m("EXCEPTION", "HELD"),
  "209": m("EXCEPTION", "DAMAGED"),
  "210": m("CANCELLED"),
  "8": m("IN_TRANSIT", "CUSTOMS"),
  "10": m("IN_TRANSIT", "CUSTOMS"),
  "11": m("IN_TRANSIT", "CUSTOMS"),
  "12": m("IN_TRANSIT", "CUSTOMS"),
  "13": m("EXCEPTION", "CUSTOMS"),
};

/** 17TRACK v2.x `sub_status` (preferred) and main `status` as a fallback (§2.4, §6.2). */
export const SEVENTEENTRACK_STATUS: Table = {
  NotFound: m("NO_INFO", "NOT_FOUND"),
  NotFound_Other: m("NO_INFO", "NOT_FOUND"),
  NotFound_InvalidCode: m("NO_INFO", "INVALID_NUMBER"),
  InfoReceived: m("INFO_RECEIVED"),
  InTransit: m("IN_TRANSIT"),
  InTransit_PickedUp: m("PICKED_UP"),
  InTransit_Other: m("IN_TRANSIT"),
  InTransit_Departure: m("IN_TRANSIT"),
  InTransit_Arrival: m("IN_TRANSIT"),
  InTransit_CustomsProcessing: m("IN_TRANSIT", "CUSTOMS"),
  InTransit_CustomsReleased: m("IN_TRANSIT", "CUSTOMS"),
  InTransit_CustomsRequiringInformation: m("IN_TRANSIT", "CUSTOMS_ACTION"),
  Expired: m("EXPIRED"),
  Expired_Other: m("EXPIRED"),
  AvailableForPickup: m("AVAILABLE_FOR_PICKUP"),
  AvailableForPickup_Other: m("AVAILABLE_FOR_PICKUP"),
  OutForDelivery: m("OUT_FOR_DELIVERY"),
  OutForDelivery_Other: m("OUT_FOR_DELIVERY"),
  DeliveryFailure: m("DELIVERY_FAILED"),
  DeliveryFailure_Other: m("DELIVERY_FAILED"),
  DeliveryFailure_NoBody: m("DELIVERY_FAILED", "NO_CONTACT"),
  DeliveryFailure_Security: m("DELIVERY_FAILED"),
  DeliveryFailure_Rejected: m("REJECTED"),
  DeliveryFailure_InvalidAddress: m("DELIVERY_FAILED", "ADDRESS"),
  Delivered: m("DELIVERED"),
  Delivered_Other: m("DELIVERED"),
  Exception: m("EXCEPTION"),
  Exception_Other: m("EXCEPTION"),
  Exception_Returning: m("RETURNING"),
  Exception_Returned: m("RETURNED"),
  Exception_NoBody: m("EXCEPTION", "NO_CONTACT"),
  Exception_Security: m("EXCEPTION", "HELD"),
  Exception_Damage: m("EXCEPTION", "DAMAGED"),
  Exception_Rejected: m("REJECTED"),
  Exception_Delayed: m("EXCEPTION", "DELAYED"),
  Exception_Lost: m("EXCEPTION", "LOST"),
  Exception_Destroyed: m("EXCEPTION", "DAMAGED"),
  Exception_Cancel: m("CANCELLED"),
};

/** 17TRACK event `stage` / milestone `key_stage` vocabulary (may be empty on an event). */
export const SEVENTEENTRACK_STAGE: Table = {
  InfoReceived: m("INFO_RECEIVED"),
  PickedUp: m("PICKED_UP"),
  Departure: m("IN_TRANSIT"),
  Arrival: m("IN_TRANSIT"),
  AvailableForPickup: m("AVAILABLE_FOR_PICKUP"),
  OutForDelivery: m("OUT_FOR_DELIVERY"),
  Delivered: m("DELIVERED"),
  Returning: m("RETURNING"),
  Returned: m("RETURNED"),
};

/** Kdniao `State` (0–6) and `StateEx` / per-trace `Action` codes (§4.3, §6.2). */
export const KDNIAO_STATUS: Table = {
  "0": m("NO_INFO"),
  "1": m("PICKED_UP"),
  "10": m("INFO_RECEIVED"),
  "2": m("IN_TRANSIT"),
  "201": m("IN_TRANSIT", "DEST_CITY"),
  "202": m("OUT_FOR_DELIVERY"),
  "204": m("IN_TRANSIT"),
  "205": m("IN_TRANSIT"),
  "206": m("IN_TRANSIT"),
  "211": m("AVAILABLE_FOR_PICKUP", "LOCKER"),
  "3": m("DELIVERED"),
  "301": m("DELIVERED"),
  "302": m("DELIVERED"),
  "304": m("DELIVERED", "PROXY_SIGNED"),
  "311": m("DELIVERED", "LOCKER"),
  "4": m("EXCEPTION"),
  "401": m("NO_INFO"),
  "402": m("EXCEPTION", "DELAYED"),
  "403": m("EXCEPTION", "STALE"),
  "404": m("REJECTED"),
  "405": m("DELIVERY_FAILED"),
  "406": m("RETURNED"),
  "407": m("RETURNING"),
  "412": m("EXCEPTION", "PICKUP_OVERDUE"),
  "413": m("EXCEPTION", "INTERCEPTED"),
  "414": m("EXCEPTION", "DAMAGED"),
  "415": m("CANCELLED"),
  "416": m("DELIVERY_FAILED", "NO_CONTACT"),
  "417": m("EXCEPTION", "DELAYED"),
  "418": m("EXCEPTION"),
  "419": m("OUT_FOR_DELIVERY"),
  "420": m("DELIVERY_FAILED", "ADDRESS"),
  "421": m("DELIVERY_FAILED", "NO_CONTACT"),
  "422": m("EXCEPTION"),
  "423": m("EXCEPTION", "OUT_OF_AREA"),
  "5": m("IN_TRANSIT", "REDIRECTED"),
  "6": m("IN_TRANSIT", "CUSTOMS"),
  "601": m("IN_TRANSIT", "CUSTOMS"),
  "602": m("IN_TRANSIT", "CUSTOMS"),
  "603": m("IN_TRANSIT", "CUSTOMS"),
  "604": m("EXCEPTION", "CUSTOMS"),
};

/** Last-resort family fallback for Kuaidi100 codes we have never seen (§1.4 note). */
function kuaidi100Family(code: string): MappedStatus | undefined {
  if (/^10\d\d$/.test(code)) return m("IN_TRANSIT");
  if (/^3\d\d$/.test(code)) return m("DELIVERED");
  if (/^2\d\d$/.test(code)) return m("EXCEPTION");
  if (/^5\d\d$/.test(code)) return m("AVAILABLE_FOR_PICKUP");
  if (/^1\d\d$/.test(code)) return m("INFO_RECEIVED");
  return undefined;
}

/** Which provider's vocabulary a code belongs to. */
export type StatusVocabulary = "kuaidi100" | "17track" | "17track-stage" | "kdniao";

const TABLES: Record<StatusVocabulary, Table> = {
  kuaidi100: KUAIDI100_STATUS,
  "17track": SEVENTEENTRACK_STATUS,
  "17track-stage": SEVENTEENTRACK_STAGE,
  kdniao: KDNIAO_STATUS,
};

/**
 * Maps a provider code to our model. An unknown code never throws: it maps to `fallback` (a safe
 * status that keeps the stalled / no-pickup rules watching the parcel) and logs a warning with the raw code.
 */
export function mapProviderStatus(
  vocabulary: StatusVocabulary,
  code: string | number | null | undefined,
  opts: { log?: Logger; fallback: CanonicalStatus },
): MappedStatus & { isKnown: boolean } {
  const key = code === null || code === undefined ? "" : String(code).trim();
  const hit = key ? TABLES[vocabulary][key] : undefined;
  if (hit) return { ...hit, isKnown: true };
  const family = vocabulary === "kuaidi100" && key ? kuaidi100Family(key) : undefined;
  if (key)
    opts.log?.warn(
      { provider: vocabulary, providerCode: key, mappedTo: family?.status ?? opts.fallback },
      "unknown courier status code",
    );
  return { ...(family ?? m(opts.fallback)), isKnown: false };
}
