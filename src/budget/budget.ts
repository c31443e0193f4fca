import type { Clock } from "../clock.js";
import { textRef } from "../i18n/ref.js";
import type { AlertInput } from "../ledger/alerts.js";
import type { OutboxRow } from "../ledger/rows.js";
import type { Stores } from "../stores.js";
import { addDays, localDay, startOfDay } from "../summary/day.js";

/** A channel's call budget (config `channels[].callBudget`, issue 18 item 7). */
export interface CallBudgetSettings {
  /** Calls the channel may make per local day (every wire call counts: pushes, reads, order imports, token calls). */
  daily: number;
  /** A change smaller than this (units, against what the channel last confirmed) may wait while the budget is tight. */
  minChange: number;
  /** The longest a small change waits while the budget is tight. */
  maxWaitMinutes: number;
  /** The budget is tight once less than this share (%) of the day's calls is left. */
  tightBelowPct: number;
}

/** Where a budget stands now. */
export interface BudgetState {
  channelId: string;
  /** The local day the count is for (YYYY-MM-DD in the seller's time zone). */
  day: string;
  used: number;
  daily: number;
  /** Less than `tightBelowPct` % left, or the day's rate so far would spend the rest before the day ends. */
  isTight: boolean;
  /** Nothing left: only urgent changes go until the next local day. */
  isOut: boolean;
  /** When the next local day starts (the count starts again). */
  resetsAt: Date;
}

/** What `/sync status` shows for a budget. */
export interface BudgetStatus extends BudgetState {
  /** Changes waiting for the budget (still in the outbox). */
  deferred: number;
  /** Since when the oldest of them waits (its first unconfirmed change), or null. */
  oldestSince: string | null;
  minChange: number;
  maxWaitMinutes: number;
}

/** What the budget needs to know about a change besides the outbox row. */
export interface UrgencyInputs {
  /** The SKU is in a flash-sale window (src/flash/): its changes always go at once. */
  isFlash: (sku: string) => boolean;
  /** The SKU's low-stock line (its own threshold, else `stock.lowStockThreshold`). */
  lowLineOf: (sku: string) => number;
}

/** A stock change the budget holds back, and until when. */
export interface BudgetWait {
  row: OutboxRow;
  until: Date;
}

/** Why a change goes at once whatever the budget says; undefined for a change that may wait. */
export function urgencyOf(row: OutboxRow, settings: CallBudgetSettings, inputs: UrgencyInputs): string | undefined {
  if ((row.confirmedListed ?? true) !== row.isListed) return "listing";
  if (row.confirmedQty === null) return "first";
  if (row.targetQty === 0) return "zero";
  if (row.confirmedQty === 0) return "restock";
  if (inputs.isFlash(row.sku)) return "flash";
  if (row.targetQty <= inputs.lowLineOf(row.sku) + settings.minChange) return "low";
  return undefined;
}

/** The projection never reads a rate over less than an hour of the day (one call at 00:01 is not 1,440 a day). */
const MIN_RATE_WINDOW_MS = 3_600_000;

/**
 * One channel's call budget: counts every wire call (the upstream layer calls `meter`), and splits a drain batch into
 * the changes that go now and the small ones that wait. The count lives in the ledger (`call_budget_days`), so it
 * survives restarts; the day is the seller's local day (`timezone`).
 *
 * @example
 * const budget = createCallBudget({ channelId: "pdd", settings, store: stores.callBudgets, clock, timeZone: "Asia/Shanghai", alerts });
 * const { go, wait } = budget.plan(dueRows, { isFlash, lowLineOf });
 */
