import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { channelCommon, locationName, secret, url } from "../config-fields.js";
import { InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { type TextRef, textRef } from "../i18n/ref.js";
import { asOrderId, type Sku, SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { realSleep } from "../sync/rate-limiter.js";
import { UpstreamError } from "../upstream/errors.js";
import { callWithPolicy, parseAs, type RawResponse, readJson, send, statusError } from "../upstream/http.js";
import { createTokenCache, delistAsZero, orderCursor, priceFailure, providerSaid, pushFailure } from "./base.js";
import { type ChannelDeps, fromMinor, safeJson, toMinor } from "./http.js";
import type {
  CatalogItem,
  ChannelOrder,
  ChannelPrice,
  ChannelStock,
  HeldStock,
  ListingRef,
  OrderLineStatus,
  PriceOutcome,
  PricePush,
  PushOutcome,
  SalesChannel,
  StockPush,
} from "./types.js";

/** The `amazon` entry of `channels` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const AmazonConfigSchema = z.object({
  ...channelCommon,
  kind: z.literal("amazon"),
  region: z.enum(["na", "eu", "fe"]),
  sellerId: z.string().min(1),
  marketplaceIds: z.array(z.string().min(1)).min(1),
  lwaClientId: z.string().min(1),
  lwaClientSecret: secret,
  refreshToken: secret,
  apiBase: url.optional(),
  tokenUrl: url.optional(),
  /** productType sent in quantity patches when the listing's own type is not known yet. */
  productType: z.string().min(1).optional(),
  /** Pushes of at least this many SKUs go through one JSON_LISTINGS_FEED instead of per-SKU PATCHes. */
  feedThreshold: z.number().int().min(1).default(20),
  feedPollSeconds: z.number().positive().default(30),
  feedTimeoutMinutes: z.number().positive().default(30),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Read what FBA holds (getInventorySummaries) into the read-only location `fbaLocation` on reconcile (issue 13). */
  fba: z.boolean().optional(),
  /** The read-only location FBA stock is recorded in (default `fba`). */
  fbaLocation: locationName.optional(),
});
/** A validated `amazon` channel config. */
export type AmazonConfig = z.infer<typeof AmazonConfigSchema>;

const PROVIDER = "Amazon";
const HOSTS = {
  na: "https://sellingpartnerapi-na.amazon.com",
  eu: "https://sellingpartnerapi-eu.amazon.com",
  fe: "https://sellingpartnerapi-fe.amazon.com",
} as const;
const LWA_URL = "https://api.amazon.com/auth/o2/token";
/** A JSON_LISTINGS_FEED takes up to 25,000 messages. */
const MAX_FEED = 25_000;
const FEED_CONTENT_TYPE = "application/json; charset=UTF-8";
const DEFAULT_LOOKBACK_DAYS = 7;

/**
 * Default usage plans per operation (rate per second, burst), from the SP-API models. The live plan comes
 * back in `x-amzn-RateLimit-Limit` and replaces the rate.
 */
export const amazonBuckets = {
  lwa: { ratePerSec: 1, burst: 5 },
  getListingsItem: { ratePerSec: 5, burst: 10 },
  searchListingsItems: { ratePerSec: 5, burst: 5 },
  patchListingsItem: { ratePerSec: 5, burst: 5 },
  createFeedDocument: { ratePerSec: 0.5, burst: 15 },
  // JSON_LISTINGS_FEED has its own plan: 5 submissions per 5 minutes per region.
  createFeed: { ratePerSec: 5 / 300, burst: 5 },
  getFeed: { ratePerSec: 2, burst: 15 },
  getFeedDocument: { ratePerSec: 0.0222, burst: 10 },
  searchOrders: { ratePerSec: 0.0056, burst: 20 },
  createReport: { ratePerSec: 0.0167, burst: 15 },
  getReport: { ratePerSec: 2, burst: 15 },
  getReportDocument: { ratePerSec: 0.0167, burst: 15 },
  // FBA Inventory v1 (fbaInventory.json): 2 requests per second, burst 2.
  getInventorySummaries: { ratePerSec: 2, burst: 2 },
  default: { ratePerSec: 1, burst: 5 },
};

const ErrorList = z.object({
  errors: z.array(z.looseObject({ code: z.string(), message: z.string().optional(), details: z.string().optional() })),
});
const LwaToken = z.object({ access_token: z.string(), token_type: z.string().optional(), expires_in: z.number() });
const LwaError = z.object({ error: z.string(), error_description: z.string().optional() });

