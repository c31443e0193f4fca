import { hoursBetween } from "../couriers/time.js";
import type { RadarSettings } from "./rules.js";
import type { Shipment } from "./store.js";

/** One carrier's performance towards one destination region over the window. */
export interface CarrierRegionStats {
  carrier: string;
  region: string;
  parcels: number;
  delivered: number;
  /** Transit hours (first scan → delivered), nearest-rank quantiles; null without deliveries. */
  p50Hours: number | null;
  p90Hours: number | null;
  promiseHours: number;
  /** Delivered within the promise ÷ (delivered + still open past the promise + lost); null when nothing is decided yet. */
  onTimeRate: number | null;
  /** Parcels that ever hit a problem status ÷ parcels. */
  exceptionRate: number;
  /** (lost + returned + expired undelivered) ÷ parcels whose tracking ended. */
  lossRate: number | null;
}

/** A suggestion to switch carriers for a region (numbers only: `/carriers` words it in the reader's language). */
export interface Recommendation {
  region: string;
  from: string;
  to: string;
  /** p90 transit hours saved (from − to). */
  hoursSaved: number;
  fromP90: number;
  toP90: number;
  /** Extra cost per parcel in minor units (negative = cheaper); undefined without configured costs. */
  costDeltaPerParcel: number | undefined;
  /** Extra cost over the window's volume of `from` in the region. */
  costDeltaWindow: number | undefined;
}

/** The whole analysis. */
export interface CarrierReport {
  since: Date;
  rows: CarrierRegionStats[];
  recommendations: Recommendation[];
}

/** Nearest-rank quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? null;
}

/** The region key of a parcel: province / state, else country, else "unknown". */
export const regionOf = (s: Pick<Shipment, "destination">): string =>
  s.destination.region ?? s.destination.country ?? "unknown";

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Money in minor units as "¥12.50" / "12.50 USD". */
export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? "−" : "+";
  const v = (Math.abs(minor) / 100).toFixed(2);
  return currency === "CNY" ? `${sign}¥${v}` : `${sign}${v} ${currency}`;
}

/**
 * Carrier × region statistics over parcels shipped in the window, and a recommendation when another
 * carrier is clearly better for a region: both have at least `minSample` deliveries, the other's p90 is
 * at least 20 % and 6 h shorter, and it loses no more parcels.
 */
export function analyseCarriers(
  shipments: readonly Shipment[],
  settings: RadarSettings,
  now: Date,
  opts: { region?: string | undefined } = {},
): CarrierReport {
  const since = new Date(now.getTime() - settings.windowDays * 86_400_000);
  const groups = new Map<string, Shipment[]>();
  for (const s of shipments) {
    if (new Date(s.shippedAt) < since) continue;
    const region = regionOf(s);
    if (opts.region && region.toLowerCase() !== opts.region.toLowerCase()) continue;
    const key = `${s.carrier}\u0000${region}`;
    const g = groups.get(key) ?? [];
    g.push(s);
    groups.set(key, g);
  }
  const rows: CarrierRegionStats[] = [];
  for (const [key, list] of groups) {
    const [carrier, region] = key.split("\u0000") as [string, string];
    const promise = settings.promiseHoursByRegion[region] ?? settings.promiseHours;
    const transit: number[] = [];
    let onTime = 0;
    let decided = 0;
    let lost = 0;
    let ended = 0;
    for (const s of list) {
      const start = s.firstScanAt ?? s.shippedAt;
      const isLost = s.isLost || s.status === "RETURNED" || (s.status === "EXPIRED" && s.deliveredAt === null);
      if (s.endedAt !== null) ended += 1;
      if (isLost) lost += 1;
      if (s.deliveredAt) {
        const h = hoursBetween(start, s.deliveredAt);
        transit.push(h);
        decided += 1;
        if (h <= promise) onTime += 1;
      } else if (isLost || hoursBetween(start, now) > promise) {
        decided += 1;
      }
    }
    transit.sort((a, b) => a - b);
    const p50 = quantile(transit, 0.5);
    const p90 = quantile(transit, 0.9);
    rows.push({
      carrier,
      region,
      parcels: list.length,
      delivered: transit.length,
      p50Hours: p50 === null ? null : round1(p50),
      p90Hours: p90 === null ? null : round1(p90),
      promiseHours: promise,
      onTimeRate: decided ? onTime / decided : null,
      exceptionRate: list.filter((s) => s.hadProblem).length / list.length,
      lossRate: ended ? lost / ended : null,
    });
  }
  rows.sort((a, b) => a.region.localeCompare(b.region) || b.parcels - a.parcels || a.carrier.localeCompare(b.carrier));

  const recommendations: Recommendation[] = [];
  for (const region of new Set(rows.map((r) => r.region))) {
    const here = rows.filter(
      (r): r is CarrierRegionStats & { p90Hours: number } =>
        r.region === region && r.delivered >= settings.minSample && r.p90Hours !== null,
    );
    if (here.length < 2) continue;
    const [current] = [...here].sort((a, b) => b.parcels - a.parcels);
    const [best] = [...here].sort((a, b) => a.p90Hours - b.p90Hours || (a.lossRate ?? 0) - (b.lossRate ?? 0));
    if (!current || !best || best === current) continue;
    const saved = current.p90Hours - best.p90Hours;
    if (saved < 6 || best.p90Hours > current.p90Hours * 0.8 || (best.lossRate ?? 0) > (current.lossRate ?? 0)) continue;
    const costFrom = settings.carrierCosts[current.carrier];
    const costTo = settings.carrierCosts[best.carrier];
    const perParcel = costFrom !== undefined && costTo !== undefined ? costTo - costFrom : undefined;
    const window = perParcel === undefined ? undefined : perParcel * current.parcels;
    recommendations.push({
      region,
      from: current.carrier,
      to: best.carrier,
      hoursSaved: round1(saved),
      fromP90: current.p90Hours,
      toP90: best.p90Hours,
      costDeltaPerParcel: perParcel,
      costDeltaWindow: window,
    });
  }
  return { since, rows, recommendations };
}
