import { hoursBetween } from "../couriers/time.js";
import type { Deps } from "../deps.js";
import { channelHealthViews } from "../http/health.js";
import { renderRef } from "../i18n/ref.js";
import type { Translator } from "../i18n/translator.js";
import type { StockLevel } from "../ledger/rows.js";
import { analyseCarriers, type CarrierRegionStats } from "../radar/analytics.js";
import { apologyText, assessParcel, carrierName, radarSettings } from "../radar/rules.js";
import type { Shipment } from "../radar/store.js";
import { dayRange, localDay } from "../summary/day.js";

// Reads the pages show, all through the existing stores and read functions (no SQL here).

/** The overview's live figures; the page and every SSE snapshot carry the same, already formatted. */
export interface OverviewFigures {
  orders: number;
  ordersYesterday: number;
  units: number;
  unitsYesterday: number;
  /** Per currency, formatted in the reader's language ("US$39.80"); "none" when nothing sold. */
  revenue: string;
  revenueYesterday: string;
  oversold: number;
  /** Red banner lines: breaker open, channels unhealthy, parcels stalled past alerts.stalledHours. */
  banner: string[];
  openAlerts: number;
  /** Available per SKU, for the stock rows on any page. */
  available: Record<string, number>;
  /** The live alerts (the Alerts page rebuilds its table from these), text in the reader's language. */
  alerts: AlertView[];
}

/** One live alert as the Alerts page shows it. */
export interface AlertView {
  id: number;
  severity: string;
  raisedAt: string;
  text: string;
  status: "open" | "acked";
  /** "acked by …" when acked. */
  acked: string | null;
}

/** Today so far and yesterday up to the same time of day, in `config.timezone`. */
export function overviewFigures(deps: Deps, tr: Translator): OverviewFigures {
  const now = deps.clock.now();
  const { from, to } = dayRange(localDay(now, deps.config.timezone), deps.config.timezone);
  const dayBefore = new Date(now.getTime() - 86_400_000);
  const { from: yFrom } = dayRange(localDay(dayBefore, deps.config.timezone), deps.config.timezone);
  const today = deps.dashboard.salesBetween(from, to);
  // Up to and including this instant of yesterday.
  const yesterday = deps.dashboard.salesBetween(yFrom, new Date(dayBefore.getTime() + 1).toISOString());
  const money = (r: { currency: string; amountMinor: number }[]) =>
    r.length ? r.map((m) => tr.money(m)).join(" · ") : tr.t("dashboard-none");
  const available: Record<string, number> = {};
  for (const l of stockLevels(deps, undefined)) available[l.sku] = l.available;
  return {
    orders: today.orders,
    ordersYesterday: yesterday.orders,
    units: today.units,
    unitsYesterday: yesterday.units,
    revenue: money(today.revenue),
    revenueYesterday: money(yesterday.revenue),
    oversold: deps.dashboard.unresolvedOversold(),
    banner: bannerLines(deps, tr),
    openAlerts: deps.ledger.alerts.liveAlerts(500).filter((a) => a.status === "open").length,
    available,
    alerts: alertViews(deps, tr),
  };
}

/** The live alerts, critical first, each in the reader's language. */
export function alertViews(deps: Deps, tr: Translator): AlertView[] {
  return deps.ledger.alerts.liveAlerts(200).map((a) => ({
    id: a.id,
    severity: a.severity,
    raisedAt: tr.dateTime(new Date(a.lastRaisedAt)),
    text: a.message ? renderRef(tr, a.message) : a.text,
    status: a.status === "acked" ? "acked" : "open",
    acked: a.status === "acked" ? tr.t("dashboard-acked-by", { who: a.ackedBy ?? "?" }) : null,
  }));
}

/** Everything critical right now, one line each. */
export function bannerLines(deps: Deps, tr: Translator): string[] {
  const out: string[] = [];
  if (deps.breaker.breakerState().isOpen) out.push(tr.t("dashboard-banner-breaker"));
  for (const c of channelHealthViews(deps.sync))
    if (c.state === "unhealthy")
      out.push(tr.t("dashboard-banner-channel", { channel: c.channelId, state: tr.t("dashboard-state-unhealthy") }));
  for (const a of deps.ledger.alerts.liveAlerts(200))
    if (a.status === "open" && a.severity === "critical")
      out.push(tr.t("dashboard-banner-alert", { text: a.message ? renderRef(tr, a.message) : a.text }));
  const now = deps.clock.now();
  for (const p of lateParcels(deps))
    if (p.kind === "stalled")
      out.push(
        tr.t("dashboard-banner-stalled", {
          trackingNo: p.shipment.trackingNo,
          carrier: carrierName(p.shipment.carrier).byLocale[tr.locale],
          hours: Math.floor(hoursBetween(p.shipment.lastEventAt ?? p.shipment.shippedAt, now)),
        }),
      );
  return out;
}

/** What a channel's rate-limit buckets have left, as the provider reported it. */
export interface QuotaLeft {
  bucket: string;
  left: number;
  capacity: number | undefined;
}

