import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { channelCommon, locationName, secret as secretField, url as urlField } from "../config-fields.js";
import { type AppError, ForbiddenError, InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asOrderId, SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { UpstreamError } from "../upstream/errors.js";
import { callWithPolicy, parseAs, readJson, send, statusError, unexpectedShape } from "../upstream/http.js";
import { priceFailure, pushFailure } from "./base.js";
import { type ChannelDeps, chunk, fromMinor, header } from "./http.js";
import type {
  CatalogItem,
  ChannelOrder,
  ChannelStock,
  ListingRef,
  PriceOutcome,
  PricePush,
  PushOutcome,
  SalesChannel,
  StockPush,
  WebhookEvent,
  WebhookRequest,
} from "./types.js";

/** The `webhook` entry of `channels` in stockradar.yaml: any system that speaks the signed JSON of docs/webhook-channel.md. */
export const WebhookConfigSchema = z.object({
  ...channelCommon,
  kind: z.literal("webhook"),
  /** Where stock (and price) targets are POSTed. */
  url: urlField,
  /** Where the receiver's stock is read back with a signed GET; without it reconcile skips the channel. */
  readUrl: urlField.optional(),
  /** Signs both directions (HMAC-SHA256, header X-Stockradar-Signature). */
  secret: secretField,
  /** Items per POST. */
  batchSize: z.number().int().min(1).max(1000).default(100),
  /** Per POST, in milliseconds. */
  timeoutMs: z.number().int().positive().default(30_000),
});
/** A validated `webhook` channel config. */
export type WebhookConfig = z.infer<typeof WebhookConfigSchema>;

const PROVIDER = "Webhook";
/** The signature header of both directions. */
export const SIGNATURE_HEADER = "X-Stockradar-Signature";
/** Receivers (and we) refuse a signature older than this. */
export const SIGNATURE_TOLERANCE_S = 300;

/** The `X-Stockradar-Signature` value for a raw body at unix second `t`: `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signWebhook(secretKey: string, t: number, raw: string | Buffer): string {
  const mac = createHmac("sha256", secretKey).update(`${t}.`).update(raw).digest("hex");
  return `t=${t},v1=${mac}`;
}

/** Checks a signature header on the raw bytes (constant time, 5-minute window); throws ForbiddenError otherwise. */
export function verifyWebhookSignature(secretKey: string, value: string | undefined, raw: Buffer, nowMs: number): void {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(value ?? "");
  if (!m) throw new ForbiddenError("webhook_unsigned", `The webhook carried no valid ${SIGNATURE_HEADER} header.`);
  const t = Number(m[1]);
  if (Math.abs(nowMs / 1000 - t) > SIGNATURE_TOLERANCE_S)
    throw new ForbiddenError("webhook_stale", "The webhook signature is older than 5 minutes.");
  const want = Buffer.from(signWebhook(secretKey, t, raw), "utf8");
  const given = Buffer.from(must(value, "matched above"), "utf8");
  if (want.length !== given.length || !timingSafeEqual(want, given))
    throw new ForbiddenError("webhook_bad_signature", "The webhook signature does not match.");
}

const EventId = z.string().min(1).max(200);

/** An inbound stock event: `count` sets the on hand, `restock` adds, `adjust` adds or removes. */
export const WebhookStockEventSchema = z
  .object({
    type: z.literal("stock"),
    event_id: EventId,
    sku: SkuSchema,
    location: locationName.optional(),
    kind: z.enum(["restock", "adjust", "count"]),
    quantity: z.number().int(),
  })
  .refine((e) => (e.kind === "count" ? e.quantity >= 0 : e.kind === "restock" ? e.quantity > 0 : e.quantity !== 0), {
    message: "count needs a quantity of 0 or more, restock more than 0, adjust anything but 0",
    path: ["quantity"],
  });

/** An inbound order event, taken in like a polled order. */
export const WebhookOrderEventSchema = z.object({
  type: z.literal("order"),
  event_id: EventId,
  order: z.object({
    id: z.string().min(1).max(200),
    status: z.enum(["pending", "paid", "shipped", "cancelled"]),
    lines: z
      .array(z.object({ id: z.string().min(1).max(200).optional(), sku: SkuSchema, qty: z.number().int().min(0) }))
      .min(1),
  }),
});

/** Every inbound body `POST /webhooks/<channel>` accepts for a webhook channel. */
export const WebhookInboundSchema = z.discriminatedUnion("type", [WebhookStockEventSchema, WebhookOrderEventSchema]);

/** The outbound stock body. */
export const WebhookStockBodySchema = z.object({
  channel: z.string(),
  items: z.array(
    z.object({ sku: z.string(), ref: z.string(), quantity: z.number().int().min(0), version: z.number().int() }),
  ),
});

/** The outbound price body. */
export const WebhookPriceBodySchema = z.object({
  channel: z.string(),
  prices: z.array(z.object({ sku: z.string(), ref: z.string(), amount: z.string(), currency: z.string() })),
});

/** What the receiver answers to either outbound body: one result per item (a missing item counts as failed). */
export const WebhookAnswerSchema = z.object({
  results: z.array(
    z.union([
      z.object({ sku: z.string(), ok: z.literal(true) }),
      z.object({ sku: z.string(), ok: z.literal(false), error: z.string() }),
    ]),
  ),
});
type Answer = z.infer<typeof WebhookAnswerSchema>;

/** What the receiver answers to a read GET: one row per SKU (and location), then the cursor of the next page or null. */
export const WebhookStockAnswerSchema = z.object({
  items: z.array(
    z.object({ sku: z.string().min(1), quantity: z.number().int().min(0), location: z.string().min(1).optional() }),
  ),
  next_cursor: z.string().min(1).nullable(),
});
type StockRow = z.infer<typeof WebhookStockAnswerSchema>["items"][number];

/** SKUs one read GET asks for. */
export const READ_BATCH = 50;
/** Pages one read follows at most: a receiver whose cursor never ends is answering malformed, not slowly. */
const MAX_READ_PAGES = 1000;

/**
 * The query string of a read GET, exactly as sent and signed: `skus=A,B` (each SKU percent-encoded, the commas
 * literal; omitted to list the whole catalog), then `cursor=…` on later pages, after any query `readUrl` has.
 */
export function webhookReadQuery(readUrl: string, skus: readonly string[] | undefined, cursor: string | null): string {
  const own = [
    ...(skus ? [`skus=${skus.map(encodeURIComponent).join(",")}`] : []),
    ...(cursor !== null ? [`cursor=${encodeURIComponent(cursor)}`] : []),
  ];
  return [new URL(readUrl).search.slice(1), ...own].filter(Boolean).join("&");
}

/** The signed read GET: its URL and headers, the signature over `"<t>." + <query string>` (a GET has no body). */
export function signedWebhookRead(
  config: Pick<WebhookConfig, "secret">,
  readUrl: string,
  query: string,
  nowMs: number,
): { url: string; headers: Record<string, string> } {
  const u = new URL(readUrl);
  const t = Math.floor(nowMs / 1000);
  return {
    url: `${u.origin}${u.pathname}${query ? `?${query}` : ""}`,
    headers: { accept: "application/json", [SIGNATURE_HEADER.toLowerCase()]: signWebhook(config.secret, t, query) },
  };
}

/**
 * Builds the generic webhook adapter: stock and price targets go out as signed JSON POSTs in batches, each
 * item's outcome read from the answer; inbound stock and order events are verified before they are parsed.
 *
 * @example
 * const hook = createWebhookChannel({ ...channelDeps, config });
 * await hook.pushStock([{ sku, ref: "A-1", quantity: 3 }], { idempotencyKey: "p:2", signal });
 */
export function createWebhookChannel(deps: ChannelDeps & { config: WebhookConfig }): SalesChannel {
  const { config, clock } = deps;
  let version = 0;

  async function post(op: string, body: unknown, signal: AbortSignal): Promise<Answer> {
    return callWithPolicy(deps, { op: `webhook.${op}`, isIdempotent: true, signal }, async () => {
      const raw = JSON.stringify(body);
      const t = Math.floor(clock.now().getTime() / 1000);
      const res = await send(deps.http, PROVIDER, {
        method: "POST",
        url: config.url,
        headers: {
          accept: "application/json",
          "content-type": "application/json",
          [SIGNATURE_HEADER.toLowerCase()]: signWebhook(config.secret, t, raw),
        },
        body: raw,
        timeoutMs: config.timeoutMs,
        signal,
      });
      if (res.status < 200 || res.status >= 300)
        throw statusError({ provider: PROVIDER, status: res.status, headers: res.headers, now: clock.now() });
      return parseAs(PROVIDER, WebhookAnswerSchema, readJson(PROVIDER, res), "answer");
    });
  }

  async function readPage(readUrl: string, query: string, signal: AbortSignal) {
    return callWithPolicy(deps, { op: "webhook.read", isIdempotent: true, signal }, async () => {
      const req = signedWebhookRead(config, readUrl, query, clock.now().getTime());
      const res = await send(deps.http, PROVIDER, { method: "GET", ...req, timeoutMs: config.timeoutMs, signal });
      if (res.status < 200 || res.status >= 300)
        throw statusError({ provider: PROVIDER, status: res.status, headers: res.headers, now: clock.now() });
      return parseAs(PROVIDER, WebhookStockAnswerSchema, readJson(PROVIDER, res), "stock answer");
    });
  }

  /** Every row the receiver answers for `skus` (undefined: its whole catalog), page after page until next_cursor is null. */
  async function readRows(readUrl: string, skus: readonly string[] | undefined, signal: AbortSignal) {
    const rows: StockRow[] = [];
    const cursors = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < MAX_READ_PAGES; page += 1) {
      const answer = await readPage(readUrl, webhookReadQuery(readUrl, skus, cursor), signal);
      rows.push(...answer.items);
      if (answer.next_cursor === null) return rows;
      if (cursors.has(answer.next_cursor)) break;
      cursors.add(answer.next_cursor);
      cursor = answer.next_cursor;
    }
    throw unexpectedShape(PROVIDER, "stock answer", [`next_cursor does not end (${MAX_READ_PAGES} pages or a repeat)`]);
  }

  /** Rows of one SKU summed; per location when the receiver names locations. */
  function bySku(rows: readonly StockRow[]): Map<string, { quantity: number; byLocation: Map<string, number> }> {
    const out = new Map<string, { quantity: number; byLocation: Map<string, number> }>();
    for (const r of rows) {
      const e = out.get(r.sku) ?? { quantity: 0, byLocation: new Map<string, number>() };
      e.quantity += r.quantity;
      if (r.location !== undefined) e.byLocation.set(r.location, (e.byLocation.get(r.location) ?? 0) + r.quantity);
      out.set(r.sku, e);
    }
    return out;
  }

  async function fetchStock(items: ListingRef[], signal: AbortSignal): Promise<ChannelStock[]> {
    const readUrl = config.readUrl;
    if (!readUrl) return [];
    const out: ChannelStock[] = [];
    for (const part of chunk(items, READ_BATCH)) {
      const seen = bySku(await readRows(readUrl, [...new Set(part.map((i) => i.sku))], signal));
      for (const i of part) {
        const e = seen.get(i.sku);
        if (!e) continue;
        const byLocation = [...e.byLocation].map(([location, quantity]) => ({ location, quantity }));
        out.push({
          sku: i.sku,
          ref: i.ref,
          quantity: e.quantity,
          isListed: true,
          ...(byLocation.length ? { byLocation } : {}),
        });
      }
    }
    return out;
  }

  async function listCatalog(signal: AbortSignal): Promise<CatalogItem[]> {
    if (!config.readUrl)
      throw localized(InvalidInputError, "webhook_no_read_url", textRef("webhook-no-read-url", { channel: deps.id }));
    // The receiver knows items by our SKU (the outbound body names both), so the SKU is the listing's ref too.
    return [...bySku(await readRows(config.readUrl, undefined, signal))].map(([sku, e]) => ({
      sku,
      ref: sku,
      title: sku,
      quantity: e.quantity,
    }));
  }

  function outcomeOf(answer: Answer, sku: string): { ok: true } | { ok: false; error: AppError } {
    const r = answer.results.find((x) => x.sku === sku);
    if (r?.ok) return { ok: true };
    if (r)
      return {
        ok: false,
        error: localized(
          InvalidInputError,
          "webhook_item_refused",
          textRef("webhook-item-refused", { sku, reason: r.error.slice(0, 200) }),
        ),
      };
    return {
      ok: false,
      error: new UpstreamError({
        provider: PROVIDER,
        kind: "malformed",
        code: "upstream_incomplete",
        i18n: textRef("webhook-no-answer", { sku }),
      }),
    };
  }

  async function pushPrices(items: PricePush[], opts: { idempotencyKey: string; signal: AbortSignal }) {
    const out: PriceOutcome[] = [];
    for (const part of chunk(items, config.batchSize)) {
      let answer: Answer;
      try {
        answer = await post(
          "prices",
          {
            channel: deps.id,
            prices: part.map((p) => ({
              sku: p.sku,
              ref: p.ref,
              amount: fromMinor(p.price.amountMinor, p.price.currency),
              currency: p.price.currency,
            })),
          },
          opts.signal,
        );
      } catch (err) {
        for (const p of part) out.push(priceFailure(p.sku, err));
        continue;
      }
      for (const p of part) {
        const o = outcomeOf(answer, p.sku);
        out.push(o.ok ? { sku: p.sku, ok: true, price: p.price } : priceFailure(p.sku, o.error));
      }
    }
    return out;
  }

  async function pushStock(items: StockPush[], opts: { idempotencyKey: string; signal: AbortSignal }) {
    const out: PushOutcome[] = [];
    for (const part of chunk(items, config.batchSize)) {
      version += 1;
      const v = clock.now().getTime() * 1000 + (version % 1000);
      let answer: Answer;
      try {
        answer = await post(
          "stock",
          { channel: deps.id, items: part.map((i) => ({ sku: i.sku, ref: i.ref, quantity: i.quantity, version: v })) },
          opts.signal,
        );
      } catch (err) {
        for (const i of part) out.push(pushFailure(i.sku, err));
        continue;
      }
      for (const i of part) {
        const o = outcomeOf(answer, i.sku);
        out.push(o.ok ? { sku: i.sku, ok: true, quantity: i.quantity } : pushFailure(i.sku, o.error));
      }
    }
    return out;
  }

  function parseWebhook(req: WebhookRequest): WebhookEvent {
    // Verified on the raw bytes before anything is parsed.
    verifyWebhookSignature(config.secret, header(req.headers, SIGNATURE_HEADER), req.rawBody, clock.now().getTime());
    let value: unknown;
    try {
      value = JSON.parse(req.rawBody.toString("utf8"));
    } catch {
      throw localized(InvalidInputError, "webhook_malformed", textRef("webhook-body-not-json"));
    }
    const r = WebhookInboundSchema.safeParse(value);
    if (!r.success) {
      const first = r.error.issues[0];
      const issue = first ? `${first.path.join(".") || "body"}: ${first.message}` : "unknown shape";
      throw localized(InvalidInputError, "webhook_malformed", textRef("webhook-body-invalid", { issue }));
    }
    const e = r.data;
    const deliveryId = `webhook:${deps.id}:${e.event_id}`;
    if (e.type === "stock")
      return {
        kind: "stock",
        deliveryId,
        sku: e.sku,
        location: e.location,
        change: e.kind,
        quantity: e.quantity,
      };
    const now = clock.now();
    const order: ChannelOrder = {
      orderId: asOrderId(e.order.id),
      createdAt: now,
      updatedAt: now,
      lines: e.order.lines.map((l, i) => ({
        lineId: l.id ?? `${i + 1}`,
        sku: l.sku,
        qty: l.qty,
        status: e.order.status,
      })),
      hasAllLines: true,
    };
    return { kind: "order", deliveryId, order };
  }

  return {
    id: deps.id,
    kind: "webhook",
    maxBatch: config.batchSize,
    readsStock: config.readUrl !== undefined,
    listCatalog,
    fetchStock,
    pushStock,
    pushPrices,
    async setListed(item, isListed, opts) {
      if (isListed) return;
      const [o] = await pushStock([{ sku: item.sku, ref: item.ref, quantity: 0 }], opts);
      if (o && !o.ok) throw o.error;
    },
    async fetchOrders(cursor) {
      return { orders: [], hasMore: false, nextCursor: cursor ?? "" };
    },
    parseWebhook,
  };
}
