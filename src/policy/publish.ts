import type { RiskInputs } from "./risk.js";

/** Global stock settings the policy reads (config `stock`). */
export interface PolicySettings {
  bufferUnits: number;
  lowStockThreshold: number;
  lowStockAction: "cap" | "delist" | "split";
  lowStockCap: number;
  /** Target chance that one push window oversells, for channels with `riskBuffer: true` (default 0.01). */
  oversellRisk?: number | undefined;
  /** Hours of sales the risk buffer's rate is measured over (default 24). */
  riskWindowHours?: number | undefined;
}

/** What the policy needs to know about one listing and its channel. */
export interface PolicyListing {
  channelId: string;
  isDelisted: boolean;
  listingCap: number | null;
  listingBuffer: number;
  listingSharePct: number | null;
  channelCap?: number | undefined;
  channelBuffer?: number | undefined;
  channelSharePct?: number | undefined;
  /** Hard maximum the marketplace accepts (Xianyu 9,999); applied last. */
  channelMax?: number | undefined;
  /** When the channel (or listing) asks for a risk-based buffer: the units and what they came from. */
  riskBuffer?: (RiskInputs & { units: number }) | { units: 0; missing: "latency" } | undefined;
  /** When the channel sells from some locations only: their names and the SKU's on hand there. */
  sellsFrom?: { locations: string[]; onHand: number } | undefined;
}

/** A flash-sale window's override for one SKU: split allocation whatever the level, each listing at most `capPct` % of available. */
export interface FlashPolicy {
  capPct: number;
}

/** One SKU's levels as the policy sees them. */
export interface PolicyLevel {
  onHand: number;
  reserved: number;
  /** Per-SKU low-stock threshold; null uses the global one. */
  lowThreshold: number | null;
}

/** The publishable quantity for one listing, with the rules that produced it (what `/why` prints). */
export interface Publication {
  channelId: string;
  quantity: number;
  isListed: boolean;
  trail: string[];
}

/**
 * Computes what every listing of one SKU may publish: available, then global / channel / listing
 * buffers, share %, caps, then the low-stock rule. In `split` mode the sum over listings never exceeds
 * what is available after the global buffer, so simultaneous sales on every channel cannot oversell.
 *
 * @example
 * publishable({ onHand: 10, reserved: 2, lowThreshold: null }, [{ channelId: "shop1", … }], settings)
 * // → [{ channelId: "shop1", quantity: 8, isListed: true, trail: ["available 8 = on hand 10 − reserved 2"] }]
 */
export function publishable(
  level: PolicyLevel,
  listings: readonly PolicyListing[],
  settings: PolicySettings,
  flash?: FlashPolicy,
): Publication[] {
  const available = level.onHand - level.reserved;
  const threshold = level.lowThreshold ?? settings.lowStockThreshold;
  const isLow = available <= threshold;
  const pool = Math.max(0, available - settings.bufferUnits);

  const pubs = listings.map((l): Publication & { weight: number } => {
    const trail = [`available ${available} = on hand ${level.onHand} − reserved ${level.reserved}`];
    let q = available;
    const step = (label: string, next: number): void => {
      const clamped = Math.max(0, next);
      if (clamped !== q) trail.push(`${label} → ${clamped}`);
      q = clamped;
    };
    sellsFromStep(l, step, q);
    if (settings.bufferUnits) step(`global buffer ${settings.bufferUnits}`, q - settings.bufferUnits);
    if (l.channelBuffer) step(`channel buffer ${l.channelBuffer}`, q - l.channelBuffer);
    if (l.listingBuffer) step(`listing buffer ${l.listingBuffer}`, q - l.listingBuffer);
    const risk = l.riskBuffer;
    if (risk && "missing" in risk) trail.push("risk buffer: no push latency measured on this channel yet → +0");
    else if (risk) {
      // Always a trail line, so /why shows the inputs even when they give 0.
      const label = `risk buffer ${risk.units} (sales ${risk.salesPerHour.toFixed(1)}/h on all channels × push p95 ${risk.latencyMs} ms, oversell chance ≤ ${(risk.risk * 100).toFixed(1)}%)`;
      const was = q;
      step(label, q - risk.units);
      if (q === was) trail.push(`${label} → ${q}`);
    }
    const share = l.listingSharePct ?? l.channelSharePct;
    if (share !== undefined && share !== null && share < 100) step(`share ${share}%`, Math.floor((q * share) / 100));
    if (l.channelCap !== undefined && q > l.channelCap) step(`channel cap ${l.channelCap}`, l.channelCap);
    if (l.listingCap !== null && q > l.listingCap) step(`listing cap ${l.listingCap}`, l.listingCap);
    if (flash && flash.capPct < 100) {
      const cap = Math.floor((Math.max(0, available) * flash.capPct) / 100);
      if (q > cap) step(`flash sale: cap ${flash.capPct}% of available`, cap);
    }
    let isListed = !l.isDelisted;
    if (l.isDelisted) {
      trail.push("delisted by an operator → 0");
      q = 0;
    } else if (isLow && settings.lowStockAction === "cap" && q > settings.lowStockCap) {
      step(`low stock (${available} ≤ ${threshold}): cap ${settings.lowStockCap}`, settings.lowStockCap);
    } else if (isLow && settings.lowStockAction === "delist") {
      trail.push(`low stock (${available} ≤ ${threshold}): delist everywhere → 0`);
      q = 0;
      isListed = false;
    }
    return { channelId: l.channelId, quantity: q, isListed, trail, weight: share ?? 100 };
  });

  if (flash) splitPool(pubs, pool, available, threshold, "flash sale");
  else if (isLow && settings.lowStockAction === "split") splitPool(pubs, pool, available, threshold);

  for (const p of pubs) {
    const l = listings.find((x) => x.channelId === p.channelId);
    if (l?.channelMax !== undefined && p.quantity > l.channelMax) {
      p.trail.push(`channel maximum ${l.channelMax} → ${l.channelMax}`);
      p.quantity = l.channelMax;
    }
  }
  return pubs.map(({ weight: _w, ...p }) => p);
}

/** The location step (its own function so other policy steps merge around it): at most the on hand where the channel sells from. */
function sellsFromStep(l: PolicyListing, step: (label: string, next: number) => void, q: number): void {
  if (l.sellsFrom && l.sellsFrom.onHand < q)
    step(`sells from ${l.sellsFrom.locations.join(" + ")}: ${l.sellsFrom.onHand} on hand`, l.sellsFrom.onHand);
}

/** Shares `pool` across listed listings by weight (largest remainder), each bounded by its own quantity. */
function splitPool(
  pubs: (Publication & { weight: number })[],
  pool: number,
  available: number,
  threshold: number,
  reason = `low stock (${available} ≤ ${threshold})`,
): void {
  const live = pubs.filter((p) => p.isListed && p.quantity > 0);
  const totalWeight = live.reduce((s, p) => s + p.weight, 0);
  if (!live.length || totalWeight === 0) return;
  const exact = live.map((p) => (pool * p.weight) / totalWeight);
  const alloc = exact.map(Math.floor);
  let left = pool - alloc.reduce((s, a) => s + a, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    alloc[i] = (alloc[i] ?? 0) + 1;
    left -= 1;
  }
  live.forEach((p, i) => {
    const q = Math.min(p.quantity, alloc[i] ?? 0);
    p.trail.push(`${reason}: split ${pool} across ${live.length} channels → ${q}`);
    p.quantity = q;
  });
}
