import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { must } from "../internal-error.js";
import {
  createFaults,
  type FaultOptions,
  type Faults,
  type RecordedRequest,
  type SimResponse,
  startSimServer,
} from "./common.js";

/** A seller listing in the fake. */
export interface SimAmazonListing {
  sku: string;
  productType: string;
  quantity: number;
  status: string[];
  itemName: string;
  /** Our price (`purchasable_offer` our_price) per marketplace id, once one was set. */
  prices?: Map<string, { value: number; currency: string }>;
}

/** An order in the fake, already in the Orders API 2026-01-01 shape. */
export interface SimAmazonOrder {
  orderId: string;
  createdTime: string;
  lastUpdatedTime: string;
  fulfillment: { fulfillmentStatus: string };
  orderItems: {
    orderItemId: string;
    quantityOrdered: number;
    product: { sellerSku: string; asin: string };
    fulfillment: { quantityFulfilled: number; quantityUnfulfilled: number };
  }[];
}

/** GET_MERCHANT_LISTINGS_ALL_DATA columns (the 29-column variant seen in public samples). */
const LISTINGS_REPORT_COLUMNS = [
  "item-name",
  "item-description",
  "listing-id",
  "seller-sku",
  "price",
  "quantity",
  "open-date",
  "image-url",
  "item-is-marketplace",
  "product-id-type",
  "zshop-shipping-fee",
  "item-note",
  "item-condition",
  "zshop-category1",
  "zshop-browse-path",
  "zshop-storefront-feature",
  "asin1",
  "asin2",
  "asin3",
  "will-ship-internationally",
  "expedited-shipping",
  "zshop-boldface",
  "product-id",
  "bid-for-featured-placement",
  "add-delete",
  "pending-quantity",
  "fulfillment-channel",
  "merchant-shipping-group",
  "status",
];

/** State tests may inspect and change. */
export interface SimAmazonState {
  listings: Map<string, SimAmazonListing>;
  orders: SimAmazonOrder[];
  feeds: Map<
    string,
    { status: string; polls: number; documentId: string; resultDocumentId?: string; messages: number }
  >;
  documents: Map<string, { body?: string; contentType?: string; report?: Buffer }>;
  /** Reports API 2021-06-30 reports (createReport → getReport → getReportDocument). */
  reports: Map<string, { reportType: string; status: string; polls: number; documentId?: string }>;
  /** Applied quantity changes, in order, with how they arrived. */
  changes: { sku: string; to: number; via: "patch" | "feed" }[];
  /** Applied price changes (`purchasable_offer`), in order, with how they arrived. */
  priceChanges: { sku: string; marketplaceId: string; value: number; currency: string; via: "patch" | "feed" }[];
  tokensIssued: number;
  /** SKUs whose next feed message or PATCH gets this issue. */
  itemIssues: Map<string, { code: string; message: string }>;
}

/** Options for {@link startAmazonSim}. */
export interface AmazonSimOptions {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  sellerId?: string;
  /** `x-amzn-RateLimit-Limit` values to echo, by operation (e.g. `{ patchListingsItem: "0.5" }`). */
  rateLimitHeaders?: Record<string, string>;
  /** Polls of getFeed answered IN_PROGRESS before DONE. */
  feedPollsUntilDone?: number;
  /** getReport polls answered IN_PROGRESS before the report is DONE (default 1). */
  reportPollsUntilDone?: number;
  tokenLifetimeSeconds?: number;
  /** getInventorySummaries rows per page (default 50, as Amazon). */
  fbaPageSize?: number;
  faults?: FaultOptions;
}

/** A running Amazon fake. */
export interface AmazonSim {
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  sellerId: string;
  state: SimAmazonState;
  requests: RecordedRequest[];
  faults: Faults;
  calls(op: string): RecordedRequest[];
  seedListings(count: number, opts?: { prefix?: string; quantity?: number; productType?: string }): SimAmazonListing[];
  /** What FBA holds of a SKU (getInventorySummaries): fulfillable, inbound and reserved units (issue 13). */
  setFba(sku: string, q: { fulfillable: number; inbound?: number; reserved?: number }): void;
  close(): Promise<void>;
}

/**
 * Starts a small Amazon fake: the LWA token endpoint, Listings Items 2021-08-01 (get, search, PATCH),
 * Feeds 2021-06-30 (documents, presigned upload, feeds, gzip processing report) and Orders 2026-01-01
 * searchOrders, with `x-amzn-RateLimit-Limit`, QuotaExceeded 429s and injectable faults.
 */
