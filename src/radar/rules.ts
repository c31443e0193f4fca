import type { Config } from "../config.js";
import { carrierInfo, carrierLabel } from "../couriers/carrier-codes.js";
import { type CanonicalStatus, isProblem, isTerminal, PROBLEM_STATUSES } from "../couriers/status.js";
import { hoursBetween } from "../couriers/time.js";
import type { MessageId } from "../i18n/catalog.js";
import { type TextRef, textRef } from "../i18n/ref.js";
import { must } from "../internal-error.js";
import type { Ledger, Severity } from "../ledger/index.js";
import type { Stores } from "../stores.js";
import { createLaneModel, type LaneModel, type LaneSettings, laneName, type StallThreshold } from "./lanes.js";
import type { Shipment } from "./store.js";

/** The thresholds and cadence the radar works with, from config. */
export interface RadarSettings {
  noPickupHours: number;
  stalledHours: number;
  trackingFreshHours: number;
  staleDataHours: number;
  pollEveryHours: number;
  maxTrackDays: number;
  promiseHours: number;
  promiseHoursByRegion: Record<string, number>;
  windowDays: number;
  minSample: number;
  carrierCosts: Record<string, number>;
  currency: string;
  timezone: string;
  learnedStall: LaneSettings;
}

/** Reads the radar settings from the validated config. */
export function radarSettings(config: Config): RadarSettings {
  return { ...config.alerts, ...config.radar, timezone: config.timezone };
}

/** Alert kinds the radar raises; subjects are `carrier:trackingNo`. */
export const ALERT_KIND = {
  noPickup: "parcel_no_pickup",
  stalled: "parcel_stalled",
  /** A label was created (the carrier has the order) but no scan ever came: not handed over, or lost at pickup. */
  labelOnly: "parcel_label_only",
  /** Customs holds the parcel until someone sends what it asks for. */
  customsAction: "parcel_customs_action",
  stale: "parcel_stale",
  problem: (s: CanonicalStatus) => `parcel_${s.toLowerCase()}`,
} as const;

/** The alert subject of a parcel. */
export const alertSubject = (s: Pick<Shipment, "carrier" | "trackingNo">): string => `${s.carrier}:${s.trackingNo}`;

/** What is wrong with a parcel right now, by the configured rules. */
export interface Assessment {
  /** Tracking data fetched within `trackingFreshHours`: the rules below may trust it. */
  isFresh: boolean;
  noPickup: boolean;
  /** The carrier has the label but never scanned the parcel, `noPickupHours` after shipping. */
  labelOnly: boolean;
  /** Customs asks for information (ID, invoice, value) before it releases the parcel. */
  customsAction: boolean;
  stalled: boolean;
  /** The hours without a scan after which it counts as stalled (learned for its lane, or configured). */
  stallHours: number;
  /** We could not fetch data for `staleDataHours`: say so instead of guessing. */
  stale: boolean;
  /** Current buyer-facing problem status, if any. */
  problem: CanonicalStatus | undefined;
  /** When the oldest current problem started (for "oldest problem first"). */
  since: string | undefined;
}

const IN_TRANSIT: ReadonlySet<CanonicalStatus> = new Set(["PICKED_UP", "IN_TRANSIT"]);
const BEFORE_PICKUP: ReadonlySet<CanonicalStatus> = new Set(["NO_INFO", "INFO_RECEIVED"]);

/** Whether a parcel is on its way (picked up or in transit, still tracked): the only kind the stall rule applies to. */
export const canStall = (s: Pick<Shipment, "status" | "endedAt">): boolean =>
  s.endedAt === null && IN_TRANSIT.has(s.status);

