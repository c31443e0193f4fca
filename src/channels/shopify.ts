import { z } from "zod";
import { channelCommon, locationName, secret, url } from "../config-fields.js";
import { ConflictError, ForbiddenError, InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { type TextRef, textRef } from "../i18n/ref.js";
import { asOrderId, type Sku, SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { UpstreamError } from "../upstream/errors.js";
import { callWithPolicy, parseAs, readJson, send, statusError } from "../upstream/http.js";
import { delistAsZero, orderCursor, priceFailure, providerSaid, pushFailure } from "./base.js";
import {
  type ChannelDeps,
  chunk,
  fromMinor,
  header,
  type LocationLevels,
  memoryLevels,
  parseWebhookJson,
  safeJson,
  toMinor,
  uuidFrom,
  verifyHmacHeader,
} from "./http.js";
import {
  SHOPIFY_API_VERSIONS,
  SHOPIFY_DEFAULT_VERSION,
  SHOPIFY_VERSION_FEATURES,
  shopifyDocuments,
} from "./shopify-graphql.js";
import type {
  CatalogItem,
  ChannelOrder,
  ChannelOrderLine,
  ChannelPrice,
  ChannelStock,
  ListingRef,
  OrderLineStatus,
  OrderPage,
  PriceOutcome,
  PricePush,
  PushOutcome,
  RefundReceipt,
  RefundRequest,
  SalesChannel,
  StockPush,
  WebhookEvent,
  WebhookRequest,
} from "./types.js";

const LOCATION_GID = /^gid:\/\/shopify\/Location\/\d+$/;

/** The `shopify` entry of `channels` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const ShopifyConfigSchema = z
  .object({
    ...channelCommon,
    kind: z.literal("shopify"),
    shop: z.string().min(1),
    accessToken: secret,
    webhookSecret: secret.optional(),
    /** The Shopify location stock is pushed to (default: the first of a `locations` mapping). */
    locationId: z.string().min(1).optional(),
    /**
     * Either the stock locations this channel sells from (`[home, 3pl]`, their sum goes to `locationId`), or a mapping
     * of our locations to Shopify's (`{ home: "gid://shopify/Location/1" }`): each Shopify location then shows its own.
     */
    locations: z
      .union([
        channelCommon.locations.unwrap(),
        z.record(
          locationName,
          z
            .string()
            .regex(LOCATION_GID, { message: "expected a Shopify location id such as gid://shopify/Location/1" }),
        ),
      ])
      .optional(),
    apiBase: url.optional(),
    /** Admin GraphQL version: one with a published schema the adapter is validated against (see shopify-graphql.ts). */
    apiVersion: z.enum(SHOPIFY_API_VERSIONS).default(SHOPIFY_DEFAULT_VERSION),
    timeoutMs: z.number().int().positive().default(30_000),
  })
  .refine((c) => c.locationId !== undefined || (c.locations !== undefined && !Array.isArray(c.locations)), {
    message: 'expected locationId, or a locations mapping such as { home: "gid://shopify/Location/1" }',
    path: ["locationId"],
  });
/** A validated `shopify` channel config. */
export type ShopifyConfig = z.infer<typeof ShopifyConfigSchema>;

const PROVIDER = "Shopify";
/** Shopify caps every GraphQL input array at 250 entries. */
const MAX_BATCH = 250;
/** Products (productVariantsBulkUpdate fields, 10 points each) aliased into one price request. */
const PRICE_ALIASES = 20;
const READ_PAGE = 150;
const isTooCostly = (err: unknown): boolean => err instanceof UpstreamError && err.providerCode === "MAX_COST_EXCEEDED";
/** Orders per page: each costs ~104 points with the nested lines and fulfillments below; 1,000 is the per-query cap. */
const ORDERS_PAGE = 8;
const DEFAULT_LOOKBACK_DAYS = 7;
const INVENTORY_ITEM_GID = /^gid:\/\/shopify\/InventoryItem\/\d+$/;

/** The Shopify location per stock location when `locations` is a mapping (issue 13), else undefined. */
export function shopifyLocationMap(c: Pick<ShopifyConfig, "locations">): Record<string, string> | undefined {
  if (!c.locations || Array.isArray(c.locations) || Object.keys(c.locations).length === 0) return undefined;
  return c.locations;
}

/** The stock locations a Shopify channel sells from: the list, or the mapping's keys (default: all). */
export function shopifySellsFrom(c: Pick<ShopifyConfig, "locations">): string[] | undefined {
  if (!c.locations) return undefined;
  return Array.isArray(c.locations) ? c.locations : Object.keys(c.locations);
}

const Money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });

const ThrottleStatus = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});
const GraphqlError = z.looseObject({
  message: z.string(),
  extensions: z.looseObject({ code: z.string().optional() }).optional(),
});
const Envelope = z.object({
  data: z.unknown().optional(),
  errors: z.union([z.array(GraphqlError), z.string(), z.record(z.string(), z.unknown())]).optional(),
  extensions: z
    .looseObject({
      cost: z
        .object({
          requestedQueryCost: z.number().nullable().optional(),
          actualQueryCost: z.number().nullable().optional(),
          throttleStatus: ThrottleStatus,
        })
        .optional(),
    })
    .optional(),
});

type QueryCost = { requestedQueryCost?: number | null | undefined; throttleStatus: z.infer<typeof ThrottleStatus> };

const UserError = z.object({
  code: z.string().nullable().optional(),
  field: z.array(z.string()).nullable().optional(),
  message: z.string(),
});
type UserError = z.infer<typeof UserError>;

const SetQuantitiesData = z.object({
  inventorySetQuantities: z
    .object({
      inventoryAdjustmentGroup: z
        .object({
          id: z.string(),
          changes: z.array(
            z.object({
              name: z.string(),
              delta: z.number(),
              quantityAfterChange: z.number().nullable().optional(),
              // InventoryChange.item is nullable in every published Admin schema (2025-01, 2026-01, 2026-04).
              item: z.object({ id: z.string() }).nullable(),
              location: z.object({ id: z.string() }).nullable().optional(),
            }),
          ),
        })
        .nullable(),
      userErrors: z.array(UserError),
    })
    // Every mutation payload is nullable in the published schemas: null (without errors) means "not confirmed".
    .nullable(),
});

/** `InventoryItem.variants(first: 1)` (2026-04 and later): a nullable connection. */
const variantsOf = <T extends z.ZodType>(node: T) =>
  z
    .object({ nodes: z.array(node) })
    .nullable()
    .optional();
const Quantities = z.array(z.object({ name: z.string(), quantity: z.number() }));
const StockData = z.object({
  nodes: z.array(
    z
      .object({
        id: z.string().optional(),
        sku: z.string().nullable().optional(),
        tracked: z.boolean().optional(),
        variant: z
          .object({ product: z.object({ status: z.string() }) })
          .nullable()
          .optional(),
        variants: variantsOf(z.object({ product: z.object({ status: z.string() }) })),
        inventoryLevel: z.object({ quantities: Quantities }).nullable().optional(),
      })
      .nullable(),
  ),
});