export async function startAmazonSim(opts: AmazonSimOptions = {}): Promise<AmazonSim> {
  const clientId = opts.clientId ?? "amzn1.application-oa2-client.sandbox";
  const clientSecret = opts.clientSecret ?? "amzn1.oa2-cs.v1.sandboxsecret";
  const refreshToken = opts.refreshToken ?? "Atzr|sandbox-refresh";
  const sellerId = opts.sellerId ?? "A3SANDBOXSELLER";
  const requests: RecordedRequest[] = [];
  const faults = createFaults(opts.faults);
  const state: SimAmazonState = {
    listings: new Map(),
    orders: [],
    feeds: new Map(),
    documents: new Map(),
    reports: new Map(),
    changes: [],
    priceChanges: [],
    tokensIssued: 0,
    itemIssues: new Map(),
  };
  const tokens = new Set<string>();
  /** FBA holdings per seller SKU. */
  const fba = new Map<string, { fulfillable: number; inbound: number; reserved: number }>();
  let url = "";
  let n = 0;
  const errors = (status: number, code: string, message: string, details = ""): SimResponse => ({
    status,
    json: { errors: [{ code, message, details }] },
  });
  const withPlan = (op: string, r: SimResponse): SimResponse => {
    const plan = opts.rateLimitHeaders?.[op];
    return plan
      ? { ...r, headers: { ...r.headers, "x-amzn-ratelimit-limit": plan, "x-amzn-requestid": randomUUID() } }
      : r;
  };

  const itemJson = (l: SimAmazonListing) => ({
    sku: l.sku,
    summaries: [
      {
        marketplaceId: "A1PA6795UKMFR9",
        asin: "B0SANDBOX1",
        productType: l.productType,
        conditionType: "new_new",
        status: l.status,
        itemName: l.itemName,
        createdDate: "2026-01-01T00:00:00Z",
        lastUpdatedDate: "2026-11-01T00:00:00Z",
      },
    ],
    fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: l.quantity }],
    ...(l.prices?.size
      ? {
          attributes: {
            purchasable_offer: [...l.prices].map(([marketplace_id, p]) => ({
              marketplace_id,
              currency: p.currency,
              our_price: [{ schedule: [{ value_with_tax: p.value }] }],
            })),
          },
        }
      : {}),
  });

  function applyPatch(
    sku: string,
    patches: { op: string; path: string; value?: Record<string, unknown>[] }[],
    via: "patch" | "feed",
  ): { code: string; message: string } | undefined {
    const l = state.listings.get(sku);
    if (!l) return { code: "4000001", message: "The SKU does not exist in this marketplace." };
    const issue = state.itemIssues.get(sku);
    if (issue) {
      state.itemIssues.delete(sku);
      return issue;
    }
    // Checked before anything applies: a submission is accepted or refused as a whole.
    const offers: { marketplaceId: string; value: number; currency: string }[] = [];
    for (const p of patches.filter((x) => x.path === "/attributes/purchasable_offer")) {
      if (p.op !== "replace" && p.op !== "merge")
        return { code: "90220", message: "purchasable_offer takes op replace or merge." };
      for (const o of p.value ?? []) {
        const schedule = (o.our_price as { schedule?: { value_with_tax?: unknown }[] }[] | undefined)?.[0]?.schedule;
        const value = schedule?.[0]?.value_with_tax;
        if (typeof o.marketplace_id !== "string" || typeof o.currency !== "string" || !/^[A-Z]{3}$/.test(o.currency))
          return { code: "90220", message: "purchasable_offer needs marketplace_id and an ISO 4217 currency." };
        if (typeof value !== "number" || !(value > 0))
          return { code: "90220", message: "our_price schedule value_with_tax must be a number above 0." };
        offers.push({ marketplaceId: o.marketplace_id, value, currency: o.currency });
      }
    }
    for (const p of patches) {
      if (p.path !== "/attributes/fulfillment_availability") continue;
      const v = p.value?.find((x) => x.fulfillment_channel_code === "DEFAULT");
      if (typeof v?.quantity === "number") {
        l.quantity = v.quantity;
        state.changes.push({ sku, to: v.quantity, via });
      }
    }
    for (const o of offers) {
      l.prices ??= new Map();
      l.prices.set(o.marketplaceId, { value: o.value, currency: o.currency });
      state.priceChanges.push({ sku, ...o, via });
    }
    return undefined;
  }

  function processFeed(feedId: string): void {
    const f = must(state.feeds.get(feedId), "feeds are processed by id after creation");
    const doc = state.documents.get(f.documentId);
    const parsed = JSON.parse(doc?.body ?? "{}") as {
      header?: { sellerId?: string; version?: string };
      messages?: { messageId: number; sku: string; operationType: string; productType?: string; patches?: [] }[];
    };
    const issues: { messageId: number; sku: string; code: string; severity: string; message: string }[] = [];
    for (const m of parsed.messages ?? []) {
      const issue = applyPatch(m.sku, m.patches ?? [], "feed");
      if (issue)
        issues.push({
          messageId: m.messageId,
          sku: m.sku,
          code: issue.code,
          severity: "ERROR",
          message: issue.message,
        });
    }
    const report = {
      header: { sellerId, version: "2.0", feedId },
      issues,
      summary: {
        errors: issues.length,
        warnings: 0,
        messagesProcessed: parsed.messages?.length ?? 0,
        messagesAccepted: (parsed.messages?.length ?? 0) - issues.length,
        messagesInvalid: issues.length,
      },
    };
    const resultId = `amzn1.tortuga.4.eu.${randomUUID()}`;
    state.documents.set(resultId, { report: gzipSync(Buffer.from(JSON.stringify(report))) });
    f.resultDocumentId = resultId;
    f.status = "DONE";
    f.messages = parsed.messages?.length ?? 0;
  }

  /** Builds GET_MERCHANT_LISTINGS_ALL_DATA as Amazon does: tab-separated, header row, gzip, Cp1252. */
  function buildListingsReport(r: { status: string; documentId?: string }): void {
    if (state.listings.size === 0) {
      r.status = "CANCELLED";
      return;
    }
    const header = LISTINGS_REPORT_COLUMNS;
    const rows = [...state.listings.values()].map((l) => {
      const row: Record<string, string> = {
        "item-name": l.itemName,
        "seller-sku": l.sku,
        quantity: String(l.quantity),
        "fulfillment-channel": "DEFAULT",
        status: l.status.includes("BUYABLE") ? "Active" : "Inactive",
        asin1: `B0${l.sku.replace(/[^0-9]/g, "").padStart(8, "0")}`,
      };
      return header.map((h) => row[h] ?? "").join("\t");
    });
    const text = [header.join("\t"), ...rows].join("\n");
    const id = `amzn1.spdoc.1.4.eu.${randomUUID()}`;
    state.documents.set(id, {
      report: gzipSync(Buffer.from(text, "latin1")),
      contentType: "text/plain; charset=Cp1252",
    });
    r.documentId = id;
    r.status = "DONE";
  }

  /** FBA Inventory v1 getInventorySummaries (fbaInventory.json): 50 rows a page, a base64 nextToken. */
  function fbaSummaries(q: Record<string, string>): SimResponse {
    const mp = q.marketplaceIds;
    if (q.granularityType !== "Marketplace" || !q.granularityId || !mp || mp.includes(",") || q.granularityId !== mp)
      return errors(400, "InvalidInput", "Invalid granularityType, granularityId or marketplaceIds.");
    const wanted = q.sellerSkus ? q.sellerSkus.split(",") : undefined;
    if (wanted && wanted.length > 50) return errors(400, "InvalidInput", "sellerSkus takes at most 50 SKUs.");
    if (fba.size === 0) return errors(400, "InvalidInput", "The seller has no FBA inventory.");
    const rows = [...fba.entries()].filter(([sku]) => !wanted || wanted.includes(sku));
    const start = q.nextToken ? Number(Buffer.from(q.nextToken, "base64").toString()) : 0;
    const page = rows.slice(start, start + (opts.fbaPageSize ?? 50));
    const end = start + page.length;
    const details = q.details === "true";
    return {
      status: 200,
      json: {
        payload: {
          granularity: { granularityType: "Marketplace", granularityId: mp },
          inventorySummaries: page.map(([sku, f]) => ({
            asin: "B0SANDBOX1",
            fnSku: `X00${sku}`,
            sellerSku: sku,
            condition: "NewItem",
            lastUpdatedTime: new Date(0).toISOString(),
            productName: sku,
            totalQuantity: f.fulfillable + f.inbound + f.reserved,
            ...(details
              ? {
                  inventoryDetails: {
                    fulfillableQuantity: f.fulfillable,
                    inboundWorkingQuantity: f.inbound,
                    inboundShippedQuantity: 0,
                    inboundReceivingQuantity: 0,
                    reservedQuantity: {
                      totalReservedQuantity: f.reserved,
                      pendingCustomerOrderQuantity: f.reserved,
                      pendingTransshipmentQuantity: 0,
                      fcProcessingQuantity: 0,
                    },
                  },
                }
              : {}),
          })),
        },
        pagination: end < rows.length ? { nextToken: Buffer.from(String(end)).toString("base64") } : {},
      },
    };
  }

  function route(req: RecordedRequest): SimResponse {
    let m: RegExpExecArray | null;
    if (req.method === "POST" && req.path === "/auth/o2/token") {
      req.op = "lwa";
      const f = new URLSearchParams(req.body);
      if (f.get("grant_type") !== "refresh_token")
        return { status: 400, json: { error: "unsupported_grant_type", error_description: "Unsupported grant type" } };
      if (f.get("client_id") !== clientId || f.get("client_secret") !== clientSecret)
        return { status: 401, json: { error: "invalid_client", error_description: "Client authentication failed" } };
      if (f.get("refresh_token") !== refreshToken)
        return {
          status: 400,
          json: {
            error: "invalid_grant",
            error_description: "The request has an invalid grant parameter : refresh_token",
          },
        };
      const token = `Atza|sandbox-${++n}`;
      tokens.add(token);
      state.tokensIssued += 1;
      return {
        status: 200,
        json: {
          access_token: token,
          refresh_token: refreshToken,
          token_type: "bearer",
          expires_in: opts.tokenLifetimeSeconds ?? 3600,
        },
      };
    }
    m = req.method === "PUT" ? /^\/s3\/upload\/(.+)$/.exec(req.path) : null;
    if (m) {
      req.op = "upload";
      const d = state.documents.get(must(m[1], "route group"));
      if (!d)
        return {
          status: 403,
          text: "<Error><Code>AccessDenied</Code></Error>",
          headers: { "content-type": "application/xml" },
        };
      d.body = req.body;
      d.contentType = String(req.headers["content-type"] ?? "");
      return { status: 200, text: "" };
    }
    m = req.method === "GET" ? /^\/s3\/download\/(.+)$/.exec(req.path) : null;
    if (m) {
      req.op = "download";
      const d = state.documents.get(must(m[1], "route group"));
      return d?.report
        ? { status: 200, headers: { "content-type": d.contentType ?? "application/octet-stream" }, raw: d.report }
        : { status: 404, text: "" };
    }
    if (!tokens.has(String(req.headers["x-amz-access-token"] ?? "")))
      return errors(
        403,
        "Unauthorized",
        "Access to requested resource is denied.",
        "The access token you provided is revoked, malformed or invalid.",
      );
    if (req.method === "GET" && req.path === "/fba/inventory/v1/summaries") {
      req.op = "getInventorySummaries";
      return withPlan(req.op, fbaSummaries(req.query));
    }
    const listingsBase = `/listings/2021-08-01/items/${sellerId}`;
    if (req.method === "GET" && req.path === listingsBase) {
      req.op = "searchListingsItems";
      const all = [...state.listings.values()];
      const size = Math.min(20, Number(req.query.pageSize ?? 10));
      const start = req.query.pageToken ? Number(Buffer.from(req.query.pageToken, "base64").toString()) : 0;
      // listingsItems_2021-08-01.json: "The maximum number of items (SKUs) that can be returned and paged
      // through is 1000." numberOfResults still counts every match.
      const page = all.slice(start, Math.min(start + size, 1000));
      const end = start + page.length;
      return withPlan(req.op, {
        status: 200,
        json: {
          numberOfResults: all.length,
          pagination:
            end < Math.min(all.length, 1000) ? { nextToken: Buffer.from(String(end)).toString("base64") } : {},
          items: page.map(itemJson),
        },
      });
    }
    m = new RegExp(`^${listingsBase}/([^/]+)$`).exec(req.path);
    if (m) {
      const sku = decodeURIComponent(must(m[1], "route group"));
      if (!req.query.marketplaceIds) return errors(400, "InvalidInput", "Missing required marketplaceIds.");
      if (req.method === "GET") {
        req.op = "getListingsItem";
        const l = state.listings.get(sku);
        return withPlan(
          req.op,
          l
            ? { status: 200, json: itemJson(l) }
            : errors(404, "NOT_FOUND", `SKU '${sku}' not found in marketplace A1PA6795UKMFR9`),
        );
      }
      if (req.method === "PATCH") {
        req.op = "patchListingsItem";
        const body = JSON.parse(req.body || "{}") as { productType?: string; patches?: [] };
        if (!body.productType || !body.patches?.length)
          return errors(400, "InvalidInput", "productType and patches are required.");
        const issue = applyPatch(sku, body.patches, "patch");
        return withPlan(req.op, {
          status: 200,
          json: issue
            ? {
                sku,
                status: "INVALID",
                submissionId: randomUUID(),
                issues: [
                  {
                    code: issue.code,
                    message: issue.message,
                    severity: "ERROR",
                    attributeNames: ["fulfillment_availability"],
                  },
                ],
              }
            : { sku, status: "ACCEPTED", submissionId: randomUUID(), issues: [] },
        });
      }
    }
    if (req.method === "POST" && req.path === "/feeds/2021-06-30/documents") {
      req.op = "createFeedDocument";
      const id = `amzn1.tortuga.4.eu.${randomUUID()}`;
      state.documents.set(id, {});
      return withPlan(req.op, { status: 201, json: { feedDocumentId: id, url: `${url}/s3/upload/${id}` } });
    }
    if (req.method === "POST" && req.path === "/feeds/2021-06-30/feeds") {
      req.op = "createFeed";
      const body = JSON.parse(req.body || "{}") as {
        feedType?: string;
        inputFeedDocumentId?: string;
        marketplaceIds?: string[];
      };
      if (body.feedType !== "JSON_LISTINGS_FEED" || !body.inputFeedDocumentId || !body.marketplaceIds?.length)
        return errors(400, "InvalidInput", "Invalid feed request.");
      if (!state.documents.get(body.inputFeedDocumentId)?.body)
        return errors(400, "InvalidInput", "inputFeedDocumentId has no uploaded content.");
      const feedId = String(50_000_000_000 + state.feeds.size + 1);
      state.feeds.set(feedId, { status: "IN_QUEUE", polls: 0, documentId: body.inputFeedDocumentId, messages: 0 });
      return withPlan(req.op, { status: 202, json: { feedId } });
    }
    m = req.method === "GET" ? /^\/feeds\/2021-06-30\/feeds\/(\d+)$/.exec(req.path) : null;
    if (m) {
      req.op = "getFeed";
      const f = state.feeds.get(must(m[1], "route group"));
      if (!f) return errors(404, "NotFound", "Feed not found.");
      f.polls += 1;
      if (f.status !== "DONE") {
        if (f.polls > (opts.feedPollsUntilDone ?? 1)) processFeed(must(m[1], "route group"));
        else f.status = "IN_PROGRESS";
      }
      return withPlan(req.op, {
        status: 200,
        json: {
          feedId: m[1],
          feedType: "JSON_LISTINGS_FEED",
          marketplaceIds: ["A1PA6795UKMFR9"],
          createdTime: "2026-11-20T08:00:00Z",
          processingStatus: f.status,
          ...(f.resultDocumentId ? { resultFeedDocumentId: f.resultDocumentId } : {}),
        },
      });
    }
    m = req.method === "GET" ? /^\/feeds\/2021-06-30\/documents\/(.+)$/.exec(req.path) : null;
    if (m) {
      req.op = "getFeedDocument";
      const d = state.documents.get(must(m[1], "route group"));
      if (!d?.report) return errors(404, "NotFound", "Document not found.");
      return withPlan(req.op, {
        status: 200,
        json: { feedDocumentId: m[1], url: `${url}/s3/download/${m[1]}`, compressionAlgorithm: "GZIP" },
      });
    }
    if (req.method === "POST" && req.path === "/reports/2021-06-30/reports") {
      req.op = "createReport";
      const body = JSON.parse(req.body || "{}") as { reportType?: string; marketplaceIds?: string[] };
      if (!body.reportType || !body.marketplaceIds?.length)
        return errors(400, "InvalidInput", "reportType and marketplaceIds are required.");
      const reportId = String(70_000_000 + state.reports.size + 1);
      state.reports.set(reportId, { reportType: body.reportType, status: "IN_QUEUE", polls: 0 });
      return withPlan(req.op, { status: 202, json: { reportId } });
    }
    m = req.method === "GET" ? /^\/reports\/2021-06-30\/reports\/(\d+)$/.exec(req.path) : null;
    if (m) {
      req.op = "getReport";
      const r = state.reports.get(m[1] ?? "");
      if (!r) return errors(404, "NotFound", "Report not found.");
      r.polls += 1;
      if (r.status !== "DONE" && r.status !== "CANCELLED") {
        if (r.polls > (opts.reportPollsUntilDone ?? 1)) buildListingsReport(r);
        else r.status = "IN_PROGRESS";
      }
      return withPlan(req.op, {
        status: 200,
        json: {
          reportId: m[1],
          reportType: r.reportType,
          marketplaceIds: ["A1PA6795UKMFR9"],
          createdTime: "2026-11-20T08:00:00Z",
          processingStatus: r.status,
          ...(r.documentId ? { reportDocumentId: r.documentId } : {}),
        },
      });
    }
    m = req.method === "GET" ? /^\/reports\/2021-06-30\/documents\/(.+)$/.exec(req.path) : null;
    if (m) {
      req.op = "getReportDocument";
      const d = state.documents.get(m[1] ?? "");
      if (!d?.report) return errors(404, "NotFound", "Document not found.");
      return withPlan(req.op, {
        status: 200,
        json: { reportDocumentId: m[1], url: `${url}/s3/download/${m[1]}`, compressionAlgorithm: "GZIP" },
      });
    }
    if (req.method === "GET" && req.path === "/orders/2026-01-01/orders") {
      req.op = "searchOrders";
      if (!req.query.lastUpdatedAfter === !req.query.createdAfter)
        return errors(400, "InvalidInput", "Exactly one of createdAfter or lastUpdatedAfter is required.");
      const after = Date.parse(req.query.lastUpdatedAfter ?? "");
      const all = state.orders
        .filter((o) => Date.parse(o.lastUpdatedTime) >= after)
        .sort((a, b) => a.lastUpdatedTime.localeCompare(b.lastUpdatedTime));
      const size = Math.min(100, Number(req.query.maxResultsPerPage ?? 100));
      const start = req.query.paginationToken ? Number(Buffer.from(req.query.paginationToken, "base64").toString()) : 0;
      const page = all.slice(start, start + size);
      const end = start + page.length;
      return withPlan(req.op, {
        status: 200,
        json: {
          orders: page,
          pagination: end < all.length ? { nextToken: Buffer.from(String(end)).toString("base64") } : {},
          lastUpdatedBefore: new Date().toISOString(),
        },
      });
    }
    return errors(404, "NotFound", "Resource not found.");
  }

  const server = await startSimServer({
    requests,
    faults,
    isFaultable: (r) => !r.path.startsWith("/auth/") && !r.path.startsWith("/s3/"),
    faultBody: (kind) =>
      kind === "429"
        ? {
            errors: [
              { code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" },
            ],
          }
        : {
            errors: [
              { code: "InternalFailure", message: "We encountered an internal error. Please try again.", details: "" },
            ],
          },
    route,
  });
  url = server.url;

  return {
    url: server.url,
    tokenUrl: `${server.url}/auth/o2/token`,
    clientId,
    clientSecret,
    refreshToken,
    sellerId,
    state,
    requests,
    faults,
    calls: (op) => requests.filter((r) => r.op === op),
    seedListings(count, o = {}) {
      const out: SimAmazonListing[] = [];
      for (let i = 0; i < count; i++) {
        const l: SimAmazonListing = {
          sku: `${o.prefix ?? "AMZ-"}${String(state.listings.size + 1).padStart(4, "0")}`,
          productType: o.productType ?? "HOME",
          quantity: o.quantity ?? 0,
          status: ["BUYABLE", "DISCOVERABLE"],
          itemName: `Listing ${state.listings.size + 1}`,
        };
        state.listings.set(l.sku, l);
        out.push(l);
      }
      return out;
    },
    setFba(sku, f) {
      fba.set(sku, { fulfillable: f.fulfillable, inbound: f.inbound ?? 0, reserved: f.reserved ?? 0 });
    },
    close: server.close,
  };
}
