import * as callBudgets from "./budget/store.js";
import * as checklist from "./channels/checklist-store.js";
import * as shopifyLevels from "./channels/shopify-levels-store.js";
import * as unknownChats from "./chat/unknown-chats-store.js";
import * as wecom from "./chat/wecom/store.js";
import * as dashboard from "./dashboard/store.js";
import * as flash from "./flash/store.js";
import * as languages from "./i18n/store.js";
import { bindStore, type LedgerCtx } from "./ledger/context.js";
import type { Ledger } from "./ledger/index.js";
import * as breaker from "./money/breaker-store.js";
import * as holds from "./money/hold-store.js";
import * as priceLimits from "./money/price-limits-store.js";
import * as priceOutbox from "./money/price-outbox-store.js";
import * as priceRequests from "./money/price-request-store.js";
import * as prices from "./money/price-store.js";
import * as refunds from "./money/refund-store.js";
import * as ops from "./ops/store.js";
import * as radarLanes from "./radar/lane-store.js";
import * as shipments from "./radar/store.js";
import * as summaries from "./summary/store.js";
import * as bulkHolds from "./sync/bulk-guard-store.js";
import * as channelState from "./sync/channel-state.js";
import * as orders from "./sync/order-store.js";

/**
 * Builds every feature store from the one shared connection (`createConnection`), so all of them use its
 * statement cache and join each other's (and the ledger core's) transactions. Each store owns its tables.
 */
export function createStores(conn: LedgerCtx) {
  return {
    /** Channel health, pauses, push log, channel quantities, order cursors, webhook deliveries (`src/sync/channel-state.ts`). */
    channelState: bindStore(conn, channelState),
    /** Calls per channel per day and the changes a tight call budget holds back (`src/budget/store.ts`). */
    callBudgets: bindStore(conn, callBudgets),
    /** Bulk stock changes held for an approver (`src/sync/bulk-guard-store.ts`). */
    bulkHolds: bindStore(conn, bulkHolds),
    /** Channel orders, their lines and the shipments they reported (`src/sync/order-store.ts`). */
    orders: bindStore(conn, orders),
    /** Radar parcels, tracking events, courier call counters (`src/radar/store.ts`). */
    shipments: bindStore(conn, shipments),
    /** Delivered parcels' scans for the learned stall thresholds (`src/radar/lane-store.ts`). */
    radarLanes: bindStore(conn, radarLanes),
    /** Checklist-channel (Xianyu) to-dos (`src/channels/checklist-store.ts`). */
    checklist: bindStore(conn, checklist),
    /** Shopify's last known quantity per (listing, Shopify location), its compare values (`src/channels/shopify-levels-store.ts`). */
    shopifyLevels: bindStore(conn, shopifyLevels),
    /** WeCom inbound de-duplication, robot queue, template cards (`src/chat/wecom/store.ts`). */
    wecom: bindStore(conn, wecom),
    /** Refund requests and their state machine (`src/money/refund-store.ts`). */
    refunds: bindStore(conn, refunds),
    /** The refund breaker (`src/money/breaker-store.ts`). */
    breaker: bindStore(conn, breaker),
    /** Order lines the promotion guard held, until approved or cancelled (`src/money/hold-store.ts`). */
    holds: bindStore(conn, holds),
    /** Prices and their change log (`src/money/price-store.ts`). */
    prices: bindStore(conn, prices),
    /** The guard's per-SKU cost, margin and ceiling, and bulk price changes held for one approval (`src/money/price-limits-store.ts`). */
    priceLimits: bindStore(conn, priceLimits),
    /** Price targets per (channel, listing) until confirmed, and each channel's confirmed prices (`src/money/price-outbox-store.ts`). */
    priceOutbox: bindStore(conn, priceOutbox),
    /** Price changes above `money.priceApprovalAbove` % waiting for a second person (`src/money/price-request-store.ts`). */
    priceRequests: bindStore(conn, priceRequests),
    /** Daily summary sends and the summary's read queries (`src/summary/store.ts`). */
    summaries: bindStore(conn, summaries),
    /** Read-only figures for /metrics, backups and doctor (`src/ops/store.ts`). */
    ops: bindStore(conn, ops),
    /** Flash-sale windows (`src/flash/store.ts`). */
    flash: bindStore(conn, flash),
    /** Each person's /lang choice (`src/i18n/store.ts`). */
    languages: bindStore(conn, languages),
    /** Chats and people not in the config that wrote to the bot, the newest 20 (`src/chat/unknown-chats-store.ts`). */
    unknownChats: bindStore(conn, unknownChats),
    /** War-room page sign-in links, sessions and cookie secret (`src/dashboard/store.ts`). */
    dashboard: bindStore(conn, dashboard),
  };
}

/** Every feature store, as `Deps` carries them. */
export type Stores = ReturnType<typeof createStores>;

/** What the sync engine and its parts work on: the ledger core plus the sync-owned stores and the radar's shipments. */
export type SyncLedger = Ledger & Pick<Stores, "bulkHolds" | "channelState" | "orders" | "shipments">;
