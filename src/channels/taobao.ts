import { z } from "zod";
import { channelCommon, secret, url } from "../config-fields.js";
import { type AppError, ConfigError, ConflictError, InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { textRef } from "../i18n/ref.js";
import { asChannelId, asOrderId, SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { UpstreamError } from "../upstream/errors.js";
import { callWithPolicy } from "../upstream/http.js";
import { PROVIDER_NAMES, priceFailure, providerSaid, pushFailure } from "./base.js";
import {
  BeijingTime,
  createTokenAlert,
  formatBeijing,
  IdString,
  nextWindow,
  postGatewayForm,
  readPagesBackwards,
  topSign,
  type WindowRules,
  yuanToFen,
} from "./cn-common.js";
import type { ChannelDeps } from "./http.js";
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
  SalesChannel,
  StockPush,
} from "./types.js";

/** The `taobao` entry of `channels` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const TaobaoConfigSchema = z.object({
  ...channelCommon,
  kind: z.literal("taobao"),
  appKey: z.string().min(1),
  appSecret: secret,
  session: secret,
  signMethod: z.enum(["md5", "hmac", "hmac-sha256"]).default("hmac-sha256"),
  /** Gateway host; `/router/rest` is appended. Default https://eco.taobao.com. */
  apiBase: url.optional(),
  /** Order-polling window; TOP allows up to 1 day and recommends 30 minutes. */
  orderWindowMinutes: z.number().int().min(1).max(1440).default(30),
  /** Trades per page when polling (TOP: 1–100, 40–50 recommended). */
  pageSize: z.number().int().min(1).max(100).default(40),
  /** How far back the first poll looks when there is no cursor yet. */
  initialLookbackHours: z.number().int().min(1).max(2000).default(24),
  timeoutMs: z.number().int().positive().default(30_000),
});
/** A validated `taobao` channel config. */
export type TaobaoConfig = z.infer<typeof TaobaoConfigSchema>;

/** What {@link createTaobaoChannel} needs: the common channel deps, its config, and where its alerts go. */
export interface TaobaoChannelDeps extends ChannelDeps {
  config: TaobaoConfig;
}

/** Production HTTPS gateway host; `/router/rest` is appended. */
export const TAOBAO_DEFAULT_API_BASE = "https://eco.taobao.com";
/** `taobao.skus.quantity.update` accepts at most this many SKUs of one item per call. */
export const TAOBAO_MAX_SKUS_PER_CALL = 20;
const MAX_ITEMS_PER_READ = 20;
/** TOP prices are yuan with two decimals. */
const TOP_CURRENCY = "CNY";
const fenToYuan = (fen: number): string => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
const ONSALE_PAGE_SIZE = 200;
const PROVIDER = "Taobao";
/** The provider's name in the reader's language. */
const NAME = PROVIDER_NAMES.taobao;

// ---------------------------------------------------------------------------------------------------
// TOP's own wire format (format=json, simplify=false: lists are double-wrapped, e.g. skus.sku[]).

const TopErrorSchema = z.object({
  code: z.coerce.number(),
  msg: z.string().optional(),
  sub_code: z.string().optional(),
  sub_msg: z.string().optional(),
  request_id: z.string().optional(),
});
type TopErrorBody = z.infer<typeof TopErrorSchema>;

const TopSkuSchema = z.object({
  sku_id: IdString,
  quantity: z.number().int(),
  outer_id: z.string().optional(),
  /** Yuan, two decimals ("19.90"). */
  price: z.string().optional(),
  /** The SKU's sale properties `pid:vid;pid:vid`: how taobao.item.sku.price.update names a SKU. */
  properties: z.string().optional(),
});
const TopItemSchema = z.object({
  num_iid: IdString,
  title: z.string().optional(),
  num: z.number().int().optional(),
  approve_status: z.string().optional(),
  outer_id: z.string().optional(),
  /** Yuan, two decimals; for an item with SKUs it must lie within its SKUs' price range. */
  price: z.string().optional(),
  skus: z.object({ sku: z.array(TopSkuSchema).default([]) }).optional(),
});
type TopItem = z.infer<typeof TopItemSchema>;

