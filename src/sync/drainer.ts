import { createHash } from "node:crypto";
import type { CallBudget, UrgencyInputs } from "../budget/budget.js";
import type { PushOutcome, SalesChannel, StockPush } from "../channels/types.js";
import type { Clock } from "../clock.js";
import { AppError } from "../errors.js";
import { reasonOf } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { must } from "../internal-error.js";
import type { OutboxRow } from "../ledger/index.js";
import type { Logger } from "../log.js";
import type { SyncLedger } from "../stores.js";
import { isInternalError, UpstreamError } from "../upstream/errors.js";
import { type BulkGuardSettings, checkBulkChanges } from "./bulk-guard.js";
import { describeError } from "./errors.js";
import { noteCallFailure, noteCallSuccess } from "./health.js";

/**
 * When to retry a deferred outbox row. Calls are already retried inside the adapter (src/sync/retry.ts, under
 * the channel's rate limiter); this is the slower, persistent layer behind it that survives restarts.
 */
export interface DeferPolicy {
  baseMs: number;
  maxMs: number;
  /** Random source in [0, 1); a seam for deterministic tests. */
  random: () => number;
}

/**
 * Delay before attempt `attempt + 1`: base·2^attempt capped at max, with "equal jitter" (half fixed, half
 * random) so a burst of failures does not retry in lock-step; never shorter than the provider's Retry-After.
 */
export function retryDelayMs(policy: DeferPolicy, attempt: number, retryAfterSeconds?: number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = exp / 2 + (exp / 2) * policy.random();
  return Math.round(Math.max(jittered, (retryAfterSeconds ?? 0) * 1000));
}

/** What one drain pass did. */
export interface DrainReport {
  channelId: string;
  /** API calls made (pushStock batches plus setListed calls). */
  calls: number;
  /** Rows the channel confirmed and that left the outbox. */
  confirmed: number;
  /** Rows confirmed but superseded meanwhile by a newer target (they stay queued). */
  superseded: number;
  /** Rows that failed and were deferred. */
  deferred: number;
  /** Whether the pass stopped because the channel is paused. */
  isPaused: boolean;
  /** A compare-and-set failed: the channel holds something we have not seen; import its orders before the next pass. */
  hasDrift: boolean;
  problems: string[];
}

/** Options for {@link createDrainer}. */
export interface DrainerOptions {
  channel: SalesChannel;
  ledger: SyncLedger;
  clock: Clock;
  log: Logger;
  retry: DeferPolicy;
  /** Consecutive failed calls before a critical "channel failing" alert is raised. */
  failureAlertAfter: number;
  /** Upper bound on batches per pass, so a constantly changing ledger cannot starve other work. */
  maxBatchesPerPass?: number;
  /** The bulk-change breaker, checked before each pass (src/sync/bulk-guard.ts). */
  bulkGuard?: BulkGuardSettings;
  /** The channel's call budget (src/budget/): while it is tight, small changes wait; manual passes ignore it. */
  budget?: { gate: CallBudget; urgency: UrgencyInputs } | undefined;
}

/** Pushes one channel's due outbox rows in batches as large as the channel allows. */
export interface Drainer {
  readonly channelId: string;
  /** One pass over the due rows. `manual` pushes even while automated pushes are paused. */
  drain(opts: { signal: AbortSignal; manual?: boolean }): Promise<DrainReport>;
}

