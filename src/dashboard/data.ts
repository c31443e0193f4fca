import { hoursBetween } from "../couriers/time.js";
import type { Deps } from "../deps.js";
import { channelHealthViews } from "../http/health.js";
import type { Translator } from "../i18n/translator.js";
import type { StockLevel } from "../ledger/rows.js";
import { analyseCarriers, type CarrierRegionStats } from "../radar/analytics.js";
import { assessParcel, carrierName, radarSettings } from "../radar/rules.js";
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
  };
}

/** Everything critical right now, one line each. */
export function bannerLines(deps: Deps, tr: Translator): string[] {
  const out: string[] = [];
  if (deps.breaker.breakerState().isOpen) out.push(tr.t("dashboard-banner-breaker"));
  for (const c of channelHealthViews(deps.sync))
    if (c.state === "unhealthy")
      out.push(tr.t("dashboard-banner-channel", { channel: c.channelId, state: tr.t("dashboard-state-unhealthy") }));
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

/** Each channel's state, last successful sync and backlog (as /healthz). */
export const channelRows = (deps: Deps) => channelHealthViews(deps.sync);

/** A parcel that needs a person, and why. */
export interface LateParcel {
  shipment: Shipment;
  kind: "problem" | "stalled" | "no-pickup" | "stale";
  hours: number;
}

/** The late list, oldest problem first (the same rules as /late). */
export function lateParcels(deps: Deps): LateParcel[] {
  const settings = radarSettings(deps.config);
  const now = deps.clock.now();
  return deps.shipments
    .activeShipments()
    .map((s) => ({ s, a: assessParcel(s, settings, now) }))
    .filter(({ a }) => a.since !== undefined)
    .sort((x, y) => (x.a.since ?? "").localeCompare(y.a.since ?? ""))
    .map(({ s, a }) => ({
      shipment: s,
      kind: a.problem ? "problem" : a.stalled ? "stalled" : a.noPickup ? "no-pickup" : "stale",
      hours: Math.floor(hoursBetween(a.since ?? s.shippedAt, now)),
    }));
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

/** Stock rows: low first (no query), or SKUs starting with `q`; each with its per-channel publication and trail. */
export function stockRows(deps: Deps, q: string | undefined) {
  return stockLevels(deps, q).map((level) => ({ level, publications: deps.ledger.outbox.publicationsFor(level.sku) }));
}

/** SKUs starting with `q`; without one, the low ones first, then the rest alphabetically (at most 200). */
export function stockLevels(deps: Deps, q: string | undefined): StockLevel[] {
  if (q) return deps.ledger.stock.findSkus(q, 50);
  const low = deps.ledger.stock.lowStock(50);
  const seen = new Set(low.map((l) => l.sku));
  return [...low, ...deps.ledger.stock.findSkus("", 200).filter((l) => !seen.has(l.sku))].slice(0, 200);
}
