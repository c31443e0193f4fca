import type { AppError } from "../errors.js";
import type { ChannelId, Money, OrderId, Sku } from "../ids.js";

/** One listing as the channel knows it: our SKU plus the channel's own id for the item. */
export interface ListingRef {
  sku: Sku;
  /** The channel's own id: Shopify inventory item gid, Woo product/variation id, Amazon SKU, eBay SKU/offer, Taobao num_iid[:sku_id] … */
  ref: string;
}

/** A quantity read back from a channel. */
export interface ChannelStock extends ListingRef {
  quantity: number;
  /** False when the item is delisted / unpublished on the channel. */
  isListed: boolean;
  /** Per stock location (our names), when the channel pushes per location; `quantity` is their sum (issue 13). */
  byLocation?: LocationQuantity[] | undefined;
}

/** A quantity at one of our stock locations (`home`, `3pl-sz`). */
export interface LocationQuantity {
  location: string;
  quantity: number;
}

/** What a marketplace holds of one SKU in its own warehouses (Amazon FBA): read back, never pushed (issue 13). */
export interface HeldStock extends ListingRef {
  /** Units that can ship (FBA fulfillable). */
  quantity: number;
  /** Every unit the marketplace counts, inbound and reserved included. */
  total: number;
}

/** A quantity we want the channel to show. */
export interface StockPush extends ListingRef {
  quantity: number;
  /** Last quantity the channel confirmed to us; adapters that support compare-and-set send it. */
  previous?: number | undefined;
  /** The split of `quantity` over the channel's {@link SalesChannel.pushLocations} (they sum to `quantity`). */
  byLocation?: LocationQuantity[] | undefined;
}

/** Per-item result of a push. A batch never throws for one bad item. */
export type PushOutcome =
  | { sku: Sku; ok: true; quantity: number }
  | {
      sku: Sku;
      ok: false;
      error: AppError;
      retryable: boolean;
      /** Compare-and-set failed: the channel held `actual`, not the `previous` we sent. */
      conflict?: { actual: number | undefined };
    };

/** A price we want the channel to show (issue 14). */
export interface PricePush extends ListingRef {
  price: Money;
}

/** A price read back from a channel. */
export interface ChannelPrice extends ListingRef {
  price: Money;
}

/** Per-item result of a price push: confirmed with the exact price the channel now holds, or an error. */
export type PriceOutcome =
  | { sku: Sku; ok: true; price: Money }
  | { sku: Sku; ok: false; error: AppError; retryable: boolean };

/** An item in the channel's catalog (for `/link auto`). */
export interface CatalogItem {
  sku: string | null;
  ref: string;
  title: string;
  quantity?: number;
  /** The channel does not track stock for this item (WooCommerce `manage_stock: false`): it has no quantity to take. */
  untracked?: boolean;
}

/** State of one order line on the channel, mapped to ours. */
export type OrderLineStatus = "pending" | "paid" | "shipped" | "cancelled";

/** One order line. (channel, orderId, lineId) is the idempotency key in the ledger. */
export interface ChannelOrderLine {
  lineId: string;
  sku: Sku | null;
  ref?: string;
  qty: number;
  status: OrderLineStatus;
  /** Line total in minor units, when the channel says. */
  price?: Money;
  shipment?: { carrier: string; trackingNo: string; shippedAt?: Date };
}

/** An order as fetched by polling or received by webhook. */
export interface ChannelOrder {
  orderId: OrderId;
  createdAt: Date;
  updatedAt: Date;
  total?: Money;
  destination?: { country?: string; region?: string; city?: string };
  lines: ChannelOrderLine[];
  /** The order lists every line it still has (WooCommerce): a line we recorded that is missing was removed. */
  hasAllLines?: boolean;
}

/** One page of orders changed since a cursor. */
export interface OrderPage {
  orders: ChannelOrder[];
  /** Cursor to store once these orders are in the ledger; pass it back next time. */
  nextCursor: string;
  hasMore: boolean;
}

/** A refund announced by a channel (e.g. Shopify refunds/create). */
export interface ChannelRefund {
  refundId: string;
  orderId: OrderId;
  amount: Money;
  reason?: string;
}

