import type { BudgetStatus, CallBudget } from "../budget/budget.js";
import type { ChannelRefund, SalesChannel, WebhookRequest } from "../channels/types.js";
import { type Clock, systemTimers, type Timers } from "../clock.js";
import { InvalidInputError, isDiskFull, NotFoundError } from "../errors.js";
import type { Sku } from "../ids.js";
import type { Logger } from "../log.js";
import type { Stores, SyncLedger } from "../stores.js";
import type { BulkGuardSettings } from "./bulk-guard.js";
import { createDrainer, type Drainer, type DrainReport } from "./drainer.js";
import { type ChannelStatus, channelStatuses } from "./health.js";
import {
  type ImportReport,
  type IntakeReport,
  importChannelOrders,
  ingestOrder,
  type OrderLineGuard,
} from "./order-intake.js";
import { createPriceDrainer, type PriceDrainer, type PriceDrainReport } from "./price-drainer.js";
import { type ReconcileReport, reconcileChannel } from "./reconcile.js";

/** Engine-wide settings (config `sync`). */
export interface SyncSettings {
  /**
   * Extra wait before a pass on an idle lane. 0 (the default) pushes the first change at once; changes that arrive
   * while a push is in flight or the limiter waits are batched into the next pass either way.
   */
  debounceMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxBatchesPerPass: number;
}

/** Per-channel settings the engine reads from config (`channels[]`). */
export interface ChannelSyncSettings {
  failureAlertAfter: number;
  unhealthyAfterMinutes: number;
}

/** Inputs of {@link createSyncEngine}; every one is a seam. */
export interface SyncEngineOptions {
  ledger: SyncLedger;
  clock: Clock;
  /** Debounce and wake timers; tests pass manual ones (test/support/clock.ts) on the same manual clock. */
  timers?: Timers;
  log: Logger;
  channels: readonly SalesChannel[];
  settings: SyncSettings;
  channelSettings?: (channelId: string) => ChannelSyncSettings;
  /** Hands refunds announced by a channel to the money-safety module. */
  /**
   * Called inside the webhook's transaction: it must record the refund synchronously (throwing rolls the delivery
   * back, so the channel redelivers); anything slow (chat notices) goes in the promise it may return.
   */
  onRefund?: (channelId: string, refund: ChannelRefund) => unknown;
  /** Sees every newly reserved order line inside its transaction (the money module's promotion guard). */
  orderGuard?: OrderLineGuard;
  random?: () => number;
  /** True when a commit touched a SKU whose changes skip `sync.debounceMs` (a flash-sale SKU, src/flash/). */
  isUrgent?: (skus: readonly string[]) => boolean;
  /**
   * The price lane (issue 14): with it, every channel with a price API gets a second drainer over the price outbox,
   * behind the same per-channel mutex, nudged when a price target commits and woken when a deferred one falls due.
   */
  prices?: { outbox: Stores["priceOutbox"] };
  /** The bulk-change breaker checked before every drain pass (config `stock.bulkGuard`); off when absent. */
  bulkGuard?: BulkGuardSettings;
  /**
   * Call budgets (config `channels[].callBudget`, src/budget/): each budgeted channel's gate, and the low-stock line a
   * change must stay far above to wait. Flash-sale SKUs (`isUrgent`) never wait.
   */
  callBudgets?: { of: (channelId: string) => CallBudget | undefined; lowLineOf: (sku: string) => number };
  /**
   * Called when a background pass (push, price push, order re-read) stops on a full ledger disk; app.ts passes
   * reportDiskFull (one critical alert). The lane retries after {@link DISK_FULL_RETRY_MS}, so it recovers
   * without a restart once space returns. Without it the pass is only logged.
   */
  onDiskFull?: (where: string) => void;
}

/** How long a lane waits before retrying a pass that stopped on a full disk (the HTTP 503's Retry-After too). */
export const DISK_FULL_RETRY_MS = 30_000;

/** What a verified webhook delivery did. */
export type WebhookResult =
  | { status: "processed"; deliveryId: string; intake: IntakeReport }
  | { status: "duplicate"; deliveryId: string }
  | { status: "ignored"; deliveryId: string; topic: string }
  | { status: "refund"; deliveryId: string }
  /** A stock event (the `webhook` channel kind) was applied to the ledger. */
  | { status: "stock"; deliveryId: string; onHand: number }
  /** The delivery said an order changed without carrying it: an order import of that channel was started. */
  | { status: "reread"; deliveryId: string; orderId: string };

