import * as alerts from "./alerts.js";
import * as audit from "./audit.js";
import * as bundles from "./bundles.js";
import * as confirmations from "./confirmations.js";
import { bindStore, type LedgerCtx, write } from "./context.js";
import * as jobs from "./jobs.js";
import * as listings from "./listings.js";
import * as locations from "./locations.js";
import { movementsFor } from "./movements.js";
import * as outbox from "./outbox.js";
import * as reservations from "./reservations.js";
import * as stock from "./stock.js";

export type { ConnectionOptions, LedgerCtx } from "./context.js";
export { createConnection } from "./context.js";
export * from "./rows.js";

/**
 * The stock ledger core: the single source of truth for SKUs, levels, reservations, movements, listings and the
 * outbox, plus the generic kernel tables every feature uses (alerts, audit, job runs / kv / buttons, confirmations).
 * Every write is one synchronous IMMEDIATE transaction; `onCommit` listeners (the sync drainer, the alert sender)
 * hear about changes after they commit. Feature stores (`src/<feature>/store.ts`) are built from the same
 * connection (`createConnection`) and share its transactions.
 *
 * @example
 * const conn = createConnection(openDatabase(":memory:"), { settings });
 * const ledger = createLedger(conn);
 * ledger.stock.upsertSku({ sku, onHand: 20 }, { actor: "import", idempotencyKey: "import:A-1" });
 * ledger.reservations.reserveHold({ sku, qty: 2, ttlSeconds: 900, actor: "api", idempotencyKey: "cart-9" });
 */
export function createLedger(conn: LedgerCtx) {
  const ctx = conn;
  return {
    stock: bindStore(ctx, stock),
    reservations: bindStore(ctx, reservations),
    listings: bindStore(ctx, listings),
    locations: bindStore(ctx, locations),
    outbox: bindStore(ctx, outbox),
    alerts: bindStore(ctx, alerts),
    audit: bindStore(ctx, audit),
    bundles: bindStore(ctx, bundles),
    jobs: bindStore(ctx, jobs),
    confirmations: bindStore(ctx, confirmations),
    movements: (sku: string, limit: number) => movementsFor(ctx, sku, limit),
    /** Runs several ledger and store calls as one transaction. */
    transaction: <T>(fn: () => T): T => write(ctx, fn),
    /** Inside a transaction: runs `fn` as a savepoint, so a failure rolls back `fn` alone (the caller catches it). */
    savepoint: <T>(fn: () => T): T => ctx.db.transaction(fn)(),
    /** The ledger clock's now (the time stamped on every row). */
    now: (): Date => ctx.clock.now(),
    /** Subscribes to committed changes; returns the unsubscribe function. */
    onCommit(fn: (what: { skus: string[]; outbox: boolean; prices: boolean }) => void): () => void {
      ctx.afterCommit.add(fn);
      return () => ctx.afterCommit.delete(fn);
    },
    /** Subscribes to alert changes (raised, refreshed, resolved, acked, snoozed); returns the unsubscribe function. */
    onAlertChange(fn: () => void): () => void {
      ctx.afterAlertChange.add(fn);
      return () => ctx.afterAlertChange.delete(fn);
    },
    close(): void {
      if (ctx.db.open) ctx.db.close();
    },
  };
}

/** The ledger core every module receives through Deps. */
export type Ledger = ReturnType<typeof createLedger>;
