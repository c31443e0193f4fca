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
    const t: Trail = {
      q: available,
      steps: [textRef("why-step-available", { available, onHand: level.onHand, reserved: level.reserved })],
    };
    const from = l.sellsFrom;
    if (from && from.onHand < t.q)
      moveTo(t, from.onHand, (qty) =>
        textRef("why-step-sells-from", { locations: from.locations.join(" + "), onHand: from.onHand, qty }),
      );
    if (settings.bufferUnits) holdBack(t, "why-step-global-buffer", settings.bufferUnits);
    if (l.channelBuffer) holdBack(t, "why-step-channel-buffer", l.channelBuffer);
    if (l.listingBuffer) holdBack(t, "why-step-listing-buffer", l.listingBuffer);
    const risk = l.riskBuffer;
    if (risk && "missing" in risk) t.steps.push(textRef("why-step-risk-unmeasured"));
    else if (risk) {
      // Always a step, so /why shows the inputs even when they give 0.
      const was = t.q;
      const riskStep = (qty: number) =>
        textRef("why-step-risk", {
          units: risk.units,
          rate: risk.salesPerHour.toFixed(1),
          latencyMs: risk.latencyMs,
          risk: (risk.risk * 100).toFixed(1),
          qty,
        });
      moveTo(t, t.q - risk.units, riskStep);
      if (t.q === was) t.steps.push(riskStep(t.q));
    }
    const share = l.listingSharePct ?? l.channelSharePct;
    if (share !== undefined && share !== null && share < 100)
      moveTo(t, Math.floor((t.q * share) / 100), (qty) => textRef("why-step-share", { share, qty }));
    const channelCap = l.channelCap;
    if (channelCap !== undefined && t.q > channelCap)
      moveTo(t, channelCap, (qty) => textRef("why-step-channel-cap", { cap: channelCap, qty }));
    const listingCap = l.listingCap;
    if (listingCap !== null && t.q > listingCap)
      moveTo(t, listingCap, (qty) => textRef("why-step-listing-cap", { cap: listingCap, qty }));
    if (flash && flash.capPct < 100) {
      const flashCap = Math.floor((Math.max(0, available) * flash.capPct) / 100);
      if (t.q > flashCap) moveTo(t, flashCap, (qty) => textRef("why-step-flash-cap", { pct: flash.capPct, qty }));
    }
    let isListed = !l.isDelisted;
    if (l.isDelisted) {
      t.steps.push(textRef("why-step-delisted"));
      t.q = 0;
    } else if (isLow && settings.lowStockAction === "cap" && t.q > settings.lowStockCap) {
      const lowCap = settings.lowStockCap;
      moveTo(t, lowCap, (qty) => textRef("why-step-low-cap", { available, threshold, cap: lowCap, qty }));
    } else if (isLow && settings.lowStockAction === "delist") {
      t.steps.push(textRef("why-step-low-delist", { available, threshold }));
      t.q = 0;
      isListed = false;
    }
    return { channelId: l.channelId, quantity: t.q, isListed, steps: t.steps, weight: share ?? 100 };
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

/** One listing's quantity as the rules move it, and the steps `/why` prints. */
interface Trail {
  q: number;
  steps: TextRef[];
}

/**
 * Moves a trail's quantity to `next` (never below 0), recording `make(qty)` as a step when it changed anything.
 * A module function, not a closure per listing: the policy runs inside every stock change's transaction.
 */
function moveTo(t: Trail, next: number, make: (qty: number) => TextRef): void {
  const clamped = Math.max(0, next);
  if (clamped !== t.q) t.steps.push(make(clamped));
  t.q = clamped;
}

/** Holds back a buffer of `units` (global, channel or listing). */
function holdBack(
  t: Trail,
  id: "why-step-global-buffer" | "why-step-channel-buffer" | "why-step-listing-buffer",
  units: number,
): void {
  moveTo(t, t.q - units, (qty) => textRef(id, { units, qty }));
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