/** Longest a webhook's own channel waits for the other channels' pushes before its own (see afterOthers). */
const YIELD_MAX_MS = 250;

const DEFAULT_CHANNEL: ChannelSyncSettings = { failureAlertAfter: 5, unhealthyAfterMinutes: 15 };

interface Lane {
  channel: SalesChannel;
  drainer: Drainer;
  tail: Promise<unknown>;
  /** Cancels the pending debounce timer, if any. */
  debounce: (() => void) | undefined;
  /** Cancels the pending wake timer, if any. */
  wake: (() => void) | undefined;
  isQueued: boolean;
  /** Waiting in {@link afterOthers} for the other lanes' passes. */
  isYielding: boolean;
  /** The price lane: its drainer (channels with a price API, when the engine has a price outbox), wake timer and queued flag. */
  prices: { drainer: PriceDrainer; wake: (() => void) | undefined; isQueued: boolean } | undefined;
}

/**
 * The sync engine: one drainer per channel behind a per-channel mutex, nudged by ledger commits (an idle lane
 * pushes at once; what arrives while a push is in flight becomes the next batch), woken again when deferred pushes fall due, plus order import, webhooks and
 * reconciliation. Nothing here awaits inside a ledger transaction.
 *
 * @example
 * const engine = createSyncEngine({ ledger, clock, log, channels, settings });
 * engine.start();                       // commits now push at once on an idle lane
 * await engine.syncStock({ full: true, signal });
 */
