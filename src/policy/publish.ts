import { type TextRef, textRef } from "../i18n/ref.js";
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

/**
 * The publishable quantity for one listing, with the rules that produced it (what `/why` and the dashboard
 * print): each step a catalog message with its numbers, rendered in the reader's language (`renderRef`).
 */
export interface Publication {
  channelId: string;
  quantity: number;
  isListed: boolean;
  steps: TextRef[];
}

/**
 * Computes what every listing of one SKU may publish: available, then global / channel / listing
 * buffers, share %, caps, then the low-stock rule. In `split` mode the sum over listings never exceeds
 * what is available after the global buffer, so simultaneous sales on every channel cannot oversell.
 *
 * @example
 * publishable({ onHand: 10, reserved: 2, lowThreshold: null }, [{ channelId: "shop1", … }], settings)
 * // → [{ channelId: "shop1", quantity: 8, isListed: true, steps: [{ msg: "why-step-available", args: { available: 8, … } }] }]
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
    const steps = [textRef("why-step-available", { available, onHand: level.onHand, reserved: level.reserved })];
    let q = available;
    /** Moves q to `next` (never below 0) and records the step when it changed anything. */
    const step = (make: (qty: number) => TextRef, next: number): void => {
      const clamped = Math.max(0, next);
      if (clamped !== q) steps.push(make(clamped));
      q = clamped;
    };
    sellsFromStep(l, step, q);
    const units = (id: "why-step-global-buffer" | "why-step-channel-buffer" | "why-step-listing-buffer", n: number) =>
      step((qty) => textRef(id, { units: n, qty }), q - n);
    if (settings.bufferUnits) units("why-step-global-buffer", settings.bufferUnits);
    if (l.channelBuffer) units("why-step-channel-buffer", l.channelBuffer);
    if (l.listingBuffer) units("why-step-listing-buffer", l.listingBuffer);
    const risk = l.riskBuffer;
    if (risk && "missing" in risk) steps.push(textRef("why-step-risk-unmeasured"));
    else if (risk) {
      // Always a step, so /why shows the inputs even when they give 0.
      const riskStep = (qty: number) =>
        textRef("why-step-risk", {
          units: risk.units,
          rate: risk.salesPerHour.toFixed(1),
          latencyMs: risk.latencyMs,
          risk: (risk.risk * 100).toFixed(1),
          qty,
        });
      const was = q;
      step(riskStep, q - risk.units);
      if (q === was) steps.push(riskStep(q));
    }
    const share = l.listingSharePct ?? l.channelSharePct;
    if (share !== undefined && share !== null && share < 100)
      step((qty) => textRef("why-step-share", { share, qty }), Math.floor((q * share) / 100));
    const cap = (id: "why-step-channel-cap" | "why-step-listing-cap", n: number) =>
      step((qty) => textRef(id, { cap: n, qty }), n);
    if (l.channelCap !== undefined && q > l.channelCap) cap("why-step-channel-cap", l.channelCap);
    if (l.listingCap !== null && q > l.listingCap) cap("why-step-listing-cap", l.listingCap);
    if (flash && flash.capPct < 100) {
      const flashCap = Math.floor((Math.max(0, available) * flash.capPct) / 100);
      if (q > flashCap) step((qty) => textRef("why-step-flash-cap", { pct: flash.capPct, qty }), flashCap);
    }
    let isListed = !l.isDelisted;
    if (l.isDelisted) {
      steps.push(textRef("why-step-delisted"));
      q = 0;
    } else if (isLow && settings.lowStockAction === "cap" && q > settings.lowStockCap) {
      const lowCap = settings.lowStockCap;
      step((qty) => textRef("why-step-low-cap", { available, threshold, cap: lowCap, qty }), lowCap);
    } else if (isLow && settings.lowStockAction === "delist") {
      steps.push(textRef("why-step-low-delist", { available, threshold }));
      q = 0;
      isListed = false;
    }
    return { channelId: l.channelId, quantity: q, isListed, steps, weight: share ?? 100 };
  });

  if (flash) splitPool(pubs, pool, (p) => textRef("why-step-flash-split", p));
  else if (isLow && settings.lowStockAction === "split")
    splitPool(pubs, pool, (p) => textRef("why-step-low-split", { available, threshold, ...p }));

  for (const p of pubs) {
    const l = listings.find((x) => x.channelId === p.channelId);
    if (l?.channelMax !== undefined && p.quantity > l.channelMax) {
      p.steps.push(textRef("why-step-channel-max", { max: l.channelMax, qty: l.channelMax }));
      p.quantity = l.channelMax;
    }
  }
  return pubs.map(({ weight: _w, ...p }) => p);
}

/** The location step (its own function so other policy steps merge around it): at most the on hand where the channel sells from. */
function sellsFromStep(
  l: PolicyListing,
  step: (make: (qty: number) => TextRef, next: number) => void,
  q: number,
): void {
  const from = l.sellsFrom;
  if (from && from.onHand < q)
    step(
      (qty) => textRef("why-step-sells-from", { locations: from.locations.join(" + "), onHand: from.onHand, qty }),
      from.onHand,
    );
}

/** Shares `pool` across listed listings by weight (largest remainder), each bounded by its own quantity. */
function splitPool(
  pubs: (Publication & { weight: number })[],
  pool: number,
  reason: (p: { pool: number; count: number; qty: number }) => TextRef,
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
    p.steps.push(reason({ pool, count: live.length, qty: q }));
    p.quantity = q;
  });
}
