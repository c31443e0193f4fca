import type { ChannelStock, SalesChannel } from "../channels/types.js";
import type { Clock } from "../clock.js";
import { isDiskFull } from "../errors.js";
import type { Locale } from "../i18n/locales.js";
import { renderRef, type TextRef, textRef } from "../i18n/ref.js";
import { sharedI18n } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import type { SyncLedger } from "../stores.js";
import { describeError } from "./errors.js";
import { noteCallFailure, noteCallSuccess } from "./health.js";

/** The drift examples joined in each language (stored with the alert: no times, so the zone does not matter). */
function examplesByLocale(refs: readonly TextRef[]): { en: string; "zh-CN": string } {
  const by = (locale: Locale) => {
    const tr = sharedI18n("UTC").translator(locale);
    return refs.map((r) => renderRef(tr, r)).join(locale === "en" ? "; " : "；");
  };
  return { en: by("en"), "zh-CN": by("zh-CN") };
}

/** What reading one channel back found. */
export interface ReconcileReport {
  channelId: string;
  /** Listings read back and compared. */
  checked: number;
  /** Listings whose channel quantity differed from the ledger's target; a push was queued for each. */
  repaired: number;
  /** Listings skipped because a push was already pending for them. */
  skipped: number;
  /** A few "SKU: channel showed X, ledger wants Y" lines for the alert. */
  examples: string[];
  /** Listings whose total matched or not but whose split over locations differed (channels that show each location). */
  locationDrift: { sku: string; location: string; channel: number; ledger: number }[];
  /** Rows of the channel's read-only location (Amazon FBA) that changed in this read. */
  heldChanged: number;
  problems: string[];
}

/**
 * Reads a channel's quantities back and queues a push for every listing that drifted from the ledger's
 * target (someone edited it on the channel, or a push was lost). Listings with a pending push are skipped:
 * that push repairs them anyway. Import the channel's orders first, or a sale the ledger has not seen yet
 * would be "repaired" back up. Raises a warning alert with the count when anything was repaired.
 */