const QuantityUpdateSchema = z.object({ item: TopItemSchema });
const SellerListSchema = z.object({ items: z.object({ item: z.array(TopItemSchema).default([]) }).optional() });
const OnsaleSchema = z.object({
  total_results: z.number().int(),
  items: z.object({ item: z.array(TopItemSchema).default([]) }).optional(),
});
const ListingChangeSchema = z.object({ item: z.object({ num_iid: IdString }) });
const PriceUpdateSchema = z.object({ item: z.object({ num_iid: IdString }).passthrough() });
const SkuPriceUpdateSchema = z.object({ sku: z.object({ num_iid: IdString }).passthrough() });

const LooseId = z.union([z.string(), z.number()]).transform(String);
const TopOrderSchema = z.object({
  oid: IdString,
  num_iid: IdString,
  sku_id: LooseId.optional(),
  outer_iid: z.string().optional(),
  outer_sku_id: z.string().optional(),
  num: z.number().int(),
  title: z.string().optional(),
  status: z.string().optional(),
  refund_status: z.string().optional(),
  /** Yuan refunded by the latest refund (`refund_id`); TOP refunds a whole sub-order, the amount may be partial. */
  refund_fee: z.string().optional(),
  refund_id: LooseId.optional(),
  payment: z.string().optional(),
});
const TopTradeSchema = z.object({
  tid: IdString,
  status: z.string(),
  created: BeijingTime,
  modified: BeijingTime,
  pay_time: BeijingTime.optional(),
  payment: z.string().optional(),
  orders: z.object({ order: z.array(TopOrderSchema).default([]) }).optional(),
});
type TopTrade = z.infer<typeof TopTradeSchema>;
const IncrementSchema = z.object({
  total_results: z.number().int().optional(),
  has_next: z.boolean().optional(),
  trades: z.object({ trade: z.array(TopTradeSchema).default([]) }).optional(),
});

/** TOP's envelope key: method without a leading `taobao.`, dots to underscores, plus `_response`. */
export function topResponseKey(method: string): string {
  return `${method.replace(/^taobao\./, "").replace(/\./g, "_")}_response`;
}

/** Our listing ref for a Taobao item: `num_iid` or `num_iid:sku_id`. */
export function parseTaobaoRef(ref: string): { numIid: string; skuId?: string } {
  const m = /^(\d{1,20})(?::(\d{1,20}))?$/.exec(ref.trim());
  if (!m) throw localized(InvalidInputError, "bad_ref", textRef("top-bad-ref", { ref }), { ref });
  const numIid = must(m[1], "num_iid group");
  return m[2] ? { numIid, skuId: m[2] } : { numIid };
}

/** Maps a TOP trade / order status (plus the order's refund status) to our order-line state; undefined when unknown. */
export function mapTaobaoStatus(status: string, refundStatus?: string): OrderLineStatus | undefined {
  const base: OrderLineStatus | undefined = (
    {
      TRADE_NO_CREATE_PAY: "pending",
      WAIT_BUYER_PAY: "pending",
      PAY_PENDING: "pending",
      WAIT_PRE_AUTH_CONFIRM: "pending",
      WAIT_SELLER_SEND_GOODS: "paid",
      PAID_FORBID_CONSIGN: "paid",
      SELLER_CONSIGNED_PART: "paid",
      WAIT_BUYER_CONFIRM_GOODS: "shipped",
      TRADE_BUYER_SIGNED: "shipped",
      TRADE_FINISHED: "shipped",
      TRADE_CLOSED: "cancelled",
      TRADE_CLOSED_BY_TAOBAO: "cancelled",
    } as Record<string, OrderLineStatus>
  )[status];
  // A refund that succeeded before shipping gives the units back; after shipping it is a return.
  if (refundStatus === "SUCCESS" && (base === "paid" || base === "pending")) return "cancelled";
  return base;
}

/**
 * Turns a TOP `error_response` into our error: flow control and `isp.*` are retryable (with the ban's
 * length when TOP states it), signature / app key / permission / clock problems are configuration
 * errors, and an invalid session is a non-retryable upstream error the caller alerts on.
 */
