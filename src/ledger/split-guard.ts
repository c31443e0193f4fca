import { textRef } from "../i18n/ref.js";
import type { PolicyLevel, PolicySettings, Publication } from "../policy/publish.js";
import type { LedgerCtx } from "./context.js";
import type { Listing } from "./rows.js";

/**
 * Whether a SKU is under the `split` low-stock rule right now (what {@link guardSplitRaises} protects).
 */
export function isSplitLow(settings: PolicySettings, level: PolicyLevel): boolean {
  const available = level.onHand - level.reserved;
  return settings.lowStockAction === "split" && available <= (level.lowThreshold ?? settings.lowStockThreshold);
}

/**
 * Makes `split` safe while pushes are late. The policy's split keeps the *targets* within what is available,
 * but a channel applies our pushes seconds later and sells meanwhile: raising one channel while another's
 * decrease is still on its way can publish more than exists. So, while a SKU is split-low:
 *
 * - a channel may always go down to (or stay at) what it last confirmed;
 * - a channel goes up only when no other channel has a push of this SKU pending (so every other channel shows at
 *   most what it last confirmed, less its known sales), and all raises together only by the slack:
 *   available − Σ confirmed.
 *
 * "Confirmed" is what the channel last acknowledged (a push, or a count read back after a failed
 * compare-and-set), less sales imported since. Unknown sales lower a channel's real count and the real available
 * alike, so this slack is never optimistic. Raises held back are granted when the pending pushes confirm
 * (`confirmPush` and `noteChannelQuantity` recompute the SKU). Mutates `items`, adding a trail step where it held
 * a raise back. Reads only; runs inside the caller's transaction.
 */
export function guardSplitRaises(
  ctx: LedgerCtx,
  sku: string,
  level: PolicyLevel,
  items: readonly { listing: Listing; publication: Publication }[],
): void {
  if (!isSplitLow(ctx.settings, level)) return;
  const pendingChannels = new Set(
    ctx
      .stmt<[string], { channel_id: string }>("SELECT channel_id FROM outbox WHERE sku = ?")
      .all(sku)
      .map((r) => r.channel_id),
  );
  const confirmedOf = (l: Listing): number => (l.confirmedListed === false ? 0 : (l.confirmedQty ?? 0));
  const available = level.onHand - level.reserved;
  let slack = available - items.reduce((s, i) => s + confirmedOf(i.listing), 0);
  for (const { listing, publication } of items) {
    const base = confirmedOf(listing);
    if (!publication.isListed || publication.quantity <= base) continue;
    const isOtherPending = [...pendingChannels].some((c) => c !== listing.channelId);
    const granted = isOtherPending ? base : base + Math.max(0, Math.min(slack, publication.quantity - base));
    slack -= granted - base;
    if (granted < publication.quantity) {
      publication.steps.push(
        isOtherPending
          ? textRef("why-step-split-guard-pending", { qty: granted })
          : textRef("why-step-split-guard-slack", { qty: granted, available }),
      );
      publication.quantity = granted;
    }
  }
}