/** Applies the rules to one parcel at `now` (pure; no ledger access); `threshold` is its lane's learned stall threshold. */
export function assessParcel(
  s: Shipment,
  settings: RadarSettings,
  now: Date,
  threshold?: Pick<StallThreshold, "hours">,
): Assessment {
  const problem = isProblem(s.status) ? s.status : undefined;
  const stallHours = threshold?.hours ?? settings.stalledHours;
  if (s.endedAt !== null || isTerminal(s.status)) {
    return {
      isFresh: true,
      noPickup: false,
      labelOnly: false,
      customsAction: false,
      stalled: false,
      stallHours,
      stale: false,
      problem,
      since: problem ? s.statusSince : undefined,
    };
  }
  const isFresh = s.lastSyncOkAt !== null && hoursBetween(s.lastSyncOkAt, now) <= settings.trackingFreshHours;
  const stale = !isFresh && hoursBetween(s.lastSyncOkAt ?? s.shippedAt, now) >= settings.staleDataHours;
  const pickupDue =
    s.firstScanAt === null && BEFORE_PICKUP.has(s.status) && hoursBetween(s.shippedAt, now) >= settings.noPickupHours;
  // INFO_RECEIVED: the carrier has the label, no scan ever followed; NO_INFO: the carrier knows nothing yet.
  const labelOnly = isFresh && pickupDue && s.status === "INFO_RECEIVED";
  const noPickup = isFresh && pickupDue && !labelOnly;
  const customsAction = isFresh && s.subStatus === "CUSTOMS_ACTION";
  // Measured from the newest carrier scan, never from the last poll: a poll with nothing new must not hide a stall.
  // A parcel waiting on customs for information is its own case (the seller must act, not the carrier).
  const stalledDue =
    IN_TRANSIT.has(s.status) &&
    !customsAction &&
    s.lastEventAt !== null &&
    hoursBetween(s.lastEventAt, now) > stallHours;
  const stalled = isFresh && stalledDue;
  const since = problem
    ? s.statusSince
    : customsAction
      ? s.statusSince
      : stalled
        ? (s.lastEventAt ?? undefined)
        : noPickup || labelOnly
          ? new Date(new Date(s.shippedAt).getTime() + settings.noPickupHours * 3_600_000).toISOString()
          : stale
            ? (s.lastSyncOkAt ?? s.shippedAt)
            : undefined;
  return { isFresh, noPickup, labelOnly, customsAction, stalled, stallHours, stale, problem, since };
}

const SEVERITY: Partial<Record<CanonicalStatus, Severity>> = {
  DELIVERY_FAILED: "warning",
  EXCEPTION: "warning",
  REJECTED: "critical",
  RETURNING: "critical",
  RETURNED: "critical",
};

/** A ready-to-send apology for the buyer: Chinese for CN (or unknown) destinations, English otherwise. */
export function apologyText(s: Shipment, reason: "no_pickup" | "stalled" | CanonicalStatus): string {
  const isCn = !s.destination.country || /^(cn|chn|china|中国)$/i.test(s.destination.country);
  // The buyer reads the carrier's name in the apology's language: 顺丰速运 in Chinese, SF Express in English.
  const names = carrierName(s.carrier).byLocale;
  const carrier = isCn ? carrierLabel(s.carrier).replace(/ \(.*\)$/, "") : names.en;
  if (isCn) {
    const why: Record<string, string> = {
      no_pickup: "快递公司还没有揽收您的包裹，我们正在催促尽快取件",
      stalled: "您的包裹在运输途中暂时没有更新，我们已联系快递公司核实",
      DELIVERY_FAILED: "快递员派送时没能联系上您，包裹会再次派送，也可以告诉我们方便收货的时间",
      EXCEPTION: "您的包裹在运输中出现异常，我们已联系快递公司处理",
      REJECTED: "系统显示包裹被拒收，如果不是您本人的意思，请尽快告诉我们",
      RETURNING: "您的包裹正在退回，我们会马上为您安排补发或退款",
      RETURNED: "您的包裹已退回到我们这里，我们会马上为您安排补发或退款",
    };
    return `亲，非常抱歉！${why[reason] ?? "您的包裹物流出现延误，我们正在跟进"}（${carrier} ${s.trackingNo}）。有进展我们会第一时间通知您，给您带来不便，敬请谅解！`;
  }
  const why: Record<string, string> = {
    no_pickup: "the carrier has not collected your parcel yet; we are chasing them",
    stalled: "your parcel has not been scanned for a while; we have asked the carrier to check",
    DELIVERY_FAILED: "the courier could not deliver your parcel; it will be attempted again, or tell us a better time",
    EXCEPTION: "the carrier reported a problem with your parcel; we are on it",
    REJECTED: "the carrier reports the parcel as refused; if that was not you, please tell us right away",
    RETURNING: "your parcel is on its way back to us; we will reship or refund right away",
    RETURNED: "your parcel came back to us; we will reship or refund right away",
  };
  return `We are sorry: ${why[reason] ?? "your parcel is delayed; we are following up"} (${carrier} ${s.trackingNo}). We will update you as soon as we know more.`;
}