const Issue = z.looseObject({ code: z.string(), message: z.string(), severity: z.enum(["ERROR", "WARNING", "INFO"]) });
const Summary = z.looseObject({
  marketplaceId: z.string(),
  productType: z.string().optional(),
  status: z.array(z.string()).optional(),
  itemName: z.string().optional(),
});
const Availability = z.looseObject({ fulfillmentChannelCode: z.string(), quantity: z.number().optional() });
/** The `purchasable_offer` attribute: one entry per marketplace, `our_price[0].schedule[0].value_with_tax`. */
const PurchasableOffer = z.array(
  z.looseObject({
    marketplace_id: z.string().optional(),
    currency: z.string().optional(),
    our_price: z
      .array(z.looseObject({ schedule: z.array(z.looseObject({ value_with_tax: z.number() })).optional() }))
      .optional(),
  }),
);
const ListingsItem = z.looseObject({
  sku: z.string(),
  summaries: z.array(Summary).optional(),
  fulfillmentAvailability: z.array(Availability).optional(),
  attributes: z.looseObject({ purchasable_offer: PurchasableOffer.optional() }).optional(),
});
const SearchListings = z.looseObject({
  numberOfResults: z.number(),
  items: z.array(ListingsItem),
  pagination: z.looseObject({ nextToken: z.string().optional() }).optional(),
});
const Submission = z.looseObject({
  sku: z.string(),
  status: z.enum(["ACCEPTED", "INVALID", "VALID"]),
  submissionId: z.string().optional(),
  issues: z.array(Issue).optional(),
});

