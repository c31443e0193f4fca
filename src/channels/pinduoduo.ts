import { z } from "zod";
import { channelCommon, secret, url } from "../config-fields.js";
import { type AppError, ConfigError, InvalidInputError } from "../errors.js";
import { localized } from "../i18n/errors.js";
import { type TextRef, textRef } from "../i18n/ref.js";
import { asChannelId, asOrderId, SkuSchema } from "../ids.js";
import { must } from "../internal-error.js";
import { type UpstreamCode, UpstreamError, type UpstreamKind } from "../upstream/errors.js";
import { callWithPolicy } from "../upstream/http.js";
import { PROVIDER_NAMES, priceFailure, providerSaid, pushFailure } from "./base.js";
import {
  BeijingTime,
  createTokenAlert,
  IdString,
  nextWindow,
  pddSign,
  postGatewayForm,
  readPagesBackwards,
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
} from "./types.js";

/** The `pinduoduo` entry of `channels` in stockradar.yaml (composed into the config schema by src/config.ts). */
export const PinduoduoConfigSchema = z.object({
  ...channelCommon,
  kind: z.literal("pinduoduo"),
  clientId: z.string().min(1),
  clientSecret: secret,
  accessToken: secret,
  /** Gateway host; `/api/router` is appended. Default https://gw-api.pinduoduo.com. */
  apiBase: url.optional(),
  /** Order-polling window; Pinduoduo allows at most 30 minutes. */
  orderWindowMinutes: z.number().int().min(1).max(30).default(30),
  /** Orders per page when polling (1–100). */
  pageSize: z.number().int().min(1).max(100).default(100),
  /** How far back the first poll looks when there is no cursor yet. */
  initialLookbackHours: z.number().int().min(1).max(2000).default(24),
  timeoutMs: z.number().int().positive().default(30_000),
});
/** A validated `pinduoduo` channel config. */
export type PinduoduoConfig = z.infer<typeof PinduoduoConfigSchema>;

/** What {@link createPinduoduoChannel} needs: the common channel deps, its config, and where its alerts go. */
export interface PinduoduoChannelDeps extends ChannelDeps {
  config: PinduoduoConfig;
}

/** Production gateway host; `/api/router` is appended (the http:// form is no longer accepted). */
export const PDD_DEFAULT_API_BASE = "https://gw-api.pinduoduo.com";
/** Alert kind raised when Pinduoduo refuses to lower a SKU that sits on a promotion slot. */
export const PROMOTION_ALERT_KIND = "promotion_stock_locked";
const PROVIDER = "Pinduoduo";
/** The provider's name in the reader's language. */
const NAME = PROVIDER_NAMES.pinduoduo;
const LIST_PAGE_SIZE = 100;
/** SKUs handed to one price pass; they go out as one `pdd.goods.sku.price.update` per goods. */
export const PDD_MAX_PRICE_BATCH = 100;
/** Pinduoduo prices are fen. */
const PDD_CURRENCY = "CNY";
const PriceUpdateSchema = z.object({ is_success: z.boolean(), goods_commit_id: z.number().optional() });

// ---------------------------------------------------------------------------------------------------
// Pinduoduo's own wire format. The success key is per API, not derivable from `type`.

const RESPONSE_KEYS = {
  "pdd.goods.quantity.update": "goods_quantity_update_response",
  "pdd.goods.sku.price.update": "goods_update_sku_price_response",
  "pdd.goods.sale.status.set": "goods_sale_status_set_response",
  "pdd.goods.detail.get": "goods_detail_get_response",
  "pdd.goods.list.get": "goods_list_get_response",
  "pdd.order.number.list.increment.get": "order_sn_increment_get_response",
} as const;
type PddType = keyof typeof RESPONSE_KEYS;

const PddErrorSchema = z.object({
  error_code: z.coerce.number(),
  error_msg: z.string().optional(),
  sub_code: z.union([z.string(), z.number()]).transform(String).optional(),
  sub_msg: z.string().optional(),
  request_id: z.string().optional(),
});
type PddErrorBody = z.infer<typeof PddErrorSchema>;

