import type { Db } from "./db.js";
import { systemClock, type Clock } from "../clock.js";
import type { PolicySettings } from "../policy/publish.js";
import { randomId, statementCache, write, type ChannelPolicy, type LedgerCtx } from "./context.js";
import * as stock from "./stock.js";
import * as reservations from "./reservations.js";
import * as listings from "./listings.js";
import * as outbox from "./outbox.js";
import * as alerts from "./alerts.js";
import * as audit from "./audit.js";
import * as jobs from "./jobs.js";
import * as confirmations from "./confirmations.js";
import * as ops from "./ops.js";
import * as sync from "./sync.js";
import * as shipments from "./shipments.js";
import * as checklist from "./checklist.js";
import * as wecom from "./wecom.js";
import { movementsFor } from "./movements.js";
import * as refunds from "../money/refunds.js";
import * as breaker from "../money/breaker.js";
import * as prices from "../money/prices.js";
import * as summaries from "../summary/sends.js";

export type { LedgerCtx } from "./context.js";
export * from "./rows.js";
export type * from "./sync.js";
export type { Shipment, StoredEvent, ShipmentInput, Destination, ApplyResult } from "./shipments.js";
export type { ChecklistTodo, TodoCompletion } from "./checklist.js";

/** Options for {@link createLedger}; every one is a seam tests may set. */
export interface LedgerOptions {
  clock?: Clock;
  settings: PolicySettings;
  channelPolicy?: (channelId: string) => ChannelPolicy | undefined;
  newId?: (prefix: string) => string;
}

type Bound<M> = { [K in keyof M]: M[K] extends (ctx: LedgerCtx, ...a: infer A) => infer R ? (...a: A) => R : never };

function bind<M extends Record<string, unknown>>(ctx: LedgerCtx, m: M): Bound<M> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === "function") out[k] = (...a: unknown[]) => (v as (...x: unknown[]) => unknown)(ctx, ...a);
  return out as Bound<M>;
}

/**
 * The stock ledger: the single source of truth. Every write is one synchronous IMMEDIATE transaction;
 * `onCommit` listeners (the sync drainer, the alert sender) hear about changes after they commit.
 *
 * @example
 * const ledger = createLedger(openDatabase(":memory:"), { settings });
 * ledger.stock.upsertSku({ sku, onHand: 20 }, { actor: "import", idempotencyKey: "import:A-1" });
 * ledger.reservations.reserveHold({ sku, qty: 2, ttlSeconds: 900, actor: "api", idempotencyKey: "cart-9" });
 */
export function createLedger(db: Db, opts: LedgerOptions) {
  const ctx: LedgerCtx = {
    db,
    clock: opts.clock ?? systemClock,
    settings: opts.settings,
    channelPolicy: opts.channelPolicy ?? (() => undefined),
    newId: opts.newId ?? ((p) => randomId(p)),
    afterCommit: new Set(),
    pending: { skus: new Set(), outbox: false },
    stmt: statementCache(db),
  };
  return {
    ctx,
    db,
    stock: bind(ctx, stock),
    reservations: bind(ctx, reservations),
    listings: bind(ctx, listings),
    outbox: bind(ctx, outbox),
    alerts: bind(ctx, alerts),
    audit: bind(ctx, audit),
    jobs: bind(ctx, jobs),
    confirmations: bind(ctx, confirmations),
    ops: bind(ctx, ops),
    sync: bind(ctx, sync),
    shipments: bind(ctx, shipments),
    checklist: bind(ctx, checklist),
    wecom: bind(ctx, wecom),
    refunds: bind(ctx, refunds),
    breaker: bind(ctx, breaker),
    prices: bind(ctx, prices),
    summaries: bind(ctx, summaries),
    movements: (sku: string, limit: number) => movementsFor(ctx, sku, limit),
    /** Runs several ledger calls as one transaction. */
    transaction: <T>(fn: () => T): T => write(ctx, fn),
    /** Subscribes to committed changes; returns the unsubscribe function. */
    onCommit(fn: (what: { skus: string[]; outbox: boolean }) => void): () => void {
      ctx.afterCommit.add(fn);
      return () => ctx.afterCommit.delete(fn);
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

/** The ledger facade every module receives through Deps. */
export type Ledger = ReturnType<typeof createLedger>;
