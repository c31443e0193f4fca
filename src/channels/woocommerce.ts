import { z } from "zod";
import { channelCommon, secret, url } from "../config-fields.js";
import { InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asOrderId, type Sku, SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { kindOfStatus, UpstreamError } from "../upstream/errors.js";
import { callWithPolicy, parseAs, type RawResponse, readJson, send, statusError } from "../upstream/http.js";
import { orderCursor, priceFailure, providerSaid, pushFailure } from "./base.js";
import {
  type ChannelDeps,
  chunk,
  digest,
  fromMinor,
  header,
  parseWebhookJson,
  toMinor,
  verifyHmacHeader,
} from "./http.js";
import type {
  CatalogItem,
  ChannelOrder,
  ChannelOrderLine,
  ChannelStock,
  ListingRef,
  OrderLineStatus,
  PriceOutcome,
  PricePush,
  PushOutcome,
  SalesChannel,
  StockPush,
  WebhookEvent,
  WebhookRequest,
} from "./types.js";

/** The `woocommerce` entry of `channels` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const WooConfigSchema = z.object({
  ...channelCommon,
  kind: z.literal("woocommerce"),
  apiBase: url,
  consumerKey: secret,
  consumerSecret: secret,
  webhookSecret: secret.optional(),
  /** Some hosts strip the Authorization header; then send the keys as query parameters (HTTPS only). */
  queryStringAuth: z.boolean().default(false),
  /** Items per batch call; WooCommerce refuses more than 100. Shared hosting may need 25–50. */
  batchSize: z.number().int().min(1).max(100).default(100),
  requestsPerSecond: z.number().positive().default(5),
  timeoutMs: z.number().int().positive().default(60_000),
});
/** A validated `woocommerce` channel config. */
export type WooConfig = z.infer<typeof WooConfigSchema>;

/**
 * True when `queryStringAuth` would put the key and secret into URLs over plain http to another host (any
 * proxy or log on the way keeps them); plain http to this machine (a local test or tunnel) is allowed.
 */