/** A canonical status as words, in the reader's language. */
export const statusRef = (s: CanonicalStatus): TextRef =>
  textRef(`parcel-status-${s.toLowerCase().replace(/_/g, "-")}` as MessageId & "parcel-status-exception");

/** A carrier's name per language: "顺丰速运" in Chinese, "SF Express" in English (the code when unknown). */
export const carrierName = (code: string): { byLocale: { en: string; "zh-CN": string } } => {
  const info = carrierInfo(code);
  return { byLocale: { en: info?.nameEn ?? carrierLabel(code), "zh-CN": info?.nameZh ?? code } };
};

function headline(s: Shipment): TextRef {
  const refs = s.orderRefs.length > 1 ? s.orderRefs : [s.orderRef];
  const orders = { ref: textRef("radar-orders", { count: refs.length, orders: refs.join(", ") }) };
  const to = s.destination.region ?? s.destination.country;
  const common = { carrier: carrierName(s.carrier), trackingNo: s.trackingNo, orders };
  return to ? textRef("radar-headline-to", { ...common, to }) : textRef("radar-headline", common);
}

/** What one evaluation did to the alert centre. */
export interface RuleOutcome {
  raised: string[];
  resolved: string[];
}

/**
 * Brings the alert centre in line with one parcel: raises what applies, resolves what no longer does.
 * Safe to repeat (alerts are de-duplicated by kind + subject). Problem alerts are raised only on a
 * transition into the status (`before` given), so one failed delivery is one alert however often it is re-polled.
 */