export function createCallBudget(opts: {
  channelId: string;
  settings: CallBudgetSettings;
  store: Stores["callBudgets"];
  clock: Clock;
  timeZone: string;
  alerts?: { raiseAlert(a: AlertInput): unknown } | undefined;
}) {
  const { channelId, settings, store, clock, timeZone } = opts;

  const stateAt = (now: Date, used?: number): BudgetState => {
    const day = localDay(now, timeZone);
    const n = used ?? store.callsOn(channelId, day);
    const start = startOfDay(day, timeZone).getTime();
    const resetsAt = startOfDay(addDays(day, 1), timeZone);
    const left = settings.daily - n;
    const elapsed = Math.max(MIN_RATE_WINDOW_MS, now.getTime() - start);
    const projected = n + (n / elapsed) * Math.max(0, resetsAt.getTime() - now.getTime());
    return {
      channelId,
      day,
      used: n,
      daily: settings.daily,
      isOut: left <= 0,
      isTight: left <= 0 || (left * 100) / settings.daily < settings.tightBelowPct || projected > settings.daily,
      resetsAt,
    };
  };

  const alertOut = (s: BudgetState): void => {
    if (!s.isOut || !opts.alerts || !store.claimOutAlert(channelId, s.day, clock.now())) return;
    opts.alerts.raiseAlert({
      kind: "call_budget_out",
      subject: `${channelId}:${s.day}`,
      severity: "warning",
      message: textRef("alert-call-budget-out", {
        channel: channelId,
        used: s.used,
        daily: s.daily,
      }),
      buttons: [{ label: "Sync status", labelId: "button-sync-status", action: "/sync status" }],
    });
  };

  return {
    channelId,
    settings,

    /** Counts one call on the wire (every attempt, retries included: the provider charges each one). */
    meter(): void {
      const now = clock.now();
      const used = store.countCall(channelId, localDay(now, timeZone));
      if (used >= settings.daily) alertOut(stateAt(now, used));
    },

    /** Where the budget stands now. */
    state(): BudgetState {
      return stateAt(clock.now());
    },

    /**
     * Splits due outbox rows: urgent changes (to zero or near the low-stock line, a delist or relist, a flash-sale SKU,
     * a first push, a restock from zero) always go; while the budget is tight a change smaller than `minChange` waits
     * up to `maxWaitMinutes` from its first unconfirmed change (newer targets coalesce into the same row); out of
     * budget, every change that is not urgent waits for the next local day.
     */
    plan(rows: readonly OutboxRow[], inputs: UrgencyInputs): { go: OutboxRow[]; wait: BudgetWait[] } {
      const now = clock.now();
      const s = stateAt(now);
      if (!s.isTight) return { go: [...rows], wait: [] };
      alertOut(s);
      const go: OutboxRow[] = [];
      const wait: BudgetWait[] = [];
      for (const row of rows) {
        if (urgencyOf(row, settings, inputs)) {
          go.push(row);
          continue;
        }
        if (s.isOut) {
          wait.push({ row, until: s.resetsAt });
          continue;
        }
        const change = Math.abs(row.targetQty - (row.confirmedQty ?? 0));
        const until = new Date(Date.parse(row.firstEnqueuedAt) + settings.maxWaitMinutes * 60_000);
        if (change >= settings.minChange || until.getTime() <= now.getTime()) go.push(row);
        else wait.push({ row, until });
      }
      return { go, wait };
    },

    /** Records the changes {@link plan} held back (for `/sync status`); the caller postpones their outbox rows. */
    noteWaits(waits: readonly BudgetWait[]): void {
      for (const w of waits) store.noteWait(channelId, w.row.sku, w.row.firstEnqueuedAt, w.until);
    },

    /** Forgets the waits of rows that go out now. */
    clearWaits(rows: readonly OutboxRow[]): void {
      store.clearWaits(
        channelId,
        rows.map((r) => r.sku),
      );
    },

    /** The budget with the changes it holds back, for `/sync status`. */
    status(): BudgetStatus {
      const w = store.waitsOf(channelId);
      return {
        ...stateAt(clock.now()),
        deferred: w.count,
        oldestSince: w.oldestSince,
        minChange: settings.minChange,
        maxWaitMinutes: settings.maxWaitMinutes,
      };
    },
  };
}

/** One channel's call budget ({@link createCallBudget}). */
export type CallBudget = ReturnType<typeof createCallBudget>;