/** Creates the drainer of one channel. Every confirmed row is checked against the exact target it carried. */
export function createDrainer(opts: DrainerOptions): Drainer {
  const { channel, ledger, clock, retry } = opts;
  const log = opts.log.child({ channelId: channel.id });
  const maxBatches = opts.maxBatchesPerPass ?? 1000;

  const defer = (row: OutboxRow, err: unknown, minDelayMs = 0): void => {
    const retryAfter = err instanceof UpstreamError ? err.retryAfterSeconds : undefined;
    const delay = Math.max(minDelayMs, retryDelayMs(retry, row.attempts, retryAfter));
    ledger.outbox.deferPush(row, new Date(clock.now().getTime() + delay), describeError(err));
  };

  /** A failed call: the channel's fault counts against its health; our own bug is logged with its stack and alerted once instead. */
  const callFailed = (
    err: unknown,
    report: DrainReport,
    thrown?: { what: string; fields: Record<string, unknown> },
  ): void => {
    if (isInternalError(err)) {
      noteCallFailure(ledger, clock, channel.id, err, opts.failureAlertAfter, log);
      report.problems.push(
        `${channel.id}: internal error during ${thrown?.what ?? "a channel call"}; see the internal_error alert`,
      );
      return;
    }
    if (thrown) log.warn({ err, ...thrown.fields }, `${thrown.what} failed`);
    noteCallFailure(ledger, clock, channel.id, err, opts.failureAlertAfter);
    report.problems.push(`${channel.id}: ${describeError(err)}`);
    if (thrown?.what === "stock push" && !(err instanceof UpstreamError && err.retryable))
      report.problems.push(`${channel.id}: not retryable (${describeError(err)}); check the channel config`);
  };

  const callSucceeded = (): void => noteCallSuccess(ledger, channel.id);

  /** Postpones the small changes a tight call budget holds back (no failed attempt is counted); returns the rest. */
  const holdForBudget = (due: OutboxRow[], budget: NonNullable<DrainerOptions["budget"]>): OutboxRow[] => {
    const { go, wait } = budget.gate.plan(due, budget.urgency);
    if (wait.length)
      ledger.transaction(() => {
        for (const w of wait) ledger.outbox.postponePush(w.row, w.until);
        budget.gate.noteWaits(wait);
      });
    budget.gate.clearWaits(go);
    if (wait.length) log.debug({ waiting: wait.length, going: go.length }, "call budget tight: small changes wait");
    return go;
  };

  /** Applies the listed/unlisted state where it differs from what the channel last confirmed. */
  const applyListing = async (row: OutboxRow, signal: AbortSignal, report: DrainReport): Promise<boolean> => {
    if ((row.confirmedListed ?? true) === row.isListed) return true;
    report.calls += 1;
    try {
      await channel.setListed({ sku: row.sku, ref: row.ref }, row.isListed, {
        idempotencyKey: `list:${channel.id}:${row.sku}:${row.version}`,
        signal,
      });
      callSucceeded();
      return true;
    } catch (err) {
      if (signal.aborted) throw err;
      callFailed(err, report, { what: "listing state change", fields: { sku: row.sku } });
      defer(row, err);
      report.deferred += 1;
      return false;
    }
  };

  /** Records one item's outcome; true when the row at this version has left the outbox (confirmed or superseded). */
  const settle = (row: OutboxRow, outcome: PushOutcome | undefined, report: DrainReport): boolean => {
    if (!outcome) {
      defer(row, new AppError("no_outcome", "The channel returned no result for this item."));
      report.deferred += 1;
      return false;
    }
    if (outcome.ok) {
      if (outcome.quantity !== row.targetQty) {
        // The channel accepted the call but shows another number: not the exact target, so the row stays.
        ledger.channelState.noteChannelQuantity(channel.id, row.sku, outcome.quantity, row.isListed);
        defer(
          row,
          new AppError("quantity_mismatch", `The channel confirmed ${outcome.quantity}, not ${row.targetQty}.`),
        );
        report.deferred += 1;
        report.problems.push(`${channel.id} ${row.sku}: confirmed ${outcome.quantity}, wanted ${row.targetQty}`);
        return false;
      }
      if (ledger.channelState.confirmAndLog(row, outcome.quantity, row.isListed)) report.confirmed += 1;
      else report.superseded += 1;
      ledger.alerts.resolveAlert("push_rejected", `${channel.id}:${row.sku}`);
      return true;
    }
    report.deferred += 1;
    if (outcome.conflict) {
      // Compare-and-set failed: the channel sold or changed something we have not imported yet. Remember what it
      // holds so the retry compares against reality, and pull its orders before pushing again.
      if (outcome.conflict.actual !== undefined)
        ledger.channelState.noteChannelQuantity(channel.id, row.sku, outcome.conflict.actual, row.isListed);
      defer(row, outcome.error);
      report.hasDrift = true;
      return false;
    }
    if (outcome.retryable) {
      defer(row, outcome.error);
      return false;
    }
    defer(row, outcome.error, retry.maxMs);
    report.problems.push(`${channel.id} ${row.sku}: ${outcome.error.userMessage}`);
    // The adapter already raised a specific alert with what to do (expired token, promotion-locked SKU).
    if (outcome.error.details.isOperatorAlerted === true) return false;
    ledger.alerts.raiseAlert({
      kind: "push_rejected",
      subject: `${channel.id}:${row.sku}`,
      severity: "warning",
      message: textRef("alert-push-rejected", {
        channel: channel.id,
        sku: row.sku,
        code: outcome.error.code,
        reason: reasonOf(outcome.error),
      }),
      buttons: [{ label: "Why", labelId: "button-why", action: `/why ${row.sku}` }],
    });
    return false;
  };

  return {
    channelId: channel.id,
    async drain({ signal, manual = false }): Promise<DrainReport> {
      const report: DrainReport = {
        channelId: channel.id,
        calls: 0,
        confirmed: 0,
        superseded: 0,
        deferred: 0,
        isPaused: false,
        hasDrift: false,
        problems: [],
      };
      if (!manual && ledger.channelState.channelHealth(channel.id).isPaused) {
        report.isPaused = true;
        return report;
      }
      // A batch that would zero or move a large part of the catalog at once is held before anything is pushed.
      if (opts.bulkGuard) checkBulkChanges(ledger, opts.bulkGuard, log);
      const batchSize = Math.max(1, channel.maxBatch);
      // A row deferred by a short backoff can fall due again within this pass; leave it to the next pass (the
      // engine's wake timer) instead of hammering a failing channel in a tight loop. Only rows still in the outbox
      // stay here: a pass under a steady stream of sales runs for as long as the stream does.
      const tried = new Set<string>();
      const key = (r: OutboxRow) => `${r.sku}@${r.version}`;
      for (let batchNo = 0; batchNo < maxBatches && !signal.aborted; batchNo++) {
        let due = ledger.outbox.dueOutbox(channel.id, batchSize).filter((r) => !tried.has(key(r)));
        if (!due.length) break;
        for (const r of due) tried.add(key(r));
        if (opts.budget && !manual) {
          due = holdForBudget(due, opts.budget);
          if (!due.length) continue;
        } else opts.budget?.gate.clearWaits(due);
        const rows: OutboxRow[] = [];
        const relisted = new Set<string>();
        for (const row of due) {
          const isChange = (row.confirmedListed ?? true) !== row.isListed;
          // Only a listing change is awaited: a plain stock row goes straight to the push (no turn per row).
          if (isChange && !(await applyListing(row, signal, report))) continue;
          rows.push(row);
          if (isChange) relisted.add(row.sku);
        }
        if (!rows.length) continue;
        // Changing the listing state may itself move the channel's quantity (Shopify delists by setting 0), so the
        // last confirmed quantity is no longer a valid compare-and-set expectation for those rows.
        const split = channel.pushLocations;
        const items: StockPush[] = rows.map((r) => ({
          sku: r.sku,
          ref: r.ref,
          quantity: r.targetQty,
          previous: relisted.has(r.sku) ? undefined : (r.confirmedQty ?? undefined),
          // A channel that shows each location gets the target split by the ledger's levels (issue 13).
          ...(split?.length ? { byLocation: ledger.locations.locationSplit(r.sku, r.targetQty, split) } : {}),
        }));
        // Same rows at the same versions with the same expectations → the same key, so a channel that honours
        // idempotency keys (Shopify @idempotent) returns the first result for a retried call instead of re-applying.
        const idempotencyKey = `push:${channel.id}:${createHash("sha256")
          .update(
            items
              .map(
                (i, n) =>
                  `${i.sku}@${must(rows[n], "one row per item").version}:${i.quantity}:${i.previous ?? ""}${(i.byLocation ?? []).map((b) => `:${b.location}=${b.quantity}`).join("")}`,
              )
              .join(","),
          )
          .digest("hex")
          .slice(0, 32)}`;
        report.calls += 1;
        let outcomes: PushOutcome[];
        try {
          outcomes = await channel.pushStock(items, { idempotencyKey, signal });
        } catch (err) {
          if (signal.aborted) break;
          callFailed(err, report, { what: "stock push", fields: { rows: rows.length } });
          for (const row of rows) defer(row, err);
          report.deferred += rows.length;
          break;
        }
        // Adapters report a failed call as the same upstream error on every item; health counts calls, not items.
        const upstream = outcomes.flatMap((o) =>
          !o.ok && !o.conflict && o.error instanceof UpstreamError ? [o.error] : [],
        );
        if (outcomes.length > 0 && upstream.length === outcomes.length) callFailed(upstream[0], report);
        else callSucceeded();
        const bySku = new Map(outcomes.map((o) => [o.sku as string, o]));
        for (const row of rows) if (settle(row, bySku.get(row.sku), report)) tried.delete(key(row));
        if (report.hasDrift) break;
      }
      if (report.calls) log.debug({ ...report }, "drain pass done");
      return report;
    },
  };
}
