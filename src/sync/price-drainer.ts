import { createHash } from "node:crypto";
import type { PriceOutcome, PricePush, SalesChannel } from "../channels/types.js";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { reasonOf } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import type { Logger } from "../log.js";
import type { PriceTarget } from "../money/price-outbox-store.js";
import type { Stores, SyncLedger } from "../stores.js";
import { UpstreamError } from "../upstream/errors.js";
import { type DeferPolicy, retryDelayMs } from "./drainer.js";
import { describeError } from "./errors.js";
import { noteCallFailure, noteCallSuccess } from "./health.js";

/** What one price drain pass did. */
export interface PriceDrainReport {
  channelId: string;
  /** pushPrices calls made. */
  calls: number;
  /** Targets the channel confirmed at exactly the target price, removed from the price outbox. */
  confirmed: number;
  deferred: number;
  isPaused: boolean;
  problems: string[];
}

/** Options for {@link createPriceDrainer}: the stock drainer's, plus the price outbox. */
export interface PriceDrainerOptions {
  channel: SalesChannel;
  ledger: SyncLedger;
  priceOutbox: Stores["priceOutbox"];
  clock: Clock;
  log: Logger;
  retry: DeferPolicy;
  failureAlertAfter: number;
  maxBatchesPerPass?: number;
}

/** The price lane of one channel: pushes due price targets in batches as large as the channel allows. */
export interface PriceDrainer {
  readonly channelId: string;
  /** One pass over the due targets; `manual` pushes even while automated pushes are paused. */
  drain(opts: { signal: AbortSignal; manual?: boolean }): Promise<PriceDrainReport>;
}

/**
 * The second lane of the drainer machinery (issue 14): the same defer policy, channel health, pause switch and
 * (inside the adapter) rate limiter and retries as stock, over the price outbox. A target leaves the outbox only
 * when the channel confirmed that exact price at that version.
 */
export function createPriceDrainer(opts: PriceDrainerOptions): PriceDrainer {
  const { channel, ledger, clock, retry, priceOutbox } = opts;
  const log = opts.log.child({ channelId: channel.id, lane: "price" });
  const maxBatches = opts.maxBatchesPerPass ?? 1000;
  const defer = (t: PriceTarget, err: unknown, minDelayMs = 0): void => {
    const retryAfter = err instanceof UpstreamError ? err.retryAfterSeconds : undefined;
    const delay = Math.max(minDelayMs, retryDelayMs(retry, t.attempts, retryAfter));
    priceOutbox.deferPriceTarget(t, new Date(clock.now().getTime() + delay), describeError(err));
  };
  /** Records one item's outcome; true when the target at this version has left the outbox (confirmed). */
  const settle = (t: PriceTarget, o: PriceOutcome | undefined, report: PriceDrainReport): boolean => {
    if (!o) {
      defer(t, new AppError("no_outcome", "The channel returned no result for this item."));
      report.deferred += 1;
      return false;
    }
    if (o.ok) {
      if (priceOutbox.confirmPriceTarget(t, o.price)) {
        report.confirmed += 1;
        return true;
      }
      defer(t, new AppError("price_mismatch", "The channel confirmed another price."));
      report.deferred += 1;
      return false;
    }
    report.deferred += 1;
    if (o.retryable) defer(t, o.error);
    else {
      defer(t, o.error, retry.maxMs);
      report.problems.push(`${channel.id} ${t.sku}: ${o.error.userMessage}`);
      ledger.alerts.raiseAlert({
        kind: "price_push_rejected",
        subject: `${channel.id}:${t.sku}`,
        severity: "warning",
        message: textRef("price-push-refused", {
          channel: channel.id,
          sku: t.sku,
          code: o.error.code,
          reason: reasonOf(o.error),
        }),
      });
    }
    return false;
  };

  return {
    channelId: channel.id,
    async drain({ signal, manual = false }): Promise<PriceDrainReport> {
      const report: PriceDrainReport = {
        channelId: channel.id,
        calls: 0,
        confirmed: 0,
        deferred: 0,
        isPaused: false,
        problems: [],
      };
      if (!channel.pushPrices) return report;
      if (!manual && ledger.channelState.channelHealth(channel.id).isPaused) {
        report.isPaused = true;
        return report;
      }
      const batchSize = Math.max(1, channel.maxPriceBatch ?? channel.maxBatch);
      // Targets tried in this pass and still due (as in the stock drainer: confirmed ones leave the set).
      const tried = new Set<string>();
      const key = (t: PriceTarget) => `${t.sku}@${t.version}`;
      for (let n = 0; n < maxBatches && !signal.aborted; n++) {
        const due = priceOutbox.duePriceTargets(channel.id, batchSize).filter((t) => !tried.has(key(t)));
        if (!due.length) break;
        for (const t of due) tried.add(key(t));
        const items: PricePush[] = due.map((t) => ({ sku: t.sku as PricePush["sku"], ref: t.ref, price: t.price }));
        const idempotencyKey = `price:${channel.id}:${createHash("sha256")
          .update(due.map((t) => `${t.sku}@${t.version}:${t.price.amountMinor}${t.price.currency}`).join(","))
          .digest("hex")
          .slice(0, 32)}`;
        report.calls += 1;
        let outcomes: PriceOutcome[];
        try {
          outcomes = await channel.pushPrices(items, { idempotencyKey, signal });
        } catch (err) {
          if (signal.aborted) break;
          noteCallFailure(ledger, clock, channel.id, err, opts.failureAlertAfter);
          report.problems.push(`${channel.id}: ${describeError(err)}`);
          for (const t of due) defer(t, err);
          report.deferred += due.length;
          break;
        }
        const upstream = outcomes.filter((o) => !o.ok && o.error instanceof UpstreamError);
        const firstFailure = upstream[0];
        if (upstream.length === outcomes.length && firstFailure && !firstFailure.ok)
          noteCallFailure(ledger, clock, channel.id, firstFailure.error, opts.failureAlertAfter);
        else noteCallSuccess(ledger, channel.id);
        const bySku = new Map(outcomes.map((o) => [o.sku as string, o]));
        for (const t of due) if (settle(t, bySku.get(t.sku), report)) tried.delete(key(t));
      }
      if (report.calls) log.debug({ ...report }, "price drain pass done");
      return report;
    },
  };
}