export function mapTopError(e: TopErrorBody, method: string, channelId: string): AppError {
  const sub = e.sub_code ?? "";
  const details = { channelId, method, providerCode: e.code, subCode: e.sub_code, requestId: e.request_id };
  if (e.code === 7 || sub.startsWith("accesscontrol.") || sub === "isp.call-limited") {
    const m = /last for (\d+)/.exec(e.sub_msg ?? "");
    return new UpstreamError({
      provider: PROVIDER,
      kind: "throttled",
      i18n: textRef("ch-throttled", { provider: NAME, channel: channelId }),
      retryAfterSeconds: m ? Number(m[1]) + 1 : 1,
      providerCode: sub || e.code,
      details,
    });
  }
  if (e.code === 25 || e.code === 24) {
    return localized(
      ConfigError,
      "taobao_bad_signature",
      textRef("top-bad-signature", { channel: channelId }),
      details,
    );
  }
  if (e.code === 28 || e.code === 29) {
    return localized(ConfigError, "taobao_bad_app_key", textRef("top-bad-app-key", { channel: channelId }), details);
  }
  if (e.code === 11 || e.code === 12 || e.code === 13) {
    return localized(
      ConfigError,
      "taobao_permission",
      textRef("top-permission", { call: method, channel: channelId }),
      details,
    );
  }
  if (e.code === 30 || e.code === 31) {
    return localized(ConfigError, "taobao_clock_skew", textRef("top-clock-skew", { channel: channelId }), details);
  }
  if (e.code === 26 || e.code === 27) {
    return new UpstreamError({
      provider: PROVIDER,
      kind: "auth",
      code: "upstream_token_expired",
      i18n: textRef("top-session-expired", { channel: channelId }),
      providerCode: e.code,
      // The adapter raised a specific alert with instructions; callers need not raise a generic one.
      details: { ...details, isOperatorAlerted: true },
    });
  }
  const isRetryable = e.code === 10 || sub.startsWith("isp.");
  return new UpstreamError({
    provider: PROVIDER,
    kind: isRetryable ? "network" : "rejected",
    ...(isRetryable ? { code: "upstream_unavailable" as const } : {}),
    i18n: isRetryable
      ? textRef("ch-temporary", { provider: NAME, channel: channelId })
      : textRef("ch-rejected-call", {
          provider: NAME,
          call: method,
          channel: channelId,
          code: sub || String(e.code),
          detail: providerSaid(NAME, e.sub_msg ?? e.msg),
        }),
    providerCode: sub || e.code,
    details,
  });
}

/** The channel's TOP gateway URL: `apiBase` (default {@link TAOBAO_DEFAULT_API_BASE}) plus `/router/rest`. */
export function taobaoGateway(config: Pick<TaobaoConfig, "apiBase">): string {
  return `${(config.apiBase ?? TAOBAO_DEFAULT_API_BASE).replace(/\/+$/, "")}/router/rest`;
}

/**
 * The signed form of one TOP call: the system parameters (Beijing `timestamp`, the channel's `sign_method`, the
 * seller `session`), the business parameters without empty values, and `sign` over all of them.
 */
export function topSignedParams(
  config: Pick<TaobaoConfig, "appKey" | "appSecret" | "session" | "signMethod">,
  method: string,
  biz: Readonly<Record<string, string | number | undefined>>,
  now: Date,
): Record<string, string> {
  const params: Record<string, string> = {
    method,
    app_key: config.appKey,
    session: config.session,
    timestamp: formatBeijing(now),
    format: "json",
    v: "2.0",
    sign_method: config.signMethod,
  };
  for (const [k, v] of Object.entries(biz)) if (v !== undefined && v !== "") params[k] = String(v);
  params.sign = topSign(params, config.appSecret, config.signMethod);
  return params;
}

/** The TOP `error_response` of a parsed answer, or undefined when the answer has none (an unreadable one has code -1). */
export function topErrorOf(root: Readonly<Record<string, unknown>>): TopErrorBody | undefined {
  if (!root.error_response) return undefined;
  const parsed = TopErrorSchema.safeParse(root.error_response);
  return parsed.success ? parsed.data : { code: -1 };
}

const isPresaleError = (err: unknown): boolean =>
  err instanceof UpstreamError && (err.providerCode ?? "").startsWith("isv.item-is-presale");