export function createSyncEngine(opts: SyncEngineOptions) {
  const { ledger, clock, log } = opts;
  const timers = opts.timers ?? systemTimers;
  /** idle() callers waiting for a debounce timer to fire. */
  let quietWaiters: (() => void)[] = [];
  const wakeIdleWaiters = (): void => {
    const ws = quietWaiters;
    quietWaiters = [];
    for (const w of ws) w();
  };
  const random = opts.random ?? Math.random;
  const settingsOf = (id: string): ChannelSyncSettings => opts.channelSettings?.(id) ?? DEFAULT_CHANNEL;
  const stopper = new AbortController();
  let isStarted = false;
  let unsubscribe: (() => void) | undefined;

  const budgetOf = (channelId: string) => {
    const gate = opts.callBudgets?.of(channelId);
    if (!gate || !opts.callBudgets) return undefined;
    const { lowLineOf } = opts.callBudgets;
    return { gate, urgency: { isFlash: (sku: string) => opts.isUrgent?.([sku]) ?? false, lowLineOf } };
  };

  const lanes = new Map<string, Lane>();
  for (const channel of opts.channels) {
    const drainer = createDrainer({
      channel,
      ledger,
      clock,
      log,
      retry: { baseMs: opts.settings.retryBaseMs, maxMs: opts.settings.retryMaxMs, random },
      failureAlertAfter: settingsOf(channel.id).failureAlertAfter,
      maxBatchesPerPass: opts.settings.maxBatchesPerPass,
      ...(opts.bulkGuard ? { bulkGuard: opts.bulkGuard } : {}),
      budget: budgetOf(channel.id),
    });
    const priceDrainer =
      opts.prices && channel.pushPrices
        ? createPriceDrainer({
            channel,
            ledger,
            priceOutbox: opts.prices.outbox,
            clock,
            log,
            retry: { baseMs: opts.settings.retryBaseMs, maxMs: opts.settings.retryMaxMs, random },
            failureAlertAfter: settingsOf(channel.id).failureAlertAfter,
            maxBatchesPerPass: opts.settings.maxBatchesPerPass,
          })
        : undefined;
    lanes.set(channel.id, {
      channel,
      drainer,
      tail: Promise.resolve(),
      debounce: undefined,
      wake: undefined,
      isQueued: false,
      isYielding: false,
      prices: priceDrainer ? { drainer: priceDrainer, wake: undefined, isQueued: false } : undefined,
    });
  }

  const lane = (channelId: string): Lane => {
    const l = lanes.get(channelId);
    if (!l) {
      throw new NotFoundError(
        "unknown_channel",
        `No channel ${channelId}. Configured: ${[...lanes.keys()].join(", ") || "none"}.`,
        { channelId },
      );
    }
    return l;
  };
  const selected = (channelId?: string): Lane[] => (channelId ? [lane(channelId)] : [...lanes.values()]);

  /** Runs `fn` after everything already queued on the lane: one drain or import per channel at a time. */
  const exclusive = <T>(l: Lane, fn: () => Promise<T>): Promise<T> => {
    const run = l.tail.then(fn);
    l.tail = run.catch(() => undefined);
    return run;
  };

  const importFor = async (l: Lane, signal: AbortSignal): Promise<ImportReport> => {
    return importChannelOrders(ledger, log, l.channel, {
      signal,
      clock,
      failureAlertAfter: settingsOf(l.channel.id).failureAlertAfter,
      ...(opts.orderGuard ? { guard: opts.orderGuard } : {}),
    });
  };

  const scheduleWake = (l: Lane): void => {
    if (!isStarted) return;
    l.wake?.();
    l.wake = undefined;
    const next = ledger.channelState.nextDeferredAt(l.channel.id);
    if (!next || ledger.channelState.channelHealth(l.channel.id).isPaused) return;
    // Re-check at least once a minute: the ledger clock and the timer clock may disagree.
    const delay = Math.min(60_000, Math.max(0, next.getTime() - clock.now().getTime()));
    l.wake = timers.after(delay, () => {
      l.wake = undefined;
      automatedPass(l);
    });
  };

  /**
   * The channel whose webhook is being applied. A marketplace takes its own sale off its own stock, so that lane's
   * push is the least urgent one: it starts once the other channels' passes are done (afterOthers).
   */
  let webhookFrom: string | undefined;
  const asWebhookFrom = <T>(channelId: string, fn: () => T): T => {
    webhookFrom = channelId;
    try {
      return fn();
    } finally {
      webhookFrom = undefined;
    }
  };

  /**
   * The end of a background pass that threw. A full disk is reported once (never as our bug) and the lane is woken
   * again after DISK_FULL_RETRY_MS, so what it had to push goes out once space returns; anything else is logged.
   */
  const passFailed =
    (l: Lane, what: string, retry: () => void) =>
    (err: unknown): void => {
      if (!isDiskFull(err)) {
        log.error({ err, channelId: l.channel.id }, `${what} failed`);
        return;
      }
      if (opts.onDiskFull) opts.onDiskFull(`${what} of ${l.channel.id}`);
      else log.error({ channelId: l.channel.id }, `${what} stopped: ledger disk full`);
      if (!isStarted || stopper.signal.aborted) return;
      const cancel = timers.after(DISK_FULL_RETRY_MS, () => {
        diskRetries.delete(cancel);
        retry();
      });
      diskRetries.add(cancel);
    };
  /** Pending retries of passes that stopped on a full disk (cancelled by stop()). */
  const diskRetries = new Set<() => void>();

  /**
   * Lets the other lanes' passes (queued by the same commit) finish first, for at most {@link YIELD_MAX_MS}: on one
   * event loop, this lane's push would otherwise share every turn with the pushes that close the other channels'
   * oversell windows. A lane that is itself yielding is not waited for (two webhooks cannot wait on each other).
   */
  const afterOthers = async (l: Lane): Promise<void> => {
    l.isYielding = true;
    const others = [...lanes.values()].filter((o) => o !== l && !o.isYielding).map((o) => o.tail);
    let cancel: (() => void) | undefined;
    try {
      await Promise.race([
        Promise.all(others),
        new Promise<void>((r) => {
          cancel = timers.after(YIELD_MAX_MS, r);
        }),
      ]);
    } finally {
      cancel?.();
      l.isYielding = false;
    }
  };

  const automatedPass = (l: Lane, yieldFirst = false): void => {
    if (l.isQueued || stopper.signal.aborted) return;
    l.isQueued = true;
    void exclusive(l, async () => {
      if (yieldFirst) await afterOthers(l);
      l.isQueued = false;
      for (let round = 0; round < 3 && !stopper.signal.aborted; round++) {
        const report = await l.drainer.drain({ signal: stopper.signal });
        if (!report.hasDrift) break;
        await importFor(l, stopper.signal);
      }
      scheduleWake(l);
    }).catch(passFailed(l, "automated push pass", () => automatedPass(l)));
  };

  // The price lane mirrors the stock lane: a pass after a commit, and a wake timer for the next deferred target.
  const schedulePriceWake = (l: Lane): void => {
    const p = l.prices;
    if (!p || !isStarted) return;
    p.wake?.();
    p.wake = undefined;
    const next = opts.prices?.outbox.nextPriceAttemptAt(l.channel.id);
    if (!next || ledger.channelState.channelHealth(l.channel.id).isPaused) return;
    const delay = Math.min(60_000, Math.max(0, next.getTime() - clock.now().getTime()));
    p.wake = timers.after(delay, () => {
      p.wake = undefined;
      automatedPricePass(l);
    });
  };

  const automatedPricePass = (l: Lane): void => {
    const p = l.prices;
    if (!p || p.isQueued || stopper.signal.aborted) return;
    p.isQueued = true;
    void exclusive(l, async () => {
      p.isQueued = false;
      await p.drainer.drain({ signal: stopper.signal });
      schedulePriceWake(l);
    }).catch(passFailed(l, "automated price pass", () => automatedPricePass(l)));
  };

  const drainPrices = (o: {
    channelIds?: readonly string[];
    signal: AbortSignal;
    manual?: boolean;
  }): Promise<PriceDrainReport[]> =>
    Promise.all(
      (o.channelIds ? o.channelIds.map(lane) : [...lanes.values()]).flatMap((l) => {
        const p = l.prices;
        if (!p) return [];
        return [
          exclusive(l, async () => {
            const r = await p.drainer.drain({ signal: o.signal, manual: o.manual ?? false });
            schedulePriceWake(l);
            return r;
          }),
        ];
      }),
    );

  const nudge = (channelId?: string, isUrgent = false): void => {
    if (stopper.signal.aborted) return;
    for (const l of selected(channelId)) {
      // Instant push: the pass starts after the current synchronous work (a burst committed in one go is one pass),
      // and a pass already queued behind a push in flight picks up everything that arrives meanwhile.
      if (opts.settings.debounceMs <= 0 || isUrgent) {
        automatedPass(l, l.channel.id === webhookFrom);
        continue;
      }
      if (l.debounce) continue;
      l.debounce = timers.after(opts.settings.debounceMs, () => {
        l.debounce = undefined;
        automatedPass(l);
        wakeIdleWaiters();
      });
    }
  };

  const drain = (o: { channelId?: string; signal: AbortSignal; manual?: boolean }): Promise<DrainReport[]> =>
    Promise.all(
      selected(o.channelId).map((l) =>
        exclusive(l, async () => {
          const r = await l.drainer.drain({ signal: o.signal, manual: o.manual ?? false });
          if (r.hasDrift) await importFor(l, o.signal);
          scheduleWake(l);
          return r;
        }),
      ),
    );

  return {
    /** Ids of the configured channels. */
    channelIds: (): string[] => [...lanes.keys()],
    /** The adapter of a channel; NotFoundError for an unknown id. */
    channel: (channelId: string): SalesChannel => lane(channelId).channel,

    /** Listens to ledger commits and keeps retrying deferred pushes until stop(). */
    start(): void {
      if (isStarted) return;
      isStarted = true;
      unsubscribe = ledger.onCommit((what) => {
        if (what.outbox) nudge(undefined, what.skus.length > 0 && (opts.isUrgent?.(what.skus) ?? false));
        if (what.prices) for (const l of lanes.values()) automatedPricePass(l);
      });
      nudge();
      for (const l of lanes.values()) automatedPricePass(l);
    },

    /** Stops timers and listeners, lets calls in flight finish for up to `graceMs`, aborts the rest, and waits for running passes to end. */
    async stop(o: { graceMs?: number } = {}): Promise<void> {
      isStarted = false;
      unsubscribe?.();
      for (const l of lanes.values()) {
        l.debounce?.();
        l.wake?.();
        l.debounce = l.wake = undefined;
        l.prices?.wake?.();
        if (l.prices) l.prices.wake = undefined;
      }
      for (const cancel of diskRetries) cancel();
      diskRetries.clear();
      wakeIdleWaiters();
      // Graceful stop: pushes already on the wire may finish for up to graceMs; then they are aborted and their
      // rows stay in the outbox (handed back), to be pushed again after the restart.
      const running = Promise.all([...lanes.values()].map((l) => l.tail));
      if (o.graceMs) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([running, new Promise((r) => (timer = setTimeout(r, o.graceMs)))]);
        clearTimeout(timer);
      }
      stopper.abort();
      await Promise.all([...lanes.values()].map((l) => l.tail));
    },

    /** Asks the drainers (one channel or all) to push: at once on an idle lane, else right after the pass in flight. */
    nudge,

    /** Drains now and reports; `manual` also pushes to paused channels. */
    drain,

    /** Channels with a price lane (a price API, and the engine built with the price outbox). */
    priceChannelIds: (): string[] => [...lanes.values()].filter((l) => l.prices).map((l) => l.channel.id),

    /** Runs the price lane of each named channel (all by default) now, after what the lane is doing; `manual` also pushes to paused channels. */
    drainPrices,

    /** Queues listings whose target differs from what the channel confirmed (every listing when `full`), then drains. */
    async syncStock(o: {
      channelId?: string;
      full?: boolean;
      manual?: boolean;
      signal: AbortSignal;
    }): Promise<{ enqueued: number; reports: DrainReport[] }> {
      if (o.channelId) lane(o.channelId);
      const enqueued = ledger.listings.enqueueAll({
        force: o.full ?? false,
        ...(o.channelId ? { channelId: o.channelId } : {}),
      });
      return {
        enqueued,
        reports: await drain({
          ...(o.channelId ? { channelId: o.channelId } : {}),
          signal: o.signal,
          manual: o.manual ?? false,
        }),
      };
    },

    /** Re-pushes one SKU to every channel it is listed on, whatever they confirmed before. */
    async resyncSku(sku: Sku, o: { signal: AbortSignal }): Promise<{ enqueued: number; reports: DrainReport[] }> {
      const listings = ledger.listings.skuListings(sku);
      if (!listings.length) {
        throw new InvalidInputError(
          "not_listed",
          `SKU ${sku} is not listed on any channel. Link it with /link ${sku} CHANNEL REF.`,
          { sku },
        );
      }
      const enqueued = ledger.transaction(() => ledger.outbox.enqueueForSku(sku, { force: true }));
      const channels = [...new Set(listings.map((l) => l.channelId as string))].filter((c) => lanes.has(c));
      const reports = (
        await Promise.all(channels.map((c) => drain({ channelId: c, signal: o.signal, manual: true })))
      ).flat();
      return { enqueued, reports };
    },

    /** Polls orders since each channel's cursor and records them. */
    importOrders(o: { channelId?: string; signal: AbortSignal }): Promise<ImportReport[]> {
      return Promise.all(selected(o.channelId).map((l) => exclusive(l, () => importFor(l, o.signal))));
    },

    /** Imports each channel's orders, then reads quantities back and repairs drift. */
    reconcile(o: {
      channelId?: string;
      signal: AbortSignal;
    }): Promise<(ReconcileReport & { imported: ImportReport })[]> {
      return Promise.all(
        selected(o.channelId).map((l) =>
          exclusive(l, async () => {
            const imported = await importFor(l, o.signal);
            const r = await reconcileChannel(ledger, log, l.channel, {
              signal: o.signal,
              clock,
              failureAlertAfter: settingsOf(l.channel.id).failureAlertAfter,
            });
            return { ...r, imported };
          }),
        ),
      );
    },

    /**
     * Verifies and applies one webhook delivery. The delivery id and the order it carries are recorded in one
     * transaction, so a redelivery (or the same order from the poll) changes nothing. Throws ForbiddenError for
     * a bad signature and InvalidInputError for a malformed body (the ledger is untouched either way).
     */
    async acceptWebhook(channelId: string, req: WebhookRequest): Promise<WebhookResult> {
      const { channel } = lane(channelId);
      if (!channel.parseWebhook)
        throw new NotFoundError("no_webhooks", `Channel ${channelId} does not take webhooks.`, { channelId });
      const event = channel.parseWebhook(req);
      // An unsigned ping (WooCommerce checks a new webhook with one) is answered without touching the ledger.
      if (event.kind === "ignored" && event.topic === "ping")
        return { status: "ignored", deliveryId: event.deliveryId, topic: "ping" };
      let refund: ChannelRefund | undefined;
      let isReread = false;
      const result = asWebhookFrom(channelId, () =>
        ledger.transaction((): WebhookResult => {
          if (!ledger.channelState.claimDelivery(channelId, event.deliveryId, event.kind))
            return { status: "duplicate", deliveryId: event.deliveryId };
          if (event.kind === "order")
            return {
              status: "processed",
              deliveryId: event.deliveryId,
              intake: ingestOrder(ledger, log, channelId, event.order, "webhook", opts.orderGuard),
            };
          if (event.kind === "stock") {
            const meta = {
              actor: `channel:${channelId}`,
              reason: event.change,
              idempotencyKey: event.deliveryId,
              location: event.location ?? null,
            };
            const r =
              event.change === "count"
                ? ledger.stock.setOnHand(event.sku, event.quantity, meta)
                : ledger.stock.adjustOnHand(event.sku, event.quantity, meta);
            return { status: "stock", deliveryId: event.deliveryId, onHand: r.level.onHand };
          }
          if (event.kind === "refund") {
            refund = event.refund;
            // Recorded with the delivery id in one transaction: a refund is never claimed but uncounted.
            if (opts.onRefund) opts.onRefund(channelId, event.refund);
            return { status: "refund", deliveryId: event.deliveryId };
          }
          if (event.kind === "order_changed") {
            isReread = true;
            return { status: "reread", deliveryId: event.deliveryId, orderId: event.orderId };
          }
          return { status: "ignored", deliveryId: event.deliveryId, topic: event.topic };
        }),
      );
      // The edited order is read back by the poll (its updated_at moved), after whatever the lane is doing now.
      if (isReread && !stopper.signal.aborted) {
        const l = lane(channelId);
        const reread = (): void =>
          void exclusive(l, () => importFor(l, stopper.signal)).catch(
            passFailed(l, "order import after a webhook", reread),
          );
        reread();
      }
      if (refund && !opts.onRefund)
        log.warn(
          { channelId, refundId: refund.refundId, orderId: refund.orderId },
          "channel refund received but no refund handler is wired",
        );
      return result;
    },

    /** Pauses automated pushes to one channel or all; returns the channels that changed. */
    pause(channelId: string | undefined, actor: string): string[] {
      return selected(channelId)
        .filter((l) => ledger.channelState.setPaused(l.channel.id, true, actor))
        .map((l) => l.channel.id);
    },

    /** Resumes automated pushes (and pushes what queued meanwhile); returns the channels that changed. */
    resume(channelId: string | undefined, actor: string): string[] {
      const changed = selected(channelId)
        .filter((l) => ledger.channelState.setPaused(l.channel.id, false, actor))
        .map((l) => l.channel.id);
      for (const c of changed)
        if (isStarted) {
          nudge(c);
          automatedPricePass(lane(c));
        }
      return changed;
    },

    /** Each budgeted channel's call budget: calls used today, whether it is tight, the changes it holds back. */
    budgets(): BudgetStatus[] {
      return [...lanes.keys()].flatMap((id) => {
        const gate = opts.callBudgets?.of(id);
        return gate ? [gate.status()] : [];
      });
    },

    /** Health, backlog and push latency of every channel. */
    status(): ChannelStatus[] {
      return channelStatuses(
        ledger,
        clock,
        [...lanes.values()].map((l) => ({
          id: l.channel.id,
          kind: l.channel.kind,
          unhealthyAfterMinutes: settingsOf(l.channel.id).unhealthyAfterMinutes,
        })),
      );
    },

    /**
     * Resolves once no debounced, queued or running pass remains (tests and the demo wait on this). It polls
     * nothing: it awaits the lanes' passes, and a pending debounce timer by being woken when that timer fires.
     */
    async idle(): Promise<void> {
      for (;;) {
        const all = [...lanes.values()];
        const tails = all.map((l) => l.tail);
        await Promise.all(tails);
        // A pass queued meanwhile replaced its lane's tail: wait for that one too.
        if (all.some((l, i) => l.isQueued || l.prices?.isQueued || l.tail !== tails[i])) continue;
        if (!all.some((l) => l.debounce)) return;
        await new Promise<void>((r) => quietWaiters.push(r));
      }
    },
  };
}

/** The sync engine every job, command and route uses. */
export type SyncEngine = ReturnType<typeof createSyncEngine>;
