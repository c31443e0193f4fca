import type { ChannelStock, SalesChannel } from "../channels/types.js";
import type { Clock } from "../clock.js";
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
    problems: [],
  };
  const exampleRefs: TextRef[] = [];
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
        const drifted = s.quantity !== pub.quantity || s.isListed !== pub.isListed;
        if (drifted || listing.confirmedQty !== s.quantity)
          ledger.channelState.noteChannelQuantity(channel.id, listing.sku, s.quantity, s.isListed);
        if (!drifted) continue;
        ledger.outbox.enqueueForSku(listing.sku, { channelId: channel.id });
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
