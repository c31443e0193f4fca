import { randomBytes } from "node:crypto";
import { formatBeijing, pddSign } from "../channels/cn-common.js";
import { type Clock, systemClock } from "../clock.js";
import { must } from "../internal-error.js";
import { listen, requestParams, type SandboxResponse } from "./http.js";

/** One SKU of a simulated Pinduoduo goods. */
export interface PddSandboxSku {
  skuId: string;
  outerId?: string;
  quantity: number;
  /** On a promotion slot (资源位): the platform refuses to lower its stock. */
  isPromotionLocked?: boolean;
  /** Group-buy price (拼单价) in fen; default 990. */
  multiPrice?: number;
  /** Single-purchase price (单买价) in fen, above the group price; default 1090. */
  singlePrice?: number;
}

/** A simulated Pinduoduo goods (商品). */
export interface PddSandboxGoods {
  goodsId: string;
  goodsName: string;
  isOnsale: boolean;
  skus: PddSandboxSku[];
}

/** One line of a simulated order. */
export interface PddSandboxItem {
  goodsId: string;
  skuId: string;
  outerId?: string;
  count: number;
}

/** A simulated order (订单). Statuses use Pinduoduo's numeric codes. */
export interface PddSandboxOrder {
  orderSn: string;
  /** 1 to ship, 2 shipped, 3 received. */
  orderStatus: 1 | 2 | 3;
  /** 1 none, 2 after-sale open, 3 refunding, 4 refunded. */
  refundStatus: 1 | 2 | 3 | 4;
  /** 0 not confirmed, 1 confirmed (成交), 2 cancelled. */
  confirmStatus: 0 | 1 | 2;
  /** 0 grouping, 1 grouped, 2 group failed. */
  groupStatus: 0 | 1 | 2;
  createdTime: Date;
  updatedAt: Date;
  payAmount: number;
  items: PddSandboxItem[];
}

/** A Pinduoduo error envelope to inject. */
export interface PddErrorBody {
  error_code: number;
  error_msg: string;
  sub_code?: string;
  sub_msg?: string;
}

/** One request the simulator received. */
export interface RecordedPddRequest {
  type: string;
  params: Record<string, string>;
  contentType: string;
  isSignValid: boolean;
  error?: PddErrorBody;
}

/** Options for {@link startPinduoduoSandbox}. */
export interface PddSandboxOptions {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  clock?: Clock;
  goods?: PddSandboxGoods[];
  orders?: PddSandboxOrder[];
  port?: number;
}

/** A running Pinduoduo open-platform simulator. */
export interface PddSandbox {
  /** Use as `apiBase`; requests go to `${url}/api/router`. */
  url: string;
  requests: RecordedPddRequest[];
  goods: Map<string, PddSandboxGoods>;
  orders: PddSandboxOrder[];
  failNext(type: string, error: PddErrorBody): void;
  /** Makes the seller's access token expire (error 10019) until `renewToken`. */
  expireToken(): void;
  renewToken(): void;
  /** A buyer pays: Pinduoduo lowers its own stock and lists the order (status 1, to ship). */
  sell(o: { orderSn: string; items: { goodsId: string; skuId: string; count: number }[]; at?: Date }): PddSandboxOrder;
  close(): Promise<void>;
}

const MAX_WINDOW_S = 1800;
const DAY_S = 86_400;

/** Response keys per API type (not derivable from the type; Pinduoduo publishes one per API). */
export const PDD_RESPONSE_KEYS: Record<string, string> = {
  "pdd.goods.quantity.update": "goods_quantity_update_response",
  "pdd.goods.sku.price.update": "goods_update_sku_price_response",
  "pdd.goods.sale.status.set": "goods_sale_status_set_response",
  "pdd.goods.detail.get": "goods_detail_get_response",
  "pdd.goods.list.get": "goods_list_get_response",
  "pdd.order.number.list.increment.get": "order_sn_increment_get_response",
};

/**
 * Starts a local Pinduoduo gateway (`POST /api/router`) speaking its wire format: flat common
 * parameters, MD5 signature checked on every request, `error_response` envelopes with the platform's
 * error codes (10019 expired token, 20004 bad sign, 52101 rate limit), promotion-locked SKUs, and the
 * 30-minute window rule of the incremental order list.
 */