const PddTime = z.union([BeijingTime, z.number().transform((s) => new Date(s * 1000))]);
const IsSuccessSchema = z.object({ is_success: z.boolean() });
const GoodsDetailSchema = z.object({
  goods_id: IdString,
  goods_name: z.string().optional(),
  is_onsale: z.number().int().optional(),
  sku_list: z
    .array(
      z.object({
        sku_id: IdString,
        quantity: z.number().int(),
        outer_id: z.string().optional(),
        is_onsale: z.number().int().optional(),
        /** Group-buy price (拼单价) in fen: the price the goods page shows and most buyers pay. */
        multi_price: z.number().int().optional(),
        /** Single-purchase price (单买价) in fen; Pinduoduo requires it above the group price. */
        price: z.number().int().optional(),
      }),
    )
    .default([]),
});
const GoodsListSchema = z.object({
  total_count: z.number().int(),
  goods_list: z
    .array(
      z.object({
        goods_id: IdString,
        goods_name: z.string().default(""),
        is_onsale: z.number().int().optional(),
        sku_list: z
          .array(z.object({ sku_id: IdString, sku_quantity: z.number().int(), outer_id: z.string().optional() }))
          .default([]),
      }),
    )
    .default([]),
});
const PddLineSchema = z.object({
  goods_id: IdString,
  sku_id: IdString,
  outer_id: z.string().optional(),
  goods_count: z.number().int(),
});
const PddOrderSchema = z.object({
  order_sn: z.string().min(1),
  order_status: z.number().int(),
  refund_status: z.number().int().optional(),
  confirm_status: z.number().int().optional(),
  group_status: z.number().int().optional(),
  created_time: PddTime,
  updated_at: PddTime,
  pay_amount: z.number().optional(),
  item_list: z.array(PddLineSchema).default([]),
  gift_list: z.array(PddLineSchema).optional(),
});
type PddOrder = z.infer<typeof PddOrderSchema>;
const IncrementSchema = z.object({
  total_count: z.number().int().optional(),
  has_next: z.boolean().optional(),
  order_sn_list: z.array(PddOrderSchema).default([]),
});

/** The channel's Pinduoduo gateway URL: `apiBase` (default {@link PDD_DEFAULT_API_BASE}) plus `/api/router`. */
export function pddGateway(config: Pick<PinduoduoConfig, "apiBase">): string {
  return `${(config.apiBase ?? PDD_DEFAULT_API_BASE).replace(/\/+$/, "")}/api/router`;
}

/**
 * The signed form of one Pinduoduo call: the common parameters (`client_id`, the seller `access_token`, a unix
 * `timestamp`, `data_type` JSON), the business parameters without empty values, and `sign` over all of them.
 */
export function pddSignedParams(
  config: Pick<PinduoduoConfig, "clientId" | "clientSecret" | "accessToken">,
  type: string,
  biz: Readonly<Record<string, string | number | undefined>>,
  now: Date,
): Record<string, string> {
  const params: Record<string, string> = {
    type,
    client_id: config.clientId,
    access_token: config.accessToken,
    timestamp: String(Math.floor(now.getTime() / 1000)),
    data_type: "JSON",
  };
  for (const [k, v] of Object.entries(biz)) if (v !== undefined && v !== "") params[k] = String(v);
  params.sign = pddSign(params, config.clientSecret);
  return params;
}

/** The Pinduoduo `error_response` of a parsed answer, or undefined when it has none (an unreadable one has code -1). */
export function pddErrorOf(root: Readonly<Record<string, unknown>>): PddErrorBody | undefined {
  if (!root.error_response) return undefined;
  const parsed = PddErrorSchema.safeParse(root.error_response);
  return parsed.success ? parsed.data : { error_code: -1 };
}

/** Our listing ref for a Pinduoduo SKU: `goods_id:sku_id`. */
export function parsePddRef(ref: string): { goodsId: string; skuId: string } {
  const m = /^(\d{1,20}):(\d{1,20})$/.exec(ref.trim());
  if (!m) throw localized(InvalidInputError, "bad_ref", textRef("pdd-bad-ref", { ref }), { ref });
  return { goodsId: must(m[1], "goods id group"), skuId: must(m[2], "sku id group") };
}

/**
 * Maps a Pinduoduo order to our order-line state: cancelled when the group failed, the order was
 * cancelled, or it was refunded before shipping; paid while waiting to ship; shipped afterwards.
 */
