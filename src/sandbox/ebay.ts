import {
  createFaults,
  type FaultOptions,
  type Faults,
  type RecordedRequest,
  type SimResponse,
  startSimServer,
} from "./common.js";

/** An inventory item (with its offers) in the fake. */
export interface SimEbayItem {
  sku: string;
  title: string;
  quantity: number;
  offers: {
    offerId: string;
    availableQuantity: number;
    status: "PUBLISHED" | "UNPUBLISHED";
    /** The offer's price (`pricingSummary.price`), once one was set. */
    price?: { value: string; currency: string };
  }[];
}

/** State tests may inspect and change. */
export interface SimEbayState {
  items: Map<string, SimEbayItem>;
  /** Orders in the Fulfillment API shape. */
  orders: Record<string, unknown>[];
  changes: { sku: string; to: number }[];
  /** Applied offer price changes, in order. */
  priceChanges: { sku: string; offerId: string; value: string; currency: string }[];
  tokensIssued: number;
  /** SKUs whose next bulk update answers with this per-item error. */
  itemErrors: Map<string, { statusCode: number; errorId: number; category: string; message: string }>;
}

/** Options for {@link startEbaySim}. */
export interface EbaySimOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  faults?: FaultOptions;
}

/** A running eBay fake. */
export interface EbaySim {
  url: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  state: SimEbayState;
  requests: RecordedRequest[];
  faults: Faults;
  calls(op: string): RecordedRequest[];
  seedItems(count: number, opts?: { prefix?: string; quantity?: number; withOffer?: boolean }): SimEbayItem[];
  close(): Promise<void>;
}

/**
 * Starts a small eBay fake: the identity refresh-token grant, Sell Inventory (bulk_update_price_quantity
 * with 200/207 per-item responses, bulk_get_inventory_item, inventory_item paging, offers, publish and
 * withdraw) and Fulfillment getOrders with the `lastmodifieddate` filter and offset paging.
 */