/** One aliased `inventoryLevel(locationId:)`; null where the item is not stocked at that location. */
const LevelAt = z.object({ quantities: Quantities }).nullable();
/** StockLevelsAt: the StockLevels node with `l0`, `l1`, … levels (read with {@link LevelAt}). */
const StockAtData = z.object({
  nodes: z.array(
    z
      .looseObject({
        id: z.string().optional(),
        variant: z
          .object({ product: z.object({ status: z.string() }) })
          .nullable()
          .optional(),
        variants: variantsOf(z.object({ product: z.object({ status: z.string() }) })),
      })
      .nullable(),
  ),
});

const PriceVariant = z.object({ id: z.string(), price: z.string(), product: z.object({ id: z.string() }) });
const PriceData = z.object({
  shop: z.object({ currencyCode: z.string() }),
  nodes: z.array(
    z
      .object({
        id: z.string().optional(),
        variant: PriceVariant.nullable().optional(),
        variants: variantsOf(PriceVariant),
      })
      .nullable(),
  ),
});
const BulkPriceResult = z
  .object({
    productVariants: z.array(z.object({ id: z.string(), price: z.string() })).nullable(),
    userErrors: z.array(
      z.object({ code: z.string().nullable().optional(), field: z.array(z.string()).nullable(), message: z.string() }),
    ),
  })
  .nullable();
const BulkPriceData = z.record(z.string(), BulkPriceResult);

const CatalogVariant = z.object({ displayName: z.string(), product: z.object({ status: z.string() }) });
const CatalogData = z.object({
  location: z
    .object({
      inventoryLevels: z.object({
        nodes: z.array(
          z.object({
            item: z.object({
              id: z.string(),
              sku: z.string().nullable(),
              variant: CatalogVariant.nullable().optional(),
              variants: variantsOf(CatalogVariant),
            }),
            quantities: Quantities,
          }),
        ),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      }),
    })
    .nullable(),
});

const GqlLine = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  quantity: z.number(),
  currentQuantity: z.number(),
  unfulfilledQuantity: z.number(),
  originalUnitPriceSet: Money.nullable().optional(),
  variant: z
    .object({ inventoryItem: z.object({ id: z.string() }) })
    .nullable()
    .optional(),
});
const GqlOrder = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  displayFinancialStatus: z.string().nullable(),
  currentTotalPriceSet: Money.nullable().optional(),
  shippingAddress: z
    .object({ countryCodeV2: z.string().nullable(), provinceCode: z.string().nullable(), city: z.string().nullable() })
    .nullable()
    .optional(),
  lineItems: z.object({
    nodes: z.array(GqlLine),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }).optional(),
  }),
  fulfillments: z.array(
    z.object({
      createdAt: z.string(),
      trackingInfo: z.array(z.object({ number: z.string().nullable(), company: z.string().nullable() })),
      fulfillmentLineItems: z.object({
        // FulfillmentLineItem.quantity is `Int` (nullable) in the published Admin schemas.
        nodes: z.array(z.object({ lineItem: z.object({ id: z.string() }), quantity: z.number().nullable() })),
      }),
    }),
  ),
});
const MoreLinesData = z.object({
  order: z
    .object({
      lineItems: z.object({
        nodes: z.array(GqlLine),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      }),
    })
    .nullable(),
});
const OrdersData = z.object({
  orders: z.object({
    nodes: z.array(GqlOrder),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  }),
});

const TransactionsData = z.object({
  order: z
    .object({
      transactions: z.array(
        z.object({
          id: z.string(),
          gateway: z.string().nullable(),
          kind: z.string(),
          status: z.string(),
          amountSet: Money,
        }),
      ),
    })
    .nullable(),
});
const RefundData = z.object({
  refundCreate: z
    .object({
      refund: z.object({ id: z.string(), totalRefundedSet: Money }).nullable(),
      userErrors: z.array(z.object({ field: z.array(z.string()).nullable().optional(), message: z.string() })),
    })
    .nullable(),
});

const CancelData = z.object({
  orderCancel: z
    .object({
      job: z.object({ id: z.string(), done: z.boolean() }).nullable(),
      orderCancelUserErrors: z.array(
        z.object({
          code: z.string().nullable().optional(),
          field: z.array(z.string()).nullable().optional(),
          message: z.string(),
        }),
      ),
    })
    .nullable(),
});

/** An ISO timestamp that parses; "" or junk would become an Invalid Date deep in the ledger (issue 8, fast-check). */
const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: "expected an ISO 8601 timestamp" });