export function mapPddStatus(o: {
  order_status: number;
  refund_status?: number | undefined;
  confirm_status?: number | undefined;
  group_status?: number | undefined;
}): OrderLineStatus | undefined {
  if (o.confirm_status === 2 || o.group_status === 2) return "cancelled";
  if (o.order_status === 1) return o.refund_status === 4 ? "cancelled" : "paid";
  if (o.order_status === 2 || o.order_status === 3) return "shipped";
  return undefined;
}

// The platform's wording for "goods on a promotion slot cannot have stock reduced"; no public capture
// gives its error code, so recognise the message instead of guessing a number.
const isPromotionLock = (e: PddErrorBody): boolean =>
  /资源位|活动中|promotion/i.test(`${e.error_msg ?? ""} ${e.sub_msg ?? ""} ${e.sub_code ?? ""}`);

/** Pinduoduo refused to lower a SKU on a promotion slot; retrying the same number cannot help. */
function promotionLockedError(channelId: string, details: Record<string, unknown> = {}): UpstreamError {
  return new UpstreamError({
    provider: PROVIDER,
    kind: "rejected",
    code: "promotion_stock_locked",
    i18n: textRef("pdd-promotion-locked", { channel: channelId }),
    details: { ...details, channelId, isOperatorAlerted: true },
  });
}

/** Turns a Pinduoduo `error_response` into our error: rate limits and platform faults retry, credentials and permissions are configuration errors. */
export function mapPddError(e: PddErrorBody, type: string, channelId: string): AppError {
  const code = e.error_code;
  const details = { channelId, type, providerCode: code, subCode: e.sub_code, requestId: e.request_id };
  const upstream = (
    kind: UpstreamKind,
    c: UpstreamCode | undefined,
    i18n: TextRef,
    retryAfterSeconds?: number,
    extra: Record<string, unknown> = {},
  ): UpstreamError =>
    new UpstreamError({
      provider: PROVIDER,
      kind,
      ...(c ? { code: c } : {}),
      i18n,
      providerCode: code,
      details: { ...details, ...extra },
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    });
  // isOperatorAlerted: the adapter raised a specific alert with instructions; callers need not raise a generic one.
  if (isPromotionLock(e)) return promotionLockedError(channelId, details);
  if (code === 10019) {
    return upstream("auth", "upstream_token_expired", textRef("pdd-token-expired", { channel: channelId }), undefined, {
      isOperatorAlerted: true,
    });
  }
  // Codes below are from the common error table of every Pinduoduo API page (e.g. pdd.goods.list.get).
  if (code === 10016)
    return localized(ConfigError, "pdd_bad_client_id", textRef("pdd-bad-client-id", { channel: channelId }), details);
  if (code === 20032) return upstream("auth", undefined, textRef("pdd-token-refused", { channel: channelId }));
  if (code === 20035)
    return localized(
      ConfigError,
      "pdd_wrong_gateway",
      textRef("pdd-wrong-gateway", { call: type, channel: channelId }),
      details,
    );
  if (code === 20004)
    return localized(ConfigError, "pdd_bad_signature", textRef("pdd-bad-signature", { channel: channelId }), details);
  if (code === 20005)
    return localized(ConfigError, "pdd_ip_whitelist", textRef("pdd-ip-whitelist", { channel: channelId }), details);
  if (code === 20031)
    return localized(
      ConfigError,
      "pdd_permission",
      textRef("pdd-permission", { call: type, channel: channelId }),
      details,
    );
  if (code === 52101 || code === 70031)
    return upstream("throttled", undefined, textRef("ch-throttled", { provider: NAME, channel: channelId }), 2);
  if (code === 52004 || code === 20034)
    return upstream(
      "rejected",
      undefined,
      textRef("pdd-refused", { call: type, channel: channelId, code: String(code) }),
    );
  if (code === 52102 || code === 52103 || code === 70033 || (code >= 50000 && code <= 52002))
    return upstream("network", "upstream_unavailable", textRef("ch-temporary", { provider: NAME, channel: channelId }));
  if (code === 70036)
    return upstream("auth", "upstream_quota_exhausted", textRef("pdd-test-quota", { channel: channelId }));
  if (code >= 70032 && code <= 70035)
    return upstream("auth", undefined, textRef("pdd-blocked", { channel: channelId, code: String(code) }));
  return upstream(
    "rejected",
    undefined,
    textRef("ch-rejected-call", {
      provider: NAME,
      call: type,
      channel: channelId,
      code: String(code),
      detail: providerSaid(NAME, [e.error_msg, e.sub_msg].filter(Boolean).join(" ")),
    }),
  );
}

