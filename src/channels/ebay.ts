import { z } from "zod";
import { channelCommon, secret, url } from "../config-fields.js";
import { InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asOrderId, type Sku, SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { UpstreamError } from "../upstream/errors.js";
import { callWithPolicy, parseAs, type RawResponse, readJson, send, statusError } from "../upstream/http.js";
import { createTokenCache, orderCursor, priceFailure, providerSaid, pushFailure } from "./base.js";
import { type ChannelDeps, chunk, fromMinor, safeJson, toMinor } from "./http.js";
import type {
  CatalogItem,
  ChannelOrder,
  ChannelPrice,
  ChannelStock,
  ListingRef,
  OrderLineStatus,
  PriceOutcome,
  PricePush,
  PushOutcome,
  SalesChannel,
  StockPush,
} from "./types.js";

/** The `ebay` entry of `channels` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const EbayConfigSchema = z.object({
  ...channelCommon,
  kind: z.literal("ebay"),
  clientId: z.string().min(1),
  clientSecret: secret,
  refreshToken: secret,
  apiBase: url.optional(),
  marketplaceId: z.string().default("EBAY_US"),
  scopes: z
    .array(z.string().min(1))
    .default([
      "https://api.ebay.com/oauth/api_scope/sell.inventory",
      "https://api.ebay.com/oauth/api_scope/sell.fulfillment",
    ]),
  timeoutMs: z.number().int().positive().default(30_000),
});
/** A validated `ebay` channel config. */
export type EbayConfig = z.infer<typeof EbayConfigSchema>;

const PROVIDER = "eBay";
/** bulkUpdatePriceQuantity takes up to 25 requests per call. */
const MAX_BATCH = 25;
/** getInventoryItems page size: the OAS allows 1–200. */
const CATALOG_PAGE = 200;

/** The query of an eBay `next` link when it points at the same origin and path; otherwise undefined. */
function nextPageQuery(next: string, base: string, path: string): Record<string, string> | undefined {
  try {
    const u = new URL(next, base);
    if (u.origin !== new URL(base).origin || u.pathname !== path) return undefined;
    return Object.fromEntries(u.searchParams.entries());
  } catch {
    return undefined;
  }
}
const ORDERS_PAGE = 200;
const DEFAULT_LOOKBACK_DAYS = 7;

const ErrorDetail = z.looseObject({
  errorId: z.number(),
  domain: z.string().optional(),
  category: z.string().optional(),
  message: z.string().optional(),
  longMessage: z.string().optional(),
});
const ErrorBody = z.object({ errors: z.array(ErrorDetail) });
const Token = z.object({ access_token: z.string(), expires_in: z.number(), token_type: z.string().optional() });
const TokenError = z.object({ error: z.string(), error_description: z.string().optional() });

const BulkUpdateResponse = z.object({
  responses: z.array(
    z.looseObject({
      statusCode: z.number(),
      sku: z.string().optional(),
      offerId: z.string().optional(),
      errors: z.array(ErrorDetail).optional(),
    }),
  ),
});
const Availability = z
  .looseObject({ shipToLocationAvailability: z.looseObject({ quantity: z.number().optional() }).optional() })
  .optional();
const BulkGetResponse = z.object({
  responses: z.array(
    z.looseObject({
      statusCode: z.number(),
      sku: z.string(),
      inventoryItem: z.looseObject({ availability: Availability }).optional(),
    }),
  ),
});
/** getInventoryItems answer (sell_inventory_v1_oas3.json `InventoryItems`): `offset` is a page number, `size` the page count. */
const InventoryPage = z.looseObject({
  total: z.number().optional(),
  href: z.string().optional(),
  next: z.string().optional(),
  prev: z.string().optional(),
  limit: z.number().optional(),
  size: z.number().optional(),
  inventoryItems: z
    .array(
      z.looseObject({
        sku: z.string(),
        product: z.looseObject({ title: z.string().optional() }).optional(),
        availability: Availability,
      }),
    )
    .default([]),
});
const Offers = z.looseObject({
  offers: z
    .array(
      z.looseObject({
        offerId: z.string(),
        status: z.string().optional(),
        marketplaceId: z.string().optional(),
        pricingSummary: z
          .looseObject({ price: z.looseObject({ value: z.string(), currency: z.string() }).optional() })
          .optional(),
      }),
    )
    .default([]),
});

const Amount = z.looseObject({ value: z.string(), currency: z.string() });
const Order = z.looseObject({
  orderId: z.string(),
  creationDate: z.string(),
  lastModifiedDate: z.string(),
  orderFulfillmentStatus: z.string().optional(),
  orderPaymentStatus: z.string().optional(),
  cancelStatus: z.looseObject({ cancelState: z.string().optional() }).optional(),
  pricingSummary: z.looseObject({ total: Amount.optional() }).optional(),
  lineItems: z.array(
    z.looseObject({
      lineItemId: z.string(),
      sku: z.string().optional(),
      quantity: z.number(),
      lineItemFulfillmentStatus: z.string().optional(),
      total: Amount.optional(),
    }),
  ),
  fulfillmentStartInstructions: z
    .array(
      z.looseObject({
        shippingStep: z
          .looseObject({
            shipTo: z
              .looseObject({
                contactAddress: z
                  .looseObject({
                    countryCode: z.string().optional(),
                    stateOrProvince: z.string().optional(),
                    city: z.string().optional(),
                  })
                  .optional(),
              })
              .optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});
const OrderPage = z.looseObject({
  total: z.number().optional(),
  offset: z.number().optional(),
  next: z.string().optional(),
  orders: z.array(Order).default([]),
});

const Cursor = z.object({ since: z.string(), offset: z.number().int().min(0).optional(), high: z.string().optional() });

/** Parses an eBay ref: the seller SKU, optionally followed by `@offerId[,offerId]` for published offers. */
export function parseEbayRef(ref: string): { sku: string; offerIds: string[] } {
  const at = ref.lastIndexOf("@");
  if (at < 0) return { sku: ref, offerIds: [] };
  return {
    sku: ref.slice(0, at),
    offerIds: ref
      .slice(at + 1)
      .split(",")
      .filter(Boolean),
  };
}

const toSku = (s: string | undefined): Sku | null => {
  const r = SkuSchema.safeParse(s ?? "");
  return r.success ? r.data : null;
};

function lineStatus(o: z.infer<typeof Order>, fulfillment: string | undefined): OrderLineStatus {
  if (o.cancelStatus?.cancelState === "CANCELED") return "cancelled";
  if (fulfillment === "FULFILLED") return "shipped";
  switch (o.orderPaymentStatus) {
    case "PENDING":
      return "pending";
    case "FAILED":
    case "FULLY_REFUNDED":
      return "cancelled";
    default:
      return "paid";
  }
}

/**
 * Builds the eBay adapter (Sell Inventory + Fulfillment APIs). The user access token comes from the
 * refresh-token grant and is cached until five minutes before expiry. Quantities go out through
 * `bulk_update_price_quantity`, ≤25 SKUs per call, one outcome per SKU from eBay's per-item responses;
 * when the ref names offers, their `availableQuantity` is set to the same value.
 *
 * @example
 * const ebay = createEbayChannel({ id, config, http, log, clock, limiter });
 * await ebay.pushStock([{ sku, ref: "MUG-1@7001234", quantity: 3 }], { idempotencyKey: "p:4", signal });
 */
export function createEbayChannel(
  deps: ChannelDeps & { config: EbayConfig },
): SalesChannel & { readonly tokenRefreshes: number } {
  const { config, clock } = deps;
  const base = (config.apiBase ?? "https://api.ebay.com").replace(/\/$/, "");

  const tokens = createTokenCache({
    clock,
    secrets: deps.secrets,
    issue: (signal) =>
      callWithPolicy(deps, { op: "ebay.token", isIdempotent: true, signal }, async () => {
        const body = new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: config.refreshToken,
          scope: config.scopes.join(" "),
        });
        const res = await send(deps.http, PROVIDER, {
          method: "POST",
          url: `${base}/identity/v1/oauth2/token`,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString("base64")}`,
          },
          body: body.toString(),
          timeoutMs: config.timeoutMs,
          signal,
        });
        if (res.status !== 200) {
          const e = TokenError.safeParse(safeJson(res.text));
          if (res.status === 400 || res.status === 401) {
            throw new UpstreamError({
              provider: PROVIDER,
              kind: "auth",
              i18n: textRef("ebay-oauth-refused", { code: e.success ? e.data.error : String(res.status) }),
              status: res.status,
              ...(e.success ? { providerCode: e.data.error } : {}),
            });
          }
          throw statusError({
            provider: PROVIDER,
            status: res.status,
            headers: res.headers,
            now: clock.now(),
            providerCode: e.success ? e.data.error : undefined,
          });
        }
        const t = parseAs(PROVIDER, Token, readJson(PROVIDER, res), "OAuth token");
        return { accessToken: t.access_token, expiresInSeconds: t.expires_in };
      }),
  });

  async function api(
    op: string,
    method: "GET" | "POST",
    path: string,
    opts: {
      query?: Record<string, string | undefined>;
      json?: unknown;
      signal?: AbortSignal | undefined;
      okStatuses?: number[];
    },
  ): Promise<{ body: unknown; res: RawResponse }> {
    return callWithPolicy(deps, { op: `ebay.${op}`, isIdempotent: true, signal: opts.signal }, async () => {
      const token = await tokens.get(opts.signal);
      const u = new URL(`${base}${path}`);
      for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
      const res = await send(deps.http, PROVIDER, {
        method,
        url: u.toString(),
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          "content-language": "en-US",
          "x-ebay-c-marketplace-id": config.marketplaceId,
        },
        ...(opts.json !== undefined ? { json: opts.json } : {}),
        timeoutMs: config.timeoutMs,
        signal: opts.signal,
      });
      if (!(opts.okStatuses ?? [200, 201, 204]).includes(res.status)) {
        const e = ErrorBody.safeParse(safeJson(res.text));
        const first = e.success ? e.data.errors[0] : undefined;
        if (res.status === 401) tokens.invalidate();
        const err = statusError({
          provider: PROVIDER,
          status: res.status,
          headers: res.headers,
          now: clock.now(),
          providerCode: first?.errorId,
          providerMessage: first?.message,
        });
        // eBay marks transient system failures with category APPLICATION even on 4xx-looking answers.
        if (!err.retryable && first?.category === "APPLICATION")
          throw new UpstreamError({
            provider: PROVIDER,
            kind: "network",
            code: "upstream_unavailable",
            ...(err.i18n ? { i18n: err.i18n } : { message: err.userMessage }),
            status: res.status,
            providerCode: first.errorId,
          });
        throw err;
      }
      return { body: res.status === 204 || res.text === "" ? undefined : readJson(PROVIDER, res), res };
    });
  }

  const failed = (it: StockPush, err: unknown): PushOutcome => pushFailure(it.sku, err);

  /** eBay's per-item answers for one SKU as an error, or undefined when every answer was 2xx. */
  function itemError(
    it: ListingRef,
    what: "quantity" | "price",
    mine: z.infer<typeof BulkUpdateResponse>["responses"],
  ): UpstreamError | undefined {
    if (mine.length === 0)
      return new UpstreamError({
        provider: PROVIDER,
        kind: "malformed",
        code: "upstream_incomplete",
        i18n: textRef("ch-no-answer", { provider: PROVIDER, sku: it.sku }),
      });
    const bad = mine.find((r) => r.statusCode < 200 || r.statusCode >= 300);
    if (!bad) return undefined;
    const e = bad.errors?.[0];
    const kind =
      bad.statusCode === 429
        ? "throttled"
        : bad.statusCode >= 500 || e?.category === "APPLICATION"
          ? "network"
          : "rejected";
    return new UpstreamError({
      provider: PROVIDER,
      kind,
      ...(kind === "network" ? { code: "upstream_unavailable" as const } : {}),
      i18n: textRef("ch-refused-item", {
        what,
        provider: PROVIDER,
        sku: it.sku,
        code: String(e?.errorId ?? bad.statusCode),
        detail: providerSaid(PROVIDER, e?.message),
      }),
      status: bad.statusCode,
      ...(e ? { providerCode: e.errorId } : {}),
      details: { providerMessage: e?.message, offerId: bad.offerId },
    });
  }

  /** The offers of a seller SKU in our marketplace (getOffers), for refs that do not name them. */
  async function offersOf(sku: string, signal: AbortSignal): Promise<z.infer<typeof Offers>["offers"]> {
    const { body } = await api("getOffers", "GET", "/sell/inventory/v1/offer", {
      query: { sku, marketplace_id: config.marketplaceId },
      signal,
    });
    return parseAs(PROVIDER, Offers, body, "offers").offers;
  }

  /** Prices live on offers: `offers[].price {value, currency}` in bulk_update_price_quantity, ≤25 SKUs a call. */
  async function pushPriceBatch(
    group: { it: PricePush; sku: string; offerIds: string[] }[],
    signal: AbortSignal,
    out: Map<PricePush, PriceOutcome>,
  ): Promise<void> {
    const requests = group.map(({ it, sku, offerIds }) => ({
      sku,
      offers: offerIds.map((offerId) => ({
        offerId,
        price: { value: fromMinor(it.price.amountMinor, it.price.currency), currency: it.price.currency },
      })),
    }));
    let parsed: z.infer<typeof BulkUpdateResponse>;
    try {
      const { body } = await api("bulkUpdatePriceQuantity", "POST", "/sell/inventory/v1/bulk_update_price_quantity", {
        json: { requests },
        signal,
        okStatuses: [200, 207],
      });
      parsed = parseAs(PROVIDER, BulkUpdateResponse, body, "bulk update answer");
    } catch (err) {
      for (const g of group) out.set(g.it, priceFailure(g.it.sku, err));
      return;
    }
    for (const g of group) {
      const err = itemError(
        g.it,
        "price",
        parsed.responses.filter((r) => r.sku === g.sku),
      );
      out.set(g.it, err ? priceFailure(g.it.sku, err) : { sku: g.it.sku, ok: true, price: g.it.price });
    }
  }

  async function pushBatch(group: StockPush[], signal: AbortSignal, out: Map<StockPush, PushOutcome>): Promise<void> {
    const requests = group.map((it) => {
      const { sku, offerIds } = parseEbayRef(it.ref);
      return {
        sku,
        shipToLocationAvailability: { quantity: it.quantity },
        ...(offerIds.length
          ? { offers: offerIds.map((offerId) => ({ offerId, availableQuantity: it.quantity })) }
          : {}),
      };
    });
    let body: unknown;
    try {
      ({ body } = await api("bulkUpdatePriceQuantity", "POST", "/sell/inventory/v1/bulk_update_price_quantity", {
        json: { requests },
        signal,
        okStatuses: [200, 207],
      }));
    } catch (err) {
      for (const it of group) out.set(it, failed(it, err));
      return;
    }
    let parsed: z.infer<typeof BulkUpdateResponse>;
    try {
      parsed = parseAs(PROVIDER, BulkUpdateResponse, body, "bulk update answer");
    } catch (err) {
      for (const it of group) out.set(it, failed(it, err));
      return;
    }
    group.forEach((it, i) => {
      const sku = must(requests[i], "one request per item").sku;
      const err = itemError(
        it,
        "quantity",
        parsed.responses.filter((r) => r.sku === sku),
      );
      out.set(it, err ? failed(it, err) : { sku: it.sku, ok: true, quantity: it.quantity });
    });
  }

  function mapOrder(o: z.infer<typeof Order>): ChannelOrder {
    const total = o.pricingSummary?.total;
    const addr = o.fulfillmentStartInstructions?.[0]?.shippingStep?.shipTo?.contactAddress;
    return {
      orderId: asOrderId(o.orderId),
      createdAt: new Date(o.creationDate),
      updatedAt: new Date(o.lastModifiedDate),
      ...(total ? { total: { amountMinor: toMinor(total.value, total.currency), currency: total.currency } } : {}),
      ...(addr
        ? {
            destination: {
              ...(addr.countryCode ? { country: addr.countryCode } : {}),
              ...(addr.stateOrProvince ? { region: addr.stateOrProvince } : {}),
              ...(addr.city ? { city: addr.city } : {}),
            },
          }
        : {}),
      lines: o.lineItems.map((l) => ({
        lineId: l.lineItemId,
        sku: toSku(l.sku),
        ...(l.sku ? { ref: l.sku } : {}),
        qty: l.quantity,
        status: lineStatus(o, l.lineItemFulfillmentStatus),
        ...(l.total
          ? { price: { amountMinor: toMinor(l.total.value, l.total.currency), currency: l.total.currency } }
          : {}),
      })),
    };
  }

  return {
    id: deps.id,
    kind: "ebay",
    maxBatch: MAX_BATCH,
    get tokenRefreshes() {
      return tokens.refreshes;
    },

    async listCatalog(signal) {
      // getInventoryItems `offset` is the page number (OAS: "the second page of records has a value of 1");
      // follow `next` (relative or absolute) and fall back to page+1 when it is unusable.
      const out: CatalogItem[] = [];
      const seen = new Set<string>();
      const inventoryPath = "/sell/inventory/v1/inventory_item";
      let query: Record<string, string> = { limit: String(CATALOG_PAGE), offset: "0" };
      for (let pageNo = 0; ; pageNo++) {
        const page = parseAs(
          PROVIDER,
          InventoryPage,
          (await api("getInventoryItems", "GET", inventoryPath, { query, signal })).body,
          "inventory page",
        );
        for (const it of page.inventoryItems) {
          if (seen.has(it.sku)) continue;
          seen.add(it.sku);
          const q = it.availability?.shipToLocationAvailability?.quantity;
          out.push({
            sku: it.sku,
            ref: it.sku,
            title: it.product?.title ?? it.sku,
            ...(q !== undefined ? { quantity: q } : {}),
          });
        }
        const limit = page.limit ?? CATALOG_PAGE;
        const pages = page.total !== undefined ? Math.ceil(page.total / limit) : Number.POSITIVE_INFINITY;
        if (!page.next || page.inventoryItems.length === 0 || pageNo + 1 >= pages) return out;
        query = nextPageQuery(page.next, base, inventoryPath) ?? { limit: String(limit), offset: String(pageNo + 1) };
      }
    },

    async fetchStock(items, signal): Promise<ChannelStock[]> {
      const out: ChannelStock[] = [];
      for (const group of chunk(items, MAX_BATCH)) {
        const bySku = new Map(group.map((g) => [parseEbayRef(g.ref).sku, g]));
        const { body } = await api("bulkGetInventoryItem", "POST", "/sell/inventory/v1/bulk_get_inventory_item", {
          json: { requests: [...bySku.keys()].map((sku) => ({ sku })) },
          signal,
          okStatuses: [200, 207],
        });
        for (const r of parseAs(PROVIDER, BulkGetResponse, body, "bulk get answer").responses) {
          const ref = bySku.get(r.sku);
          if (!ref || r.statusCode !== 200) continue;
          // The inventory item does not say whether an offer is published; listing state is tracked by setListed.
          out.push({
            sku: ref.sku,
            ref: ref.ref,
            quantity: r.inventoryItem?.availability?.shipToLocationAvailability?.quantity ?? 0,
            isListed: true,
          });
        }
      }
      return out;
    },

    async pushStock(items, opts) {
      const out = new Map<StockPush, PushOutcome>();
      const valid: StockPush[] = [];
      for (const it of items) {
        const { sku } = parseEbayRef(it.ref);
        if (!sku || sku.length > 50 || !Number.isInteger(it.quantity) || it.quantity < 0) {
          out.set(it, {
            sku: it.sku,
            ok: false,
            retryable: false,
            error: localized(
              InvalidInputError,
              "bad_push_item",
              textRef("ebay-bad-sku", { qty: String(it.quantity), ref: sku, sku: it.sku }),
            ),
          });
        } else valid.push(it);
      }
      for (const group of chunk(valid, MAX_BATCH)) await pushBatch(group, opts.signal, out);
      return items.map((i) => must(out.get(i), "every push has an outcome"));
    },

    maxPriceBatch: MAX_BATCH,

    async pushPrices(items, opts) {
      const out = new Map<PricePush, PriceOutcome>();
      const ready: { it: PricePush; sku: string; offerIds: string[] }[] = [];
      for (const it of items) {
        try {
          if (!Number.isSafeInteger(it.price.amountMinor) || it.price.amountMinor <= 0)
            throw localized(InvalidInputError, "bad_price", textRef("ch-price-not-positive", { sku: it.sku }));
          const { sku, offerIds } = parseEbayRef(it.ref);
          const ids = offerIds.length ? offerIds : (await offersOf(sku, opts.signal)).map((o) => o.offerId);
          if (!ids.length)
            throw localized(
              InvalidInputError,
              "ebay_no_offer",
              textRef("ebay-no-offer", { ref: sku, marketplace: config.marketplaceId, sku: it.sku }),
            );
          ready.push({ it, sku, offerIds: ids });
        } catch (err) {
          out.set(it, priceFailure(it.sku, err));
        }
      }
      for (const group of chunk(ready, MAX_BATCH)) await pushPriceBatch(group, opts.signal, out);
      return items.map((i) => must(out.get(i), "every price has an outcome"));
    },

    /** The price of each SKU's first offer in our marketplace (getOffers' pricingSummary). */
    async fetchPrices(items, signal) {
      const out: ChannelPrice[] = [];
      for (const r of items) {
        const { sku, offerIds } = parseEbayRef(r.ref);
        const offers = await offersOf(sku, signal);
        const offer = offers.find((o) => offerIds.includes(o.offerId)) ?? offers[0];
        const p = offer?.pricingSummary?.price;
        if (p)
          out.push({
            sku: r.sku,
            ref: r.ref,
            price: { amountMinor: toMinor(p.value, p.currency), currency: p.currency },
          });
      }
      return out;
    },

    async setListed(item, isListed, opts) {
      const parsed = parseEbayRef(item.ref);
      let offerIds = parsed.offerIds;
      if (offerIds.length === 0) {
        const { body } = await api("getOffers", "GET", "/sell/inventory/v1/offer", {
          query: { sku: parsed.sku, marketplace_id: config.marketplaceId },
          signal: opts.signal,
        });
        offerIds = parseAs(PROVIDER, Offers, body, "offers").offers.map((o) => o.offerId);
      }
      for (const offerId of offerIds) {
        await api(
          isListed ? "publishOffer" : "withdrawOffer",
          "POST",
          `/sell/inventory/v1/offer/${encodeURIComponent(offerId)}/${isListed ? "publish" : "withdraw"}`,
          // publishOffer and withdrawOffer take no request body (sell_inventory_v1_oas3.json).
          { signal: opts.signal },
        );
      }
    },

    async fetchOrders(cursor, signal) {
      const c = orderCursor({ provider: "eBay", schema: Cursor, cursor, clock, lookbackDays: DEFAULT_LOOKBACK_DAYS });
      const offset = c.offset ?? 0;
      const { body } = await api("getOrders", "GET", "/sell/fulfillment/v1/order", {
        query: { filter: `lastmodifieddate:[${c.since}..]`, limit: String(ORDERS_PAGE), offset: String(offset) },
        signal,
      });
      const page = parseAs(PROVIDER, OrderPage, body, "orders page");
      const high = [c.high, ...page.orders.map((o) => new Date(o.lastModifiedDate).toISOString())]
        .filter((x): x is string => Boolean(x))
        .sort()
        .at(-1);
      const hasMore = Boolean(page.next) && page.orders.length > 0;
      const next = hasMore ? { since: c.since, offset: offset + page.orders.length, high } : { since: high ?? c.since };
      return { orders: page.orders.map(mapOrder), hasMore, nextCursor: JSON.stringify(next) };
    },
  };
}