/**
 * The Taobao / Tmall channel over the Taobao Open Platform (TOP): pushes absolute quantities with
 * `taobao.item.quantity.update` (or `taobao.skus.quantity.update` for several SKUs of one item),
 * falls back to an incremental update for presale items, reads quantities back, and polls orders
 * with `taobao.trades.sold.increment.get`. Refs are `num_iid` or `num_iid:sku_id`.
 *
 * @example
 * // Usually built by buildChannels (registry.ts), which passes ledger.alerts as `alerts`.
 * const tb = createTaobaoChannel({ ...channelDeps, config });
 * await tb.pushStock([{ sku, ref: "612345678901:4876543210123", quantity: 7 }], { idempotencyKey: "p1", signal });
 */
export function createTaobaoChannel(deps: TaobaoChannelDeps): SalesChannel {
  const { config, clock, log } = deps;
  const id = asChannelId(config.id);
  const gateway = taobaoGateway(config);
  const tokenAlert = createTokenAlert(deps.alerts, config.id);
  const windowRules: WindowRules = {
    maxSpanMs: config.orderWindowMinutes * 60_000,
    lagMs: 60_000,
    overlapMs: 60_000,
    defaultLookbackMs: config.initialLookbackHours * 3_600_000,
    maxLookbackMs: 90 * 86_400_000,
  };

  /** One TOP call under the channel's limiter and retry policy; every attempt is freshly stamped and signed. */
  function call<S extends z.ZodType>(
    method: string,
    biz: Record<string, string | number | undefined>,
    schema: S,
    opts: { signal?: AbortSignal | undefined; isIdempotent?: boolean } = {},
  ): Promise<z.infer<S>> {
    return callWithPolicy(
      deps,
      { op: method, isIdempotent: opts.isIdempotent ?? true, signal: opts.signal },
      async () => {
        const params = topSignedParams(config, method, biz, clock.now());
        // Everything goes in the form body (TOP accepts either place): the session never lands in a URL or access log.
        const root = await postGatewayForm(deps.http, {
          provider: PROVIDER,
          providerName: NAME,
          channelId: config.id,
          gateway,
          params,
          timeoutMs: config.timeoutMs,
          signal: opts.signal,
          now: () => clock.now(),
          details: { method },
        });
        const topError = topErrorOf(root);
        if (topError) {
          const err = mapTopError(topError, method, config.id);
          if (err instanceof UpstreamError && err.kind === "throttled") deps.limiter.pause(err.retryAfterSeconds ?? 1);
          if (err instanceof UpstreamError && err.code === "upstream_token_expired") {
            tokenAlert.raise(textRef("alert-token-taobao", { channel: config.id }));
          }
          log.warn(
            {
              method,
              code: err.code,
              providerCode: (err as UpstreamError).providerCode,
              requestId: topError.request_id,
            },
            "taobao call failed",
          );
          throw err;
        }
        const body = schema.safeParse(root[topResponseKey(method)]);
        if (!body.success) {
          log.warn({ method, issues: body.error.issues.slice(0, 5) }, "taobao response did not match schema");
          throw new UpstreamError({
            provider: PROVIDER,
            kind: "malformed",
            code: "upstream_unexpected_shape",
            i18n: textRef("ch-unexpected-answer", { provider: NAME, call: method, channel: config.id }),
            details: { method },
          });
        }
        tokenAlert.clear();
        return body.data;
      },
    );
  }

  const quantityOf = (item: TopItem, skuId: string | undefined): number | undefined =>
    skuId === undefined ? item.num : item.skus?.sku.find((s) => s.sku_id === skuId)?.quantity;

  async function readItems(numIids: string[], signal?: AbortSignal): Promise<Map<string, TopItem>> {
    const out = new Map<string, TopItem>();
    const unique = [...new Set(numIids)];
    for (let i = 0; i < unique.length; i += MAX_ITEMS_PER_READ) {
      const res = await call(
        "taobao.items.seller.list.get",
        {
          num_iids: unique.slice(i, i + MAX_ITEMS_PER_READ).join(","),
          fields: "num_iid,title,num,approve_status,outer_id,price,sku",
        },
        SellerListSchema,
        { signal },
      );
      for (const it of res.items?.item ?? []) out.set(it.num_iid, it);
    }
    return out;
  }

  async function pushOne(
    p: StockPush,
    ref: { numIid: string; skuId?: string },
    signal: AbortSignal,
  ): Promise<PushOutcome> {
    try {
      const res = await call(
        "taobao.item.quantity.update",
        { num_iid: ref.numIid, sku_id: ref.skuId, quantity: p.quantity, type: 1 },
        QuantityUpdateSchema,
        { signal },
      );
      return { sku: p.sku, ok: true, quantity: quantityOf(res.item, ref.skuId) ?? p.quantity };
    } catch (err) {
      if (!isPresaleError(err)) return failed(p.sku, err);
      return pushIncrement(p, ref, signal);
    }
  }

  // Presale items refuse absolute (type=1) updates: read what Taobao holds and send the difference.
  async function pushIncrement(
    p: StockPush,
    ref: { numIid: string; skuId?: string },
    signal: AbortSignal,
  ): Promise<PushOutcome> {
    try {
      const item = (await readItems([ref.numIid], signal)).get(ref.numIid);
      const current = item ? quantityOf(item, ref.skuId) : undefined;
      if (current === undefined)
        return failed(
          p.sku,
          new UpstreamError({
            provider: PROVIDER,
            kind: "rejected",
            code: "upstream_not_found",
            i18n: textRef("ch-item-not-found", { provider: NAME, ref: p.ref, channel: config.id }),
          }),
        );
      const delta = p.quantity - current;
      if (delta === 0) return { sku: p.sku, ok: true, quantity: current };
      log.info({ sku: p.sku, ref: p.ref, current, delta }, "taobao presale item: incremental stock update");
      const res = await call(
        "taobao.item.quantity.update",
        { num_iid: ref.numIid, sku_id: ref.skuId, quantity: delta, type: 2 },
        QuantityUpdateSchema,
        {
          signal,
          // An increment applied twice is two increments: never retry one that may have gone through.
          isIdempotent: false,
        },
      );
      return { sku: p.sku, ok: true, quantity: quantityOf(res.item, ref.skuId) ?? p.quantity };
    } catch (err) {
      return failed(p.sku, err);
    }
  }

  async function pushBatch(
    group: { p: StockPush; ref: { numIid: string; skuId?: string } }[],
    signal: AbortSignal,
  ): Promise<PushOutcome[]> {
    const numIid = must(group[0], "a batch is never empty").ref.numIid;
    try {
      const res = await call(
        "taobao.skus.quantity.update",
        { num_iid: numIid, skuid_quantities: group.map((g) => `${g.ref.skuId}:${g.p.quantity}`).join(";"), type: 1 },
        QuantityUpdateSchema,
        { signal },
      );
      return group.map((g) => ({
        sku: g.p.sku,
        ok: true as const,
        quantity: quantityOf(res.item, g.ref.skuId) ?? g.p.quantity,
      }));
    } catch (err) {
      // One bad SKU (or a presale item) fails the whole call: retry one by one so each SKU gets its own outcome.
      const isItemSpecific = err instanceof UpstreamError && !err.retryable && err.code === "upstream_rejected";
      if (!isItemSpecific) return group.map((g) => failed(g.p.sku, err));
      const out: PushOutcome[] = [];
      for (const g of group) out.push(await pushOne(g.p, g.ref, signal));
      return out;
    }
  }

  const failed = pushFailure;

  const priceOf = (item: TopItem, skuId: string | undefined): number | undefined => {
    const raw = skuId === undefined ? item.price : item.skus?.sku.find((s) => s.sku_id === skuId)?.price;
    return raw === undefined ? undefined : yuanToFen(raw);
  };

  /**
   * One price per call (TOP has no batch price API for Taobao items): `taobao.item.price.update` for an item without
   * SKUs, `taobao.item.sku.price.update` (named by the SKU's `properties`) for a SKU, sending `item_price` as the new
   * lowest SKU price so the item's price stays inside its SKUs' range as TOP requires.
   */
  async function pushPriceOne(
    p: PricePush,
    ref: { numIid: string; skuId?: string },
    item: TopItem | undefined,
    signal: AbortSignal,
  ): Promise<PriceOutcome> {
    try {
      if (!item)
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          code: "upstream_not_found",
          i18n: textRef("ch-item-not-found", { provider: NAME, ref: p.ref, channel: config.id }),
        });
      const yuan = fenToYuan(p.price.amountMinor);
      if (ref.skuId === undefined) {
        await call("taobao.item.price.update", { num_iid: ref.numIid, price: yuan }, PriceUpdateSchema, { signal });
        item.price = yuan;
        return { sku: p.sku, ok: true, price: { amountMinor: p.price.amountMinor, currency: TOP_CURRENCY } };
      }
      const skus = item.skus?.sku ?? [];
      const sku = skus.find((s) => s.sku_id === ref.skuId);
      if (!sku?.properties)
        throw new UpstreamError({
          provider: PROVIDER,
          kind: "rejected",
          code: "upstream_not_found",
          i18n: textRef("ch-sku-not-found", { provider: NAME, ref: p.ref, channel: config.id }),
        });
      const lowest = Math.min(
        p.price.amountMinor,
        ...skus
          .filter((s) => s !== sku)
          .map((s) => (s.price === undefined ? Infinity : (yuanToFen(s.price) ?? Infinity))),
      );
      await call(
        "taobao.item.sku.price.update",
        { num_iid: ref.numIid, properties: sku.properties, price: yuan, item_price: fenToYuan(lowest) },
        SkuPriceUpdateSchema,
        { signal },
      );
      sku.price = yuan;
      item.price = fenToYuan(lowest);
      return { sku: p.sku, ok: true, price: { amountMinor: p.price.amountMinor, currency: TOP_CURRENCY } };
    } catch (err) {
      return priceFailure(p.sku, err);
    }
  }

  async function pushPrices(items: PricePush[], opts: { idempotencyKey: string; signal: AbortSignal }) {
    const out = new Map<PricePush, PriceOutcome>();
    const valid: { p: PricePush; ref: { numIid: string; skuId?: string } }[] = [];
    for (const p of items) {
      try {
        const ref = parseTaobaoRef(p.ref);
        if (p.price.currency !== TOP_CURRENCY)
          throw localized(
            InvalidInputError,
            "bad_currency",
            textRef("ch-not-cny", { provider: NAME, sku: p.sku, currency: p.price.currency, channel: config.id }),
          );
        if (!Number.isSafeInteger(p.price.amountMinor) || p.price.amountMinor <= 0)
          throw localized(InvalidInputError, "bad_price", textRef("ch-price-not-positive", { sku: p.sku }));
        valid.push({ p, ref });
      } catch (err) {
        out.set(p, priceFailure(p.sku, err));
      }
    }
    let read: Map<string, TopItem> | undefined;
    try {
      // The SKUs' properties and their sibling prices come from one read per 20 items.
      read = await readItems(
        valid.filter((v) => v.ref.skuId !== undefined).map((v) => v.ref.numIid),
        opts.signal,
      );
    } catch (err) {
      for (const v of valid) if (v.ref.skuId !== undefined) out.set(v.p, priceFailure(v.p.sku, err));
    }
    for (const v of valid) {
      if (out.has(v.p)) continue;
      const item = v.ref.skuId === undefined ? ({ num_iid: v.ref.numIid } as TopItem) : read?.get(v.ref.numIid);
      out.set(v.p, await pushPriceOne(v.p, v.ref, item, opts.signal));
    }
    return items.map((p) => must(out.get(p), "every price has an outcome"));
  }

  async function fetchPrices(refs: ListingRef[], signal: AbortSignal): Promise<ChannelPrice[]> {
    const parsed: { r: ListingRef; ref: { numIid: string; skuId?: string } }[] = [];
    for (const r of refs) {
      try {
        parsed.push({ r, ref: parseTaobaoRef(r.ref) });
      } catch {
        log.warn({ sku: r.sku, ref: r.ref }, "taobao ref malformed; price not read");
      }
    }
    const items = await readItems(
      parsed.map((p) => p.ref.numIid),
      signal,
    );
    return parsed.flatMap(({ r, ref }) => {
      const item = items.get(ref.numIid);
      const fen = item ? priceOf(item, ref.skuId) : undefined;
      return fen === undefined ? [] : [{ sku: r.sku, ref: r.ref, price: { amountMinor: fen, currency: TOP_CURRENCY } }];
    });
  }

  function toOrder(t: TopTrade): ChannelOrder {
    const lines = (t.orders?.order ?? []).map((o): ChannelOrderLine => {
      // TOP has no refunded-unit count (Order.num is never reduced): a successful refund of less than the sub-order's
      // payment gives no units back by itself, so the line keeps its state and an operator decides.
      const refunded = o.refund_fee === undefined ? undefined : yuanToFen(o.refund_fee);
      const paid = o.payment === undefined ? undefined : yuanToFen(o.payment);
      const isPartRefund =
        o.refund_status === "SUCCESS" && refunded !== undefined && paid !== undefined && refunded < paid;
      const status = mapTaobaoStatus(o.status ?? t.status, isPartRefund ? undefined : o.refund_status);
      if (isPartRefund && (status === "paid" || status === "pending"))
        // Once per refunded amount: every later poll sees the same refund (a further partial refund is a new amount).
        deps.alerts?.raiseAlert({
          kind: "order_partial_refund",
          subject: `${config.id}:${t.tid}:${o.oid}:${refunded}`,
          once: true,
          severity: "warning",
          message: textRef("order-partial-refund", {
            channel: config.id,
            order: t.tid,
            line: o.oid,
            refunded: o.refund_fee ?? "",
            paid: o.payment ?? "",
          }),
        });
      if (!status)
        log.warn(
          { tid: t.tid, oid: o.oid, status: o.status ?? t.status },
          "unknown taobao order status; treating as pending",
        );
      const skuId = o.sku_id && o.sku_id !== "0" ? o.sku_id : undefined;
      const code = SkuSchema.safeParse(o.outer_sku_id || o.outer_iid || "");
      const price = o.payment === undefined ? undefined : yuanToFen(o.payment);
      return {
        lineId: o.oid,
        sku: code.success ? code.data : null,
        ref: skuId ? `${o.num_iid}:${skuId}` : o.num_iid,
        qty: o.num,
        status: status ?? "pending",
        ...(price === undefined ? {} : { price: { amountMinor: price, currency: "CNY" } }),
      };
    });
    const total = t.payment === undefined ? undefined : yuanToFen(t.payment);
    return {
      orderId: asOrderId(t.tid),
      createdAt: t.created,
      updatedAt: t.modified,
      ...(total === undefined ? {} : { total: { amountMinor: total, currency: "CNY" } }),
      lines,
    };
  }

  return {
    id,
    kind: "taobao",
    maxBatch: TAOBAO_MAX_SKUS_PER_CALL,
    maxPriceBatch: TAOBAO_MAX_SKUS_PER_CALL,
    pushPrices,
    fetchPrices,

    async listCatalog(signal) {
      const numIids: string[] = [];
      for (let page = 1; ; page += 1) {
        const res = await call(
          "taobao.items.onsale.get",
          { fields: "num_iid,title,num,outer_id", page_no: page, page_size: ONSALE_PAGE_SIZE },
          OnsaleSchema,
          { signal },
        );
        const got = res.items?.item ?? [];
        numIids.push(...got.map((i) => i.num_iid));
        if (got.length === 0 || page * ONSALE_PAGE_SIZE >= res.total_results) break;
      }
      const items = await readItems(numIids, signal);
      const out: CatalogItem[] = [];
      for (const it of items.values()) {
        const skus = it.skus?.sku ?? [];
        if (!skus.length)
          out.push({
            sku: it.outer_id || null,
            ref: it.num_iid,
            title: it.title ?? "",
            ...(it.num === undefined ? {} : { quantity: it.num }),
          });
        for (const s of skus)
          out.push({
            sku: s.outer_id || null,
            ref: `${it.num_iid}:${s.sku_id}`,
            title: it.title ?? "",
            quantity: s.quantity,
          });
      }
      return out;
    },

    async fetchStock(refs: ListingRef[], signal: AbortSignal): Promise<ChannelStock[]> {
      const parsed: { r: ListingRef; ref: { numIid: string; skuId?: string } }[] = [];
      for (const r of refs) {
        try {
          parsed.push({ r, ref: parseTaobaoRef(r.ref) });
        } catch {
          log.warn({ sku: r.sku, ref: r.ref }, "taobao ref malformed; not read");
        }
      }
      const items = await readItems(
        parsed.map((p) => p.ref.numIid),
        signal,
      );
      const out: ChannelStock[] = [];
      for (const { r, ref } of parsed) {
        const item = items.get(ref.numIid);
        const q = item ? quantityOf(item, ref.skuId) : undefined;
        if (!item || q === undefined) {
          log.warn({ sku: r.sku, ref: r.ref }, "taobao item not found while reading stock");
          continue;
        }
        out.push({ sku: r.sku, ref: r.ref, quantity: q, isListed: item.approve_status === "onsale" });
      }
      return out;
    },

    async pushStock(items, opts) {
      const outcomes = new Map<StockPush, PushOutcome>();
      const groups = new Map<string, { p: StockPush; ref: { numIid: string; skuId?: string } }[]>();
      for (const p of items) {
        try {
          const ref = parseTaobaoRef(p.ref);
          if (!Number.isSafeInteger(p.quantity) || p.quantity < 0)
            throw localized(
              InvalidInputError,
              "bad_quantity",
              textRef("ch-bad-quantity", { sku: p.sku, qty: String(p.quantity) }),
            );
          const key = ref.skuId ? ref.numIid : `item:${ref.numIid}:${p.sku}`;
          groups.set(key, [...(groups.get(key) ?? []), { p, ref }]);
        } catch (err) {
          outcomes.set(p, failed(p.sku, err));
        }
      }
      for (const group of groups.values()) {
        for (let i = 0; i < group.length; i += TAOBAO_MAX_SKUS_PER_CALL) {
          const chunk = group.slice(i, i + TAOBAO_MAX_SKUS_PER_CALL);
          const results =
            chunk.length > 1
              ? await pushBatch(chunk, opts.signal)
              : [
                  await pushOne(
                    must(chunk[0], "a chunk is never empty").p,
                    must(chunk[0], "a chunk is never empty").ref,
                    opts.signal,
                  ),
                ];
          for (const [j, g] of chunk.entries()) outcomes.set(g.p, must(results[j], "one result per push"));
        }
      }
      return items.map((p) => must(outcomes.get(p), "every push has an outcome"));
    },

    async setListed(item, isListed, opts) {
      const ref = parseTaobaoRef(item.ref);
      if (ref.skuId) {
        // Listing status belongs to the whole item; one SKU is "delisted" by showing 0 and relisted by the next quantity push.
        if (!isListed)
          await call(
            "taobao.item.quantity.update",
            { num_iid: ref.numIid, sku_id: ref.skuId, quantity: 0, type: 1 },
            QuantityUpdateSchema,
            { signal: opts.signal },
          );
        return;
      }
      if (!isListed) {
        await call("taobao.item.update.delisting", { num_iid: ref.numIid }, ListingChangeSchema, {
          signal: opts.signal,
        });
        return;
      }
      const current = (await readItems([ref.numIid], opts.signal)).get(ref.numIid)?.num ?? 0;
      if (current < 1) {
        throw localized(ConflictError, "nothing_to_list", textRef("top-nothing-to-list", { ref: item.ref }), {
          sku: item.sku,
          ref: item.ref,
        });
      }
      await call("taobao.item.update.listing", { num_iid: ref.numIid, num: current }, ListingChangeSchema, {
        signal: opts.signal,
      });
    },

    async fetchOrders(cursor, signal): Promise<OrderPage> {
      const w = nextWindow(cursor, clock.now(), windowRules);
      if (w.isClipped)
        log.warn(
          { cursor, start: w.start },
          "taobao order cursor older than 3 months; the gap before start cannot be read",
        );
      const pageSize = config.pageSize;
      const trades = await readPagesBackwards(pageSize, async (page) => {
        const res = await call(
          "taobao.trades.sold.increment.get",
          {
            fields: "tid,status,created,modified,pay_time,payment,orders",
            start_modified: formatBeijing(w.start),
            end_modified: formatBeijing(w.end),
            page_no: page,
            page_size: pageSize,
          },
          IncrementSchema,
          { signal },
        );
        const got = res.trades?.trade ?? [];
        return { items: got, total: res.total_results ?? got.length };
      });
      // The same trade can show up on two pages when rows shift while we page: keep its newest state.
      const byTid = new Map<string, TopTrade>();
      for (const t of trades) {
        const seen = byTid.get(t.tid);
        if (!seen || seen.modified < t.modified) byTid.set(t.tid, t);
      }
      return { orders: [...byTid.values()].map(toOrder), nextCursor: w.end.toISOString(), hasMore: !w.isCaughtUp };
    },
  };
}