/** One channel on the overview: /healthz's view, its oversell window over the last hour and its quota left. */
export type ChannelRow = ReturnType<typeof channelHealthViews>[number] & {
  /** Enqueue → confirm of the pushes confirmed in the last hour (ms); null when there were none. */
  windowP50Ms: number | null;
  windowP95Ms: number | null;
  windowPushes: number;
  /** Only buckets the provider reports (Shopify's cost bucket); empty: it reports none. */
  quota: QuotaLeft[];
};

/** Each channel's state, last successful sync, backlog (as /healthz), oversell window p50/p95 and quota left. */
export function channelRows(deps: Deps): ChannelRow[] {
  const since = new Date(deps.clock.now().getTime() - 3_600_000).toISOString();
  const quotas = deps.metrics.quotas().filter((q) => q.kind === "channel" && q.isReported);
  return channelHealthViews(deps.sync).map((c) => {
    const w = deps.channelState.pushLatency({ channelId: c.channelId, since });
    return {
      ...c,
      windowP50Ms: w.p50,
      windowP95Ms: w.p95,
      windowPushes: w.count,
      quota: quotas
        .filter((q) => q.name === c.channelId)
        .map((q) => ({ bucket: q.bucket, left: Math.floor(q.left), capacity: q.capacity })),
    };
  });
}

/** A parcel that needs a person, and why. */
export interface LateParcel {
  shipment: Shipment;
  kind: "problem" | "stalled" | "no-pickup" | "stale";
  hours: number;
  /** The ready-to-send apology for the buyer (the radar alert's text): Chinese for Chinese channels and destinations. */
  apology: string;
}

/** Marketplaces whose buyers read Chinese, whatever the parcel's destination says. */
const CHINESE_KINDS = new Set(["taobao", "pinduoduo", "xianyu"]);

/** The late list, oldest problem first (the same rules as /late). */
export function lateParcels(deps: Deps): LateParcel[] {
  const settings = radarSettings(deps.config);
  const now = deps.clock.now();
  const chineseChannels = new Set(deps.config.channels.filter((c) => CHINESE_KINDS.has(c.kind)).map((c) => c.id));
  return deps.shipments
    .activeShipments()
    .map((s) => ({ s, a: assessParcel(s, settings, now) }))
    .filter(({ a }) => a.since !== undefined)
    .sort((x, y) => (x.a.since ?? "").localeCompare(y.a.since ?? ""))
    .map(({ s, a }) => {
      const kind = a.problem ? "problem" : a.stalled ? "stalled" : a.noPickup ? "no-pickup" : "stale";
      // apologyText writes Chinese for a CN destination: a buyer on a Chinese marketplace reads Chinese wherever it ships.
      const to =
        s.channelId && chineseChannels.has(s.channelId)
          ? { ...s, destination: { ...s.destination, country: "CN" } }
          : s;
      return {
        shipment: s,
        kind,
        hours: Math.floor(hoursBetween(a.since ?? s.shippedAt, now)),
        apology: apologyText(
          to,
          a.problem ?? (a.noPickup || a.labelOnly ? "no_pickup" : a.stalled ? "stalled" : s.status),
        ),
      };
    });
}

/** The carrier scorecard over the radar window (as /carriers). */
export function carrierRows(deps: Deps): CarrierRegionStats[] {
  const now = deps.clock.now();
  const settings = radarSettings(deps.config);
  return analyseCarriers(
    deps.shipments.shipmentsShippedSince(new Date(now.getTime() - settings.windowDays * 86_400_000)),
    settings,
    now,
  ).rows;
}

/** Days of cover are taken over this many days of sales. */
export const COVER_DAYS = 14;

/**
 * Stock rows: low first (no query), or SKUs starting with `q`; each with its per-channel publication and trail,
 * its days of cover (on hand ÷ average daily units sold over the last {@link COVER_DAYS} days; undefined without
 * sales), its bundle make-up and, once there is more than one location, its on hand per location.
 */
export function stockRows(deps: Deps, q: string | undefined) {
  const since = new Date(deps.clock.now().getTime() - COVER_DAYS * 86_400_000).toISOString();
  const sold = deps.dashboard.unitsSoldSince(since);
  const hasLocations = deps.ledger.locations.knownLocations().length > 1;
  return stockLevels(deps, q).map((level) => {
    const bundle = deps.ledger.bundles.bundleAvailability(level.sku);
    const units = sold.get(level.sku) ?? 0;
    const onHand = bundle ? bundle.available : level.onHand;
    return {
      level,
      publications: deps.ledger.outbox.publicationsFor(level.sku),
      daysOfCover: units > 0 ? onHand / (units / COVER_DAYS) : undefined,
      bundle,
      locations: hasLocations && !bundle ? deps.ledger.locations.locationLevels(level.sku) : [],
    };
  });
}

/** SKUs starting with `q`; without one, the low ones first, then the rest alphabetically (at most 200). */
export function stockLevels(deps: Deps, q: string | undefined): StockLevel[] {
  if (q) return deps.ledger.stock.findSkus(q, 50);
  const low = deps.ledger.stock.lowStock(50);
  const seen = new Set(low.map((l) => l.sku));
  return [...low, ...deps.ledger.stock.findSkus("", 200).filter((l) => !seen.has(l.sku))].slice(0, 200);
}