export async function startPinduoduoSandbox(opts: PddSandboxOptions): Promise<PddSandbox> {
  const clock = opts.clock ?? systemClock;
  const goods = new Map((opts.goods ?? []).map((g) => [g.goodsId, structuredClone(g)]));
  const orders = (opts.orders ?? []).map((o) => structuredClone(o));
  const faults = new Map<string, PddErrorBody[]>();
  const requests: RecordedPddRequest[] = [];
  let isTokenValid = true;
  let commits = 0;

  const rid = (): string => randomBytes(8).toString("hex");
  const fail = (e: PddErrorBody): SandboxResponse => ({
    body: JSON.stringify({ error_response: { ...e, request_id: rid() } }),
  });
  const ok = (type: string, payload: Record<string, unknown>): SandboxResponse => ({
    body: JSON.stringify({ [must(PDD_RESPONSE_KEYS[type], "known response type")]: { ...payload, request_id: rid() } }),
  });
  const bad = (msg: string): PddErrorBody => ({
    error_code: 10000,
    error_msg: "参数错误",
    sub_code: "10000",
    sub_msg: msg,
  });
  const int = (s: string | undefined): number | undefined =>
    s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined;

  const handlers: Record<string, (p: Record<string, string>) => SandboxResponse | PddErrorBody> = {
    "pdd.goods.quantity.update": (p) => {
      const g = goods.get(p.goods_id ?? "");
      if (!g) return bad(`商品不存在: ${p.goods_id}`);
      const sku = p.sku_id ? g.skus.find((s) => s.skuId === p.sku_id) : g.skus.find((s) => s.outerId === p.outer_id);
      if (!sku) return bad("sku不存在");
      const q = int(p.quantity);
      if (q === undefined) return bad("quantity 必须为整数");
      const type = p.update_type ?? "1";
      const next = type === "2" ? sku.quantity + q : q;
      if (next < 0) return bad("库存不能小于0");
      if (sku.isPromotionLocked && next < sku.quantity) {
        // Observed shape unknown (no public capture); the message wording follows the API description.
        return {
          error_code: 50001,
          error_msg: "业务服务错误",
          sub_code: "isv.goods-on-promotion",
          sub_msg: "商品在资源位上，不能减少库存",
        };
      }
      sku.quantity = next;
      return ok("pdd.goods.quantity.update", { is_success: true });
    },
    "pdd.goods.sku.price.update": (p) => {
      const g = goods.get(p.goods_id ?? "");
      if (!g) return bad(`商品不存在: ${p.goods_id}`);
      let list: unknown;
      try {
        list = JSON.parse(p.sku_price_list ?? "");
      } catch {
        return bad("sku_price_list 必须为JSON数组");
      }
      if (!Array.isArray(list) || !list.length) return bad("sku_price_list 不能为空");
      const updates: [PddSandboxSku, number, number][] = [];
      for (const raw of list as Record<string, unknown>[]) {
        const sku = g.skus.find((s) => s.skuId === String(raw.sku_id));
        if (!sku) return bad(`sku不存在: ${String(raw.sku_id)}`);
        const group = raw.group_price ?? sku.multiPrice ?? 990;
        const single = raw.single_price ?? sku.singlePrice ?? 1090;
        if (!Number.isSafeInteger(group) || !Number.isSafeInteger(single) || (group as number) <= 0)
          return bad("价格必须为正整数(单位分)");
        if ((single as number) <= (group as number)) return bad("拼单价必须低于单买价");
        updates.push([sku, group as number, single as number]);
      }
      for (const [sku, group, single] of updates) {
        sku.multiPrice = group;
        sku.singlePrice = single;
      }
      return ok("pdd.goods.sku.price.update", { is_success: true, goods_commit_id: ++commits });
    },
    "pdd.goods.detail.get": (p) => {
      const g = goods.get(p.goods_id ?? "");
      if (!g) return bad(`商品不存在: ${p.goods_id}`);
      return ok("pdd.goods.detail.get", {
        goods_id: Number(g.goodsId),
        goods_name: g.goodsName,
        is_onsale: g.isOnsale ? 1 : 0,
        sku_list: g.skus.map((s) => ({
          sku_id: Number(s.skuId),
          quantity: s.quantity,
          outer_id: s.outerId ?? "",
          is_onsale: 1,
          multi_price: s.multiPrice ?? 990,
          price: s.singlePrice ?? 1090,
        })),
      });
    },
    "pdd.goods.list.get": (p) => {
      const page = int(p.page) ?? 1;
      const size = int(p.page_size) ?? 100;
      if (size < 1 || size > 100) return bad("page_size 取值 1-100");
      const all = [...goods.values()].sort((a, b) => a.goodsId.localeCompare(b.goodsId));
      return ok("pdd.goods.list.get", {
        total_count: all.length,
        goods_list: all.slice((page - 1) * size, page * size).map((g) => ({
          goods_id: Number(g.goodsId),
          goods_name: g.goodsName,
          is_onsale: g.isOnsale ? 1 : 0,
          goods_quantity: g.skus.reduce((n, s) => n + s.quantity, 0),
          sku_list: g.skus.map((s) => ({
            sku_id: Number(s.skuId),
            sku_quantity: s.quantity,
            outer_id: s.outerId ?? "",
            is_sku_onsale: 1,
          })),
        })),
      });
    },
    "pdd.goods.sale.status.set": (p) => {
      const g = goods.get(p.goods_id ?? "");
      if (!g) return bad(`商品不存在: ${p.goods_id}`);
      if (p.is_onsale !== "0" && p.is_onsale !== "1") return bad("is_onsale 取值 0/1");
      g.isOnsale = p.is_onsale === "1";
      return ok("pdd.goods.sale.status.set", { is_success: true });
    },
    "pdd.order.number.list.increment.get": (p) => {
      const start = int(p.start_updated_at);
      const end = int(p.end_updated_at);
      for (const k of ["is_lucky_flag", "order_status", "refund_status"])
        if (p[k] === undefined) return bad(`缺少参数 ${k}`);
      if (start === undefined || end === undefined) return bad("缺少参数 start_updated_at/end_updated_at");
      if (end < start || end - start > MAX_WINDOW_S) return bad("end_updated_at - start_updated_at 不能超过30分钟");
      const nowS = Math.floor(clock.now().getTime() / 1000);
      if (end > nowS) return bad("end_updated_at 不能晚于当前时间");
      if (nowS - start > 90 * DAY_S) return bad("只能查询三个月内的订单");
      const page = int(p.page) ?? 1;
      const size = int(p.page_size) ?? 100;
      if (size < 1 || size > 100) return bad("page_size 取值 1-100");
      const hits = orders
        .filter((o) => {
          const u = Math.floor(o.updatedAt.getTime() / 1000);
          return u >= start && u <= end;
        })
        .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.orderSn.localeCompare(a.orderSn));
      return ok("pdd.order.number.list.increment.get", {
        total_count: hits.length,
        has_next: page * size < hits.length,
        order_sn_list: hits.slice((page - 1) * size, page * size).map((o) => ({
          order_sn: o.orderSn,
          order_status: o.orderStatus,
          refund_status: o.refundStatus,
          confirm_status: o.confirmStatus,
          group_status: o.groupStatus,
          after_sales_status: o.refundStatus === 4 ? 10 : 0,
          trade_type: 0,
          created_time: formatBeijing(o.createdTime),
          confirm_time: formatBeijing(o.createdTime),
          pay_time: formatBeijing(o.createdTime),
          updated_at: formatBeijing(o.updatedAt),
          pay_amount: o.payAmount,
          goods_amount: o.payAmount,
          item_list: o.items.map((i) => ({
            goods_id: Number(i.goodsId),
            sku_id: Number(i.skuId),
            outer_id: i.outerId ?? "",
            outer_goods_id: "",
            goods_count: i.count,
            goods_name: goods.get(i.goodsId)?.goodsName ?? "",
            goods_price: 9.9,
          })),
        })),
      });
    },
  };

  const server = await listen(
    (req, body) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path !== "/api/router") return { status: 404, body: "not found" };
      if (req.method !== "POST") return { status: 405, body: "method not allowed" };
      const params = requestParams(req, body);
      const type = params.type ?? "";
      const isSignValid = params.sign === pddSign(params, opts.clientSecret);
      const rec: RecordedPddRequest = {
        type,
        params,
        contentType: String(req.headers["content-type"] ?? ""),
        isSignValid,
      };
      requests.push(rec);
      const answer = (r: SandboxResponse | PddErrorBody): SandboxResponse => {
        if ("error_code" in r) {
          rec.error = r;
          return fail(r);
        }
        return r;
      };
      if (params.client_id !== opts.clientId)
        return answer({ error_code: 10016, error_msg: "client_id不存在或应用已下线" });
      const ts = int(params.timestamp);
      if (ts === undefined || Math.abs(ts - clock.now().getTime() / 1000) > 600)
        return answer({ error_code: 10000, error_msg: "参数错误", sub_msg: "timestamp 已过期" });
      if (!isSignValid) return answer({ error_code: 20004, error_msg: "签名校验失败" });
      if (params.data_type && params.data_type !== "JSON") return answer(bad("sandbox speaks JSON only"));
      const handler = handlers[type];
      if (!handler) return answer({ error_code: 10000, error_msg: "参数错误", sub_msg: `type 不存在: ${type}` });
      if (params.access_token !== opts.accessToken || !isTokenValid)
        return answer({ error_code: 10019, error_msg: "access_token已过期" });
      const injected = faults.get(type)?.shift();
      if (injected) return answer(injected);
      return answer(handler(params));
    },
    { port: opts.port },
  );

  return {
    url: server.url,
    requests,
    goods,
    orders,
    failNext(type, error) {
      faults.set(type, [...(faults.get(type) ?? []), error]);
    },
    expireToken() {
      isTokenValid = false;
    },
    renewToken() {
      isTokenValid = true;
    },
    sell(o) {
      const at = o.at ?? clock.now();
      const items = o.items.map((i): PddSandboxItem => {
        const sku = goods.get(i.goodsId)?.skus.find((s) => s.skuId === i.skuId);
        if (sku) sku.quantity = Math.max(0, sku.quantity - i.count);
        return { ...i, ...(sku?.outerId ? { outerId: sku.outerId } : {}) };
      });
      const order: PddSandboxOrder = {
        orderSn: o.orderSn,
        orderStatus: 1,
        refundStatus: 1,
        confirmStatus: 1,
        groupStatus: 1,
        createdTime: at,
        updatedAt: at,
        payAmount: 9.9 * items.reduce((n, i) => n + i.count, 0),
        items,
      };
      orders.push(order);
      return order;
    },
    close: server.close,
  };
}