export function isQueryAuthOverPlainHttp(config: Pick<WooConfig, "apiBase" | "queryStringAuth">): boolean {
  if (!config.queryStringAuth) return false;
  const u = new URL(config.apiBase);
  return u.protocol === "http:" && !["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
}

const PROVIDER = "WooCommerce";
/** WooCommerce refuses batches of more than 100 items (`woocommerce_rest_batch_items_limit`). */
const MAX_BATCH = 100;
const DEFAULT_LOOKBACK_DAYS = 7;

const WpError = z.looseObject({
  code: z.string(),
  message: z.string(),
  data: z.looseObject({ status: z.number().optional() }).nullable().optional(),
});

const Product = z.looseObject({
  id: z.number(),
  name: z.string().optional(),
  sku: z.string().nullable().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  manage_stock: z.union([z.boolean(), z.literal("parent")]).optional(),
  stock_quantity: z.number().nullable().optional(),
  variations: z.array(z.number()).optional(),
  regular_price: z.string().optional(),
  sale_price: z.string().optional(),
});
type Product = z.infer<typeof Product>;

const BatchError = z.looseObject({ id: z.number(), error: WpError });
const BatchItem = z.union([BatchError, Product]);
const BatchResponse = z.looseObject({ update: z.array(BatchItem).default([]) });

const Meta = z.looseObject({ key: z.string(), value: z.unknown() });
const TrackingItems = z.array(
  z.looseObject({
    tracking_provider: z.string().optional(),
    custom_tracking_provider: z.string().optional(),
    tracking_number: z.string(),
    date_shipped: z.union([z.string(), z.number()]).optional(),
  }),
);

/** A WooCommerce GMT timestamp (no zone suffix) that parses; junk would become an Invalid Date in the ledger (issue 8, fast-check). */
const GmtTimestamp = z.string().refine((v) => !Number.isNaN(Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`)), {
  message: "expected a timestamp such as 2026-11-20T14:30:01",
});

const Order = z.looseObject({
  id: z.number(),
  status: z.string(),
  currency: z.string(),
  date_created_gmt: GmtTimestamp.nullable(),
  date_modified_gmt: GmtTimestamp.nullable(),
  total: z.string().optional(),
  shipping: z
    .looseObject({ country: z.string().optional(), state: z.string().optional(), city: z.string().optional() })
    .optional(),
  line_items: z.array(
    z.looseObject({
      id: z.number(),
      product_id: z.number(),
      variation_id: z.number().optional(),
      sku: z.string().nullable().optional(),
      quantity: z.number().int().min(0),
      total: z.string().optional(),
    }),
  ),
  meta_data: z.array(Meta).optional(),
});
type Order = z.infer<typeof Order>;

const Refund = z.looseObject({ id: z.number(), amount: z.string(), reason: z.string().optional() });

const Cursor = z.object({ since: z.string(), page: z.number().int().min(1).optional(), high: z.string().optional() });

/** Parses a Woo ref: "123" (simple product) or "123:456" (variation 456 of product 123). */
export function parseWooRef(ref: string): { productId: number; variationId?: number } | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(ref);
  if (!m) return undefined;
  return m[2] ? { productId: Number(m[1]), variationId: Number(m[2]) } : { productId: Number(m[1]) };
}

/** Woo's `_gmt` timestamps carry no zone; they are UTC. */
const gmt = (s: string | null | undefined): Date => new Date(s ? (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`) : 0);
const wooTime = (d: Date): string => d.toISOString().slice(0, 19);
const toSku = (s: string | null | undefined): Sku | null => {
  const r = SkuSchema.safeParse(s ?? "");
  return r.success ? r.data : null;
};

function lineStatus(status: string): OrderLineStatus {
  switch (status) {
    case "processing":
    case "on-hold":
      return "paid";
    case "completed":
      return "shipped";
    case "cancelled":
    case "refunded":
    case "failed":
    case "trash":
      return "cancelled";
    default:
      return "pending";
  }
}

/**
 * Builds the WooCommerce adapter (REST v3). Stock is set absolutely with `manage_stock: true` through the
 * products and variations batch endpoints (≤100 items per call); each element of a 200 batch answer is
 * checked on its own, so one bad product never fails the rest.
 *
 * @example
 * const woo = createWooChannel({ id, config, http, log, clock, limiter });
 * await woo.pushStock([{ sku, ref: "12:34", quantity: 3 }], { idempotencyKey: "p:2", signal });
 */
export function createWooChannel(deps: ChannelDeps & { config: WooConfig }): SalesChannel {
  const { config, clock, log } = deps;
  const base = `${config.apiBase.replace(/\/$/, "")}/wp-json/wc/v3`;
  const batchSize = Math.min(config.batchSize, MAX_BATCH);
  const authHeader = `Basic ${Buffer.from(`${config.consumerKey}:${config.consumerSecret}`).toString("base64")}`;

  function url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const u = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, String(v));
    if (config.queryStringAuth) {
      u.searchParams.set("consumer_key", config.consumerKey);
      u.searchParams.set("consumer_secret", config.consumerSecret);
    }
    return u.toString();
  }

  async function request(
    op: string,
    method: "GET" | "POST" | "PUT",
    path: string,
    opts: {
      query?: Record<string, string | number | undefined>;
      json?: unknown;
      isIdempotent: boolean;
      signal?: AbortSignal | undefined;
    },
  ): Promise<{ body: unknown; res: RawResponse }> {
    return callWithPolicy(
      deps,
      { op: `woocommerce.${op}`, isIdempotent: opts.isIdempotent, signal: opts.signal },
      async () => {
        const res = await send(deps.http, PROVIDER, {
          method,
          url: url(path, opts.query),
          headers: { accept: "application/json", ...(config.queryStringAuth ? {} : { authorization: authHeader }) },
          ...(opts.json !== undefined ? { json: opts.json } : {}),
          timeoutMs: config.timeoutMs,
          signal: opts.signal,
        });
        if (res.status < 200 || res.status >= 300) {
          let code: string | undefined;
          let message: string | undefined;
          try {
            const e = WpError.safeParse(JSON.parse(res.text));
            if (e.success) ({ code, message } = e.data);
          } catch {
            code = undefined;
          }
          throw statusError({
            provider: PROVIDER,
            status: res.status,
            headers: res.headers,
            now: clock.now(),
            providerCode: code,
            providerMessage: message,
          });
        }
        return { body: readJson(PROVIDER, res), res };
      },
    );
  }

  const failed = (it: StockPush, err: unknown): PushOutcome => pushFailure(it.sku, err);

  async function pushBatch(
    path: string,
    group: { item: StockPush; id: number }[],
    signal: AbortSignal,
    out: Map<StockPush, PushOutcome>,
  ): Promise<void> {
    let body: unknown;
    try {
      ({ body } = await request("batch", "POST", path, {
        json: { update: group.map((g) => ({ id: g.id, manage_stock: true, stock_quantity: g.item.quantity })) },
        isIdempotent: true,
        signal,
      }));
    } catch (err) {
      for (const g of group) out.set(g.item, failed(g.item, err));
      return;
    }
    let parsed: z.infer<typeof BatchResponse>;
    try {
      parsed = parseAs(PROVIDER, BatchResponse, body, "batch answer");
    } catch (err) {
      for (const g of group) out.set(g.item, failed(g.item, err));
      return;
    }
    // Woo answers in request order; match by id too, since an unknown id comes back as id 0.
    group.forEach((g, i) => {
      const r = parsed.update.find((u, j) => u.id === g.id && j >= i) ?? parsed.update[i];
      if (!r) {
        out.set(
          g.item,
          failed(
            g.item,
            new UpstreamError({
              provider: PROVIDER,
              kind: "malformed",
              code: "upstream_incomplete",
              i18n: textRef("ch-no-answer", { provider: PROVIDER, sku: g.item.sku }),
            }),
          ),
        );
        return;
      }
      const e = BatchError.safeParse(r);
      if (e.success) {
        const { error } = e.data;
        const status = error.data?.status ?? 400;
        out.set(
          g.item,
          failed(
            g.item,
            new UpstreamError({
              provider: PROVIDER,
              kind: kindOfStatus(status),
              ...(status >= 500 ? { code: "upstream_unavailable" as const } : {}),
              i18n: textRef("ch-refused-item", {
                what: "quantity",
                provider: PROVIDER,
                sku: g.item.sku,
                code: error.code,
                detail: providerSaid(PROVIDER, error.message),
              }),
              status,
              providerCode: error.code,
              details: { providerMessage: error.message, ref: g.item.ref },
            }),
          ),
        );
      } else {
        const p = r as Product;
        out.set(g.item, {
          sku: g.item.sku,
          ok: true,
          quantity: typeof p.stock_quantity === "number" ? p.stock_quantity : g.item.quantity,
        });
      }
    });
  }

  // ---- Prices (issue 14): regular_price in the products / variations batch; sale_price "" clears a sale. ----

  async function pushPrices(items: PricePush[], opts: { idempotencyKey: string; signal: AbortSignal }) {
    const out = new Map<PricePush, PriceOutcome>();
    const groups = new Map<string, { item: PricePush; id: number }[]>();
    for (const it of items) {
      const r = parseWooRef(it.ref);
      if (!r || it.price.amountMinor < 0) {
        out.set(it, {
          sku: it.sku,
          ok: false,
          retryable: false,
          error: localized(
            InvalidInputError,
            "bad_push_item",
            r ? textRef("ch-price-negative", { sku: it.sku }) : textRef("woo-bad-ref", { ref: it.ref, sku: it.sku }),
            { ref: it.ref },
          ),
        });
        continue;
      }
      const path = r.variationId ? `/products/${r.productId}/variations/batch` : "/products/batch";
      groups.set(path, [...(groups.get(path) ?? []), { item: it, id: r.variationId ?? r.productId }]);
    }
    for (const [path, group] of groups) {
      for (const part of chunk(group, batchSize)) {
        let parsed: z.infer<typeof BatchResponse>;
        try {
          const { body } = await request("priceBatch", "POST", path, {
            json: {
              update: part.map((g) => ({
                id: g.id,
                regular_price: fromMinor(g.item.price.amountMinor, g.item.price.currency),
                sale_price: "",
              })),
            },
            isIdempotent: true,
            signal: opts.signal,
          });
          parsed = parseAs(PROVIDER, BatchResponse, body, "price batch answer");
        } catch (err) {
          for (const g of part) out.set(g.item, priceFailure(g.item.sku, err));
          continue;
        }
        part.forEach((g, i) => {
          const r = parsed.update.find((u, j) => u.id === g.id && j >= i) ?? parsed.update[i];
          const e = r ? BatchError.safeParse(r) : undefined;
          if (!r || e?.success) {
            const status = e?.success ? (e.data.error.data?.status ?? 400) : 502;
            out.set(
              g.item,
              priceFailure(
                g.item.sku,
                new UpstreamError({
                  provider: PROVIDER,
                  kind: r ? kindOfStatus(status) : "malformed",
                  i18n: e?.success
                    ? textRef("ch-refused-item", {
                        what: "price",
                        provider: PROVIDER,
                        sku: g.item.sku,
                        code: e.data.error.code,
                        detail: providerSaid(PROVIDER, e.data.error.message),
                      })
                    : textRef("ch-refused-item-plain", {
                        what: "price",
                        provider: PROVIDER,
                        sku: g.item.sku,
                        detail: "",
                      }),
                  status,
                  ...(e?.success ? { providerCode: e.data.error.code } : {}),
                }),
              ),
            );
            return;
          }
          // Confirmed from what Woo stored, not from what we sent.
          const p = r as Product;
          const currency = g.item.price.currency;
          out.set(g.item, {
            sku: g.item.sku,
            ok: true,
            price: { amountMinor: toMinor(p.regular_price || "0", currency), currency },
          });
        });
      }
    }
    return items.map((i) => must(out.get(i), "every price item has an outcome"));
  }
  // ---- end of prices ----

  async function pages<T>(
    op: string,
    path: string,
    schema: z.ZodType<T>,
    query: Record<string, string | number | undefined>,
    signal: AbortSignal,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const { body, res } = await request(op, "GET", path, {
        query: { ...query, per_page: 100, page },
        isIdempotent: true,
        signal,
      });
      out.push(...parseAs(PROVIDER, z.array(schema), body, op));
      const total = Number(res.headers.get("x-wp-totalpages") ?? "1");
      if (!Number.isFinite(total) || page >= total) return out;
    }
  }

  function mapOrder(o: Order): ChannelOrder {
    const tracking = (() => {
      const raw = o.meta_data?.find((m) => m.key === "_wc_shipment_tracking_items")?.value;
      const r = TrackingItems.safeParse(raw);
      const t = r.success ? r.data[0] : undefined;
      if (!t) return undefined;
      const shipped = t.date_shipped === undefined ? undefined : new Date(Number(t.date_shipped) * 1000);
      return {
        carrier: t.custom_tracking_provider || t.tracking_provider || "",
        trackingNo: t.tracking_number,
        ...(shipped && !Number.isNaN(shipped.getTime()) ? { shippedAt: shipped } : {}),
      };
    })();
    const status = lineStatus(o.status);
    const lines: ChannelOrderLine[] = o.line_items.map((l) => ({
      lineId: String(l.id),
      sku: toSku(l.sku),
      ref: l.variation_id ? `${l.product_id}:${l.variation_id}` : String(l.product_id),
      qty: l.quantity,
      status,
      ...(l.total !== undefined ? { price: { amountMinor: toMinor(l.total, o.currency), currency: o.currency } } : {}),
      ...(tracking && status === "shipped" ? { shipment: tracking } : {}),
    }));
    const s = o.shipping;
    return {
      orderId: asOrderId(String(o.id)),
      createdAt: gmt(o.date_created_gmt),
      updatedAt: gmt(o.date_modified_gmt),
      ...(o.total !== undefined ? { total: { amountMinor: toMinor(o.total, o.currency), currency: o.currency } } : {}),
      ...(s
        ? {
            destination: {
              ...(s.country ? { country: s.country } : {}),
              ...(s.state ? { region: s.state } : {}),
              ...(s.city ? { city: s.city } : {}),
            },
          }
        : {}),
      lines,
      // An edit saves the full current line_items; a removed item is simply absent.
      hasAllLines: true,
    };
  }

  return {
    id: deps.id,
    kind: "woocommerce",
    maxBatch: batchSize,

    async listCatalog(signal) {
      const out: CatalogItem[] = [];
      for (const p of await pages("products", "/products", Product, {}, signal)) {
        if (p.type === "variable") {
          for (const v of await pages("variations", `/products/${p.id}/variations`, Product, {}, signal)) {
            out.push({
              sku: v.sku || null,
              ref: `${p.id}:${v.id}`,
              title: `${p.name ?? ""} ${v.name ?? ""}`.trim() || String(v.id),
              ...(typeof v.stock_quantity === "number" ? { quantity: v.stock_quantity } : {}),
              ...(v.manage_stock === false ? { untracked: true } : {}),
            });
          }
        } else {
          out.push({
            sku: p.sku || null,
            ref: String(p.id),
            title: p.name ?? String(p.id),
            ...(typeof p.stock_quantity === "number" ? { quantity: p.stock_quantity } : {}),
            ...(p.manage_stock === false ? { untracked: true } : {}),
          });
        }
      }
      return out;
    },

    async fetchStock(items, signal): Promise<ChannelStock[]> {
      const byParent = new Map<string, { path: string; refs: Map<number, ListingRef> }>();
      for (const it of items) {
        const r = parseWooRef(it.ref);
        if (!r) continue;
        const key = r.variationId ? `/products/${r.productId}/variations` : "/products";
        const g = byParent.get(key) ?? { path: key, refs: new Map() };
        g.refs.set(r.variationId ?? r.productId, it);
        byParent.set(key, g);
      }
      const out: ChannelStock[] = [];
      for (const g of byParent.values()) {
        for (const ids of chunk([...g.refs.keys()], 100)) {
          for (const p of await pages("stock", g.path, Product, { include: ids.join(",") }, signal)) {
            const it = g.refs.get(p.id);
            if (it)
              out.push({
                sku: it.sku,
                ref: it.ref,
                quantity: typeof p.stock_quantity === "number" ? p.stock_quantity : 0,
                isListed: p.status === undefined || p.status === "publish",
              });
          }
        }
      }
      return out;
    },

    pushPrices,

    async pushStock(items, opts) {
      const out = new Map<StockPush, PushOutcome>();
      const groups = new Map<string, { item: StockPush; id: number }[]>();
      for (const it of items) {
        const r = parseWooRef(it.ref);
        if (!r || !Number.isInteger(it.quantity) || it.quantity < 0) {
          out.set(it, {
            sku: it.sku,
            ok: false,
            retryable: false,
            error: localized(
              InvalidInputError,
              "bad_push_item",
              r
                ? textRef("ch-quantity-out-of-range", { qty: String(it.quantity), sku: it.sku })
                : textRef("woo-bad-ref", { ref: it.ref, sku: it.sku }),
              { ref: it.ref },
            ),
          });
          continue;
        }
        const path = r.variationId ? `/products/${r.productId}/variations/batch` : "/products/batch";
        const g = groups.get(path) ?? [];
        g.push({ item: it, id: r.variationId ?? r.productId });
        groups.set(path, g);
      }
      for (const [path, group] of groups)
        for (const part of chunk(group, batchSize)) await pushBatch(path, part, opts.signal, out);
      return items.map((i) => must(out.get(i), "every push has an outcome"));
    },

    async setListed(item, isListed, opts) {
      const r = parseWooRef(item.ref);
      if (!r) throw localized(InvalidInputError, "bad_ref", textRef("woo-bad-ref", { ref: item.ref, sku: item.sku }));
      const path = r.variationId ? `/products/${r.productId}/variations/${r.variationId}` : `/products/${r.productId}`;
      await request("setListed", "PUT", path, {
        json: { status: isListed ? "publish" : "private" },
        isIdempotent: true,
        signal: opts.signal,
      });
    },

    async fetchOrders(cursor, signal) {
      const c = orderCursor({
        provider: "WooCommerce",
        schema: Cursor,
        cursor,
        clock,
        lookbackDays: DEFAULT_LOOKBACK_DAYS,
        since: wooTime,
      });
      const page = c.page ?? 1;
      const { body, res } = await request("orders", "GET", "/orders", {
        query: {
          modified_after: c.since,
          dates_are_gmt: "true",
          orderby: "modified",
          order: "asc",
          per_page: 100,
          page,
          status: "any",
        },
        isIdempotent: true,
        signal,
      });
      const raw = parseAs(PROVIDER, z.array(Order), body, "orders page");
      const orders = raw.map(mapOrder);
      const total = Number(res.headers.get("x-wp-totalpages") ?? "1");
      const high = [c.high, ...raw.map((o) => o.date_modified_gmt ?? undefined)]
        .filter((x): x is string => Boolean(x))
        .sort()
        .at(-1);
      const hasMore = Number.isFinite(total) && page < total;
      // modified_after is exclusive; step back one second so an order saved in the same second as the last one is not lost.
      const next = hasMore
        ? { since: c.since, page: page + 1, high }
        : { since: high ? wooTime(new Date(gmt(high).getTime() - 1000)) : c.since };
      return { orders, hasMore, nextCursor: JSON.stringify(next) };
    },

    parseWebhook(req: WebhookRequest): WebhookEvent {
      const signature = header(req.headers, "x-wc-webhook-signature");
      // WooCommerce pings a new webhook with an unsigned form body `webhook_id=N` and wants a 200.
      if (!signature && /^webhook_id=\d+$/.test(req.rawBody.toString("utf8").trim()))
        return { kind: "ignored", deliveryId: `ping:${req.rawBody.toString("utf8").trim()}`, topic: "ping" };
      verifyHmacHeader(PROVIDER, config.webhookSecret, req.rawBody, signature);
      const topic = header(req.headers, "x-wc-webhook-topic");
      if (!topic) throw new InvalidInputError("webhook_malformed", "The WooCommerce webhook lacks X-WC-Webhook-Topic.");
      // X-WC-Webhook-Delivery-ID is wp_hash(webhook id . current second) (class-wc-webhook.php
      // get_new_delivery_id): two events of one webhook in one second share it, so it is no event key.
      // The event is the resource, its modification time and the body WooCommerce built at delivery.
      const bodyHash = digest(req.rawBody.toString("utf8")).slice(0, 16);
      if (topic === "order.created" || topic === "order.updated" || topic === "order.restored") {
        const raw = parseWebhookJson(PROVIDER, req.rawBody, Order);
        const deliveryId = `wc:${topic}:${raw.id}:${raw.date_modified_gmt ?? ""}:${bodyHash}`;
        return { kind: "order", deliveryId, order: mapOrder(raw) };
      }
      const deliveryId = `wc:${topic}:${bodyHash}`;
      return { kind: "ignored", deliveryId, topic };
    },

    // Setting the status is idempotent: a cancelled order set to cancelled again stays as it is.
    async cancelOrder(orderId, opts) {
      if (!/^\d+$/.test(orderId))
        throw localized(InvalidInputError, "bad_order_id", textRef("woo-bad-order-id", { order: orderId }));
      const o = parseAs(
        PROVIDER,
        Order,
        (
          await request("orderCancel", "PUT", `/orders/${orderId}`, {
            json: { status: "cancelled" },
            isIdempotent: true,
            signal: opts.signal,
          })
        ).body,
        "order",
      );
      if (o.status !== "cancelled")
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          i18n: textRef("woo-cancel-kept", { order: orderId, status: o.status }),
        });
    },

    async refund(req, opts) {
      if (!/^\d+$/.test(req.orderId))
        throw localized(InvalidInputError, "bad_order_id", textRef("woo-bad-order-id", { order: req.orderId }));
      // Creating a refund is not idempotent and Woo has no idempotency key: tag the reason with ours and
      // look for it first, so a retry after a lost answer finds the refund instead of paying twice.
      const tag = `[sr:${digest(opts.idempotencyKey).slice(0, 16)}]`;
      const path = `/orders/${req.orderId}/refunds`;
      const existing = parseAs(
        PROVIDER,
        z.array(Refund),
        (await request("refunds", "GET", path, { query: { per_page: 100 }, isIdempotent: true, signal: opts.signal }))
          .body,
        "refund list",
      );
      const done = existing.find((r) => r.reason?.includes(tag));
      const refund =
        done ??
        parseAs(
          PROVIDER,
          Refund,
          (
            await request("refundCreate", "POST", path, {
              json: {
                amount: fromMinor(req.amount.amountMinor, req.amount.currency),
                reason: `${req.reason} ${tag}`,
                api_refund: true,
                api_restock: false,
              },
              isIdempotent: false,
              signal: opts.signal,
            })
          ).body,
          "refund",
        );
      if (done) log.info({ orderId: req.orderId, refundId: done.id }, "woocommerce refund already existed");
      return {
        channelRefundId: String(refund.id),
        amount: { amountMinor: toMinor(refund.amount, req.amount.currency), currency: req.amount.currency },
      };
    },
  };
}