/** searchListingsItems pages through at most this many SKUs (listingsItems_2021-08-01.json). */
const SEARCH_CAP = 1000;
/** getInventorySummaries takes at most 50 sellerSkus per call. */
const FBA_SKUS = 50;
const FbaSummaries = z.object({
  payload: z
    .object({
      inventorySummaries: z.array(
        z.looseObject({
          sellerSku: z.string().optional(),
          totalQuantity: z.number().int().optional(),
          inventoryDetails: z.looseObject({ fulfillableQuantity: z.number().int().optional() }).optional(),
        }),
      ),
    })
    .optional(),
  pagination: z.object({ nextToken: z.string().optional() }).optional(),
});
/** Above this many SKUs, reading quantities back uses one listings report rather than a getListingsItem each. */
const STOCK_BY_ITEM_MAX = 100;
/** getReport polls before giving up on a listings report. */
const REPORT_MAX_POLLS = 60;
const CreatedReport = z.looseObject({ reportId: z.string() });
const Report = z.looseObject({
  reportId: z.string(),
  processingStatus: z.enum(["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]),
  reportDocumentId: z.string().optional(),
});
const ReportDocument = z.looseObject({
  reportDocumentId: z.string(),
  url: z.string(),
  compressionAlgorithm: z.literal("GZIP").optional(),
});

/** Parses a tab-separated report with a header row into records keyed by column name. */
export function parseTsvReport(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines.shift() ?? "").split("\t").map((h) => h.trim().toLowerCase());
  return lines.map((line) => {
    const cells = line.split("\t");
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

/** Decodes report bytes by the charset the document's Content-Type names (Amazon often sends Cp1252). */
function decodeReport(bytes: Buffer, contentType: string | null): string {
  const cs =
    /charset=([^;]+)/i
      .exec(contentType ?? "")?.[1]
      ?.trim()
      .toLowerCase() ?? "utf-8";
  const label = cs === "cp1252" ? "windows-1252" : cs;
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

const FeedDocument = z.looseObject({ feedDocumentId: z.string(), url: z.string() });
const CreatedFeed = z.looseObject({ feedId: z.string() });
const Feed = z.looseObject({
  feedId: z.string(),
  processingStatus: z.enum(["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]),
  resultFeedDocumentId: z.string().optional(),
});
const ResultDocument = z.looseObject({
  feedDocumentId: z.string(),
  url: z.string(),
  compressionAlgorithm: z.literal("GZIP").optional(),
});
const ProcessingReport = z.looseObject({
  header: z.looseObject({ feedId: z.string().optional() }).optional(),
  issues: z
    .array(
      z.looseObject({
        messageId: z.number().optional(),
        sku: z.string().optional(),
        code: z.string(),
        severity: z.string(),
        message: z.string().optional(),
      }),
    )
    .default([]),
  summary: z
    .looseObject({
      errors: z.number().optional(),
      messagesProcessed: z.number().optional(),
      messagesAccepted: z.number().optional(),
      messagesInvalid: z.number().optional(),
    })
    .optional(),
});

const OrderItem = z.looseObject({
  orderItemId: z.string(),
  quantityOrdered: z.number(),
  product: z.looseObject({ sellerSku: z.string().optional(), asin: z.string().optional() }).optional(),
  fulfillment: z
    .looseObject({ quantityFulfilled: z.number().optional(), quantityUnfulfilled: z.number().optional() })
    .optional(),
});
const Order = z.looseObject({
  orderId: z.string(),
  createdTime: z.string(),
  lastUpdatedTime: z.string(),
  fulfillment: z.looseObject({ fulfillmentStatus: z.string().optional() }).optional(),
  orderItems: z.array(OrderItem).default([]),
});
const SearchOrders = z.looseObject({
  orders: z.array(Order),
  pagination: z.looseObject({ nextToken: z.string().optional() }).optional(),
});

const Cursor = z.object({ since: z.string(), token: z.string().optional(), high: z.string().optional() });

const toSku = (s: string | undefined): Sku | null => {
  const r = SkuSchema.safeParse(s ?? "");
  return r.success ? r.data : null;
};

function orderStatus(s: string | undefined): OrderLineStatus {
  switch (s) {
    case "UNSHIPPED":
    case "PARTIALLY_SHIPPED":
      return "paid";
    case "SHIPPED":
      return "shipped";
    case "CANCELLED":
    case "UNFULFILLABLE":
      return "cancelled";
    default:
      return "pending";
  }
}

/**
 * Builds the Amazon SP-API adapter. LWA tokens are exchanged once and cached until five minutes before
 * expiry. Small pushes PATCH each listing (`merge` on `fulfillment_availability`); larger ones go out as
 * one JSON_LISTINGS_FEED, polled to completion, with the processing report's issues mapped back to SKUs.
 * Each operation has its own bucket, re-rated from `x-amzn-RateLimit-Limit`.
 *
 * @example
 * const amz = createAmazonChannel({ id, config, http, log, clock, limiter });
 * await amz.pushStock(items, { idempotencyKey: "p:3", signal });
 */
export function createAmazonChannel(
  deps: ChannelDeps & { config: AmazonConfig },
): SalesChannel & { readonly tokenRefreshes: number } {
  const { config, clock, log } = deps;
  const base = (config.apiBase ?? HOSTS[config.region]).replace(/\/$/, "");
  const sleep = deps.sleep ?? realSleep;
  const marketplaceIds = config.marketplaceIds.join(",");
  const productTypes = new Map<string, string>();
  for (const [name, spec] of Object.entries(amazonBuckets)) deps.limiter.define(name, spec);

  const tokens = createTokenCache({
    clock,
    secrets: deps.secrets,
    issue: (signal) =>
      callWithPolicy(deps, { op: "amazon.lwa", isIdempotent: true, bucket: "lwa", signal }, async () => {
        const body = new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: config.refreshToken,
          client_id: config.lwaClientId,
          client_secret: config.lwaClientSecret,
        });
        const res = await send(deps.http, PROVIDER, {
          method: "POST",
          url: config.tokenUrl ?? LWA_URL,
          headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
          body: body.toString(),
          timeoutMs: config.timeoutMs,
          signal,
        });
        if (res.status !== 200) {
          const e = LwaError.safeParse(safeJson(res.text));
          const err = statusError({
            provider: PROVIDER,
            status: res.status,
            headers: res.headers,
            now: clock.now(),
            providerCode: e.success ? e.data.error : undefined,
          });
          if (res.status === 400 || res.status === 401)
            throw new UpstreamError({
              provider: PROVIDER,
              code: "upstream_auth",
              i18n: textRef("amazon-lwa-refused", { code: e.success ? e.data.error : String(res.status) }),
              kind: "auth",
              status: res.status,
              ...(e.success ? { providerCode: e.data.error } : {}),
            });
          throw err;
        }
        const t = parseAs(PROVIDER, LwaToken, readJson(PROVIDER, res), "LWA token");
        return { accessToken: t.access_token, expiresInSeconds: t.expires_in };
      }),
  });

  async function sp(
    op: keyof typeof amazonBuckets,
    method: "GET" | "POST" | "PATCH",
    path: string,
    opts: {
      query?: Record<string, string | undefined>;
      json?: unknown;
      signal?: AbortSignal | undefined;
      allow404?: boolean;
    },
  ): Promise<{ body: unknown; res: RawResponse }> {
    return callWithPolicy(
      deps,
      { op: `amazon.${op}`, isIdempotent: true, bucket: op, signal: opts.signal },
      async () => {
        const token = await tokens.get(opts.signal);
        const u = new URL(`${base}${path}`);
        for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
        const res = await send(deps.http, PROVIDER, {
          method,
          url: u.toString(),
          headers: { "x-amz-access-token": token, accept: "application/json" },
          ...(opts.json !== undefined ? { json: opts.json } : {}),
          timeoutMs: config.timeoutMs,
          signal: opts.signal,
        });
        const plan = Number(res.headers.get("x-amzn-ratelimit-limit"));
        if (Number.isFinite(plan) && plan > 0) deps.limiter.observe(op, { ratePerSec: plan });
        if (res.status === 404 && opts.allow404) return { body: undefined, res };
        if (res.status < 200 || res.status >= 300) {
          const e = ErrorList.safeParse(safeJson(res.text));
          const first = e.success ? e.data.errors[0] : undefined;
          // A revoked or expired token answers 403 Unauthorized; the next attempt should fetch a fresh one.
          if (res.status === 401 || res.status === 403) tokens.invalidate();
          throw statusError({
            provider: PROVIDER,
            status: res.status,
            headers: res.headers,
            now: clock.now(),
            providerCode: first?.code,
            providerMessage: first?.message,
          });
        }
        return { body: res.status === 204 ? undefined : readJson(PROVIDER, res), res };
      },
    );
  }

  const itemPath = (sku: string) =>
    `/listings/2021-08-01/items/${encodeURIComponent(config.sellerId)}/${encodeURIComponent(sku)}`;

  async function getItem(
    sku: string,
    signal: AbortSignal,
    includedData = "summaries,fulfillmentAvailability",
  ): Promise<z.infer<typeof ListingsItem> | undefined> {
    const { body } = await sp("getListingsItem", "GET", itemPath(sku), {
      query: { marketplaceIds, includedData },
      signal,
      allow404: true,
    });
    if (body === undefined) return undefined;
    const item = parseAs(PROVIDER, ListingsItem, body, "listings item");
    const pt = item.summaries?.find((s) => s.productType)?.productType;
    if (pt) productTypes.set(item.sku, pt);
    return item;
  }

  async function productTypeOf(sku: string, signal: AbortSignal): Promise<string | undefined> {
    const known = productTypes.get(sku);
    if (known) return known;
    if (config.productType) return config.productType;
    await getItem(sku, signal);
    return productTypes.get(sku);
  }

  const toStock = (ref: ListingRef, item: z.infer<typeof ListingsItem>): ChannelStock => ({
    sku: ref.sku,
    ref: ref.ref,
    quantity: item.fulfillmentAvailability?.find((a) => a.fulfillmentChannelCode === "DEFAULT")?.quantity ?? 0,
    isListed: (item.summaries ?? []).some((s) => s.status?.includes("BUYABLE")),
  });

  const availabilityPatch = (quantity: number) => [
    {
      op: "merge",
      path: "/attributes/fulfillment_availability",
      value: [{ fulfillment_channel_code: "DEFAULT", quantity }],
    },
  ];

  /** The `purchasable_offer` patch: our price in every configured marketplace, in the price's currency. */
  const pricePatch = (price: PricePush["price"]) => [
    {
      op: "replace",
      path: "/attributes/purchasable_offer",
      value: config.marketplaceIds.map((marketplace_id) => ({
        marketplace_id,
        currency: price.currency,
        our_price: [{ schedule: [{ value_with_tax: Number(fromMinor(price.amountMinor, price.currency)) }] }],
      })),
    },
  ];

  /** What one patch kind (quantity or price) needs from the shared PATCH / feed machinery. */
  interface PatchKind<I extends ListingRef, O> {
    what: "quantity" | "price";
    patches(it: I): unknown[];
    ok(it: I): O;
    fail(it: I, err: unknown): O;
  }
  const stockKind: PatchKind<StockPush, PushOutcome> = {
    what: "quantity",
    patches: (it) => availabilityPatch(it.quantity),
    ok: (it) => ({ sku: it.sku, ok: true, quantity: it.quantity }),
    fail: (it, err) => pushFailure(it.sku, err),
  };
  const priceKind: PatchKind<PricePush, PriceOutcome> = {
    what: "price",
    patches: (it) => pricePatch(it.price),
    ok: (it) => ({ sku: it.sku, ok: true, price: it.price }),
    fail: (it, err) => priceFailure(it.sku, err),
  };
  const failed = (it: StockPush, err: unknown): PushOutcome => pushFailure(it.sku, err);
  const issueError = (it: ListingRef, what: "quantity" | "price", code: string, message: string | undefined) =>
    new UpstreamError({
      provider: PROVIDER,
      kind: "rejected",
      i18n: textRef("ch-refused-item", {
        what,
        provider: PROVIDER,
        sku: it.sku,
        code,
        detail: providerSaid(PROVIDER, message),
      }),
      providerCode: code,
      details: { providerMessage: message },
    });

  async function patchOne<I extends ListingRef, O>(
    it: I,
    productType: string,
    signal: AbortSignal,
    kind: PatchKind<I, O>,
  ): Promise<O> {
    try {
      const { body } = await sp("patchListingsItem", "PATCH", itemPath(it.ref), {
        query: { marketplaceIds, issueLocale: "en_US" },
        json: { productType, patches: kind.patches(it) },
        signal,
      });
      const sub = parseAs(PROVIDER, Submission, body, "listings submission");
      const err = sub.issues?.find((i) => i.severity === "ERROR");
      if (sub.status === "INVALID" || err)
        return kind.fail(it, issueError(it, kind.what, err?.code ?? "INVALID", err?.message));
      // ACCEPTED means queued: Amazon applies it asynchronously; the reconcile job reads it back.
      return kind.ok(it);
    } catch (err) {
      return kind.fail(it, err);
    }
  }

  async function pushFeed<I extends ListingRef, O>(
    items: { it: I; productType: string }[],
    signal: AbortSignal,
    kind: PatchKind<I, O>,
  ): Promise<Map<I, O>> {
    const out = new Map<I, O>();
    const failed = kind.fail;
    const doc = {
      header: { sellerId: config.sellerId, version: "2.0", issueLocale: "en_US" },
      messages: items.map(({ it, productType }, i) => ({
        messageId: i + 1,
        sku: it.ref,
        operationType: "PATCH",
        productType,
        patches: kind.patches(it),
      })),
    };
    try {
      const created = parseAs(
        PROVIDER,
        FeedDocument,
        (
          await sp("createFeedDocument", "POST", "/feeds/2021-06-30/documents", {
            json: { contentType: FEED_CONTENT_TYPE },
            signal,
          })
        ).body,
        "feed document",
      );
      await callWithPolicy(
        deps,
        { op: "amazon.uploadFeed", isIdempotent: true, bucket: "default", signal },
        async () => {
          // The upload URL is a presigned S3 URL: no SP-API token, and the same content type as declared.
          const res = await send(deps.http, PROVIDER, {
            method: "PUT",
            url: created.url,
            headers: { "content-type": FEED_CONTENT_TYPE },
            body: JSON.stringify(doc),
            timeoutMs: config.timeoutMs,
            signal,
          });
          if (res.status < 200 || res.status >= 300)
            throw statusError({ provider: PROVIDER, status: res.status, headers: res.headers, now: clock.now() });
        },
      );
      const feed = parseAs(
        PROVIDER,
        CreatedFeed,
        (
          await sp("createFeed", "POST", "/feeds/2021-06-30/feeds", {
            json: {
              feedType: "JSON_LISTINGS_FEED",
              marketplaceIds: config.marketplaceIds,
              inputFeedDocumentId: created.feedDocumentId,
            },
            signal,
          })
        ).body,
        "feed",
      );
      log.info({ feedId: feed.feedId, messages: items.length }, "amazon feed submitted");
      const deadline = clock.now().getTime() + config.feedTimeoutMinutes * 60_000;
      let status: z.infer<typeof Feed>;
      for (;;) {
        status = parseAs(
          PROVIDER,
          Feed,
          (await sp("getFeed", "GET", `/feeds/2021-06-30/feeds/${encodeURIComponent(feed.feedId)}`, { signal })).body,
          "feed status",
        );
        if (
          status.processingStatus === "DONE" ||
          status.processingStatus === "FATAL" ||
          status.processingStatus === "CANCELLED"
        )
          break;
        if (clock.now().getTime() >= deadline) {
          const err = new UpstreamError({
            provider: PROVIDER,
            kind: "timeout",
            i18n: textRef("amazon-feed-pending", { what: kind.what, feed: feed.feedId }),
            details: { feedId: feed.feedId },
          });
          for (const { it } of items) out.set(it, failed(it, err));
          return out;
        }
        await sleep(config.feedPollSeconds * 1000, signal);
      }
      const report = status.resultFeedDocumentId ? await readReport(status.resultFeedDocumentId, signal) : undefined;
      if (status.processingStatus !== "DONE") {
        const err = new UpstreamError({
          provider: PROVIDER,
          kind: status.processingStatus === "CANCELLED" ? "network" : "rejected",
          i18n: textRef("amazon-feed-ended", { feed: feed.feedId, status: status.processingStatus }),
          providerCode: status.processingStatus,
          details: { feedId: feed.feedId, issues: report?.issues.slice(0, 5) },
        });
        for (const { it } of items) out.set(it, failed(it, err));
        return out;
      }
      const errors = new Map<number, { code: string; message?: string | undefined }>();
      for (const i of report?.issues ?? [])
        if (i.severity === "ERROR" && i.messageId !== undefined && !errors.has(i.messageId)) errors.set(i.messageId, i);
      items.forEach(({ it }, i) => {
        const e = errors.get(i + 1);
        out.set(it, e ? failed(it, issueError(it, kind.what, e.code, e.message)) : kind.ok(it));
      });
      return out;
    } catch (err) {
      for (const { it } of items) if (!out.has(it)) out.set(it, failed(it, err));
      return out;
    }
  }

  async function readReport(documentId: string, signal: AbortSignal): Promise<z.infer<typeof ProcessingReport>> {
    const doc = parseAs(
      PROVIDER,
      ResultDocument,
      (await sp("getFeedDocument", "GET", `/feeds/2021-06-30/documents/${encodeURIComponent(documentId)}`, { signal }))
        .body,
      "result document",
    );
    return downloadDocument(
      doc,
      textRef("amazon-unpack-failed", { what: "feed" }),
      (res, isGzip) => (isGzip ? gunzipSync(res.bytes).toString("utf8") : res.text),
      (text) => parseAs(PROVIDER, ProcessingReport, safeJson(text), "feed processing report"),
      signal,
    );
  }

  /**
   * GETs a presigned feed or report document under the retry policy: `unpack` turns the body into what `read`
   * parses (a body that cannot be unpacked is `malformed`, with `unpackFailed` as its message).
   */
  async function downloadDocument<U, T>(
    doc: { url: string; compressionAlgorithm?: "GZIP" | undefined },
    unpackFailed: TextRef,
    unpack: (res: RawResponse, isGzip: boolean) => U,
    read: (unpacked: U) => T,
    signal: AbortSignal,
  ): Promise<T> {
    return callWithPolicy(
      deps,
      { op: "amazon.downloadReport", isIdempotent: true, bucket: "default", signal },
      async () => {
        const res = await send(deps.http, PROVIDER, {
          method: "GET",
          url: doc.url,
          timeoutMs: config.timeoutMs,
          signal,
        });
        if (res.status !== 200)
          throw statusError({ provider: PROVIDER, status: res.status, headers: res.headers, now: clock.now() });
        let unpacked: U;
        try {
          unpacked = unpack(res, doc.compressionAlgorithm === "GZIP");
        } catch (err) {
          throw new UpstreamError({ provider: PROVIDER, kind: "malformed", i18n: unpackFailed, cause: err });
        }
        return read(unpacked);
      },
    );
  }

  /**
   * Full catalog through Reports 2021-06-30 GET_MERCHANT_LISTINGS_ALL_DATA: createReport, poll getReport,
   * getReportDocument, then the presigned gzip TSV (read by header name; `quantity` only for DEFAULT rows).
   */
  async function listCatalogByReport(signal: AbortSignal): Promise<CatalogItem[]> {
    deps.log.info({ channelId: deps.id }, "amazon catalog over 1000 SKUs: listing through the Reports API");
    return (await listingsReport(signal)).map((r) => ({
      sku: r.sku,
      ref: r.sku,
      title: r.title,
      ...(r.quantity !== undefined ? { quantity: r.quantity } : {}),
    }));
  }

  /**
   * Every seller SKU of GET_MERCHANT_LISTINGS_ALL_DATA (createReport → getReport → getReportDocument), once each:
   * its merchant-fulfilled quantity (FBA rows have none) and whether its `status` is Active.
   */
  async function listingsReport(
    signal: AbortSignal,
  ): Promise<{ sku: string; title: string; quantity?: number; isActive: boolean }[]> {
    const created = parseAs(
      PROVIDER,
      CreatedReport,
      (
        await sp("createReport", "POST", "/reports/2021-06-30/reports", {
          json: { reportType: "GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds: config.marketplaceIds },
          signal,
        })
      ).body,
      "created report",
    );
    let report: z.infer<typeof Report>;
    for (let poll = 0; ; poll++) {
      report = parseAs(
        PROVIDER,
        Report,
        (
          await sp("getReport", "GET", `/reports/2021-06-30/reports/${encodeURIComponent(created.reportId)}`, {
            signal,
          })
        ).body,
        "report",
      );
      if (report.processingStatus === "CANCELLED") return []; // Amazon cancels a report with no data.
      if (report.processingStatus === "FATAL")
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          i18n: textRef("amazon-report-failed"),
        });
      if (report.processingStatus === "DONE" && report.reportDocumentId) break;
      if (poll >= REPORT_MAX_POLLS)
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "timeout",
          i18n: textRef("amazon-report-not-ready"),
        });
      await sleep(config.feedPollSeconds * 1000, signal);
    }
    const doc = parseAs(
      PROVIDER,
      ReportDocument,
      (
        await sp(
          "getReportDocument",
          "GET",
          `/reports/2021-06-30/documents/${encodeURIComponent(report.reportDocumentId)}`,
          {
            signal,
          },
        )
      ).body,
      "report document",
    );
    const text = await downloadDocument(
      doc,
      textRef("amazon-unpack-failed", { what: "report" }),
      (res, isGzip) => decodeReport(isGzip ? gunzipSync(res.bytes) : res.bytes, res.headers.get("content-type")),
      (decoded) => decoded,
      signal,
    );
    const out: { sku: string; title: string; quantity?: number; isActive: boolean }[] = [];
    const seen = new Set<string>();
    for (const row of parseTsvReport(text)) {
      const sku = row["seller-sku"];
      if (!sku || seen.has(sku)) continue;
      seen.add(sku);
      const q = row["fulfillment-channel"] === "DEFAULT" && row.quantity ? Number(row.quantity) : Number.NaN;
      out.push({
        sku,
        title: row["item-name"] || sku,
        ...(Number.isInteger(q) ? { quantity: q } : {}),
        isActive: (row.status ?? "").toLowerCase() === "active",
      });
    }
    return out;
  }

  function mapOrder(o: z.infer<typeof Order>): ChannelOrder {
    const status = orderStatus(o.fulfillment?.fulfillmentStatus);
    return {
      orderId: asOrderId(o.orderId),
      createdAt: new Date(o.createdTime),
      updatedAt: new Date(o.lastUpdatedTime),
      lines: o.orderItems.map((l) => ({
        lineId: l.orderItemId,
        sku: toSku(l.product?.sellerSku),
        ...(l.product?.sellerSku ? { ref: l.product.sellerSku } : {}),
        qty: l.quantityOrdered,
        status:
          status === "paid" && l.fulfillment?.quantityUnfulfilled === 0 && l.quantityOrdered > 0 ? "shipped" : status,
      })),
    };
  }

  /**
   * FBA quantities for known SKUs: getInventorySummaries by sellerSkus in chunks of 50 (a SKU with a comma alone),
   * following nextToken. `fulfillableQuantity` is what can ship; `totalQuantity` counts inbound and reserved too.
   */
  async function fetchHeldStock(items: ListingRef[], signal: AbortSignal): Promise<HeldStock[]> {
    const byRef = new Map(items.map((i) => [i.ref, i.sku]));
    const plain = [...byRef.keys()].filter((r) => !r.includes(","));
    const groups = [
      ...Array.from({ length: Math.ceil(plain.length / FBA_SKUS) }, (_, i) =>
        plain.slice(i * FBA_SKUS, (i + 1) * FBA_SKUS),
      ),
      ...[...byRef.keys()].filter((r) => r.includes(",")).map((r) => [r]),
    ];
    const marketplaceId = must(config.marketplaceIds[0], "the config schema requires a marketplace");
    const out: HeldStock[] = [];
    for (const group of groups) {
      let nextToken: string | undefined;
      do {
        let body: unknown;
        try {
          ({ body } = await sp("getInventorySummaries", "GET", "/fba/inventory/v1/summaries", {
            query: {
              details: "true",
              granularityType: "Marketplace",
              granularityId: marketplaceId,
              marketplaceIds: marketplaceId,
              sellerSkus: group.join(","),
              nextToken,
            },
            signal,
          }));
        } catch (err) {
          // An account without FBA (or without FBA SKUs) answers InvalidInput: nothing is held there.
          if (err instanceof UpstreamError && err.providerCode === "InvalidInput" && err.status === 400) {
            log.warn({ channel: deps.id }, "amazon: FBA inventory refused (InvalidInput); is the account using FBA?");
            return out;
          }
          throw err;
        }
        const page = parseAs(PROVIDER, FbaSummaries, body, "FBA inventory summaries");
        for (const row of page.payload?.inventorySummaries ?? []) {
          const sku = row.sellerSku === undefined ? undefined : byRef.get(row.sellerSku);
          if (!sku || !row.sellerSku) continue;
          out.push({
            sku,
            ref: row.sellerSku,
            quantity: Math.max(0, row.inventoryDetails?.fulfillableQuantity ?? 0),
            total: Math.max(0, row.totalQuantity ?? 0),
          });
        }
        nextToken = page.pagination?.nextToken || undefined;
      } while (nextToken);
    }
    return out;
  }

  const channel: SalesChannel & { readonly tokenRefreshes: number } = {
    id: deps.id,
    kind: "amazon",
    maxBatch: MAX_FEED,
    get tokenRefreshes() {
      return tokens.refreshes;
    },

    async listCatalog(signal) {
      // searchListingsItems stops at 1,000 SKUs; above that the Reports API lists everything.
      const out: CatalogItem[] = [];
      let pageToken: string | undefined;
      let total = 0;
      do {
        const { body } = await sp(
          "searchListingsItems",
          "GET",
          `/listings/2021-08-01/items/${encodeURIComponent(config.sellerId)}`,
          {
            query: { marketplaceIds, includedData: "summaries,fulfillmentAvailability", pageSize: "20", pageToken },
            signal,
          },
        );
        const page = parseAs(PROVIDER, SearchListings, body, "listings page");
        total = page.numberOfResults;
        if (total > SEARCH_CAP) return listCatalogByReport(signal);
        for (const item of page.items) {
          const pt = item.summaries?.find((s) => s.productType)?.productType;
          if (pt) productTypes.set(item.sku, pt);
          const qty = item.fulfillmentAvailability?.find((a) => a.fulfillmentChannelCode === "DEFAULT")?.quantity;
          out.push({
            sku: item.sku,
            ref: item.sku,
            title: item.summaries?.[0]?.itemName ?? item.sku,
            ...(qty !== undefined ? { quantity: qty } : {}),
          });
        }
        pageToken = page.pagination?.nextToken;
      } while (pageToken);
      if (out.length >= SEARCH_CAP && total >= SEARCH_CAP) return listCatalogByReport(signal);
      return out;
    },

    async fetchStock(items, signal) {
      const out: ChannelStock[] = [];
      if (items.length > STOCK_BY_ITEM_MAX) {
        // One listings report instead of a getListingsItem per SKU (5/s): compared SKU by SKU all the same. A SKU
        // the report lacks, or lists only as FBA (no merchant quantity), is left out and reported as not found.
        const rows = new Map((await listingsReport(signal)).map((r) => [r.sku, r]));
        for (const ref of items) {
          const r = rows.get(ref.ref);
          if (r?.quantity !== undefined)
            out.push({ sku: ref.sku, ref: ref.ref, quantity: r.quantity, isListed: r.isActive });
        }
        return out;
      }
      for (const ref of items) {
        const item = await getItem(ref.ref, signal);
        if (item) out.push(toStock(ref, item));
      }
      return out;
    },

    ...(config.fba ? { readOnlyLocation: config.fbaLocation ?? "fba", fetchHeldStock } : {}),

    async pushStock(items, opts) {
      const out = new Map<StockPush, PushOutcome>();
      const ready: { it: StockPush; productType: string }[] = [];
      for (const it of items) {
        if (!Number.isInteger(it.quantity) || it.quantity < 0 || !it.ref) {
          out.set(it, {
            sku: it.sku,
            ok: false,
            retryable: false,
            error: localized(
              InvalidInputError,
              "bad_push_item",
              textRef("ch-quantity-out-of-range", { qty: String(it.quantity), sku: it.sku }),
            ),
          });
          continue;
        }
        try {
          const pt = await productTypeOf(it.ref, opts.signal);
          if (pt) ready.push({ it, productType: pt });
          else
            out.set(it, {
              sku: it.sku,
              ok: false,
              retryable: false,
              error: localized(
                InvalidInputError,
                "amazon_product_type_unknown",
                textRef("amazon-unknown-sku", { ref: it.ref, channel: deps.id, sku: it.sku }),
              ),
            });
        } catch (err) {
          out.set(it, failed(it, err));
        }
      }
      if (ready.length >= config.feedThreshold) {
        for (let i = 0; i < ready.length; i += MAX_FEED)
          for (const [k, v] of await pushFeed(ready.slice(i, i + MAX_FEED), opts.signal, stockKind)) out.set(k, v);
      } else {
        for (const { it, productType } of ready) out.set(it, await patchOne(it, productType, opts.signal, stockKind));
      }
      return items.map((i) => must(out.get(i), "every push has an outcome"));
    },

    maxPriceBatch: MAX_FEED,

    /** Our price as `purchasable_offer`: a PATCH per listing, or one JSON_LISTINGS_FEED from `feedThreshold` on. */
    async pushPrices(items, opts) {
      const out = new Map<PricePush, PriceOutcome>();
      const ready: { it: PricePush; productType: string }[] = [];
      for (const it of items) {
        if (!Number.isSafeInteger(it.price.amountMinor) || it.price.amountMinor <= 0 || !it.ref) {
          out.set(
            it,
            priceFailure(
              it.sku,
              localized(InvalidInputError, "bad_price", textRef("ch-price-not-positive", { sku: it.sku })),
            ),
          );
          continue;
        }
        try {
          const pt = await productTypeOf(it.ref, opts.signal);
          if (pt) ready.push({ it, productType: pt });
          else
            out.set(
              it,
              priceFailure(
                it.sku,
                localized(
                  InvalidInputError,
                  "amazon_product_type_unknown",
                  textRef("amazon-unknown-sku", { ref: it.ref, channel: deps.id, sku: it.sku }),
                ),
              ),
            );
        } catch (err) {
          out.set(it, priceFailure(it.sku, err));
        }
      }
      if (ready.length >= config.feedThreshold) {
        for (let i = 0; i < ready.length; i += MAX_FEED)
          for (const [k, v] of await pushFeed(ready.slice(i, i + MAX_FEED), opts.signal, priceKind)) out.set(k, v);
      } else {
        for (const { it, productType } of ready) out.set(it, await patchOne(it, productType, opts.signal, priceKind));
      }
      return items.map((i) => must(out.get(i), "every price has an outcome"));
    },

    /** Our price in the first configured marketplace, read from the listing's `purchasable_offer`. */
    async fetchPrices(items, signal) {
      const out: ChannelPrice[] = [];
      const home = config.marketplaceIds[0];
      for (const ref of items) {
        const item = await getItem(ref.ref, signal, "summaries,attributes");
        const offer = item?.attributes?.purchasable_offer?.find((o) => !o.marketplace_id || o.marketplace_id === home);
        const value = offer?.our_price?.[0]?.schedule?.[0]?.value_with_tax;
        if (value === undefined || !offer?.currency) continue;
        out.push({
          sku: ref.sku,
          ref: ref.ref,
          price: { amountMinor: toMinor(value, offer.currency), currency: offer.currency },
        });
      }
      return out;
    },

    // Amazon has no listing switch short of deleting the offer; delisting publishes quantity 0.
    setListed: delistAsZero(() => channel.pushStock),

    async fetchOrders(cursor, signal) {
      const c = orderCursor({ provider: "Amazon", schema: Cursor, cursor, clock, lookbackDays: DEFAULT_LOOKBACK_DAYS });
      const { body } = await sp("searchOrders", "GET", "/orders/2026-01-01/orders", {
        query: {
          lastUpdatedAfter: c.since,
          marketplaceIds,
          fulfilledBy: "MERCHANT",
          maxResultsPerPage: "100",
          includedData: "FULFILLMENT",
          paginationToken: c.token,
        },
        signal,
      });
      const page = parseAs(PROVIDER, SearchOrders, body, "orders page");
      const high = [c.high, ...page.orders.map((o) => new Date(o.lastUpdatedTime).toISOString())]
        .filter((x): x is string => Boolean(x))
        .sort()
        .at(-1);
      const token = page.pagination?.nextToken;
      const next = token ? { since: c.since, token, high } : { since: high ?? c.since };
      return { orders: page.orders.map(mapOrder), hasMore: Boolean(token), nextCursor: JSON.stringify(next) };
    },
  };
  return channel;
}