export async function reconcileChannel(
  ledger: SyncLedger,
  log: Logger,
  channel: SalesChannel,
  opts: { signal: AbortSignal; clock: Clock; failureAlertAfter: number },
): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    channelId: channel.id,
    checked: 0,
    repaired: 0,
    skipped: 0,
    examples: [],
    locationDrift: [],
    heldChanged: 0,
    problems: [],
  };
  const exampleRefs: TextRef[] = [];
  if (channel.readsStock === false) {
    // Nothing to read back (a webhook without readUrl): skipped as a whole, not one "not found" per listing.
    report.skipped = ledger.listings.channelListings(channel.id).length;
    log.debug({ channelId: channel.id }, "reconcile skipped: channel cannot be read back");
    return report;
  }
  const pending = new Set<string>(ledger.outbox.allOutbox(channel.id).map((r) => r.sku));
  const listings = ledger.listings.channelListings(channel.id).filter((l) => {
    if (pending.has(l.sku)) report.skipped += 1;
    return !pending.has(l.sku);
  });
  const size = Math.max(1, channel.maxBatch);
  for (let i = 0; i < listings.length && !opts.signal.aborted; i += size) {
    const chunk = listings.slice(i, i + size);
    let stock: ChannelStock[];
    try {
      stock = await channel.fetchStock(
        chunk.map((l) => ({ sku: l.sku, ref: l.ref })),
        opts.signal,
      );
    } catch (err) {
      if (opts.signal.aborted) break;
      log.warn({ err, channelId: channel.id }, "reconcile read failed");
      noteCallFailure(ledger, opts.clock, channel.id, err, opts.failureAlertAfter, log);
      report.problems.push(`${channel.id}: could not read quantities back (${describeError(err)})`);
      break;
    }
    noteCallSuccess(ledger, channel.id);
    const seen = new Set<string>();
    ledger.transaction(() => {
      // A push queued since the read (a webhook order, say) supersedes what we read.
      const queuedSince = new Set<string>(ledger.outbox.allOutbox(channel.id).map((r) => r.sku));
      for (const s of stock) {
        const listing = chunk.find((l) => l.sku === s.sku || l.ref === s.ref);
        if (!listing || seen.has(listing.sku)) continue;
        seen.add(listing.sku);
        report.checked += 1;
        if (queuedSince.has(listing.sku)) continue;
        const pub = ledger.outbox
          .publicationsFor(listing.sku)
          .find((p) => p.listing.channelId === channel.id)?.publication;
        if (!pub) continue;
        // A channel that shows each location (Shopify per location) must hold the ledger's split, not only its sum.
        const split =
          s.byLocation && channel.pushLocations?.length && pub.isListed
            ? ledger.locations.locationSplit(listing.sku, pub.quantity, channel.pushLocations)
            : [];
        const offAt = split.flatMap((e) => {
          const shown = s.byLocation?.find((b) => b.location === e.location)?.quantity ?? 0;
          return shown === e.quantity
            ? []
            : [{ sku: listing.sku, location: e.location, channel: shown, ledger: e.quantity }];
        });
        const drifted = s.quantity !== pub.quantity || s.isListed !== pub.isListed || offAt.length > 0;
        if (drifted || listing.confirmedQty !== s.quantity)
          ledger.channelState.noteChannelQuantity(channel.id, listing.sku, s.quantity, s.isListed);
        if (!drifted) continue;
        // Same total, other split: the pending-target check would see nothing to do, so the push is forced.
        ledger.outbox.enqueueForSku(listing.sku, { channelId: channel.id, ...(offAt.length ? { force: true } : {}) });
        report.locationDrift.push(...offAt);
        report.repaired += 1;
        if (report.examples.length < 5) {
          report.examples.push(
            `${listing.sku}: ${channel.id} showed ${s.isListed ? s.quantity : "delisted"}, ledger wants ${pub.isListed ? pub.quantity : "delisted"}`,
          );
          const qty = (isListed: boolean, n: number) => (isListed ? n : { ref: textRef("drift-delisted") });
          exampleRefs.push(
            textRef("drift-example", {
              sku: listing.sku,
              channel: channel.id,
              shown: qty(s.isListed, s.quantity),
              wanted: qty(pub.isListed, pub.quantity),
            }),
          );
        }
      }
    });
    for (const l of chunk) {
      if (!seen.has(l.sku))
        report.problems.push(`${channel.id}: ${l.sku} (item ${l.ref}) was not found on the channel`);
    }
  }
  if (channel.fetchHeldStock && channel.readOnlyLocation && !opts.signal.aborted) {
    // What the marketplace holds itself (FBA) goes to its read-only location: shown, never pushed nor sold elsewhere.
    const all = ledger.listings.channelListings(channel.id);
    try {
      const held = await channel.fetchHeldStock(
        all.map((l) => ({ sku: l.sku, ref: l.ref })),
        opts.signal,
      );
      noteCallSuccess(ledger, channel.id);
      report.heldChanged = ledger.locations.recordReadOnlyLevels(
        channel.id,
        channel.readOnlyLocation,
        held.map((h) => ({ sku: h.sku, quantity: h.quantity, total: h.total })),
        all.map((l) => l.sku),
      );
    } catch (err) {
      if (isDiskFull(err)) throw err;
      if (!opts.signal.aborted) {
        log.warn({ err, channelId: channel.id }, "reconcile read of held stock failed");
        report.problems.push(`${channel.id}: could not read ${channel.readOnlyLocation} (${describeError(err)})`);
      }
    }
  }
  if (report.locationDrift.length > 0) {
    ledger.alerts.raiseAlert({
      kind: "location_drift",
      subject: channel.id,
      severity: "warning",
      message: textRef("alert-location-drift", {
        count: new Set(report.locationDrift.map((d) => d.sku)).size,
        channel: channel.id,
        examples: report.locationDrift
          .slice(0, 5)
          .map((d) => `${d.sku} @${d.location} ${d.channel} → ${d.ledger}`)
          .join("; "),
      }),
      buttons: [{ label: "Status", labelId: "button-status", action: "/sync status" }],
    });
  }
  if (report.repaired > 0) {
    ledger.alerts.raiseAlert({
      kind: "drift_repaired",
      subject: channel.id,
      severity: "warning",
      message: textRef("alert-drift-repaired", {
        count: report.repaired,
        channel: channel.id,
        examples: { byLocale: examplesByLocale(exampleRefs) },
      }),
      buttons: [{ label: "Status", labelId: "button-status", action: "/sync status" }],
    });
  }
  return report;
}
