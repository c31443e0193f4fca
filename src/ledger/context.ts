import { randomBytes } from "node:crypto";
import type { Statement } from "better-sqlite3";
import { type Clock, systemClock } from "../clock.js";
import type { FlashPolicy, PolicySettings } from "../policy/publish.js";
import type { Db } from "./db.js";
import type { LocationSettings } from "./locations.js";

/** Per-channel publishing settings from config that the policy combines with each listing's own. */
export interface ChannelPolicy {
  cap?: number | undefined;
  bufferUnits?: number | undefined;
  sharePct?: number | undefined;
  maxQuantity?: number | undefined;
  /** Hold back a risk-based buffer on this channel's listings (docs/sync.md, "Risk-based buffers"). */
  riskBuffer?: boolean | undefined;
  /** The locations the channel sells from (undefined: all). */
  locations?: string[] | undefined;
}

/** What every ledger module shares: the connection, the clock, the policy settings and id generation. */
export interface LedgerCtx {
  db: Db;
  clock: Clock;
  settings: PolicySettings & LocationSettings;
  channelPolicy(channelId: string): ChannelPolicy | undefined;
  /** A per-SKU override of the allocation (a flash-sale window, src/flash/); undefined: the normal policy. */
  skuPolicy(sku: string): FlashPolicy | undefined;
  newId(prefix: string): string;
  /** Called after every committed write transaction that changed stock, the outbox or the price outbox. */
  afterCommit: Set<(what: { skus: string[]; outbox: boolean; prices: boolean }) => void>;
  /** Filled during a transaction, flushed to afterCommit listeners after it commits. */
  pending: { skus: Set<string>; outbox: boolean; prices: boolean; alerts: boolean };
  /** Called when an alert was raised, refreshed, resolved, acked or snoozed (after its transaction, if any, commits). */
  afterAlertChange: Set<() => void>;
  /** A prepared statement for `sql`, compiled once per connection (preparing is most of a small write's cost). */
  stmt<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Statement<P, R>;
  /** Removes every configured secret from text about to be stored (errors, alerts, audit): the second line behind the adapters. */
  redact(text: string): string;
}

/** Builds a memoising `stmt` for a connection. */
export function statementCache(db: Db): LedgerCtx["stmt"] {
  const cache = new Map<string, Statement<unknown[], unknown>>();
  return <P extends unknown[] | object = unknown[], R = unknown>(sql: string): Statement<P, R> => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s as unknown as Statement<P, R>;
  };
}

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

let pool = Buffer.alloc(0);
let poolAt = 0;

/** A short, unambiguous random id such as "H-7K3QX9PA" (no 0/O/1/I); random bytes are drawn 4 KiB at a time. */
export function randomId(prefix: string, length = 8): string {
  if (poolAt + length > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  let s = "";
  for (let i = 0; i < length; i++) s += ALPHABET[(pool[poolAt++] ?? 0) % ALPHABET.length];
  return `${prefix}-${s}`;
}

/** ISO-8601 UTC timestamp of the clock's now. */
export const nowIso = (ctx: Pick<LedgerCtx, "clock">): string => ctx.clock.now().toISOString();

const runners = new WeakMap<Db, (fn: () => unknown) => unknown>();

/** One IMMEDIATE transaction wrapper per connection, built once instead of on every write (the hot path). */
function immediateRunner(db: Db): (fn: () => unknown) => unknown {
  let run = runners.get(db);
  if (!run) {
    run = db.transaction((fn: () => unknown) => fn()).immediate;
    runners.set(db, run);
  }
  return run;
}

/**
 * Runs `fn` as one IMMEDIATE transaction (takes the write lock up front, so concurrent processes queue
 * on busy_timeout instead of failing on lock upgrade), then notifies afterCommit listeners.
 */
export function write<T>(ctx: LedgerCtx, fn: () => T): T {
  if (ctx.db.inTransaction) return fn();
  let result: T;
  try {
    result = immediateRunner(ctx.db)(fn) as T;
  } catch (err) {
    ctx.pending.skus.clear();
    ctx.pending.outbox = false;
    ctx.pending.prices = false;
    ctx.pending.alerts = false;
    throw err;
  }
  if (ctx.pending.alerts) {
    ctx.pending.alerts = false;
    for (const l of ctx.afterAlertChange) l();
  }
  if (ctx.pending.skus.size || ctx.pending.outbox || ctx.pending.prices) {
    const what = { skus: [...ctx.pending.skus], outbox: ctx.pending.outbox, prices: ctx.pending.prices };
    ctx.pending.skus.clear();
    ctx.pending.outbox = false;
    ctx.pending.prices = false;
    for (const l of ctx.afterCommit) l(what);
  }
  return result;
}

/** Tells the alert listeners an alert changed: after the transaction commits, or now when none is open. */
export function noteAlertChange(ctx: LedgerCtx): void {
  if (ctx.db.inTransaction) ctx.pending.alerts = true;
  else for (const l of ctx.afterAlertChange) l();
}

/** Options for {@link createConnection}; every one is a seam tests may set. */
export interface ConnectionOptions {
  clock?: Clock;
  settings: PolicySettings & LocationSettings;
  channelPolicy?: (channelId: string) => ChannelPolicy | undefined;
  skuPolicy?: (sku: string) => FlashPolicy | undefined;
  newId?: (prefix: string) => string;
  /** Scrubs stored error and alert text (app.ts passes the config's secret redactor); default: unchanged. */
  redact?: (text: string) => string;
}

/**
 * The one shared connection context: the ledger core and every feature store are built from it, so they share
 * its statement cache, its IMMEDIATE `write` transaction, its clock, id generation and afterCommit queue.
 */
export function createConnection(db: Db, opts: ConnectionOptions): LedgerCtx {
  return {
    db,
    clock: opts.clock ?? systemClock,
    settings: opts.settings,
    channelPolicy: opts.channelPolicy ?? (() => undefined),
    skuPolicy: opts.skuPolicy ?? (() => undefined),
    newId: opts.newId ?? ((p) => randomId(p)),
    afterCommit: new Set(),
    pending: { skus: new Set(), outbox: false, prices: false, alerts: false },
    afterAlertChange: new Set(),
    stmt: statementCache(db),
    redact: opts.redact ?? ((text) => text),
  };
}

/** A store module's `(ctx, ...args)` functions with the connection bound: `(...args)`. */
export type Bound<M> = {
  [K in keyof M]: M[K] extends (ctx: LedgerCtx, ...a: infer A) => infer R ? (...a: A) => R : never;
};

/** Binds every function a store module exports to one connection (how the core and each feature store are built). */
export function bindStore<M extends Record<string, unknown>>(ctx: LedgerCtx, m: M): Bound<M> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m))
    if (typeof v === "function") out[k] = (...a: unknown[]) => (v as (...x: unknown[]) => unknown)(ctx, ...a);
  return out as Bound<M>;
}