/** What a verified webhook delivery means for us. */
export type WebhookEvent =
  | { kind: "order"; deliveryId: string; order: ChannelOrder }
  | { kind: "refund"; deliveryId: string; refund: ChannelRefund }
  /** The order changed but the payload is not the order (Shopify `orders/edited`): read it again. */
  | { kind: "order_changed"; deliveryId: string; orderId: OrderId }
  /** A stock change the channel reports (the generic `webhook` kind): `count` sets, `restock`/`adjust` add. */
  | {
      kind: "stock";
      deliveryId: string;
      sku: Sku;
      location?: string | undefined;
      change: "restock" | "adjust" | "count";
      quantity: number;
    }
  | { kind: "ignored"; deliveryId: string; topic: string };

/** A raw inbound webhook; signatures are checked on the raw bytes. */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/** A refund to execute on the channel. */
export interface RefundRequest {
  orderId: OrderId;
  amount: Money;
  reason: string;
}

/** The channel's confirmation of a refund. */
export interface RefundReceipt {
  channelRefundId: string;
  amount: Money;
}

/**
 * A sales channel adapter: one file per marketplace, built by a factory such as
 * `createShopifyChannel({ id, config, http, log })`.
 *
 * @example
 * const outcomes = await shop.pushStock([{ sku, ref: "gid://shopify/InventoryItem/1", quantity: 4, previous: 6 }],
 *   { idempotencyKey: "push:shop1:42", signal });
 */
export interface SalesChannel {
  readonly id: ChannelId;
  readonly kind: string;
  /** Largest batch pushStock accepts in one API call (Shopify 250, Woo 100, eBay 25, …). */
  readonly maxBatch: number;
  /** Our stock locations this channel shows one by one (Shopify with a `locations` mapping); pushes then carry `byLocation`. */
  readonly pushLocations?: readonly string[];
  /**
   * False when nothing can be read back (a `webhook` channel without `readUrl`): reconcile skips the channel
   * instead of reporting every listing missing, and imports take no quantities from it. Absent means true.
   */
  readonly readsStock?: boolean;
  /** Lists every item on the channel (for mapping by SKU). */
  listCatalog(signal: AbortSignal): Promise<CatalogItem[]>;
  /** Reads the quantities the channel currently shows. */
  fetchStock(items: ListingRef[], signal: AbortSignal): Promise<ChannelStock[]>;
  /** Sets quantities; returns one outcome per item. */
  pushStock(items: StockPush[], opts: { idempotencyKey: string; signal: AbortSignal }): Promise<PushOutcome[]>;
  /** Delists (isListed=false) or relists an item. */
  setListed(item: ListingRef, isListed: boolean, opts: { idempotencyKey: string; signal: AbortSignal }): Promise<void>;
  /** The read-only location the marketplace's own stock is recorded in (`fba`), when the channel reports one. */
  readonly readOnlyLocation?: string;
  /** Reads what the marketplace holds in its own warehouses for these listings (Amazon FBA); reconcile records it. */
  fetchHeldStock?(items: ListingRef[], signal: AbortSignal): Promise<HeldStock[]>;
  /** Orders created or changed since `cursor` (null: the channel's default look-back). */
  fetchOrders(cursor: string | null, signal: AbortSignal): Promise<OrderPage>;
  /** Verifies a webhook on its raw body and parses it; throws ForbiddenError (bad signature) or InvalidInputError (malformed). */
  parseWebhook?(req: WebhookRequest): WebhookEvent;
  /** Largest batch pushPrices accepts in one API call (defaults to maxBatch). */
  readonly maxPriceBatch?: number;
  /** Sets prices; returns one outcome per item, a batch never throws for one bad item (issue 14). */
  pushPrices?(items: PricePush[], opts: { idempotencyKey: string; signal: AbortSignal }): Promise<PriceOutcome[]>;
  /** Reads the prices the channel currently shows (reconcile's drift check). */
  fetchPrices?(items: ListingRef[], signal: AbortSignal): Promise<ChannelPrice[]>;
  /**
   * Cancels an order on the channel (the promotion guard's Cancel), without a refund or a restock there: the
   * ledger releases the stock and a refund goes through /refund. Cancelling an already cancelled order succeeds.
   */
  cancelOrder?(orderId: string, opts: { idempotencyKey: string; note: string; signal: AbortSignal }): Promise<void>;
  /** Executes a refund where the channel has an API for it. */
  refund?(req: RefundRequest, opts: { idempotencyKey: string; signal: AbortSignal }): Promise<RefundReceipt>;
}