export function evaluateParcel(
  deps: {
    ledger: Ledger;
    shipments: Pick<Stores["shipments"], "eventsFor">;
    radarLanes?: Parameters<typeof createLaneModel>[0];
  },
  shipment: Shipment,
  settings: RadarSettings,
  now: Date,
  opts: { before?: Shipment; lanes?: LaneModel } = {},
): RuleOutcome {
  const out: RuleOutcome = { raised: [], resolved: [] };
  const subject = alertSubject(shipment);
  const lanes = opts.lanes ?? (deps.radarLanes ? laneModelFor(deps.radarLanes, settings, now) : undefined);
  // Only a parcel on its way can stall: the others never pay for learning their lane.
  const threshold = canStall(shipment) ? lanes?.thresholdFor(shipment) : undefined;
  const a = assessParcel(shipment, settings, now, threshold);
  const buttons = [{ label: "Track", labelId: "button-track" as const, action: `/track ${shipment.trackingNo}` }];
  const raise = (kind: string, severity: Severity, message: TextRef) => {
    const { isNew } = deps.ledger.alerts.raiseAlert({ kind, subject, severity, message, buttons });
    if (isNew) out.raised.push(kind);
  };
  const resolve = (kind: string) => {
    if (deps.ledger.alerts.resolveAlert(kind, subject)) out.resolved.push(kind);
  };
  const withApology = (text: TextRef, reason: Parameters<typeof apologyText>[1]): TextRef =>
    textRef("radar-with-apology", {
      text: { ref: text },
      label: { ref: textRef("radar-for-buyer") },
      apology: apologyText(shipment, reason),
    });

  if (opts.before && opts.before.status !== shipment.status) {
    for (const p of PROBLEM_STATUSES) if (p !== shipment.status) resolve(ALERT_KIND.problem(p));
    if (a.problem) {
      const last = deps.shipments.eventsFor(shipment.id, 1)[0];
      const status = { ref: statusRef(a.problem) };
      const text = last
        ? textRef("alert-parcel-problem-scan", {
            status,
            headline: { ref: headline(shipment) },
            last: { dateTime: last.occurredAt },
            scan: last.description.slice(0, 120),
          })
        : textRef("alert-parcel-problem", { status, headline: { ref: headline(shipment) } });
      raise(ALERT_KIND.problem(a.problem), SEVERITY[a.problem] ?? "warning", withApology(text, a.problem));
    }
  }
  if (shipment.status === "DELIVERED") for (const p of PROBLEM_STATUSES) resolve(ALERT_KIND.problem(p));

  if (a.isFresh) {
    resolve(ALERT_KIND.stale);
    if (a.noPickup) {
      const h = Math.floor(hoursBetween(shipment.shippedAt, now));
      raise(
        ALERT_KIND.noPickup,
        "warning",
        withApology(textRef("alert-no-pickup", { hours: h, headline: { ref: headline(shipment) } }), "no_pickup"),
      );
    } else resolve(ALERT_KIND.noPickup);
    if (a.labelOnly) {
      const h = Math.floor(hoursBetween(shipment.shippedAt, now));
      raise(
        ALERT_KIND.labelOnly,
        "warning",
        withApology(textRef("alert-label-only", { hours: h, headline: { ref: headline(shipment) } }), "no_pickup"),
      );
    } else resolve(ALERT_KIND.labelOnly);
    if (a.customsAction) {
      raise(
        ALERT_KIND.customsAction,
        "critical",
        textRef("alert-customs-action", {
          since: { dateTime: shipment.statusSince },
          headline: { ref: headline(shipment) },
        }),
      );
    } else resolve(ALERT_KIND.customsAction);
    if (a.stalled) {
      const last = must(shipment.lastEventAt, "a stalled parcel has a last event");
      const h = Math.floor(hoursBetween(last, now));
      const learned = threshold?.learned;
      raise(
        ALERT_KIND.stalled,
        h >= 72 ? "critical" : "warning",
        withApology(
          learned
            ? textRef("alert-stalled-learned", {
                carrier: carrierName(shipment.carrier),
                lane: laneName(learned),
                usual: a.stallHours,
                hours: h,
                last: { dateTime: last },
                headline: { ref: headline(shipment) },
              })
            : textRef("alert-stalled", { hours: h, last: { dateTime: last }, headline: { ref: headline(shipment) } }),
          "stalled",
        ),
      );
    } else resolve(ALERT_KIND.stalled);
  } else if (a.stale) {
    const h = { ref: headline(shipment) };
    const stale = shipment.lastSyncOkAt
      ? textRef("alert-tracking-stale", { since: { dateTime: shipment.lastSyncOkAt }, headline: h })
      : textRef("alert-tracking-stale-never", { headline: h });
    raise(
      ALERT_KIND.stale,
      "warning",
      shipment.lastSyncError
        ? textRef("alert-two-parts", {
            first: { ref: stale },
            second: { ref: textRef("alert-tracking-last-error", { error: shipment.lastSyncError }) },
          })
        : stale,
    );
  }
  if (shipment.endedAt !== null) {
    resolve(ALERT_KIND.stale);
    resolve(ALERT_KIND.noPickup);
    resolve(ALERT_KIND.stalled);
    resolve(ALERT_KIND.labelOnly);
    resolve(ALERT_KIND.customsAction);
  }
  return out;
}

/** The lane model of one evaluation run: learned thresholds from the radar's lane store. */
export function laneModelFor(
  store: Parameters<typeof createLaneModel>[0],
  settings: RadarSettings,
  now: Date,
): LaneModel {
  return createLaneModel(store, { ...settings.learnedStall, stalledHours: settings.stalledHours }, now);
}