export async function startEbaySim(opts: EbaySimOptions = {}): Promise<EbaySim> {
  const clientId = opts.clientId ?? "Sandbox-stockrad-PRD-0123456789";
  const clientSecret = opts.clientSecret ?? "PRD-sandboxsecret0123";
  const refreshToken = opts.refreshToken ?? "v^1.1#i^1#sandbox-refresh";
  const requests: RecordedRequest[] = [];
  const faults = createFaults(opts.faults);
  const state: SimEbayState = {
    items: new Map(),
    orders: [],
    changes: [],
    priceChanges: [],
    tokensIssued: 0,
    itemErrors: new Map(),
  };
  const tokens = new Set<string>();
  let n = 0;
  const errors = (
    status: number,
    errorId: number,
    message: string,
    category = "REQUEST",
    domain = "API_INVENTORY",
  ): SimResponse => ({ status, json: { errors: [{ errorId, domain, category, message, longMessage: message }] } });

  function route(req: RecordedRequest): SimResponse {
    let m: RegExpExecArray | null;
    if (req.method === "POST" && req.path === "/identity/v1/oauth2/token") {
      req.op = "token";
      const auth = String(req.headers.authorization ?? "");
      const f = new URLSearchParams(req.body);
      if (auth !== `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`)
        return { status: 401, json: { error: "invalid_client", error_description: "client authentication failed" } };
      if (f.get("grant_type") !== "refresh_token" || f.get("refresh_token") !== refreshToken)
        return {
          status: 400,
          json: {
            error: "invalid_grant",
            error_description: "the provided authorization refresh token is invalid or was issued to another client",
          },
        };
      const token = `v^1.1#i^1#sandbox-access-${++n}`;
      tokens.add(token);
      state.tokensIssued += 1;
      return { status: 200, json: { access_token: token, expires_in: 7200, token_type: "User Access Token" } };
    }
    const bearer = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!tokens.has(bearer)) return errors(401, 1001, "Invalid access token", "REQUEST", "OAuth");
    if (req.method === "POST" && req.path === "/sell/inventory/v1/bulk_update_price_quantity") {
      req.op = "bulkUpdatePriceQuantity";
      const body = JSON.parse(req.body || "{}") as {
        requests?: {
          sku: string;
          shipToLocationAvailability?: { quantity: number };
          offers?: { offerId: string; availableQuantity?: number; price?: { value?: unknown; currency?: unknown } }[];
        }[];
      };
      const reqs = body.requests ?? [];
      if (reqs.length === 0 || reqs.length > 25)
        return errors(400, 25002, "The request must contain 1 to 25 requests.");
      const responses: Record<string, unknown>[] = [];
      for (const r of reqs) {
        const item = state.items.get(r.sku);
        const injected = state.itemErrors.get(r.sku);
        if (injected) {
          state.itemErrors.delete(r.sku);
          responses.push({
            statusCode: injected.statusCode,
            sku: r.sku,
            errors: [
              {
                errorId: injected.errorId,
                domain: "API_INVENTORY",
                category: injected.category,
                message: injected.message,
              },
            ],
          });
          continue;
        }
        if (!item) {
          responses.push({
            statusCode: 404,
            sku: r.sku,
            errors: [
              {
                errorId: 25702,
                domain: "API_INVENTORY",
                category: "REQUEST",
                message: `SKU ${r.sku} is not available in the system`,
              },
            ],
          });
          continue;
        }
        if (r.shipToLocationAvailability) {
          item.quantity = r.shipToLocationAvailability.quantity;
          state.changes.push({ sku: r.sku, to: item.quantity });
        }
        for (const o of r.offers ?? []) {
          const offer = item.offers.find((x) => x.offerId === o.offerId);
          if (!offer)
            responses.push({
              statusCode: 400,
              sku: r.sku,
              offerId: o.offerId,
              errors: [
                {
                  errorId: 25713,
                  domain: "API_INVENTORY",
                  category: "REQUEST",
                  message: "This Offer is not available.",
                },
              ],
            });
          else if (
            o.price !== undefined &&
            (typeof o.price.value !== "string" ||
              !/^\d+(\.\d{1,2})?$/.test(o.price.value) ||
              !(Number(o.price.value) > 0) ||
              typeof o.price.currency !== "string" ||
              !/^[A-Z]{3}$/.test(o.price.currency))
          )
            responses.push({
              statusCode: 400,
              sku: r.sku,
              offerId: o.offerId,
              errors: [
                {
                  errorId: 25709,
                  domain: "API_INVENTORY",
                  category: "REQUEST",
                  message: "Invalid value for price. The price must be a decimal string above 0 with a currency code.",
                },
              ],
            });
          else {
            if (o.availableQuantity !== undefined) offer.availableQuantity = o.availableQuantity;
            if (o.price) {
              offer.price = { value: o.price.value as string, currency: o.price.currency as string };
              state.priceChanges.push({ sku: r.sku, offerId: o.offerId, ...offer.price });
            }
            responses.push({ statusCode: 200, sku: r.sku, offerId: o.offerId });
          }
        }
        if (!r.offers?.length) responses.push({ statusCode: 200, sku: r.sku });
      }
      const isMulti = responses.some((r) => r.statusCode !== 200);
      return { status: isMulti ? 207 : 200, json: { responses } };
    }
    if (req.method === "POST" && req.path === "/sell/inventory/v1/bulk_get_inventory_item") {
      req.op = "bulkGetInventoryItem";
      const body = JSON.parse(req.body || "{}") as { requests?: { sku: string }[] };
      const responses = (body.requests ?? []).map(({ sku }) => {
        const it = state.items.get(sku);
        return it
          ? {
              statusCode: 200,
              sku,
              inventoryItem: {
                sku,
                product: { title: it.title },
                availability: { shipToLocationAvailability: { quantity: it.quantity } },
              },
            }
          : { statusCode: 404, sku, errors: [{ errorId: 25702, message: "SKU not found" }] };
      });
      return { status: responses.every((r) => r.statusCode === 200) ? 200 : 207, json: { responses } };
    }
    if (req.method === "GET" && req.path === "/sell/inventory/v1/inventory_item") {
      req.op = "getInventoryItems";
      const all = [...state.items.values()];
      // sell_inventory_v1_oas3.json: limit 1–200 (default 25); offset is the page number; size = page count.
      const limit = Number(req.query.limit ?? 25);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        return { status: 400, json: { errors: [{ errorId: 25709, message: "Invalid value for limit" }] } };
      }
      const pageNo = Number(req.query.offset ?? 0);
      const page = all.slice(pageNo * limit, (pageNo + 1) * limit);
      const pages = Math.ceil(all.length / limit);
      return {
        status: 200,
        json: {
          href: `/sell/inventory/v1/inventory_item?offset=${pageNo}&limit=${limit}`,
          total: all.length,
          size: pages,
          limit,
          ...(pageNo + 1 < pages
            ? { next: `/sell/inventory/v1/inventory_item?offset=${pageNo + 1}&limit=${limit}` }
            : {}),
          ...(pageNo > 0 ? { prev: `/sell/inventory/v1/inventory_item?offset=${pageNo - 1}&limit=${limit}` } : {}),
          inventoryItems: page.map((i) => ({
            sku: i.sku,
            product: { title: i.title },
            availability: { shipToLocationAvailability: { quantity: i.quantity } },
          })),
        },
      };
    }
    if (req.method === "GET" && req.path === "/sell/inventory/v1/offer") {
      req.op = "getOffers";
      const it = state.items.get(req.query.sku ?? "");
      if (!it) return errors(404, 25713, "This Offer is not available.");
      return {
        status: 200,
        json: {
          total: it.offers.length,
          offers: it.offers.map((o) => ({
            offerId: o.offerId,
            sku: it.sku,
            marketplaceId: "EBAY_US",
            format: "FIXED_PRICE",
            availableQuantity: o.availableQuantity,
            status: o.status,
            ...(o.price ? { pricingSummary: { price: o.price } } : {}),
          })),
        },
      };
    }
    m = req.method === "POST" ? /^\/sell\/inventory\/v1\/offer\/([^/]+)\/(publish|withdraw)$/.exec(req.path) : null;
    if (m) {
      const offerId = m[1];
      req.op = m[2] === "publish" ? "publishOffer" : "withdrawOffer";
      const offer = [...state.items.values()].flatMap((i) => i.offers).find((o) => o.offerId === offerId);
      if (!offer) return errors(404, 25713, "This Offer is not available.");
      offer.status = m[2] === "publish" ? "PUBLISHED" : "UNPUBLISHED";
      return {
        status: 200,
        json: m[2] === "publish" ? { listingId: `1100${offer.offerId}` } : { listingId: `1100${offer.offerId}` },
      };
    }
    if (req.method === "GET" && req.path === "/sell/fulfillment/v1/order") {
      req.op = "getOrders";
      const filter = req.query.filter ?? "";
      const fm = /lastmodifieddate:\[([^\]]*?)\.\.([^\]]*)\]/.exec(filter);
      if (filter && !fm) return errors(400, 30700, "Invalid filter name.", "REQUEST", "API_FULFILLMENT");
      const limit = Number(req.query.limit ?? 50);
      if (limit > 200) return errors(400, 31100, "Invalid limit.", "REQUEST", "API_FULFILLMENT");
      const from = fm?.[1] ? Date.parse(fm[1]) : 0;
      if (fm && Number.isNaN(from)) return errors(400, 30810, "Invalid date format.", "REQUEST", "API_FULFILLMENT");
      const all = state.orders
        .filter((o) => Date.parse(String(o.lastModifiedDate)) >= from)
        .sort((a, b) => String(a.lastModifiedDate).localeCompare(String(b.lastModifiedDate)));
      const offset = Number(req.query.offset ?? 0);
      const page = all.slice(offset, offset + limit);
      return {
        status: 200,
        json: {
          href: req.path,
          total: all.length,
          limit,
          offset,
          ...(offset + limit < all.length ? { next: `${req.path}?limit=${limit}&offset=${offset + limit}` } : {}),
          orders: page,
          warnings: [],
        },
      };
    }
    return errors(404, 2002, "Resource not found", "REQUEST", "ACCESS");
  }

  const server = await startSimServer({
    requests,
    faults,
    isFaultable: (r) => r.path.startsWith("/sell/"),
    faultBody: (kind) =>
      kind === "429"
        ? {
            errors: [
              {
                errorId: 2001,
                domain: "ACCESS",
                category: "REQUEST",
                message: "Too many requests.",
                longMessage: "The request limit has been reached for the resource.",
              },
            ],
          }
        : {
            errors: [
              {
                errorId: 25001,
                domain: "API_INVENTORY",
                category: "APPLICATION",
                message: "A system error has occurred.",
              },
            ],
          },
    route,
  });

  return {
    url: server.url,
    clientId,
    clientSecret,
    refreshToken,
    state,
    requests,
    faults,
    calls: (op) => requests.filter((r) => r.op === op),
    seedItems(count, o = {}) {
      const out: SimEbayItem[] = [];
      for (let i = 0; i < count; i++) {
        const k = state.items.size + 1;
        const it: SimEbayItem = {
          sku: `${o.prefix ?? "EB-"}${String(k).padStart(4, "0")}`,
          title: `eBay item ${k}`,
          quantity: o.quantity ?? 0,
          offers: o.withOffer
            ? [{ offerId: String(7_000_000 + k), availableQuantity: o.quantity ?? 0, status: "PUBLISHED" }]
            : [],
        };
        state.items.set(it.sku, it);
        out.push(it);
      }
      return out;
    },
    close: server.close,
  };
}
