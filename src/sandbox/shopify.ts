import { randomUUID } from "node:crypto";
import { SHOPIFY_DEFAULT_VERSION, type ShopifyApiVersion } from "../channels/shopify-graphql.js";
import { must } from "../internal-error.js";
import {
  createFaults,
  deliver,
  type FaultOptions,
  type Faults,
  type RecordedRequest,
  type SimResponse,
  signBase64,
  startSimServer,
} from "./common.js";

/** One inventory item stocked at the simulated location. */
export interface SimShopifyItem {
  id: string;
  sku: string;
  title: string;
  available: number;
  status: "ACTIVE" | "DRAFT" | "ARCHIVED";
  /** Variant and product behind the item, and the variant's price (a decimal string in the shop currency). */
  variantId: string;
  productId: string;
  price: string;
}

/** One order line in the simulator. */
export interface SimShopifyLine {
  id: number;
  sku: string;
  itemId: string | null;
  quantity: number;
  currentQuantity: number;
  fulfilled: number;
  price: string;
}

/** One order in the simulator. */
export interface SimShopifyOrder {
  id: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  financialStatus: "PENDING" | "AUTHORIZED" | "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";
  currency: string;
  lines: SimShopifyLine[];
  fulfillments: {
    id: number;
    createdAt: string;
    trackingNumber: string | null;
    company: string | null;
    lineIds: number[];
  }[];
  /** `gateway` may be null: OrderTransaction.gateway is nullable in the Admin schemas. */
  transactions: { id: number; kind: "SALE" | "REFUND"; status: "SUCCESS"; gateway: string | null; amount: string }[];
  refunds: { id: number; amount: string; note: string }[];
}

/** Simulator state tests may inspect and change. */
export interface SimShopifyState {
  items: Map<string, SimShopifyItem>;
  orders: SimShopifyOrder[];
  /** Every applied quantity change, in order (`locationId` set where it was not the main location). */
  changes: { itemId: string; from: number; to: number; key: string | null; locationId?: string }[];
  /** Levels at the further locations (`locations` option): location gid → item id → available. */
  levels: Map<string, Map<string, number>>;
  bucket: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number; at: number };
}

/** Options for {@link startShopifySim}. */
export interface ShopifySimOptions {
  accessToken?: string;
  apiVersion?: ShopifyApiVersion;
  locationId?: string;
  /** Further locations (gids) besides `locationId`; every seeded item is stocked at each with 0 (issue 13). */
  locations?: string[];
  shopDomain?: string;
  bucket?: { maximumAvailable?: number; restoreRate?: number };
  /** The shop currency (`shop { currencyCode }`); default EUR. */
  currency?: string;
  /** Clock for order timestamps. */
  now?: () => number;
  /** Clock the cost bucket refills by (default real time); a test on a manual clock passes the same clock here. */
  bucketNow?: () => number;
  /** The version echoed in X-Shopify-API-Version (defaults to apiVersion; differs after a fall-forward). */
  servedVersion?: string;
  /** Answer THROTTLED with HTTP 429 instead of 200 (both are seen in the wild). */
  isThrottle429?: boolean;
  faults?: FaultOptions;
}

/** A running Shopify simulator. */
export interface ShopifySim {
  url: string;
  shopDomain: string;
  accessToken: string;
  apiVersion: ShopifyApiVersion;
  locationId: string;
  state: SimShopifyState;
  requests: RecordedRequest[];
  faults: Faults;
  /** Requests whose resolved GraphQL operation is `op`. */
  calls(op: string): RecordedRequest[];
  /** Adds `count` items SKU-0001… with `available` units each; returns them. */
  seedItems(count: number, opts?: { prefix?: string; available?: number }): SimShopifyItem[];
  /** What a merchant does in the admin: sets a quantity behind our back. */
  setAvailable(itemId: string, qty: number): void;
  /** The item's available at a location (the main one or a further one); undefined where it is not stocked. */
  levelAt(itemId: string, locationId: string): number | undefined;
  /** Sets the item's available at a location behind our back (stocking it there when it was not). */
  setLevel(itemId: string, locationId: string, qty: number): void;
  /** Runs `fn` once, right after the next request whose operation is `op` was answered (a merchant editing meanwhile). */
  afterNext(op: string, fn: () => void): void;
  /** What a merchant does in the admin: changes a variant's price behind our back ("21.00"). */
  setPrice(itemId: string, price: string): void;
  /** A customer checkout: decrements available like Shopify does and returns the order. */
  createOrder(
    lines: { sku: string; qty: number; price?: string }[],
    opts?: { financialStatus?: SimShopifyOrder["financialStatus"]; currency?: string },
  ): SimShopifyOrder;
  cancelOrder(id: number): SimShopifyOrder;
  fulfillOrder(id: number, tracking: { number: string; company: string }): SimShopifyOrder;
  /**
   * A merchant's order edit (Order editing API, committed): sets existing lines' current quantities (units
   * removed stay in `quantity`, units added raise both) and adds new lines; moves stock like Shopify with
   * restock, touches `updated_at`, and returns the `orders/edited` webhook payload `{ order_edit: … }`.
   */
  editOrder(
    id: number,
    edit: { set?: { lineId: number; qty: number }[]; add?: { sku: string; qty: number; price?: string }[] },
  ): Record<string, unknown>;
  /** The REST-shaped JSON Shopify puts in an orders/* webhook body. */
  restOrder(id: number): Record<string, unknown>;
  /**
   * Signs and POSTs a webhook like Shopify does; returns the receiver's status and the ids used. A redelivery
   * (same `webhookId`) keeps its event id; `eventId` sends another delivery of the same merchant action.
   */
  sendWebhook(args: {
    url: string;
    topic: string;
    payload: unknown;
    secret: string;
    webhookId?: string;
    eventId?: string;
    /** X-Shopify-Shop-Domain to send (default: this shop's). */
    shopDomain?: string;
  }): Promise<{ status: number; webhookId: string; eventId: string }>;
  close(): Promise<void>;
}