/**
 * The Pinduoduo channel: pushes absolute quantities per SKU with `pdd.goods.quantity.update`, reads
 * them back with `pdd.goods.detail.get`, and polls orders with `pdd.order.number.list.increment.get`
 * in 30-minute windows ending 3 minutes behind now. Refs are `goods_id:sku_id`.
 *
 * @example
 * // Usually built by buildChannels (registry.ts), which passes ledger.alerts as `alerts`.
 * const pdd = createPinduoduoChannel({ ...channelDeps, config });
 * const page = await pdd.fetchOrders(cursor, signal);
 */
export function createPinduoduoChannel(deps: PinduoduoChannelDeps): SalesChannel & {
  updateQuantity(ref: string, quantity: number, mode: "full" | "incremental", signal?: AbortSignal): Promise<void>;
} {
  const { config, clock, log } = deps;
  const id = asChannelId(config.id);
  const gateway = pddGateway(config);
  const tokenAlert = createTokenAlert(deps.alerts, config.id);
  // A SKU Pinduoduo refused to lower (promotion slot), with the target it refused: the same target is not sent again.
  const lockedTargets = new Map<string, number>();
  const windowRules: WindowRules = {
    maxSpanMs: config.orderWindowMinutes * 60_000,
    // The API asks that a window end no later than 3 minutes before Pinduoduo's clock.
    lagMs: 180_000,
    overlapMs: 60_000,
    defaultLookbackMs: config.initialLookbackHours * 3_600_000,
    maxLookbackMs: 90 * 86_400_000,
  };

  /** One Pinduoduo call under the channel's limiter and retry policy; every attempt is freshly stamped and signed. */
  function call<S extends z.ZodType>(
    type: PddType,
    biz: Record<string, string | number | undefined>,
    schema: S,
    opts: { signal?: AbortSignal | undefined; isIdempotent?: boolean } = {},
  ): Promise<z.infer<S>> {
    return callWithPolicy(
      deps,
      { op: type, isIdempotent: opts.isIdempotent ?? true, signal: opts.signal },
      async () => {
        const params = pddSignedParams(config, type, biz, clock.now());
        const root = await postGatewayForm(deps.http, {
          provider: PROVIDER,
          providerName: NAME,
          channelId: config.id,
          gateway,
          params,
          timeoutMs: config.timeoutMs,
          signal: opts.signal,
          now: () => clock.now(),
          details: { type },
        });
        const body = pddErrorOf(root);
        if (body) {
          const err = mapPddError(body, type, config.id);
          if (err instanceof UpstreamError && err.kind === "throttled") deps.limiter.pause(err.retryAfterSeconds ?? 1);
          if (err instanceof UpstreamError && err.code === "upstream_token_expired") {
            tokenAlert.raise(textRef("alert-token-pinduoduo", { channel: config.id }));
          }
          log.warn(
            {
              type,
              code: err.code,
              providerCode: body.error_code,
              requestId: body.request_id,
            },
            "pinduoduo call failed",
          );
          throw err;
        }
        const payload = schema.safeParse(root[RESPONSE_KEYS[type]]);
        if (!payload.success) {
          log.warn({ type, issues: payload.error.issues.slice(0, 5) }, "pinduoduo response did not match schema");
          throw new UpstreamError({
            provider: PROVIDER,
            kind: "malformed",
            code: "upstream_unexpected_shape",
            i18n: textRef("ch-unexpected-answer", { provider: NAME, call: type, channel: config.id }),
            details: { type },
          });
        }
        tokenAlert.clear();
        return payload.data;
      },
    );
  }

  async function updateQuantity(
    ref: string,
    quantity: number,
    mode: "full" | "incremental",
    signal?: AbortSignal,
  ): Promise<void> {
    const { goodsId, skuId } = parsePddRef(ref);
    const res = await call(
      "pdd.goods.quantity.update",
      { goods_id: goodsId, sku_id: skuId, quantity, update_type: mode === "full" ? 1 : 2 },
      IsSuccessSchema,
      {
        signal,
        // An increment applied twice is two increments: never retry one that may have gone through.
        isIdempotent: mode === "full",
      },
    );
    if (!res.is_success) {
      throw new UpstreamError({
        provider: PROVIDER,
        kind: "network",
        code: "upstream_not_applied",
        i18n: textRef("ch-not-applied", { what: "stock", provider: NAME, ref, channel: config.id }),
      });
    }
  }

  const failed = pushFailure;

  /**
   * One `pdd.goods.sku.price.update` per goods with every SKU of it in `sku_price_list` (fen): our price is the
   * group price; the single-purchase price keeps the gap the seller had above it (at least 1 fen), read from
   * `pdd.goods.detail.get` first, since Pinduoduo refuses a single price at or below the group price.
   */
  async function pushPrices(items: PricePush[], opts: { idempotencyKey: string; signal: AbortSignal }) {
    const out = new Map<PricePush, PriceOutcome>();
    const byGoods = new Map<string, { p: PricePush; skuId: string }[]>();
    for (const p of items) {
      try {
        const { goodsId, skuId } = parsePddRef(p.ref);
        if (p.price.currency !== PDD_CURRENCY)
          throw localized(
            InvalidInputError,
            "bad_currency",
            textRef("ch-not-cny", { provider: NAME, sku: p.sku, currency: p.price.currency, channel: config.id }),
          );
        if (!Number.isSafeInteger(p.price.amountMinor) || p.price.amountMinor <= 0)
          throw localized(InvalidInputError, "bad_price", textRef("ch-price-not-positive", { sku: p.sku }));
        byGoods.set(goodsId, [...(byGoods.get(goodsId) ?? []), { p, skuId }]);
      } catch (err) {
        out.set(p, priceFailure(p.sku, err));
      }
    }
    for (const [goodsId, group] of byGoods) {
      try {
        const g = await call("pdd.goods.detail.get", { goods_id: goodsId }, GoodsDetailSchema, {
          signal: opts.signal,
        });
        const list: { sku_id: number; group_price: number; single_price: number }[] = [];
        const sent: typeof group = [];
        for (const x of group) {
          const s = g.sku_list.find((k) => k.sku_id === x.skuId);
          if (!s) {
            out.set(
              x.p,
              priceFailure(
                x.p.sku,
                new UpstreamError({
                  provider: PROVIDER,
                  kind: "rejected",
                  code: "upstream_not_found",
                  i18n: textRef("ch-sku-not-found", { provider: NAME, ref: x.p.ref, channel: config.id }),
                }),
              ),
            );
            continue;
          }
          const gap = Math.max(1, (s.price ?? 0) - (s.multi_price ?? 0));
          list.push({
            sku_id: Number(x.skuId),
            group_price: x.p.price.amountMinor,
            single_price: x.p.price.amountMinor + gap,
          });
          sent.push(x);
        }
        if (!sent.length) continue;
        const res = await call(
          "pdd.goods.sku.price.update",
          { goods_id: goodsId, sku_price_list: JSON.stringify(list) },
          PriceUpdateSchema,
          { signal: opts.signal },
        );
        for (const x of sent)
          out.set(
            x.p,
            res.is_success
              ? { sku: x.p.sku, ok: true, price: { amountMinor: x.p.price.amountMinor, currency: PDD_CURRENCY } }
              : priceFailure(
                  x.p.sku,
                  new UpstreamError({
                    provider: PROVIDER,
                    kind: "network",
                    code: "upstream_not_applied",
                    i18n: textRef("ch-not-applied", {
                      what: "price",
                      provider: NAME,
                      ref: x.p.ref,
                      channel: config.id,
                    }),
                  }),
                ),
          );
      } catch (err) {
        for (const x of group) if (!out.has(x.p)) out.set(x.p, priceFailure(x.p.sku, err));
      }
    }
    return items.map((p) => must(out.get(p), "every price has an outcome"));
  }

  async function fetchPrices(refs: ListingRef[], signal: AbortSignal): Promise<ChannelPrice[]> {
    const byGoods = new Map<string, { r: ListingRef; skuId: string }[]>();
    for (const r of refs) {
      try {
        const { goodsId, skuId } = parsePddRef(r.ref);
        byGoods.set(goodsId, [...(byGoods.get(goodsId) ?? []), { r, skuId }]);
      } catch {
        log.warn({ sku: r.sku, ref: r.ref }, "pinduoduo ref malformed; price not read");
      }
    }
    const out: ChannelPrice[] = [];
    for (const [goodsId, wanted] of byGoods) {
      const g = await call("pdd.goods.detail.get", { goods_id: goodsId }, GoodsDetailSchema, { signal });
      for (const { r, skuId } of wanted) {
        const fen = g.sku_list.find((x) => x.sku_id === skuId)?.multi_price;
        if (fen !== undefined)
          out.push({ sku: r.sku, ref: r.ref, price: { amountMinor: fen, currency: PDD_CURRENCY } });
      }
    }
    return out;
  }

  function toOrder(o: PddOrder): ChannelOrder {
    const status = mapPddStatus(o);
    if (!status)
      log.warn(
        { orderSn: o.order_sn, orderStatus: o.order_status },
        "unknown pinduoduo order status; treating as pending",
      );
    // Pinduoduo has no line ids: one line per (goods, sku), gifts separately since they consume stock too.
    const lines = new Map<string, ChannelOrderLine>();
    const add = (l: z.infer<typeof PddLineSchema>, prefix: string): void => {
      const ref = `${l.goods_id}:${l.sku_id}`;
      const lineId = `${prefix}${ref}`;
      const seen = lines.get(lineId);
      if (seen) {
        seen.qty += l.goods_count;
        return;
      }
      const code = SkuSchema.safeParse(l.outer_id ?? "");
      lines.set(lineId, {
        lineId,
        sku: code.success ? code.data : null,
        ref,
        qty: l.goods_count,
        status: status ?? "pending",
      });
    };
    for (const l of o.item_list) add(l, "");
    for (const l of o.gift_list ?? []) add(l, "gift:");
    const total = o.pay_amount === undefined ? undefined : yuanToFen(o.pay_amount);
    return {
      orderId: asOrderId(o.order_sn),
      createdAt: o.created_time,
      updatedAt: o.updated_at,
      ...(total === undefined ? {} : { total: { amountMinor: total, currency: "CNY" } }),
      lines: [...lines.values()].filter((l) => l.qty > 0),
    };
  }

  return {
    id,
    kind: "pinduoduo",
    // pdd.goods.quantity.update takes one SKU per call; there is no batch stock API.
    maxBatch: 1,
    maxPriceBatch: PDD_MAX_PRICE_BATCH,
    updateQuantity,
    pushPrices,
    fetchPrices,

    async listCatalog(signal) {
      const out: CatalogItem[] = [];
      for (let page = 1; ; page += 1) {
        const res = await call("pdd.goods.list.get", { page, page_size: LIST_PAGE_SIZE }, GoodsListSchema, { signal });
        for (const g of res.goods_list) {
          for (const s of g.sku_list)
            out.push({
              sku: s.outer_id || null,
              ref: `${g.goods_id}:${s.sku_id}`,
              title: g.goods_name,
              quantity: s.sku_quantity,
            });
        }
        if (res.goods_list.length === 0 || page * LIST_PAGE_SIZE >= res.total_count) break;
      }
      return out;
    },

    async fetchStock(refs: ListingRef[], signal: AbortSignal): Promise<ChannelStock[]> {
      const byGoods = new Map<string, { r: ListingRef; skuId: string }[]>();
      for (const r of refs) {
        try {
          const { goodsId, skuId } = parsePddRef(r.ref);
          byGoods.set(goodsId, [...(byGoods.get(goodsId) ?? []), { r, skuId }]);
        } catch {
          log.warn({ sku: r.sku, ref: r.ref }, "pinduoduo ref malformed; not read");
        }
      }
      const out: ChannelStock[] = [];
      for (const [goodsId, wanted] of byGoods) {
        const g = await call("pdd.goods.detail.get", { goods_id: goodsId }, GoodsDetailSchema, { signal });
        for (const { r, skuId } of wanted) {
          const s = g.sku_list.find((x) => x.sku_id === skuId);
          if (!s) {
            log.warn({ sku: r.sku, ref: r.ref }, "pinduoduo sku not found while reading stock");
            continue;
          }
          out.push({ sku: r.sku, ref: r.ref, quantity: s.quantity, isListed: g.is_onsale !== 0 && s.is_onsale !== 0 });
        }
      }
      return out;
    },

    async pushStock(items, opts) {
      const out: PushOutcome[] = [];
      for (const p of items) {
        try {
          if (!Number.isSafeInteger(p.quantity) || p.quantity < 0)
            throw localized(
              InvalidInputError,
              "bad_quantity",
              textRef("ch-bad-quantity", { sku: p.sku, qty: String(p.quantity) }),
            );
          if (lockedTargets.get(p.ref) === p.quantity) {
            out.push(failed(p.sku, promotionLockedError(config.id, { ref: p.ref, isRepeat: true })));
            continue;
          }
          await updateQuantity(p.ref, p.quantity, "full", opts.signal);
          if (lockedTargets.delete(p.ref)) deps.alerts?.resolveAlert(PROMOTION_ALERT_KIND, `${config.id}:${p.sku}`);
          out.push({ sku: p.sku, ok: true, quantity: p.quantity });
        } catch (err) {
          if (err instanceof UpstreamError && err.code === "promotion_stock_locked") {
            lockedTargets.set(p.ref, p.quantity);
            deps.alerts?.raiseAlert({
              kind: PROMOTION_ALERT_KIND,
              subject: `${config.id}:${p.sku}`,
              severity: "warning",
              message: textRef("alert-promotion-locked", {
                channel: config.id,
                sku: p.sku,
                ref: p.ref,
                qty: String(p.quantity),
              }),
              buttons: [{ label: "Why", labelId: "button-why", action: `/why ${p.sku}` }],
            });
          }
          out.push(failed(p.sku, err));
        }
      }
      return out;
    },

    async setListed(item, isListed, opts) {
      const { goodsId } = parsePddRef(item.ref);
      if (!isListed) {
        // A goods is listed as a whole: a single SKU goes "off sale" by showing 0; the next push restores it.
        await updateQuantity(item.ref, 0, "full", opts.signal);
        const g = await call("pdd.goods.detail.get", { goods_id: goodsId }, GoodsDetailSchema, { signal: opts.signal });
        if (g.sku_list.every((s) => s.quantity === 0))
          await call("pdd.goods.sale.status.set", { goods_id: goodsId, is_onsale: 0 }, IsSuccessSchema, {
            signal: opts.signal,
          });
        return;
      }
      await call("pdd.goods.sale.status.set", { goods_id: goodsId, is_onsale: 1 }, IsSuccessSchema, {
        signal: opts.signal,
      });
    },

    async fetchOrders(cursor, signal): Promise<OrderPage> {
      const w = nextWindow(cursor, clock.now(), windowRules);
      if (w.isClipped)
        log.warn(
          { cursor, start: w.start },
          "pinduoduo order cursor older than 3 months; the gap before start cannot be read",
        );
      const pageSize = config.pageSize;
      const rows = await readPagesBackwards(pageSize, async (page) => {
        const res = await call(
          "pdd.order.number.list.increment.get",
          {
            start_updated_at: Math.floor(w.start.getTime() / 1000),
            end_updated_at: Math.floor(w.end.getTime() / 1000),
            is_lucky_flag: 0,
            order_status: 5,
            refund_status: 5,
            page,
            page_size: pageSize,
          },
          IncrementSchema,
          { signal },
        );
        return { items: res.order_sn_list, total: res.total_count ?? res.order_sn_list.length };
      });
      const bySn = new Map<string, PddOrder>();
      for (const o of rows) {
        const seen = bySn.get(o.order_sn);
        if (!seen || seen.updated_at < o.updated_at) bySn.set(o.order_sn, o);
      }
      return { orders: [...bySn.values()].map(toOrder), nextCursor: w.end.toISOString(), hasMore: !w.isCaughtUp };
    },
  };
}
