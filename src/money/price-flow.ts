import type { Deps } from "../deps.js";
import { textRef } from "../i18n/ref.js";
import type { Money, Sku } from "../ids.js";
import { createPriceDrainer, type PriceDrainReport } from "../sync/price-drainer.js";
import type { MoneyActor } from "./breaker-store.js";
import { changePrice, guardPrice } from "./price-guard.js";
import type { PriceTarget } from "./price-outbox-store.js";
import type { PriceRequest } from "./price-request-store.js";

/** The channels a price of `sku` goes to: the named one, or every channel with a price API where the SKU is listed. */
export function priceChannels(deps: Deps, sku: string, channelId: string): string[] {
  const listed = new Set(
    deps.ledger.outbox
      .listingsForSku(sku)
      .filter((l) => !l.isDelisted)
      .map((l) => l.channelId),
  );
  return [...deps.channels.values()]
    .filter((c) => c.pushPrices && listed.has(c.id) && (!channelId || c.id === channelId))
    .map((c) => c.id);
}

/**
 * Runs the price lane of each channel once, now: through the sync engine's price lane (behind the channel's mutex,
 * so it never overlaps the automated pass a commit started) where the engine has one, else a one-off drainer.
 */
export async function drainPrices(deps: Deps, channelIds: Iterable<string>): Promise<PriceDrainReport[]> {
  const signal = new AbortController().signal;
  const ids = [...new Set(channelIds)];
  const laned = new Set(deps.sync.priceChannelIds());
  const out: PriceDrainReport[] = await deps.sync.drainPrices({
    channelIds: ids.filter((id) => laned.has(id)),
    signal,
  });
  for (const id of ids.filter((c) => !laned.has(c))) {
    const channel = deps.channels.get(id);
    if (!channel?.pushPrices) continue;
    const drainer = createPriceDrainer({
      channel,
      ledger: {
        ...deps.ledger,
        bulkHolds: deps.bulkHolds,
        channelState: deps.channelState,
        orders: deps.orders,
        shipments: deps.shipments,
      },
      priceOutbox: deps.priceOutbox,
      clock: deps.clock,
      log: deps.log,
      retry: { baseMs: deps.config.sync.retryBaseMs, maxMs: deps.config.sync.retryMaxMs, random: Math.random },
      failureAlertAfter: 5,
    });
    out.push(await drainer.drain({ signal }));
  }
  return out;
}

/**
 * The one way a price reaches the channels: the guard (changePrice) records it, a target per listed channel goes
 * into the price outbox in the same breath, and the price lane pushes it at once; what a channel does not confirm
 * stays queued for the next pass.
 */
export async function applyPrice(
  deps: Deps,
  input: { sku: string; channelId: string; price: Money; idempotencyKey: string },
  by: MoneyActor,
): Promise<{
  old: Money | undefined;
  isDuplicate: boolean;
  targets: PriceTarget[];
  reports: PriceDrainReport[];
  request?: PriceRequest;
}> {
  const channelIds = priceChannels(deps, input.sku, input.channelId);
  const asked = deps.priceRequests.priceRequestByKey(input.idempotencyKey);
  if (asked) return { old: asked.old, isDuplicate: true, targets: [], reports: [], request: asked };
  const current = deps.prices.currentPrice(input.sku, input.channelId)?.price;
  const pct = movePct(current, input.price);
  const verdict = guardPrice(deps, input.sku, input.channelId, current, input.price);
  if (verdict.isAllowed && needsPriceApproval(deps, pct)) {
    const { request, isDuplicate } = deps.priceRequests.openPriceRequest(
      { ...input, old: current, movePct: pct, requestKey: input.idempotencyKey },
      by,
    );
    return { old: current, isDuplicate, targets: [], reports: [], request };
  }
  const { change, old, isDuplicate } = changePrice(deps, input, by);
  if (isDuplicate) return { old, isDuplicate, targets: [], reports: [] };
  const targets = deps.priceOutbox.queuePriceTargets({
    sku: input.sku,
    channelIds,
    price: input.price,
    changeId: change.id,
  });
  const reports = await drainPrices(deps, channelIds);
  return { old, isDuplicate, targets, reports };
}

/** The percentage `next` moves from `current` (0 without a comparable current price). */
export function movePct(current: Money | undefined, next: Money): number {
  if (!current || current.amountMinor <= 0 || current.currency !== next.currency) return 0;
  return (Math.abs(next.amountMinor - current.amountMinor) / current.amountMinor) * 100;
}

/** True when a move of `pct` % needs a second person under `money.priceApprovalAbove`. */
export const needsPriceApproval = (deps: Pick<Deps, "config">, pct: number): boolean => {
  const limit = deps.config.money.priceApprovalAbove;
  return limit !== undefined && pct > limit;
};

/** A channel showing another price than the one it last confirmed to us. */
export interface PriceDrift {
  channelId: string;
  sku: string;
  expected: Money;
  actual: Money;
}

/**
 * Reconcile's price half: reads every confirmed price back and raises a `price_drift` alert where the channel now
 * shows something else (changed by hand on the channel). It never overwrites: the seller decides with /price. The
 * alert resolves itself once the channel shows our price again (put back by hand, or a later confirmed push).
 */
export async function checkPriceDrift(deps: Deps, signal: AbortSignal): Promise<PriceDrift[]> {
  const out: PriceDrift[] = [];
  for (const channel of deps.channels.values()) {
    if (!channel.fetchPrices) continue;
    const known = deps.priceOutbox.confirmedPricesOn(channel.id);
    if (!known.length) continue;
    const back = new Map(
      (
        await channel.fetchPrices(
          known.map((k) => ({ sku: k.sku as Sku, ref: k.ref })),
          signal,
        )
      ).map((p) => [p.sku as string, p.price]),
    );
    const pending = new Set(deps.priceOutbox.pendingPriceChanges().map((t) => `${t.channelId}:${t.sku}`));
    for (const k of known) {
      const actual = back.get(k.sku);
      if (!actual || pending.has(`${channel.id}:${k.sku}`)) continue;
      if (actual.amountMinor === k.price.amountMinor && actual.currency === k.price.currency) {
        // Put back by hand on the channel: the drift is over.
        deps.ledger.alerts.resolveAlert("price_drift", `${channel.id}:${k.sku}`);
        continue;
      }
      out.push({ channelId: channel.id, sku: k.sku, expected: k.price, actual });
      deps.ledger.alerts.raiseAlert({
        kind: "price_drift",
        subject: `${channel.id}:${k.sku}`,
        severity: "warning",
        message: textRef("price-drift", {
          sku: k.sku,
          channel: channel.id,
          actual: { money: actual },
          expected: { money: k.price },
        }),
      });
    }
  }
  return out;
}