const TOKEN_ERROR = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

/**
 * The variant fields a query asked for, and only those: `variant { … }` (deprecated in 2026-04) and/or
 * `variants(first: 1) { nodes { … } }` (2026-04 and later), so a test proves which one the adapter reads.
 */
function picked<V>(query: string, variant: V): { variant?: V; variants?: { nodes: V[] } } {
  return {
    ...(/\bvariant\s*\{/.test(query) ? { variant } : {}),
    ...(/\bvariants\s*[({]/.test(query) ? { variants: { nodes: [variant] } } : {}),
  };
}

/**
 * Starts a local Shopify Admin GraphQL simulator: the subset of the wire format the adapter uses
 * (inventorySetQuantities with compare-and-set and @idempotent, nodes/inventoryLevel reads, location
 * inventoryLevels, orders search, order transactions, refundCreate), the calculated-cost leaky bucket with
 * `extensions.cost`, THROTTLED errors, and injectable faults.
 *
 * @example
 * const sim = await startShopifySim({ faults: { failureRate: 0.3, seed: 7 } });
 * const [item] = sim.seedItems(1);
 */
/**
 * How many idempotency keys the simulator remembers. Shopify forgets a key after a while too; a retry comes back
 * within seconds, and a year replay (bench/year-replay.ts) sends hundreds of thousands of distinct keys.
 */
const IDEMPOTENCY_KEYS = 500;

export async function startShopifySim(opts: ShopifySimOptions = {}): Promise<ShopifySim> {
  const accessToken = opts.accessToken ?? "shpat_sandbox_token";
  const apiVersion = opts.apiVersion ?? SHOPIFY_DEFAULT_VERSION;
  const locationId = opts.locationId ?? "gid://shopify/Location/1";
  const shopDomain = opts.shopDomain ?? "sandbox.myshopify.com";
  const now = opts.now ?? Date.now;
  const bucketNow = opts.bucketNow ?? Date.now;
  const requests: RecordedRequest[] = [];
  const faults = createFaults(opts.faults);
  const max = opts.bucket?.maximumAvailable ?? 1000;
  const state: SimShopifyState = {
    items: new Map(),
    orders: [],
    changes: [],
    levels: new Map((opts.locations ?? []).map((l) => [l, new Map<string, number>()])),
    bucket: {
      maximumAvailable: max,
      currentlyAvailable: max,
      restoreRate: opts.bucket?.restoreRate ?? 100,
      at: bucketNow(),
    },
  };
  /** Idempotency key → the first call's variables and answer; the newest IDEMPOTENCY_KEYS only (see there). */
  const idempotency = new Map<string, { vars: string; data: unknown }>();
  /** Webhook id → event id, so a redelivery carries the event id of the first delivery. */
  const eventIds = new Map<string, string>();
  let nextId = 1000;
  /** The item with that SKU; a loop, not a copy of the catalog per order line. */
  const itemBySku = (sku: string): SimShopifyItem | undefined => {
    for (const i of state.items.values()) if (i.sku === sku) return i;
    return undefined;
  };
  const isModern = apiVersion >= "2026-01";
  const isStrict = apiVersion >= "2026-04";
  const shopCurrency = opts.currency ?? "EUR";
  const isLocation = (loc: unknown): boolean => loc === locationId || state.levels.has(String(loc));
  const qtyAt = (item: SimShopifyItem, loc: string): number | undefined =>
    loc === locationId ? item.available : state.levels.get(loc)?.get(item.id);
  const setQtyAt = (item: SimShopifyItem, loc: string, qty: number): void => {
    if (loc === locationId) item.available = qty;
    else state.levels.get(loc)?.set(item.id, qty);
  };

  const throttle = () => {
    const b = state.bucket;
    const t = bucketNow();
    b.currentlyAvailable = Math.min(b.maximumAvailable, b.currentlyAvailable + ((t - b.at) / 1000) * b.restoreRate);
    b.at = t;
    return b;
  };
  const costExt = (requested: number, actual: number | null) => {
    const b = throttle();
    return {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: {
          maximumAvailable: b.maximumAvailable,
          currentlyAvailable: Math.floor(b.currentlyAvailable),
          restoreRate: b.restoreRate,
        },
      },
    };
  };

  function resolveOp(query: string): string {
    if (/inventorySetQuantities\s*\(/.test(query)) return "inventorySetQuantities";
    if (/productVariantsBulkUpdate\s*\(/.test(query)) return "productVariantsBulkUpdate";
    if (/refundCreate\s*\(/.test(query)) return "refundCreate";
    if (/orderCancel\s*\(/.test(query)) return "orderCancel";
    if (/nodes\s*\(\s*ids\s*:/.test(query)) return "nodes";
    if (/\border\s*\(\s*id\s*:[^{]*\{\s*lineItems\s*\(/.test(query)) return "orderLines";
    if (/inventoryLevels\s*\(/.test(query)) return "inventoryLevels";
    if (/\borders\s*\(/.test(query)) return "orders";
    if (/\border\s*\(\s*id\s*:/.test(query)) return "orderTransactions";
    return "unknown";
  }

  function requestedCost(op: string, vars: Record<string, unknown>): number {
    switch (op) {
      case "inventorySetQuantities":
      case "refundCreate":
      case "orderCancel":
        return 10;
      case "productVariantsBulkUpdate":
        return 10 * Math.max(1, Object.keys(vars).filter((k) => /^p\d+$/.test(k)).length);
      case "nodes":
        return 2 + 5 * (Array.isArray(vars.ids) ? vars.ids.length : 1);
      case "inventoryLevels":
        return 2 + 5 * Number(vars.first ?? 250);
      case "orders":
        return 2 + Number(vars.first ?? 10) * 104;
      case "orderLines":
        return 252;
      default:
        return 25;
    }
  }

  const gidNum = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1));
  const money = (amount: string, currency: string) => ({ shopMoney: { amount, currencyCode: currency } });

  /**
   * productVariantsBulkUpdate, one aliased field per product: at most 250 variants, every variant of that product
   * (else MUST_BE_FOR_THIS_PRODUCT), prices ≥ 0; with allowPartialUpdates the valid variants apply alone.
   */
  function bulkUpdatePrices(query: string, vars: Record<string, unknown>): unknown {
    const out: Record<string, unknown> = {};
    const field =
      /(\w+)\s*:\s*productVariantsBulkUpdate\s*\(\s*productId\s*:\s*\$(\w+)\s*,\s*variants\s*:\s*\$(\w+)\s*(,\s*allowPartialUpdates\s*:\s*true)?/g;
    for (const m of query.matchAll(field)) {
      const [, alias, pVar, vVar, partial] = m as unknown as [string, string, string, string, string | undefined];
      const productId = String(vars[pVar] ?? "");
      const variants = (Array.isArray(vars[vVar]) ? vars[vVar] : []) as { id?: string; price?: unknown }[];
      const userErrors: { code: string; field: string[] | null; message: string }[] = [];
      const items = [...state.items.values()];
      if (!items.some((i) => i.productId === productId)) {
        out[alias] = {
          productVariants: null,
          userErrors: [{ code: "PRODUCT_DOES_NOT_EXIST", field: ["productId"], message: "Product does not exist" }],
        };
        continue;
      }
      if (variants.length > 250) {
        out[alias] = {
          productVariants: null,
          userErrors: [{ code: "INVALID_INPUT", field: ["variants"], message: "Input array exceeds 250 items" }],
        };
        continue;
      }
      const apply: { it: SimShopifyItem; price: string }[] = [];
      variants.forEach((v, i) => {
        const it = items.find((x) => x.variantId === v.id);
        if (!it)
          userErrors.push({
            code: "PRODUCT_VARIANT_DOES_NOT_EXIST",
            field: ["variants", String(i), "id"],
            message: "Product variant does not exist",
          });
        else if (it.productId !== productId)
          userErrors.push({
            code: "MUST_BE_FOR_THIS_PRODUCT",
            field: ["variants", String(i), "id"],
            message: "Product variant does not belong to this product",
          });
        else if (typeof v.price !== "string" || !/^\d+(\.\d{1,2})?$/.test(v.price))
          userErrors.push({
            code: "GREATER_THAN_OR_EQUAL_TO",
            field: ["variants", String(i), "price"],
            message: "Price must be greater than or equal to 0",
          });
        else apply.push({ it, price: v.price });
      });
      if (userErrors.length && !partial) {
        out[alias] = { productVariants: null, userErrors };
        continue;
      }
      for (const a of apply) a.it.price = Number(a.price).toFixed(2);
      out[alias] = {
        productVariants: apply.map((a) => ({ id: a.it.variantId, price: a.it.price })),
        userErrors,
      };
    }
    return out;
  }

  function setQuantities(vars: Record<string, unknown>, key: string | null): unknown {
    const input = (vars.input ?? {}) as Record<string, unknown>;
    const quantities = (Array.isArray(input.quantities) ? input.quantities : []) as Record<string, unknown>[];
    const userErrors: { code: string; field: string[]; message: string }[] = [];
    if (input.name !== "available" && input.name !== "on_hand")
      userErrors.push({
        code: "INVALID_NAME",
        field: ["input", "name"],
        message: "The quantity name must be either 'available' or 'on_hand'.",
      });
    if (quantities.length > 250)
      userErrors.push({
        code: "INVALID_QUANTITY",
        field: ["input", "quantities"],
        message: "The input array size of 251 is greater than the maximum allowed of 250.",
      });
    const seen = new Set<string>();
    for (const [i, q] of quantities.entries()) {
      const f = (k: string) => ["input", "quantities", String(i), k];
      const item = state.items.get(String(q.inventoryItemId));
      if (!item) {
        userErrors.push({
          code: "INVALID_INVENTORY_ITEM",
          field: f("inventoryItemId"),
          message: "The specified inventory item could not be found.",
        });
        continue;
      }
      if (!isLocation(q.locationId)) {
        userErrors.push({
          code: "INVALID_LOCATION",
          field: f("locationId"),
          message: "The specified location could not be found.",
        });
        continue;
      }
      const loc = String(q.locationId);
      const current = qtyAt(item, loc);
      if (current === undefined) {
        userErrors.push({
          code: "ITEM_NOT_STOCKED_AT_LOCATION",
          field: f("locationId"),
          message: "The specified inventory item is not stocked at the location.",
        });
        continue;
      }
      if (seen.has(`${item.id}@${loc}`)) {
        userErrors.push({
          code: "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
          field: f("inventoryItemId"),
          message: "The combination of inventoryItemId and locationId must be unique.",
        });
        continue;
      }
      seen.add(`${item.id}@${loc}`);
      if (typeof q.quantity !== "number" || q.quantity < 0) {
        userErrors.push({
          code: "INVALID_QUANTITY_NEGATIVE",
          field: f("quantity"),
          message: "The quantity can't be negative.",
        });
        continue;
      }
      if (isStrict && !("changeFromQuantity" in q)) {
        userErrors.push({
          code: "COMPARE_QUANTITY_REQUIRED",
          field: f("changeFromQuantity"),
          message: "changeFromQuantity must be provided (null to skip the check).",
        });
        continue;
      }
      if (isModern && "changeFromQuantity" in q) {
        if (q.changeFromQuantity !== null && q.changeFromQuantity !== current) {
          userErrors.push({
            code: "CHANGE_FROM_QUANTITY_STALE",
            field: f("changeFromQuantity"),
            message: "The specified changeFromQuantity does not match the current quantity.",
          });
        }
      } else if (!input.ignoreCompareQuantity) {
        if (q.compareQuantity !== current) {
          userErrors.push({
            code: "COMPARE_QUANTITY_STALE",
            field: f("compareQuantity"),
            message: "The specified compare quantity does not match the current quantity.",
          });
        }
      }
    }
    if (userErrors.length) return { inventorySetQuantities: { inventoryAdjustmentGroup: null, userErrors } };
    const changes = quantities.map((q) => {
      const item = must(state.items.get(String(q.inventoryItemId)), "items were validated above");
      const loc = String(q.locationId);
      const from = qtyAt(item, loc) ?? 0;
      const to = Number(q.quantity);
      setQtyAt(item, loc, to);
      state.changes.push({ itemId: item.id, from, to, key, ...(loc === locationId ? {} : { locationId: loc }) });
      return {
        name: String(input.name),
        delta: to - from,
        quantityAfterChange: to,
        item: { id: item.id },
        location: { id: loc },
      };
    });
    return {
      inventorySetQuantities: {
        inventoryAdjustmentGroup: { id: `gid://shopify/InventoryAdjustmentGroup/${nextId++}`, changes },
        userErrors: [],
      },
    };
  }

  const lineNode = (o: SimShopifyOrder, l: SimShopifyLine) => ({
    id: `gid://shopify/LineItem/${l.id}`,
    sku: l.sku,
    quantity: l.quantity,
    currentQuantity: l.currentQuantity,
    unfulfilledQuantity: Math.max(0, l.currentQuantity - l.fulfilled),
    originalUnitPriceSet: money(l.price, o.currency),
    variant: l.itemId ? { inventoryItem: { id: l.itemId } } : null,
  });
  const linePage = (o: SimShopifyOrder, start: number, first: number) => {
    const page = o.lines.slice(start, start + first);
    const end = start + page.length;
    return {
      nodes: page.map((l) => lineNode(o, l)),
      pageInfo: {
        hasNextPage: end < o.lines.length,
        endCursor: page.length ? Buffer.from(String(end)).toString("base64") : null,
      },
    };
  };

  function gqlOrder(o: SimShopifyOrder, linesFirst: number): unknown {
    const total = o.lines.reduce((s, l) => s + Number(l.price) * l.currentQuantity, 0).toFixed(2);
    return {
      id: `gid://shopify/Order/${o.id}`,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      cancelledAt: o.cancelledAt,
      displayFinancialStatus: o.financialStatus,
      currentTotalPriceSet: money(total, o.currency),
      shippingAddress: { countryCodeV2: "DE", provinceCode: "BE", city: "Berlin" },
      lineItems: linePage(o, 0, linesFirst),
      fulfillments: o.fulfillments.map((f) => ({
        createdAt: f.createdAt,
        trackingInfo: f.trackingNumber ? [{ number: f.trackingNumber, company: f.company }] : [],
        fulfillmentLineItems: {
          nodes: f.lineIds.map((id) => ({
            lineItem: { id: `gid://shopify/LineItem/${id}` },
            quantity: o.lines.find((l) => l.id === id)?.quantity ?? 0,
          })),
        },
      })),
    };
  }

  function run(
    op: string,
    vars: Record<string, unknown>,
    key: string | null,
    query = "",
  ): { data?: unknown; errors?: unknown[] } {
    switch (op) {
      case "inventorySetQuantities":
        return { data: setQuantities(vars, key) };
      case "productVariantsBulkUpdate":
        return { data: bulkUpdatePrices(query, vars) };
      case "nodes": {
        const ids = (vars.ids ?? []) as string[];
        return {
          data: {
            ...(/currencyCode/.test(query) ? { shop: { currencyCode: shopCurrency } } : {}),
            nodes: ids.map((id) => {
              const it = state.items.get(id);
              if (!it) return null;
              return {
                id: it.id,
                sku: it.sku,
                tracked: true,
                ...picked(query, {
                  id: it.variantId,
                  price: it.price,
                  compareAtPrice: null,
                  product: { id: it.productId, status: it.status },
                }),
                inventoryLevel:
                  vars.loc === locationId ? { quantities: [{ name: "available", quantity: it.available }] } : null,
                // StockLevelsAt: `l0: inventoryLevel(locationId: $l0)` … one alias per location.
                ...Object.fromEntries(
                  [...query.matchAll(/(\w+): inventoryLevel\(locationId: \$(\w+)\)/g)].map(([, alias, v]) => {
                    const q = isLocation(vars[String(v)]) ? qtyAt(it, String(vars[String(v)])) : undefined;
                    return [alias, q === undefined ? null : { quantities: [{ name: "available", quantity: q }] }];
                  }),
                ),
              };
            }),
          },
        };
      }
      case "inventoryLevels": {
        if (vars.loc !== locationId) return { data: { location: null } };
        const all = [...state.items.values()];
        const start = vars.after ? Number(Buffer.from(String(vars.after), "base64").toString()) : 0;
        const page = all.slice(start, start + Math.min(250, Number(vars.first ?? 250)));
        const end = start + page.length;
        return {
          data: {
            location: {
              inventoryLevels: {
                nodes: page.map((it) => ({
                  item: {
                    id: it.id,
                    sku: it.sku,
                    ...picked(query, { displayName: it.title, product: { status: it.status } }),
                  },
                  quantities: [{ name: "available", quantity: it.available }],
                })),
                pageInfo: {
                  hasNextPage: end < all.length,
                  endCursor: page.length ? Buffer.from(String(end)).toString("base64") : null,
                },
              },
            },
          },
        };
      }
      case "orders": {
        const m = /updated_at:>=?'([^']+)'/.exec(String(vars.q ?? ""));
        const since = m?.[1] ? Date.parse(m[1]) : 0;
        const all = state.orders
          .filter((o) => Date.parse(o.updatedAt) >= since)
          .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id - b.id);
        const start = vars.after ? Number(Buffer.from(String(vars.after), "base64").toString()) : 0;
        const first = Math.min(250, Number(vars.first ?? 10));
        const page = all.slice(start, start + first);
        const end = start + page.length;
        const linesFirst = Number(/lineItems\s*\(\s*first\s*:\s*(\d+)/.exec(query)?.[1] ?? 250);
        return {
          data: {
            orders: {
              nodes: page.map((o) => gqlOrder(o, linesFirst)),
              pageInfo: {
                hasNextPage: end < all.length,
                endCursor: page.length ? Buffer.from(String(end)).toString("base64") : null,
              },
            },
          },
        };
      }
      case "orderLines": {
        const o = state.orders.find((x) => x.id === gidNum(String(vars.id)));
        const start = vars.after ? Number(Buffer.from(String(vars.after), "base64").toString()) : 0;
        return { data: { order: o ? { lineItems: linePage(o, start, 50) } : null } };
      }
      case "orderTransactions": {
        const o = state.orders.find((x) => x.id === gidNum(String(vars.id)));
        return {
          data: {
            order: o
              ? {
                  transactions: o.transactions.map((t) => ({
                    id: `gid://shopify/OrderTransaction/${t.id}`,
                    gateway: t.gateway,
                    kind: t.kind,
                    status: t.status,
                    amountSet: money(t.amount, o.currency),
                  })),
                }
              : null,
          },
        };
      }
      case "orderCancel": {
        const reasons = ["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"];
        if (
          typeof vars.refund !== "boolean" ||
          typeof vars.restock !== "boolean" ||
          !reasons.includes(String(vars.reason))
        )
          return {
            errors: [
              {
                message: "Variable $reason, $refund and $restock are required",
                extensions: { code: "INVALID_VARIABLE" },
              },
            ],
          };
        const o = state.orders.find((x) => x.id === gidNum(String(vars.orderId)));
        const userError = (code: string, message: string) => ({
          data: {
            orderCancel: {
              job: null,
              orderCancelUserErrors: [{ code, field: ["orderId"], message }],
            },
          },
        });
        if (!o) return userError("NOT_FOUND", "Order does not exist");
        if (o.cancelledAt) return userError("INVALID", "Cannot cancel an order that has already been cancelled");
        o.cancelledAt = new Date(now()).toISOString();
        o.updatedAt = o.cancelledAt;
        return {
          data: {
            orderCancel: {
              job: { id: `gid://shopify/Job/${nextId++}`, done: false },
              orderCancelUserErrors: [],
            },
          },
        };
      }
      case "refundCreate": {
        const input = (vars.input ?? {}) as { orderId?: string; note?: string; transactions?: { amount: string }[] };
        const o = state.orders.find((x) => x.id === gidNum(String(input.orderId)));
        if (!o)
          return {
            data: {
              refundCreate: { refund: null, userErrors: [{ field: ["orderId"], message: "Order does not exist" }] },
            },
          };
        const amount = (input.transactions ?? []).reduce((s, t) => s + Number(t.amount), 0);
        const paid = o.transactions.filter((t) => t.kind === "SALE").reduce((s, t) => s + Number(t.amount), 0);
        const refunded = o.refunds.reduce((s, r) => s + Number(r.amount), 0);
        if (amount <= 0 || amount > paid - refunded + 1e-9)
          return {
            data: {
              refundCreate: {
                refund: null,
                userErrors: [
                  { field: ["transactions", "0", "amount"], message: "Amount exceeds the refundable amount" },
                ],
              },
            },
          };
        const r = { id: nextId++, amount: amount.toFixed(2), note: input.note ?? "" };
        o.refunds.push(r);
        o.transactions.push({ id: nextId++, kind: "REFUND", status: "SUCCESS", gateway: "manual", amount: r.amount });
        o.financialStatus = Math.abs(paid - refunded - amount) < 1e-9 ? "REFUNDED" : "PARTIALLY_REFUNDED";
        o.updatedAt = new Date(now()).toISOString();
        return {
          data: {
            refundCreate: {
              refund: { id: `gid://shopify/Refund/${r.id}`, totalRefundedSet: money(r.amount, o.currency) },
              userErrors: [],
            },
          },
        };
      }
      default:
        return {
          errors: [{ message: "Field doesn't exist on type 'QueryRoot'", extensions: { code: "undefinedField" } }],
        };
    }
  }

  /** Actions waiting for the next request of their operation (`afterNext`). */
  const afterOps: { op: string; fn: () => void }[] = [];
  function route(req: RecordedRequest): SimResponse {
    const answer = answerGraphql(req);
    const at = afterOps.findIndex((a) => a.op === req.op);
    if (at >= 0) afterOps.splice(at, 1)[0]?.fn();
    return { ...answer, headers: { ...answer.headers, "x-shopify-api-version": opts.servedVersion ?? apiVersion } };
  }

  function answerGraphql(req: RecordedRequest): SimResponse {
    if (req.method !== "POST" || req.path !== `/admin/api/${apiVersion}/graphql.json`)
      return { status: 404, json: { errors: "Not Found" } };
    let body: { query?: string; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return { status: 400, json: { errors: { query: "Required parameter missing or invalid" } } };
    }
    const query = String(body.query ?? "");
    const vars = body.variables ?? {};
    const op = resolveOp(query);
    req.op = op;
    const requested = requestedCost(op, vars);
    const b = throttle();
    if (requested > b.maximumAvailable) {
      return {
        status: 200,
        json: {
          errors: [
            {
              message: `Query cost is ${requested}, which exceeds the single query max cost limit (${b.maximumAvailable}).`,
              extensions: { code: "MAX_COST_EXCEEDED" },
            },
          ],
          extensions: costExt(requested, null),
        },
      };
    }
    if (requested > b.currentlyAvailable) {
      const throttled = {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: costExt(requested, null),
      };
      req.op = `${op}:throttled`;
      return { status: opts.isThrottle429 ? 429 : 200, json: throttled };
    }
    b.currentlyAvailable -= requested;
    // productVariantsBulkUpdate does not document idempotency, so it takes no @idempotent key.
    const isMutation = op === "inventorySetQuantities" || op === "refundCreate";
    const key = /@idempotent\s*\(\s*key\s*:\s*"([^"]+)"\s*\)/.exec(query)?.[1] ?? null;
    if (isMutation && isStrict && !key) {
      return {
        status: 200,
        json: {
          errors: [
            {
              message: "The @idempotent directive is required for this mutation.",
              extensions: { code: "BAD_REQUEST" },
            },
          ],
          extensions: costExt(requested, requested),
        },
      };
    }
    if (isMutation && key) {
      const varsJson = JSON.stringify(vars);
      const hit = idempotency.get(key);
      if (hit && hit.vars === varsJson) {
        req.op = `${op}:replayed`;
        return { status: 200, json: { data: hit.data, extensions: costExt(requested, requested) } };
      }
      if (hit) {
        const name = op;
        return {
          status: 200,
          json: {
            data: {
              [name]: {
                inventoryAdjustmentGroup: null,
                refund: null,
                userErrors: [
                  {
                    code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                    field: null,
                    message: "The same idempotency key was used with different parameters.",
                  },
                ],
              },
            },
            extensions: costExt(requested, requested),
          },
        };
      }
      const result = run(op, vars, key);
      idempotency.set(key, { vars: varsJson, data: result.data });
      // Oldest first (a Map keeps insertion order): a long run's keys would otherwise be the simulator's memory.
      if (idempotency.size > IDEMPOTENCY_KEYS) idempotency.delete(must(idempotency.keys().next().value, "size > 0"));
      return { status: 200, json: { ...result, extensions: costExt(requested, requested) } };
    }
    return { status: 200, json: { ...run(op, vars, null, query), extensions: costExt(requested, requested) } };
  }

  const server = await startSimServer({
    requests,
    faults,
    isFaultable: (r) => r.path.endsWith("/graphql.json"),
    faultBody: (kind) =>
      kind === "429"
        ? { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] }
        : {
            errors: [
              {
                message: "Internal error. Looks like something went wrong on our end.",
                extensions: { code: "INTERNAL_SERVER_ERROR", requestId: randomUUID() },
              },
            ],
          },
    gate: (r) => (r.headers["x-shopify-access-token"] !== accessToken ? { status: 401, json: TOKEN_ERROR } : undefined),
    route,
  });

  const findOrder = (id: number) => {
    const o = state.orders.find((x) => x.id === id);
    if (!o) throw new Error(`no simulated order ${id}`);
    return o;
  };
  const touch = (o: SimShopifyOrder) => {
    const t = Math.max(now(), Date.parse(o.updatedAt) + 1);
    o.updatedAt = new Date(t).toISOString();
  };

  return {
    url: server.url,
    shopDomain,
    accessToken,
    apiVersion,
    locationId,
    state,
    requests,
    faults,
    calls: (op) => requests.filter((r) => r.op === op),
    seedItems(count, o = {}) {
      const out: SimShopifyItem[] = [];
      for (let i = 0; i < count; i++) {
        const n = state.items.size + 1;
        const it: SimShopifyItem = {
          id: `gid://shopify/InventoryItem/${30_000_000 + n}`,
          sku: `${o.prefix ?? "SKU-"}${String(n).padStart(4, "0")}`,
          title: `Item ${n}`,
          available: o.available ?? 0,
          status: "ACTIVE",
          variantId: `gid://shopify/ProductVariant/${40_000_000 + n}`,
          productId: `gid://shopify/Product/${50_000_000 + n}`,
          price: "10.00",
        };
        state.items.set(it.id, it);
        for (const m of state.levels.values()) m.set(it.id, 0);
        out.push(it);
      }
      return out;
    },
    setAvailable(itemId, qty) {
      const it = state.items.get(itemId);
      if (!it) throw new Error(`no simulated item ${itemId}`);
      state.changes.push({ itemId, from: it.available, to: qty, key: "admin" });
      it.available = qty;
    },
    levelAt(itemId, loc) {
      const it = state.items.get(itemId);
      return it ? qtyAt(it, loc) : undefined;
    },
    afterNext(op, fn) {
      afterOps.push({ op, fn });
    },
    setLevel(itemId, loc, qty) {
      const it = state.items.get(itemId);
      if (!it) throw new Error(`no simulated item ${itemId}`);
      if (loc !== locationId && !state.levels.has(loc)) state.levels.set(loc, new Map());
      state.changes.push({ itemId, from: qtyAt(it, loc) ?? 0, to: qty, key: "admin", locationId: loc });
      setQtyAt(it, loc, qty);
    },
    setPrice(itemId, price) {
      const it = state.items.get(itemId);
      if (!it) throw new Error(`no simulated item ${itemId}`);
      it.price = price;
    },
    createOrder(lines, o = {}) {
      const currency = o.currency ?? "EUR";
      const ts = new Date(now()).toISOString();
      const order: SimShopifyOrder = {
        id: 5_000_000 + state.orders.length + 1,
        createdAt: ts,
        updatedAt: ts,
        cancelledAt: null,
        financialStatus: o.financialStatus ?? "PAID",
        currency,
        lines: lines.map((l) => {
          const item = itemBySku(l.sku);
          if (item) item.available -= l.qty;
          return {
            id: nextId++,
            sku: l.sku,
            itemId: item?.id ?? null,
            quantity: l.qty,
            currentQuantity: l.qty,
            fulfilled: 0,
            price: l.price ?? "10.00",
          };
        }),
        fulfillments: [],
        transactions: [],
        refunds: [],
      };
      const total = order.lines.reduce((s, l) => s + Number(l.price) * l.quantity, 0).toFixed(2);
      if (order.financialStatus === "PAID")
        order.transactions.push({
          id: nextId++,
          kind: "SALE",
          status: "SUCCESS",
          gateway: "shopify_payments",
          amount: total,
        });
      state.orders.push(order);
      return order;
    },
    cancelOrder(id) {
      const o = findOrder(id);
      o.cancelledAt = new Date(now()).toISOString();
      for (const l of o.lines) {
        const item = l.itemId ? state.items.get(l.itemId) : undefined;
        if (item) item.available += l.currentQuantity;
      }
      touch(o);
      return o;
    },
    fulfillOrder(id, tracking) {
      const o = findOrder(id);
      o.fulfillments.push({
        id: nextId++,
        createdAt: new Date(now()).toISOString(),
        trackingNumber: tracking.number,
        company: tracking.company,
        lineIds: o.lines.map((l) => l.id),
      });
      for (const l of o.lines) l.fulfilled = l.currentQuantity;
      touch(o);
      return o;
    },
    editOrder(id, edit) {
      const o = findOrder(id);
      const additions: { id: number; delta: number }[] = [];
      const removals: { id: number; delta: number }[] = [];
      for (const c of edit.set ?? []) {
        const l = o.lines.find((x) => x.id === c.lineId);
        if (!l) throw new Error(`no line ${c.lineId} on simulated order ${id}`);
        const delta = c.qty - l.currentQuantity;
        const item = l.itemId ? state.items.get(l.itemId) : undefined;
        if (item) item.available -= delta;
        if (delta > 0) {
          l.quantity += delta;
          additions.push({ id: l.id, delta });
        } else if (delta < 0) removals.push({ id: l.id, delta: -delta });
        l.currentQuantity = c.qty;
      }
      for (const a of edit.add ?? []) {
        const item = itemBySku(a.sku);
        if (item) item.available -= a.qty;
        const line = {
          id: nextId++,
          sku: a.sku,
          itemId: item?.id ?? null,
          quantity: a.qty,
          currentQuantity: a.qty,
          fulfilled: 0,
          price: a.price ?? "10.00",
        };
        o.lines.push(line);
        additions.push({ id: line.id, delta: a.qty });
      }
      touch(o);
      return {
        order_edit: {
          id: nextId++,
          app_id: null,
          created_at: o.updatedAt,
          notify_customer: false,
          order_id: o.id,
          staff_note: "",
          user_id: 1,
          line_items: { additions, removals },
          discounts: { line_item: { additions: [], removals: [] } },
          shipping_lines: { additions: [], removals: [] },
        },
      };
    },
    restOrder(id) {
      const o = findOrder(id);
      const total = o.lines.reduce((s, l) => s + Number(l.price) * l.currentQuantity, 0).toFixed(2);
      return {
        id: o.id,
        admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
        name: `#${o.id}`,
        created_at: o.createdAt,
        updated_at: o.updatedAt,
        cancelled_at: o.cancelledAt,
        financial_status: o.financialStatus.toLowerCase(),
        fulfillment_status: o.lines.every((l) => l.fulfilled >= l.currentQuantity) ? "fulfilled" : null,
        currency: o.currency,
        total_price: total,
        line_items: o.lines.map((l) => ({
          id: l.id,
          admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
          sku: l.sku,
          quantity: l.quantity,
          current_quantity: l.currentQuantity,
          fulfillable_quantity: Math.max(0, l.currentQuantity - l.fulfilled),
          fulfillment_status: l.fulfilled >= l.currentQuantity ? "fulfilled" : null,
          price: l.price,
          variant_id: l.itemId ? gidNum(l.itemId) : null,
        })),
        fulfillments: o.fulfillments.map((f) => ({
          id: f.id,
          created_at: f.createdAt,
          status: "success",
          tracking_company: f.company,
          tracking_number: f.trackingNumber,
          line_items: f.lineIds.map((id) => ({ id })),
        })),
        shipping_address: { country_code: "DE", province_code: "BE", city: "Berlin" },
      };
    },
    async sendWebhook({ url, topic, payload, secret, webhookId, eventId, shopDomain: domain }) {
      const body = JSON.stringify(payload);
      const id = webhookId ?? randomUUID();
      const event = eventId ?? eventIds.get(id) ?? randomUUID();
      eventIds.set(id, event);
      const status = await deliver(url, body, {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": signBase64(secret, body),
        "X-Shopify-Shop-Domain": domain ?? shopDomain,
        "X-Shopify-API-Version": apiVersion,
        "X-Shopify-Webhook-Id": id,
        "X-Shopify-Event-Id": event,
        "X-Shopify-Triggered-At": new Date(now()).toISOString(),
      });
      return { status, webhookId: id, eventId: event };
    },
    close: server.close,
  };
}