/** Shopify's REST-shaped order as delivered by orders/* webhooks. */
const RestOrder = z.looseObject({
  id: z.number(),
  created_at: Timestamp,
  updated_at: Timestamp,
  cancelled_at: z.string().nullable().optional(),
  financial_status: z.string().nullable().optional(),
  currency: z.string(),
  total_price: z.string().optional(),
  line_items: z.array(
    z.looseObject({
      id: z.number(),
      sku: z.string().nullable().optional(),
      quantity: z.number().int().min(0),
      current_quantity: z.number().optional(),
      fulfillable_quantity: z.number().optional(),
      fulfillment_status: z.string().nullable().optional(),
      price: z.string().optional(),
    }),
  ),
  fulfillments: z
    .array(
      z.looseObject({
        created_at: Timestamp,
        tracking_number: z.string().nullable().optional(),
        tracking_company: z.string().nullable().optional(),
        line_items: z.array(z.looseObject({ id: z.number() })),
      }),
    )
    .optional(),
  shipping_address: z
    .looseObject({
      country_code: z.string().nullable().optional(),
      province_code: z.string().nullable().optional(),
      city: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
});
type RestOrder = z.infer<typeof RestOrder>;

/**
 * The `orders/edited` payload: the edit, not the order (`{ order_edit: { id, order_id, line_items: { additions,
 * removals: [{ id, delta }] }, … } }`, shopify.dev REST webhook reference; ShopifySharp `OrderEdit`). It carries
 * no SKUs for added lines, so the order is read again instead of applying the deltas.
 */
const RestOrderEdit = z.looseObject({
  order_edit: z.looseObject({
    id: z.number(),
    order_id: z.number(),
    line_items: z
      .looseObject({
        additions: z.array(z.looseObject({ id: z.number(), delta: z.number() })).default([]),
        removals: z.array(z.looseObject({ id: z.number(), delta: z.number() })).default([]),
      })
      .optional(),
  }),
});

/** Shopify's REST-shaped refund as delivered by refunds/create. */
const RestRefund = z.looseObject({
  id: z.number(),
  order_id: z.number(),
  note: z.string().nullable().optional(),
  transactions: z
    .array(z.looseObject({ amount: z.string(), currency: z.string().optional(), kind: z.string(), status: z.string() }))
    .default([]),
  refund_line_items: z
    .array(
      z.looseObject({
        subtotal_set: z.object({ shop_money: z.object({ amount: z.string(), currency_code: z.string() }) }).optional(),
      }),
    )
    .default([]),
});

const Cursor = z.object({ since: z.string(), after: z.string().optional(), high: z.string().optional() });

const ORDER_TOPICS = new Set([
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "orders/paid",
  "orders/fulfilled",
]);

/** The numeric tail of a gid ("gid://shopify/Order/42" → "42"), so webhook (REST) and poll (GraphQL) ids agree. */
export const gidTail = (gid: string): string => gid.slice(gid.lastIndexOf("/") + 1);

const toSku = (s: string | null | undefined): Sku | null => {
  if (!s) return null;
  const r = SkuSchema.safeParse(s);
  return r.success ? r.data : null;
};

function lineStatus(args: {
  isOrderCancelled: boolean;
  currentQty: number;
  unfulfilled: number;
  financial: string | null | undefined;
}): OrderLineStatus {
  if (args.isOrderCancelled || args.currentQty === 0) return "cancelled";
  if (args.unfulfilled === 0) return "shipped";
  const f = (args.financial ?? "").toUpperCase();
  if (f === "VOIDED" || f === "EXPIRED") return "cancelled";
  if (f === "PENDING") return "pending";
  return "paid";
}

/**
 * Builds the Shopify adapter (Admin GraphQL). Quantities are set with `inventorySetQuantities`
 * (`name: "available"`), ≤250 per call, compare-and-set when the last confirmed value is known, and an
 * `@idempotent` key derived from the caller's key plus the exact payload, so a retried call is applied once.
 *
 * @example
 * const shop = createShopifyChannel({ id, config, http, log, clock, limiter });
 * await shop.pushStock([{ sku, ref: "gid://shopify/InventoryItem/1", quantity: 4, previous: 6 }], { idempotencyKey: "p:1", signal });
 */
export function createShopifyChannel(deps: ChannelDeps & { config: ShopifyConfig }): SalesChannel {
  const { config, log, clock } = deps;
  const base = config.apiBase ?? `https://${config.shop.includes(".") ? config.shop : `${config.shop}.myshopify.com`}`;
  const endpoint = `${base.replace(/\/$/, "")}/admin/api/${config.apiVersion}/graphql.json`;
  /** The `*.myshopify.com` domain Shopify names in X-Shopify-Shop-Domain. */
  const shopDomain = (config.shop.includes(".") ? config.shop : `${config.shop}.myshopify.com`).toLowerCase();
  /** What this version's schema offers (changeFromQuantity from 2026-01, @idempotent and variants from 2026-04). */
  const features = SHOPIFY_VERSION_FEATURES[config.apiVersion];
  const hasChangeFrom = features.changeFromQuantity;
  const hasIdempotent = features.idempotentDirective;
  const docs = shopifyDocuments(config.apiVersion);
  /** Shopify charges the requested cost up front; remember it per operation so the limiter asks for the right amount. */
  const learnedCost = new Map<string, number>();
  let hasWarnedVersion = false;
  let ordersPage = ORDERS_PAGE;
  /** Items per read (nodes / inventoryLevels); ~5 points each, halved whenever Shopify says a query costs too much. */
  let readPage = READ_PAGE;

  async function gql<S extends z.ZodType>(
    op: string,
    query: string,
    variables: Record<string, unknown>,
    schema: S,
    opts: { estimate: number; isIdempotent: boolean; signal?: AbortSignal | undefined },
  ): Promise<z.infer<S>> {
    return callWithPolicy(
      deps,
      {
        op: `shopify.${op}`,
        isIdempotent: opts.isIdempotent,
        cost: learnedCost.get(op) ?? opts.estimate,
        signal: opts.signal,
      },
      async () => {
        const res = await send(deps.http, PROVIDER, {
          method: "POST",
          url: endpoint,
          headers: { "X-Shopify-Access-Token": config.accessToken, accept: "application/json" },
          json: { query, variables },
          timeoutMs: config.timeoutMs,
          signal: opts.signal,
        });
        // Shopify serves the next supported version once a pinned one is retired ("fall forward").
        const served = res.headers.get("x-shopify-api-version");
        if (served && served !== config.apiVersion && !hasWarnedVersion) {
          hasWarnedVersion = true;
          log.warn(
            { channel: deps.id, pinned: config.apiVersion, served },
            "shopify served a different api version; update apiVersion",
          );
        }
        const observe = (cost: QueryCost | undefined) => {
          if (!cost) return;
          const t = cost.throttleStatus;
          deps.limiter.observe("default", {
            available: t.currentlyAvailable,
            capacity: t.maximumAvailable,
            ratePerSec: t.restoreRate,
          });
          if (typeof cost.requestedQueryCost === "number") learnedCost.set(op, cost.requestedQueryCost);
        };
        if (res.status !== 200) {
          const body = Envelope.safeParse(safeJson(res.text));
          const errors = body.success && Array.isArray(body.data.errors) ? body.data.errors : [];
          observe(body.success ? body.data.extensions?.cost : undefined);
          // Some shops answer THROTTLED with HTTP 429 and the cost telemetry; the bucket then says how long to wait.
          if (
            res.status === 429 &&
            errors[0]?.extensions?.code === "THROTTLED" &&
            body.success &&
            body.data.extensions?.cost &&
            !res.headers.get("retry-after")
          ) {
            const e = graphqlError(errors, body.data.extensions.cost);
            throw new UpstreamError({
              provider: PROVIDER,
              kind: "throttled",
              ...(e.i18n ? { i18n: e.i18n } : { message: e.userMessage }),
              status: 429,
              ...(e.retryAfterSeconds !== undefined ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
              providerCode: "THROTTLED",
            });
          }
          throw statusError({
            provider: PROVIDER,
            status: res.status,
            headers: res.headers,
            now: clock.now(),
            providerCode: errors[0]?.extensions?.code,
          });
        }
        const env = parseAs(PROVIDER, Envelope, readJson(PROVIDER, res), "GraphQL envelope");
        const cost = env.extensions?.cost;
        observe(cost);
        if (Array.isArray(env.errors) && env.errors.length > 0) throw graphqlError(env.errors, cost);
        if (env.errors !== undefined && !Array.isArray(env.errors)) {
          throw new UpstreamError({
            provider: PROVIDER,
            kind: "rejected",
            i18n: textRef("shopify-rejected-plain"),
            details: { errors: env.errors },
          });
        }
        return parseAs(PROVIDER, schema, env.data, op);
      },
    );
  }

  function graphqlError(errors: z.infer<typeof GraphqlError>[], cost: QueryCost | undefined): UpstreamError {
    const code = errors.find((e) => e.extensions?.code)?.extensions?.code;
    if (code === "THROTTLED") {
      const t = cost?.throttleStatus;
      const need = cost?.requestedQueryCost ?? 0;
      const wait = t && t.restoreRate > 0 ? Math.max(0, (need - t.currentlyAvailable) / t.restoreRate) : 1;
      return new UpstreamError({
        provider: PROVIDER,
        kind: "throttled",
        i18n: textRef("shopify-throttled"),
        retryAfterSeconds: Math.max(wait, 0.05),
        providerCode: code,
      });
    }
    const isRetryable = code === "INTERNAL_SERVER_ERROR" || code === "SERVICE_UNAVAILABLE";
    return new UpstreamError({
      provider: PROVIDER,
      kind: isRetryable ? "network" : "rejected",
      ...(isRetryable ? { code: "upstream_unavailable" as const } : {}),
      i18n: isRetryable
        ? textRef("shopify-internal", { code: code ?? "" })
        : textRef("shopify-rejected", { code: code ?? "GraphQL", detail: providerSaid(PROVIDER, errors[0]?.message) }),
      ...(code ? { providerCode: code } : {}),
      details: { messages: errors.map((e) => e.message).slice(0, 3) },
    });
  }

  /** Index into `quantities` named by a userError's field path, e.g. ["input","quantities","3","changeFromQuantity"]. */
  const errorIndex = (e: UserError): number | undefined => {
    const f = e.field ?? [];
    const at = f.indexOf("quantities");
    const n = at >= 0 ? Number(f[at + 1]) : NaN;
    return Number.isInteger(n) ? n : undefined;
  };
  const isStale = (code: string | null | undefined) =>
    code === "CHANGE_FROM_QUANTITY_STALE" || code === "COMPARE_QUANTITY_STALE";

  /** Shopify location per stock location when `locations` is a mapping; else every push goes to `locationId`. */
  const locationMap = shopifyLocationMap(config);
  const mapped = locationMap ? Object.entries(locationMap) : [];
  const pushLocationId = config.locationId ?? must(mapped[0], "the config schema requires a location")[1];
  /** The last quantity read or pushed per (item, Shopify location): the compare value of the next push there. */
  const lastLevels: LocationLevels = deps.locationLevels ?? memoryLevels();
  /** Pairs per item in one inventorySetQuantities (each (item, location) pair counts against the 250 entries). */
  const maxBatch = Math.max(1, Math.floor(MAX_BATCH / Math.max(1, mapped.length)));

  /**
   * Where one push goes: `locationId`, or each mapped Shopify location with that stock location's share. A push
   * without a split (delisting sets 0) puts its quantity on the first mapped location and 0 on the others.
   */
  function splitFor(it: StockPush): { locationId: string; quantity: number }[] {
    if (!mapped.length) return [{ locationId: pushLocationId, quantity: it.quantity }];
    return mapped.map(([ours, gid], i) => ({
      locationId: gid,
      quantity: it.byLocation
        ? (it.byLocation.find((b) => b.location === ours)?.quantity ?? 0)
        : i === 0
          ? it.quantity
          : 0,
    }));
  }

  async function setGroup(
    group: StockPush[],
    logicalKey: string,
    useCas: boolean,
    signal: AbortSignal | undefined,
    out: Map<StockPush, PushOutcome>,
  ): Promise<void> {
    let pending = group;
    /** Items whose stale locations were read again once; a second mismatch is reported, never overwritten. */
    const reread = new Set<StockPush>();
    for (let round = 0; pending.length > 0 && round < 4; round++) {
      // One entry per (item, Shopify location): one per item, or one per mapped location (issue 13).
      const entries = pending.flatMap((it) => {
        const known = mapped.length ? lastLevels.knownLevels(deps.id, it.ref) : undefined;
        return splitFor(it).map((e) => ({
          it,
          locationId: e.locationId,
          quantity: e.quantity,
          // Per location the compare value is that location's last known level, not the item's total.
          previous: known ? known.get(e.locationId) : it.previous,
        }));
      });
      const quantities = entries.map(({ it, locationId, quantity, previous }) => {
        const q: Record<string, unknown> = { inventoryItemId: it.ref, locationId, quantity };
        if (hasChangeFrom) q.changeFromQuantity = useCas && previous !== undefined ? previous : null;
        else if (useCas) q.compareQuantity = previous;
        return q;
      });
      const input: Record<string, unknown> = {
        name: "available",
        reason: "correction",
        referenceDocumentUri: `gid://stockradar/Push/${encodeURIComponent(logicalKey)}`,
        quantities,
      };
      if (!hasChangeFrom && !useCas) input.ignoreCompareQuantity = true;
      const key = hasIdempotent ? uuidFrom(logicalKey, JSON.stringify(input)) : null;
      // Without @idempotent a retried compare-and-set could apply twice; an absolute set (no check) is safe to repeat.
      const isAbsolute = quantities.every((q) => q.changeFromQuantity === null || (!hasChangeFrom && !useCas));
      let data: z.infer<typeof SetQuantitiesData>;
      try {
        data = await gql("inventorySetQuantities", docs.setAvailable(key), { input }, SetQuantitiesData, {
          estimate: 10,
          isIdempotent: hasIdempotent || isAbsolute,
          signal,
        });
      } catch (err) {
        for (const it of pending) out.set(it, failed(it, err));
        return;
      }
      if (!data.inventorySetQuantities) {
        const err = new UpstreamError({
          provider: PROVIDER,
          kind: "network",
          code: "upstream_not_applied",
          i18n: textRef("shopify-push-unconfirmed"),
        });
        for (const it of pending) out.set(it, failed(it, err));
        return;
      }
      const { inventoryAdjustmentGroup: grp, userErrors } = data.inventorySetQuantities;
      const after = new Map(
        (grp?.changes ?? []).flatMap((c) =>
          c.name === "available" && c.item
            ? [[`${c.item.id}@${c.location?.id ?? ""}`, c.quantityAfterChange ?? undefined] as const]
            : [],
        ),
      );
      /** What the item shows now: the sum over its entries of what Shopify reported (or what we sent). */
      const confirmed = (it: StockPush): number =>
        entries
          .filter((e) => e.it === it)
          .reduce(
            (sum, e) => sum + (after.get(`${it.ref}@${e.locationId}`) ?? after.get(`${it.ref}@`) ?? e.quantity),
            0,
          );
      /** Remembers what each of `it`'s locations holds now (what Shopify reported, or what we sent). */
      const remember = (it: StockPush) => {
        if (!mapped.length) return;
        for (const e of entries)
          if (e.it === it)
            lastLevels.rememberLevel(
              deps.id,
              it.ref,
              e.locationId,
              after.get(`${it.ref}@${e.locationId}`) ?? e.quantity,
            );
      };
      if (userErrors.length === 0) {
        for (const it of pending) {
          remember(it);
          out.set(it, { sku: it.sku, ok: true, quantity: confirmed(it) });
        }
        return;
      }
      const bad = new Map<number, UserError>();
      const general: UserError[] = [];
      /** Per item, the Shopify locations whose compare value was stale. */
      const staleAt = new Map<StockPush, string[]>();
      for (const e of userErrors) {
        const at = errorIndex(e);
        const entry = at === undefined ? undefined : entries[at];
        const i = entry ? pending.indexOf(entry.it) : -1;
        if (entry && isStale(e.code)) staleAt.set(entry.it, [...(staleAt.get(entry.it) ?? []), entry.locationId]);
        if (i >= 0 && (!bad.has(i) || (isStale(bad.get(i)?.code) && !isStale(e.code)))) bad.set(i, e);
        else if (i < 0) general.push(e);
      }
      if (bad.size === 0) {
        const code = general[0]?.code ?? undefined;
        const isRetry = code === "IDEMPOTENCY_CONCURRENT_REQUEST";
        const err = new UpstreamError({
          provider: PROVIDER,
          kind: isRetry ? "throttled" : "rejected",
          i18n: isRetry
            ? textRef("shopify-push-busy")
            : textRef("shopify-push-rejected", {
                code: code ?? "userError",
                detail: providerSaid(PROVIDER, general[0]?.message),
              }),
          ...(code ? { providerCode: code } : {}),
          details: { messages: general.map((g) => g.message) },
        });
        for (const it of pending) out.set(it, failed(it, err));
        return;
      }
      // Per location, a stale compare value is read again once (only the locations Shopify named) and the item retried.
      const again = grp ? [] : await rereadStale(pending, bad, staleAt, reread, signal);
      pending.forEach((it, i) => {
        const e = bad.get(i);
        if (!e || again.includes(it)) return;
        if (isStale(e.code)) {
          out.set(it, {
            sku: it.sku,
            ok: false,
            retryable: false,
            conflict: { actual: undefined },
            error: localized(
              ConflictError,
              "channel_quantity_changed",
              textRef("shopify-quantity-changed", { sku: it.sku, previous: String(it.previous ?? "?") }),
              { ref: it.ref, providerCode: e.code },
            ),
          });
        } else {
          const code = e.code ?? "USER_ERROR";
          out.set(
            it,
            failed(
              it,
              new UpstreamError({
                provider: PROVIDER,
                kind: "rejected",
                i18n: textRef("ch-refused-item", {
                  what: "quantity",
                  provider: PROVIDER,
                  sku: it.sku,
                  code,
                  detail: providerSaid(PROVIDER, e.message),
                }),
                providerCode: code,
                details: { field: e.field },
              }),
            ),
          );
        }
      });
      // When Shopify applied nothing (no adjustment group), the good items go out again without the bad ones.
      const rest = pending.filter((_, i) => !bad.has(i));
      if (grp) {
        for (const it of rest) {
          remember(it);
          out.set(it, { sku: it.sku, ok: true, quantity: confirmed(it) });
        }
        return;
      }
      pending = [...rest, ...again];
    }
    for (const it of pending) {
      if (!out.has(it))
        out.set(
          it,
          failed(
            it,
            new UpstreamError({
              provider: PROVIDER,
              kind: "network",
              code: "upstream_not_applied",
              i18n: textRef("shopify-batch-kept-rejecting", { sku: it.sku }),
            }),
          ),
        );
    }
  }

  const failed = (it: StockPush, err: unknown): PushOutcome => pushFailure(it.sku, err);

  /**
   * Items whose only problem was a stale per-location compare value and that were not read again yet: reads their
   * levels (one query), remembers the stale locations' current values and returns them to be pushed once more.
   */
  async function rereadStale(
    pending: StockPush[],
    bad: Map<number, UserError>,
    staleAt: Map<StockPush, string[]>,
    reread: Set<StockPush>,
    signal: AbortSignal | undefined,
  ): Promise<StockPush[]> {
    if (!mapped.length) return [];
    const items = pending.filter((it, i) => isStale(bad.get(i)?.code) && !reread.has(it));
    if (!items.length) return [];
    for (const it of items) reread.add(it);
    let read: ChannelStock[];
    try {
      read = await fetchStockAt(
        [items.map((i) => i.ref)],
        new Map(items.map((i) => [i.ref, i.sku])),
        signal ?? new AbortController().signal,
        false,
      );
    } catch (err) {
      log.warn({ channel: deps.id, err }, "shopify: re-reading stale location levels failed");
      return [];
    }
    const byRef = new Map(read.map((s) => [s.ref, s]));
    return items.filter((it) => {
      const s = byRef.get(it.ref);
      if (!s?.byLocation) return false;
      for (const gid of staleAt.get(it) ?? []) {
        const ours = mapped.find(([, g]) => g === gid)?.[0];
        const now = s.byLocation.find((b) => b.location === ours)?.quantity;
        if (now !== undefined) lastLevels.rememberLevel(deps.id, it.ref, gid, now);
      }
      return true;
    });
  }

  /**
   * Reads `queue`'s groups of ids one query each, yielding each answer. A group Shopify finds too costly
   * (MAX_COST_EXCEEDED) is halved, the page size with it, and read again, down to a single id.
   */
  async function* readHalvingOnCost<T>(queue: string[][], read: (group: string[]) => Promise<T>): AsyncGenerator<T> {
    for (let group = queue.shift(); group; group = queue.shift()) {
      let data: T;
      try {
        data = await read(group);
      } catch (err) {
        if (!isTooCostly(err) || group.length <= 1) throw err;
        readPage = Math.max(1, Math.floor(group.length / 2));
        queue.unshift(...chunk(group, readPage));
        continue;
      }
      yield data;
    }
  }

  async function fetchStock(items: ListingRef[], signal: AbortSignal): Promise<ChannelStock[]> {
    const out: ChannelStock[] = [];
    const bySku = new Map(items.map((i) => [i.ref, i.sku]));
    const queue = chunk(
      [...bySku.keys()].filter((r) => INVENTORY_ITEM_GID.test(r)),
      readPage,
    );
    if (mapped.length) return fetchStockAt(queue, bySku, signal);
    for await (const data of readHalvingOnCost(queue, (group) =>
      gql("stockLevels", docs.stockLevels, { ids: group, loc: pushLocationId }, StockData, {
        estimate: 2 + group.length * 5,
        isIdempotent: true,
        signal,
      }),
    )) {
      for (const n of data.nodes) {
        if (!n?.id) continue;
        const sku = bySku.get(n.id);
        if (!sku) continue;
        const qty = n.inventoryLevel?.quantities.find((q) => q.name === "available")?.quantity ?? 0;
        const status = (n.variant ?? n.variants?.nodes[0])?.product.status ?? "ACTIVE";
        out.push({
          sku,
          ref: n.id,
          quantity: qty,
          isListed: Boolean(n.inventoryLevel) && status === "ACTIVE",
        });
      }
    }
    return out;
  }

  /** Levels at every mapped location (one aliased inventoryLevel each): one ChannelStock per item, split by location. */
  async function fetchStockAt(
    queue: string[][],
    bySku: Map<string, Sku>,
    signal: AbortSignal,
    isRemembered = true,
  ): Promise<ChannelStock[]> {
    const out: ChannelStock[] = [];
    const vars = Object.fromEntries(mapped.map(([, gid], i) => [`l${i}`, gid]));
    for await (const data of readHalvingOnCost(queue, (group) =>
      gql("stockLevelsAt", docs.stockLevelsAt(mapped.length), { ids: group, ...vars }, StockAtData, {
        estimate: 2 + group.length * (3 + 2 * mapped.length),
        isIdempotent: true,
        signal,
      }),
    )) {
      for (const n of data.nodes) {
        if (!n?.id) continue;
        const sku = bySku.get(n.id);
        if (!sku) continue;
        const levels = mapped.map(([ours], i) => ({
          location: ours,
          level: parseAs(PROVIDER, LevelAt, n[`l${i}`] ?? null, "stockLevelsAt"),
        }));
        const byLocation = levels.map((l) => ({
          location: l.location,
          quantity: l.level?.quantities.find((q) => q.name === "available")?.quantity ?? 0,
        }));
        // What we read is the compare value of the next push there (a location that does not stock it is skipped).
        if (isRemembered)
          levels.forEach((l, i) => {
            const q = l.level?.quantities.find((x) => x.name === "available")?.quantity;
            const gid = mapped[i]?.[1];
            if (q !== undefined && gid) lastLevels.rememberLevel(deps.id, n.id as string, gid, q);
          });
        const status = (n.variant ?? n.variants?.nodes[0])?.product.status ?? "ACTIVE";
        out.push({
          sku,
          ref: n.id,
          quantity: byLocation.reduce((sum, l) => sum + l.quantity, 0),
          isListed: levels.some((l) => l.level) && status === "ACTIVE",
          byLocation,
        });
      }
    }
    return out;
  }

  function mapGqlOrder(o: z.infer<typeof GqlOrder>): ChannelOrder {
    const shipments = new Map<string, { carrier: string; trackingNo: string; shippedAt: Date }>();
    for (const f of o.fulfillments) {
      const t = f.trackingInfo.find((x) => x.number);
      if (!t?.number) continue;
      for (const fl of f.fulfillmentLineItems.nodes)
        shipments.set(fl.lineItem.id, {
          carrier: t.company ?? "",
          trackingNo: t.number,
          shippedAt: new Date(f.createdAt),
        });
    }
    const lines: ChannelOrderLine[] = o.lineItems.nodes.map((l) => {
      const price = l.originalUnitPriceSet?.shopMoney;
      const shipment = shipments.get(l.id);
      return {
        lineId: gidTail(l.id),
        sku: toSku(l.sku),
        ...(l.variant ? { ref: l.variant.inventoryItem.id } : {}),
        qty: l.currentQuantity > 0 ? l.currentQuantity : l.quantity,
        status: lineStatus({
          isOrderCancelled: Boolean(o.cancelledAt),
          currentQty: l.currentQuantity,
          unfulfilled: l.unfulfilledQuantity,
          financial: o.displayFinancialStatus,
        }),
        ...(price
          ? {
              price: {
                amountMinor: toMinor(price.amount, price.currencyCode) * l.quantity,
                currency: price.currencyCode,
              },
            }
          : {}),
        ...(shipment ? { shipment } : {}),
      };
    });
    const total = o.currentTotalPriceSet?.shopMoney;
    const addr = o.shippingAddress;
    return {
      orderId: asOrderId(gidTail(o.id)),
      createdAt: new Date(o.createdAt),
      updatedAt: new Date(o.updatedAt),
      ...(total
        ? { total: { amountMinor: toMinor(total.amount, total.currencyCode), currency: total.currencyCode } }
        : {}),
      ...(addr
        ? {
            destination: {
              ...(addr.countryCodeV2 ? { country: addr.countryCodeV2 } : {}),
              ...(addr.provinceCode ? { region: addr.provinceCode } : {}),
              ...(addr.city ? { city: addr.city } : {}),
            },
          }
        : {}),
      lines,
    };
  }

  function mapRestOrder(o: RestOrder): ChannelOrder {
    const shipments = new Map<number, { carrier: string; trackingNo: string; shippedAt: Date }>();
    for (const f of o.fulfillments ?? []) {
      if (!f.tracking_number) continue;
      for (const li of f.line_items)
        shipments.set(li.id, {
          carrier: f.tracking_company ?? "",
          trackingNo: f.tracking_number,
          shippedAt: new Date(f.created_at),
        });
    }
    const lines: ChannelOrderLine[] = o.line_items.map((l) => {
      const current = l.current_quantity ?? l.quantity;
      const unfulfilled = l.fulfillment_status === "fulfilled" ? 0 : (l.fulfillable_quantity ?? current);
      const shipment = shipments.get(l.id);
      return {
        lineId: String(l.id),
        sku: toSku(l.sku),
        qty: current > 0 ? current : l.quantity,
        status: lineStatus({
          isOrderCancelled: Boolean(o.cancelled_at),
          currentQty: current,
          unfulfilled,
          financial: o.financial_status,
        }),
        ...(l.price !== undefined
          ? { price: { amountMinor: toMinor(l.price, o.currency) * l.quantity, currency: o.currency } }
          : {}),
        ...(shipment ? { shipment } : {}),
      };
    });
    const a = o.shipping_address;
    return {
      orderId: asOrderId(String(o.id)),
      createdAt: new Date(o.created_at),
      updatedAt: new Date(o.updated_at),
      ...(o.total_price !== undefined
        ? { total: { amountMinor: toMinor(o.total_price, o.currency), currency: o.currency } }
        : {}),
      ...(a
        ? {
            destination: {
              ...(a.country_code ? { country: a.country_code } : {}),
              ...(a.province_code ? { region: a.province_code } : {}),
              ...(a.city ? { city: a.city } : {}),
            },
          }
        : {}),
      lines,
    };
  }

  // ---- Prices (issue 14): productVariantsBulkUpdate per product, aliased several products per request. ----

  /** Variant and product behind an InventoryItem ref, cached: a price push needs both. */
  const variantOf = new Map<string, { variantId: string; productId: string }>();

  /** Reads variant, product and price for refs (one nodes query per page) plus the shop currency. */
  async function readPrices(refs: string[], signal: AbortSignal) {
    const rows: { ref: string; variantId: string; productId: string; price: string }[] = [];
    let currency = "";
    for (const group of chunk(
      refs.filter((r) => INVENTORY_ITEM_GID.test(r)),
      readPage,
    )) {
      const data = await gql("priceLevels", docs.priceLevels, { ids: group }, PriceData, {
        estimate: 2 + group.length * 5,
        isIdempotent: true,
        signal,
      });
      currency = data.shop.currencyCode;
      for (const n of data.nodes) {
        const v = n?.variant ?? n?.variants?.nodes[0];
        if (!n?.id || !v) continue;
        variantOf.set(n.id, { variantId: v.id, productId: v.product.id });
        rows.push({ ref: n.id, variantId: v.id, productId: v.product.id, price: v.price });
      }
    }
    return { rows, currency };
  }

  async function fetchPrices(items: ListingRef[], signal: AbortSignal): Promise<ChannelPrice[]> {
    const bySku = new Map(items.map((i) => [i.ref, i.sku]));
    const { rows, currency } = await readPrices([...bySku.keys()], signal);
    return rows.flatMap((r) => {
      const sku = bySku.get(r.ref);
      return sku ? [{ sku, ref: r.ref, price: { amountMinor: toMinor(r.price, currency), currency } }] : [];
    });
  }

  async function pushPrices(items: PricePush[], opts: { idempotencyKey: string; signal: AbortSignal }) {
    const out = new Map<PricePush, PriceOutcome>();
    const bad = (it: PricePush, code: string, msg: TextRef) =>
      out.set(it, {
        sku: it.sku,
        ok: false,
        retryable: false,
        error: localized(InvalidInputError, code, msg, { ref: it.ref }),
      });
    const valid = items.filter((it) => {
      if (!INVENTORY_ITEM_GID.test(it.ref))
        bad(it, "bad_push_item", textRef("shopify-bad-ref", { ref: it.ref, sku: it.sku }));
      else if (it.price.amountMinor < 0) bad(it, "bad_price", textRef("ch-price-negative", { sku: it.sku }));
      else return true;
      return false;
    });
    if (!valid.length) return items.map((i) => must(out.get(i), "every price item has an outcome"));
    let currency: string;
    try {
      currency = (
        await readPrices(
          valid.map((i) => i.ref),
          opts.signal,
        )
      ).currency;
    } catch (err) {
      for (const it of valid) out.set(it, priceFailure(it.sku, err));
      return items.map((i) => must(out.get(i), "every price item has an outcome"));
    }
    const byProduct = new Map<string, { it: PricePush; variantId: string }[]>();
    for (const it of valid) {
      const v = variantOf.get(it.ref);
      if (!v) bad(it, "unknown_listing", textRef("shopify-no-variant", { sku: it.sku, ref: it.ref }));
      else if (it.price.currency !== currency)
        bad(
          it,
          "currency_mismatch",
          textRef("shopify-currency-mismatch", { shop: currency, sku: it.sku, currency: it.price.currency }),
        );
      else byProduct.set(v.productId, [...(byProduct.get(v.productId) ?? []), { it, variantId: v.variantId }]);
    }
    const groups = [...byProduct.entries()].flatMap(([productId, list]) =>
      chunk(list, MAX_BATCH).map((part) => ({ productId, part })),
    );
    for (const calls of chunk(groups, PRICE_ALIASES)) {
      const vars: Record<string, unknown> = {};
      calls.forEach((c, n) => {
        vars[`p${n}`] = c.productId;
        vars[`v${n}`] = c.part.map((x) => ({ id: x.variantId, price: fromMinor(x.it.price.amountMinor, currency) }));
      });
      let data: Record<string, z.infer<typeof BulkPriceResult>>;
      try {
        data = await gql("priceUpdate", docs.priceUpdate(calls.length), vars, BulkPriceData, {
          estimate: 10 * calls.length,
          isIdempotent: true,
          signal: opts.signal,
        });
      } catch (err) {
        for (const c of calls) for (const x of c.part) out.set(x.it, priceFailure(x.it.sku, err));
        continue;
      }
      calls.forEach((c, n) => {
        const r = data[`p${n}`];
        const errs = r?.userErrors ?? [];
        c.part.forEach((x, i) => {
          const back = r?.productVariants?.find((v) => v.id === x.variantId);
          const e =
            errs.find((u) => Array.isArray(u.field) && u.field[1] === String(i)) ?? (back ? undefined : errs[0]);
          if (e) {
            out.set(x.it, {
              sku: x.it.sku,
              ok: false,
              retryable: false,
              error: new UpstreamError({
                provider: PROVIDER,
                kind: "rejected",
                i18n: textRef("ch-refused-item-plain", {
                  what: "price",
                  provider: PROVIDER,
                  sku: x.it.sku,
                  detail: providerSaid(PROVIDER, e.message),
                }),
                providerCode: e.code ?? undefined,
              }),
            });
          } else if (back) {
            out.set(x.it, { sku: x.it.sku, ok: true, price: { amountMinor: toMinor(back.price, currency), currency } });
          } else {
            out.set(x.it, {
              sku: x.it.sku,
              ok: false,
              retryable: true,
              error: new UpstreamError({
                provider: PROVIDER,
                kind: "malformed",
                code: "upstream_not_applied",
                i18n: textRef("shopify-price-unconfirmed", { sku: x.it.sku }),
              }),
            });
          }
        });
      });
    }
    return items.map((i) => must(out.get(i), "every price item has an outcome"));
  }
  // ---- end of prices ----

  const channel: SalesChannel = {
    id: deps.id,
    kind: "shopify",
    maxBatch,
    ...(mapped.length ? { pushLocations: mapped.map(([ours]) => ours) } : {}),

    async listCatalog(signal) {
      const out: CatalogItem[] = [];
      let after: string | null = null;
      for (;;) {
        let data: z.infer<typeof CatalogData>;
        try {
          data = await gql("catalog", docs.catalog, { loc: pushLocationId, first: readPage, after }, CatalogData, {
            estimate: 2 + readPage * 5,
            isIdempotent: true,
            signal,
          });
        } catch (err) {
          if (!isTooCostly(err) || readPage <= 1) throw err;
          readPage = Math.max(1, Math.floor(readPage / 2));
          continue;
        }
        if (!data.location)
          throw new UpstreamError({
            provider: PROVIDER,
            kind: "rejected",
            code: "upstream_not_found",
            i18n: textRef("shopify-unknown-location", { location: pushLocationId }),
          });
        const page = data.location.inventoryLevels;
        for (const n of page.nodes) {
          out.push({
            sku: n.item.sku || null,
            ref: n.item.id,
            title: (n.item.variant ?? n.item.variants?.nodes[0])?.displayName ?? n.item.sku ?? n.item.id,
            quantity: n.quantities.find((q) => q.name === "available")?.quantity ?? 0,
          });
        }
        if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return out;
        after = page.pageInfo.endCursor;
      }
    },

    fetchStock,

    maxPriceBatch: MAX_BATCH * PRICE_ALIASES,
    pushPrices,
    fetchPrices,

    async pushStock(items, opts) {
      const out = new Map<StockPush, PushOutcome>();
      const seen = new Set<string>();
      const valid: StockPush[] = [];
      for (const it of items) {
        const problem = !INVENTORY_ITEM_GID.test(it.ref)
          ? textRef("shopify-bad-ref", { ref: it.ref, sku: it.sku })
          : !Number.isInteger(it.quantity) || it.quantity < 0 || it.quantity > 1_000_000_000
            ? textRef("ch-quantity-out-of-range", { qty: String(it.quantity), sku: it.sku })
            : seen.has(it.ref)
              ? textRef("ch-duplicate-in-push", { sku: it.sku })
              : undefined;
        if (problem)
          out.set(it, {
            sku: it.sku,
            ok: false,
            retryable: false,
            error: localized(InvalidInputError, "bad_push_item", problem, { ref: it.ref }),
          });
        else {
          seen.add(it.ref);
          valid.push(it);
        }
      }
      // Per location the compare value is each location's last known level (levels): from 2026-01 an unknown one is
      // sent as null (no check); before, compareQuantity is all or nothing per call, so items known everywhere compare.
      const isKnownEverywhere = (it: StockPush) => {
        const known = lastLevels.knownLevels(deps.id, it.ref);
        return mapped.every(([, gid]) => known.has(gid));
      };
      const groups: [StockPush[], boolean][] = mapped.length
        ? hasChangeFrom
          ? [[valid, true]]
          : [
              [valid.filter(isKnownEverywhere), true],
              [valid.filter((i) => !isKnownEverywhere(i)), false],
            ]
        : hasChangeFrom
          ? [[valid, true]]
          : [
              [valid.filter((i) => i.previous !== undefined), true],
              [valid.filter((i) => i.previous === undefined), false],
            ];
      let n = 0;
      for (const [list, useCas] of groups) {
        for (const part of chunk(list, maxBatch))
          await setGroup(part, `${opts.idempotencyKey}:${n++}`, useCas, opts.signal, out);
      }
      const conflicts = items.filter(
        (i) => out.get(i)?.ok === false && (out.get(i) as { conflict?: unknown }).conflict,
      );
      if (conflicts.length > 0) {
        try {
          const actual = new Map((await fetchStock(conflicts, opts.signal)).map((s) => [s.ref, s.quantity]));
          for (const it of conflicts) {
            const o = out.get(it);
            if (o && !o.ok && o.conflict) o.conflict.actual = actual.get(it.ref);
          }
        } catch (err) {
          log.warn({ err, channel: deps.id }, "shopify conflict read-back failed");
        }
      }
      return items.map((i) => must(out.get(i), "every push has an outcome"));
    },

    // Shopify has no per-variant listing switch short of archiving the whole product: delisting sets
    // `available` to 0 without compare-and-set; relisting is the next quantity push.
    setListed: delistAsZero(() => channel.pushStock),

    async fetchOrders(cursor, signal) {
      const c = orderCursor({
        provider: "Shopify",
        schema: Cursor,
        cursor,
        clock,
        lookbackDays: DEFAULT_LOOKBACK_DAYS,
      });
      let data: z.infer<typeof OrdersData>;
      for (;;) {
        try {
          data = await gql(
            "orders",
            docs.orders,
            { first: ordersPage, after: c.after ?? null, q: `updated_at:>='${c.since}'` },
            OrdersData,
            { estimate: 2 + ordersPage * 104, isIdempotent: true, signal },
          );
          break;
        } catch (err) {
          // Plans and API versions price queries differently; shrink the page rather than stop importing orders.
          if (!isTooCostly(err) || ordersPage <= 1) throw err;
          ordersPage = Math.max(1, Math.floor(ordersPage / 2));
          log.warn({ channel: deps.id, ordersPage }, "shopify orders query too costly; smaller pages");
        }
      }
      for (const o of data.orders.nodes) {
        let more = o.lineItems.pageInfo;
        while (more?.hasNextPage && more.endCursor) {
          const page = await gql("orderLines", docs.moreLines, { id: o.id, after: more.endCursor }, MoreLinesData, {
            estimate: 252,
            isIdempotent: true,
            signal,
          });
          if (!page.order) break;
          o.lineItems.nodes.push(...page.order.lineItems.nodes);
          more = page.order.lineItems.pageInfo;
        }
      }
      const orders = data.orders.nodes.map(mapGqlOrder);
      const high = [c.high, ...data.orders.nodes.map((o) => o.updatedAt)]
        .filter((x): x is string => Boolean(x))
        .sort()
        .at(-1);
      const hasMore = data.orders.pageInfo.hasNextPage && Boolean(data.orders.pageInfo.endCursor);
      const next = hasMore
        ? { since: c.since, after: data.orders.pageInfo.endCursor ?? undefined, high }
        : { since: high ?? c.since };
      return { orders, hasMore, nextCursor: JSON.stringify(next) } satisfies OrderPage;
    },

    parseWebhook(req: WebhookRequest): WebhookEvent {
      verifyHmacHeader(PROVIDER, config.webhookSecret, req.rawBody, header(req.headers, "x-shopify-hmac-sha256"));
      // A delivery signed with our secret but for another shop (one app, several shops) must not touch this channel.
      const domain = header(req.headers, "x-shopify-shop-domain")?.trim().toLowerCase();
      if (domain !== shopDomain)
        throw new ForbiddenError(
          "webhook_wrong_shop",
          `The Shopify webhook is for ${domain ? `shop ${domain}` : "no named shop"}, not ${shopDomain}.`,
        );
      // X-Shopify-Event-Id is shared by every delivery (and redelivery) of one merchant action; the webhook id
      // is per delivery, so it is only the fallback for deliveries that carry no event id.
      const eventId = header(req.headers, "x-shopify-event-id");
      const deliveryId = eventId ? `event:${eventId}` : header(req.headers, "x-shopify-webhook-id");
      const topic = header(req.headers, "x-shopify-topic");
      if (!deliveryId || !topic)
        throw new InvalidInputError(
          "webhook_malformed",
          "The Shopify webhook lacks X-Shopify-Webhook-Id or X-Shopify-Topic.",
        );
      if (ORDER_TOPICS.has(topic))
        return { kind: "order", deliveryId, order: mapRestOrder(parseWebhookJson(PROVIDER, req.rawBody, RestOrder)) };
      if (topic === "orders/edited") {
        const edit = parseWebhookJson(PROVIDER, req.rawBody, RestOrderEdit).order_edit;
        return { kind: "order_changed", deliveryId, orderId: asOrderId(String(edit.order_id)) };
      }
      if (topic === "refunds/create") {
        const r = parseWebhookJson(PROVIDER, req.rawBody, RestRefund);
        const tx = r.transactions.filter((t) => t.kind === "refund" && t.status === "success");
        const currency = tx[0]?.currency ?? r.refund_line_items[0]?.subtotal_set?.shop_money.currency_code ?? "XXX";
        const amountMinor = tx.length
          ? tx.reduce((s, t) => s + toMinor(t.amount, currency), 0)
          : r.refund_line_items.reduce(
              (s, l) => s + (l.subtotal_set ? toMinor(l.subtotal_set.shop_money.amount, currency) : 0),
              0,
            );
        return {
          kind: "refund",
          deliveryId,
          refund: {
            refundId: String(r.id),
            orderId: asOrderId(String(r.order_id)),
            amount: { amountMinor, currency },
            ...(r.note ? { reason: r.note } : {}),
          },
        };
      }
      return { kind: "ignored", deliveryId, topic };
    },

    // Shopify cancels in a background job; `job` is its handle. Cancelling twice is refused by Shopify, so an
    // order the orders feed already shows as cancelled is not sent again.
    async cancelOrder(orderId, opts) {
      const orderGid = orderId.startsWith("gid://") ? orderId : `gid://shopify/Order/${orderId}`;
      const data = await gql(
        "orderCancel",
        docs.orderCancel,
        { orderId: orderGid, reason: "OTHER", refund: false, restock: false, staffNote: opts.note },
        CancelData,
        { estimate: 10, isIdempotent: false, signal: opts.signal },
      );
      const r = data.orderCancel;
      const errors = r?.orderCancelUserErrors ?? [];
      if (!r || errors.length)
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          i18n: textRef("shopify-cancel-failed", {
            order: orderId,
            detail: providerSaid(PROVIDER, errors[0]?.message),
          }),
          details: { messages: errors.map((e) => e.message) },
        });
    },

    async refund(req: RefundRequest, opts): Promise<RefundReceipt> {
      const orderGid = req.orderId.startsWith("gid://") ? req.orderId : `gid://shopify/Order/${req.orderId}`;
      const tx = await gql("orderTransactions", docs.orderTransactions, { id: orderGid }, TransactionsData, {
        estimate: 25,
        isIdempotent: true,
        signal: opts.signal,
      });
      if (!tx.order)
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          code: "upstream_not_found",
          i18n: textRef("shopify-unknown-order", { order: req.orderId }),
        });
      const paid = tx.order.transactions.filter(
        (t) => (t.kind === "SALE" || t.kind === "CAPTURE") && t.status === "SUCCESS",
      );
      if (paid.length === 0)
        throw localized(ConflictError, "refund_no_payment", textRef("shopify-no-payment", { order: req.orderId }));
      // OrderTransaction.gateway is nullable but OrderTransactionInput.gateway is String!: never send null.
      const parent = paid.find((t) => t.gateway !== null);
      if (!parent)
        throw localized(ConflictError, "refund_no_gateway", textRef("refund-no-gateway", { order: req.orderId }), {
          order: req.orderId,
        });
      const input = {
        orderId: orderGid,
        note: req.reason,
        notify: false,
        transactions: [
          {
            orderId: orderGid,
            parentId: parent.id,
            gateway: parent.gateway,
            kind: "REFUND",
            amount: fromMinor(req.amount.amountMinor, req.amount.currency),
          },
        ],
      };
      // Without @idempotent (before 2026-04) a lost answer must not be retried: a second refund could be created.
      const key = hasIdempotent ? uuidFrom(opts.idempotencyKey, JSON.stringify(input)) : null;
      const data = await gql("refundCreate", docs.refund(key), { input }, RefundData, {
        estimate: 10,
        isIdempotent: hasIdempotent,
        signal: opts.signal,
      });
      const r = data.refundCreate;
      if (!r)
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          i18n: textRef("shopify-refund-unconfirmed", { order: req.orderId }),
        });
      if (!r.refund || r.userErrors.length) {
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          i18n: textRef("shopify-refund-refused", {
            order: req.orderId,
            detail: providerSaid(PROVIDER, r.userErrors[0]?.message),
          }),
          details: { messages: r.userErrors.map((e) => e.message) },
        });
      }
      const m = r.refund.totalRefundedSet.shopMoney;
      return {
        channelRefundId: gidTail(r.refund.id),
        amount: { amountMinor: toMinor(m.amount, m.currencyCode), currency: m.currencyCode },
      };
    },
  };
  return channel;
}
