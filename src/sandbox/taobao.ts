import { randomBytes } from "node:crypto";
import { formatBeijing, parseBeijing, type TopSignMethod, topSign } from "../channels/cn-common.js";
import { type Clock, systemClock } from "../clock.js";
import { jsonWithBareIds, listen, requestParams, type SandboxResponse } from "./http.js";

/** One SKU of a simulated Taobao item. */
export interface TaobaoSandboxSku {
  skuId: string;
  outerId?: string;
  quantity: number;
  /** Yuan, two decimals ("19.90"); default "10.00". */
  price?: string;
  /** Sale properties `pid:vid`; default `1627207:<skuId>`. */
  properties?: string;
}

/** A simulated Taobao item (宝贝). */
export interface TaobaoSandboxItem {
  numIid: string;
  title: string;
  outerId?: string;
  approveStatus: "onsale" | "instock";
  /** Item-level stock; the sum of its SKUs when it has any. */
  num: number;
  /** Presale items refuse full (type=1) stock updates, as Tmall does. */
  isPresale?: boolean;
  /** Yuan, two decimals; default "10.00". With SKUs it must stay within their price range. */
  price?: string;
  skus: TaobaoSandboxSku[];
}

/** One order (sub-order) of a simulated trade. */
export interface TaobaoSandboxOrder {
  oid: string;
  numIid: string;
  skuId?: string;
  outerIid?: string;
  outerSkuId?: string;
  num: number;
  title: string;
  status: string;
  refundStatus: string;
  /** Yuan refunded by the latest refund, and its id (set by `refund`). */
  refundFee?: string;
  refundId?: string;
  payment: string;
}

/** A simulated trade (交易). */
export interface TaobaoSandboxTrade {
  tid: string;
  status: string;
  created: Date;
  modified: Date;
  payTime?: Date;
  payment: string;
  orders: TaobaoSandboxOrder[];
}

/** A TOP error envelope to inject. */
export interface TopErrorBody {
  code: number;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
}

/** One request the simulator received (signature already checked). */
export interface RecordedTopRequest {
  method: string;
  params: Record<string, string>;
  httpMethod: string;
  isSignValid: boolean;
  error?: TopErrorBody;
}

/** Options for {@link startTaobaoSandbox}. */
export interface TaobaoSandboxOptions {
  appKey: string;
  appSecret: string;
  session: string;
  clock?: Clock;
  items?: TaobaoSandboxItem[];
  trades?: TaobaoSandboxTrade[];
  port?: number;
}

/** A running Taobao Open Platform simulator. */
export interface TaobaoSandbox {
  /** Use as `apiBase`; requests go to `${url}/router/rest`. */
  url: string;
  requests: RecordedTopRequest[];
  items: Map<string, TaobaoSandboxItem>;
  trades: TaobaoSandboxTrade[];
  /** Answers the next call of `method` with this error instead of executing it. */
  failNext(method: string, error: TopErrorBody): void;
  /** Makes the seller session invalid (code 27) until `restoreSession`. */
  expireSession(): void;
  restoreSession(): void;
  /** A buyer pays for an order: Taobao decrements its own stock and records the trade. */
  sell(t: {
    tid: string;
    lines: { oid: string; numIid: string; skuId?: string; num: number }[];
    at?: Date;
    status?: string;
  }): TaobaoSandboxTrade;
  /**
   * A refund the seller agreed to on one sub-order (TOP refunds per `oid`, never per unit): `refund_status` SUCCESS,
   * `refund_fee` the yuan refunded; a full refund closes the sub-order (TRADE_CLOSED). Touches `modified`.
   */
  refund(tid: string, oid: string, fee: string): TaobaoSandboxOrder;
  /** Called after every answered call (tests use it to change a trade while the adapter pages). */
  afterCall?: ((method: string, params: Record<string, string>) => void) | undefined;
  close(): Promise<void>;
}

const SESSION_METHODS = new Set([
  "taobao.item.quantity.update",
  "taobao.skus.quantity.update",
  "taobao.items.seller.list.get",
  "taobao.item.seller.get",
  "taobao.items.onsale.get",
  "taobao.item.update.delisting",
  "taobao.item.update.listing",
  "taobao.trades.sold.increment.get",
  "taobao.item.price.update",
  "taobao.item.sku.price.update",
]);

const YUAN = /^\d{1,8}(\.\d{1,2})?$/;
const yuan = (s: string): string => Number(s).toFixed(2);

const DAY_MS = 86_400_000;

/** The envelope key TOP uses: method without a leading `taobao.`, dots to underscores, plus `_response`. */
export function topResponseName(method: string): string {
  return `${method.replace(/^taobao\./, "").replace(/\./g, "_")}_response`;
}

/**
 * Starts a local Taobao Open Platform gateway that speaks TOP's wire format: system parameters, all
 * three sign methods checked on every request, ±10 min timestamp window, `error_response` envelopes,
 * double-wrapped lists, tids/oids as bare (unsafe) JSON integers, and the increment-poll rules.
 *
 * @example
 * const tb = await startTaobaoSandbox({ appKey: "12345678", appSecret: "s3cret", session: "sess", items: [...] });
 * // config: { kind: "taobao", apiBase: tb.url, appKey: "12345678", appSecret: "s3cret", session: "sess" }
 */
export async function startTaobaoSandbox(opts: TaobaoSandboxOptions): Promise<TaobaoSandbox> {
  const clock = opts.clock ?? systemClock;
  const items = new Map((opts.items ?? []).map((i) => [i.numIid, structuredClone(i)]));
  const trades = (opts.trades ?? []).map((t) => structuredClone(t));
  const faults = new Map<string, TopErrorBody[]>();
  const requests: RecordedTopRequest[] = [];
  let isSessionValid = true;

  const fail = (e: TopErrorBody): SandboxResponse => ({
    body: JSON.stringify({ error_response: { ...e, request_id: randomBytes(6).toString("hex") } }),
  });
  const ok = (method: string, payload: Record<string, unknown>): SandboxResponse => ({
    body: jsonWithBareIds({ [topResponseName(method)]: { ...payload, request_id: randomBytes(6).toString("hex") } }, [
      "tid",
      "oid",
    ]),
  });
  const bad = (subMsg: string, subCode = "isv.invalid-parameter"): TopErrorBody => ({
    code: 41,
    msg: "Invalid arguments",
    sub_code: subCode,
    sub_msg: subMsg,
  });
  const notFound = (numIid: string): TopErrorBody => ({
    code: 15,
    msg: "Remote service error",
    sub_code: "isv.item-not-exist:invalid-numIid-or-iid",
    sub_msg: `商品不存在: ${numIid}`,
  });

  const itemJson = (i: TaobaoSandboxItem, withSkus = true): Record<string, unknown> => ({
    num_iid: Number(i.numIid),
    title: i.title,
    num: i.num,
    approve_status: i.approveStatus,
    price: i.price ?? "10.00",
    ...(i.outerId ? { outer_id: i.outerId } : {}),
    modified: formatBeijing(clock.now()),
    ...(withSkus && i.skus.length
      ? {
          skus: {
            sku: i.skus.map((s) => ({
              sku_id: Number(s.skuId),
              quantity: s.quantity,
              price: s.price ?? "10.00",
              properties: s.properties ?? `1627207:${s.skuId}`,
              ...(s.outerId ? { outer_id: s.outerId } : {}),
              modified: formatBeijing(clock.now()),
            })),
          },
        }
      : {}),
  });
  const recount = (i: TaobaoSandboxItem): void => {
    if (i.skus.length) i.num = i.skus.reduce((n, s) => n + s.quantity, 0);
  };
  const applyQty = (cur: number, q: number, type: string): number | TopErrorBody => {
    if (type === "2") return cur + q < 0 ? bad(`库存不能小于0 (current ${cur}, delta ${q})`) : cur + q;
    return q < 0 ? bad("全量更新时库存不能为负数") : q;
  };

  const handlers: Record<string, (p: Record<string, string>) => SandboxResponse | TopErrorBody> = {
    "taobao.item.quantity.update": (p) => {
      const item = items.get(p.num_iid ?? "");
      if (!item) return notFound(p.num_iid ?? "");
      const type = p.type ?? "1";
      if (item.isPresale && type !== "2") {
        return {
          code: 15,
          msg: "Remote service error",
          sub_code: "isv.item-is-presale:invalid-presale-tags-id-tmall",
          sub_msg: "预售商品只能增量更新库存",
        };
      }
      if (!/^-?\d+$/.test(p.quantity ?? "")) return { code: 40, msg: "Missing required arguments:quantity" };
      const q = Number(p.quantity);
      const sku = p.sku_id
        ? item.skus.find((s) => s.skuId === p.sku_id)
        : p.outer_id
          ? item.skus.find((s) => s.outerId === p.outer_id)
          : undefined;
      if ((p.sku_id || p.outer_id) && !sku)
        return {
          code: 15,
          msg: "Remote service error",
          sub_code: "isv.invalid-parameter:sku-properties",
          sub_msg: "SKU不存在",
        };
      if (sku) {
        const next = applyQty(sku.quantity, q, type);
        if (typeof next !== "number") return next;
        sku.quantity = next;
        recount(item);
      } else {
        if (item.skus.length) return bad("该商品有SKU, 请指定 sku_id 或 outer_id");
        const next = applyQty(item.num, q, type);
        if (typeof next !== "number") return next;
        item.num = next;
      }
      return ok("taobao.item.quantity.update", { item: itemJson(item) });
    },
    "taobao.skus.quantity.update": (p) => {
      const item = items.get(p.num_iid ?? "");
      if (!item) return notFound(p.num_iid ?? "");
      const type = p.type ?? "1";
      if (item.isPresale && type !== "2") {
        return {
          code: 15,
          msg: "Remote service error",
          sub_code: "isv.item-is-presale:invalid-presale-tags-id-tmall",
          sub_msg: "预售商品只能增量更新库存",
        };
      }
      const byOuter = !p.skuid_quantities;
      const spec = p.skuid_quantities ?? p.outerid_quantities ?? "";
      const pairs = spec
        .split(";")
        .filter(Boolean)
        .map((kv) => kv.split(":") as [string, string]);
      if (!pairs.length) return { code: 40, msg: "Missing required arguments:skuid_quantities" };
      if (pairs.length > 20) return bad("最多支持20个SKU");
      const updates: [TaobaoSandboxSku[], number][] = [];
      for (const [key, qty] of pairs) {
        const targets = item.skus.filter((s) => (byOuter ? s.outerId === key : s.skuId === key));
        if (!targets.length || !/^-?\d+$/.test(qty ?? ""))
          return {
            code: 15,
            msg: "Remote service error",
            sub_code: "isv.invalid-parameter:sku-properties",
            sub_msg: `SKU不存在: ${key}`,
          };
        if (type !== "2" && Number(qty) < 0) return bad("全量更新时库存不能为负数");
        updates.push([targets, Number(qty)]);
      }
      for (const [targets, q] of updates)
        for (const s of targets) s.quantity = type === "2" ? Math.max(0, s.quantity + q) : q;
      recount(item);
      return ok("taobao.skus.quantity.update", { item: itemJson(item) });
    },
    "taobao.item.price.update": (p) => {
      const item = items.get(p.num_iid ?? "");
      if (!item) return notFound(p.num_iid ?? "");
      if (!YUAN.test(p.price ?? ""))
        return bad("price 取值范围:0-100000000, 精确到2位小数", "isv.invalid-parameter:price");
      const prices = item.skus.map((s) => Number(s.price ?? "10.00"));
      const next = Number(p.price);
      if (prices.length && (next < Math.min(...prices) || next > Math.max(...prices)))
        return bad("商品价格必须在SKU价格区间内", "isv.invalid-parameter:price");
      item.price = yuan(p.price ?? "");
      return ok("taobao.item.price.update", {
        item: { num_iid: Number(item.numIid), modified: formatBeijing(clock.now()) },
      });
    },
    "taobao.item.sku.price.update": (p) => {
      const item = items.get(p.num_iid ?? "");
      if (!item) return notFound(p.num_iid ?? "");
      if (!p.properties) return { code: 40, msg: "Missing required arguments:properties" };
      const sku = item.skus.find((s) => (s.properties ?? `1627207:${s.skuId}`) === p.properties);
      if (!sku)
        return {
          code: 15,
          msg: "Remote service error",
          sub_code: "isv.invalid-parameter:sku-properties",
          sub_msg: `SKU不存在: ${p.properties}`,
        };
      if (!YUAN.test(p.price ?? ""))
        return bad("price 取值范围:0-100000000, 精确到2位小数", "isv.invalid-parameter:price");
      if (p.item_price !== undefined && !YUAN.test(p.item_price)) return bad("item_price 格式错误");
      const after = item.skus.map((s) => Number(s === sku ? p.price : (s.price ?? "10.00")));
      const itemPrice = Number(p.item_price ?? item.price ?? "10.00");
      if (itemPrice < Math.min(...after) || itemPrice > Math.max(...after))
        return bad("修改后的sku价格要保证商品的价格在所有sku价格所形成的价格区间内", "isv.invalid-parameter:price");
      sku.price = yuan(p.price ?? "");
      item.price = yuan(String(itemPrice));
      return ok("taobao.item.sku.price.update", {
        sku: { num_iid: Number(item.numIid), modified: formatBeijing(clock.now()) },
      });
    },
    "taobao.items.seller.list.get": (p) => {
      const ids = (p.num_iids ?? "").split(",").filter(Boolean);
      if (!p.fields) return { code: 40, msg: "Missing required arguments:fields" };
      if (!ids.length) return { code: 40, msg: "Missing required arguments:num_iids" };
      if (ids.length > 20) return bad("num_iids 最多20个");
      const found = ids.map((id) => items.get(id)).filter((i): i is TaobaoSandboxItem => i !== undefined);
      return ok("taobao.items.seller.list.get", found.length ? { items: { item: found.map((i) => itemJson(i)) } } : {});
    },
    "taobao.items.onsale.get": (p) => {
      const pageNo = Number(p.page_no ?? "1");
      const pageSize = Number(p.page_size ?? "40");
      if (pageSize > 200) return bad("page_size 最大200");
      const all = [...items.values()]
        .filter((i) => i.approveStatus === "onsale")
        .sort((a, b) => a.numIid.localeCompare(b.numIid));
      const page = all.slice((pageNo - 1) * pageSize, pageNo * pageSize);
      return ok("taobao.items.onsale.get", {
        total_results: all.length,
        ...(page.length ? { items: { item: page.map((i) => itemJson(i, false)) } } : {}),
      });
    },
    "taobao.item.update.delisting": (p) => {
      const item = items.get(p.num_iid ?? "");
      if (!item) return notFound(p.num_iid ?? "");
      item.approveStatus = "instock";
      return ok("taobao.item.update.delisting", {
        item: { num_iid: Number(item.numIid), modified: formatBeijing(clock.now()) },
      });
    },
    "taobao.item.update.listing": (p) => {
      const item = items.get(p.num_iid ?? "");
      if (!item) return notFound(p.num_iid ?? "");
      if (!/^\d+$/.test(p.num ?? "") || Number(p.num) < 1) return bad("num 必须大于0");
      item.approveStatus = "onsale";
      return ok("taobao.item.update.listing", {
        item: { num_iid: Number(item.numIid), modified: formatBeijing(clock.now()) },
      });
    },
    "taobao.trades.sold.increment.get": (p) => {
      if (!p.fields) return { code: 40, msg: "Missing required arguments:fields" };
      const start = parseBeijing(p.start_modified ?? "");
      const end = parseBeijing(p.end_modified ?? "");
      if (!start || !end) return { code: 40, msg: "Missing required arguments:start_modified,end_modified" };
      if (end.getTime() - start.getTime() > DAY_MS)
        return bad("end_modified - start_modified 不能超过一天", "isv.invalid-parameter:time-range");
      if (end < start) return bad("end_modified 不能早于 start_modified", "isv.invalid-parameter:time-range");
      if (clock.now().getTime() - start.getTime() > 90 * DAY_MS)
        return bad("只能查询三个月内的交易", "isv.invalid-parameter:time-range");
      const pageNo = Number(p.page_no ?? "1");
      const pageSize = Number(p.page_size ?? "40");
      if (pageSize < 1 || pageSize > 100) return bad("page_size 取值范围 1-100");
      // TOP compares at second precision on Beijing-time strings, both ends inclusive.
      const lo = Math.floor(start.getTime() / 1000);
      const hi = Math.floor(end.getTime() / 1000);
      const hits = trades
        .filter((t) => {
          const m = Math.floor(t.modified.getTime() / 1000);
          return m >= lo && m <= hi;
        })
        .sort((a, b) => b.modified.getTime() - a.modified.getTime() || b.tid.localeCompare(a.tid));
      const page = hits.slice((pageNo - 1) * pageSize, pageNo * pageSize);
      const useHasNext = p.use_has_next === "true";
      return ok("taobao.trades.sold.increment.get", {
        ...(useHasNext ? {} : { total_results: hits.length }),
        has_next: pageNo * pageSize < hits.length,
        ...(page.length
          ? {
              trades: {
                trade: page.map((t) => ({
                  tid: t.tid,
                  status: t.status,
                  created: formatBeijing(t.created),
                  modified: formatBeijing(t.modified),
                  ...(t.payTime ? { pay_time: formatBeijing(t.payTime) } : {}),
                  payment: t.payment,
                  orders: {
                    order: t.orders.map((o) => ({
                      oid: o.oid,
                      num_iid: Number(o.numIid),
                      ...(o.skuId ? { sku_id: o.skuId } : {}),
                      ...(o.outerIid ? { outer_iid: o.outerIid } : {}),
                      ...(o.outerSkuId ? { outer_sku_id: o.outerSkuId } : {}),
                      num: o.num,
                      title: o.title,
                      status: o.status,
                      refund_status: o.refundStatus,
                      ...(o.refundFee ? { refund_fee: o.refundFee, refund_id: o.refundId } : {}),
                      payment: o.payment,
                    })),
                  },
                })),
              },
            }
          : {}),
      });
    },
  };

  const server = await listen(
    (req, body) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (path !== "/router/rest") return { status: 404, body: "not found" };
      if (req.method !== "GET" && req.method !== "POST") return fail({ code: 9, msg: "Http Action Not Allowed" });
      const params = requestParams(req, body);
      const method = params.method ?? "";
      const signMethod = (params.sign_method ?? "md5") as TopSignMethod;
      const isKnownSign = signMethod === "md5" || signMethod === "hmac" || signMethod === "hmac-sha256";
      const isSignValid = isKnownSign && params.sign === topSign(params, opts.appSecret, signMethod);
      const rec: RecordedTopRequest = { method, params, httpMethod: req.method, isSignValid };
      requests.push(rec);
      const answer = (r: SandboxResponse | TopErrorBody): SandboxResponse => {
        if ("code" in r) {
          rec.error = r;
          return fail(r);
        }
        sandbox.afterCall?.(method, params);
        return r;
      };
      if (!method) return answer({ code: 21, msg: "Missing Method" });
      if (!params.app_key) return answer({ code: 28, msg: "Missing App Key" });
      if (params.app_key !== opts.appKey) return answer({ code: 29, msg: "Invalid app Key" });
      if (!params.timestamp) return answer({ code: 30, msg: "Missing Timestamp" });
      const ts = parseBeijing(params.timestamp);
      if (!ts || Math.abs(ts.getTime() - clock.now().getTime()) > 10 * 60_000)
        return answer({ code: 31, msg: "Invalid Timestamp" });
      if (!params.sign) return answer({ code: 24, msg: "Missing Signature" });
      if (!isSignValid) return answer({ code: 25, msg: "Invalid Signature" });
      if (params.v !== "2.0") return answer({ code: 41, msg: "Invalid arguments:v" });
      if (params.format !== "json")
        return answer({ code: 41, msg: "Invalid arguments:format (sandbox speaks json only)" });
      const handler = handlers[method];
      if (!handler) return answer({ code: 22, msg: "Invalid Method" });
      if (SESSION_METHODS.has(method)) {
        if (!params.session) return answer({ code: 26, msg: "Missing Session" });
        if (params.session !== opts.session || !isSessionValid)
          return answer({
            code: 27,
            msg: "Invalid Session",
            sub_code: "invalid-sessionkey",
            sub_msg: "SessionKey非法",
          });
      }
      const injected = faults.get(method)?.shift();
      if (injected) return answer(injected);
      return answer(handler(params));
    },
    { port: opts.port },
  );

  const sandbox: TaobaoSandbox = {
    url: server.url,
    requests,
    items,
    trades,
    failNext(method, error) {
      faults.set(method, [...(faults.get(method) ?? []), error]);
    },
    expireSession() {
      isSessionValid = false;
    },
    restoreSession() {
      isSessionValid = true;
    },
    refund(tid, oid, fee) {
      const trade = trades.find((t) => t.tid === tid);
      const o = trade?.orders.find((x) => x.oid === oid);
      if (!trade || !o) throw new Error(`no simulated sub-order ${tid}/${oid}`);
      o.refundStatus = "SUCCESS";
      o.refundFee = fee;
      o.refundId = `${oid}9`;
      if (Number(fee) >= Number(o.payment)) o.status = "TRADE_CLOSED";
      if (trade.orders.every((x) => x.status === "TRADE_CLOSED")) trade.status = "TRADE_CLOSED";
      trade.modified = clock.now();
      return o;
    },
    sell(t) {
      const at = t.at ?? clock.now();
      const orders = t.lines.map((l): TaobaoSandboxOrder => {
        const item = items.get(l.numIid);
        const sku = item?.skus.find((s) => s.skuId === l.skuId);
        if (sku) sku.quantity = Math.max(0, sku.quantity - l.num);
        else if (item) item.num = Math.max(0, item.num - l.num);
        if (item) recount(item);
        return {
          oid: l.oid,
          numIid: l.numIid,
          ...(l.skuId ? { skuId: l.skuId } : {}),
          ...(sku?.outerId ? { outerSkuId: sku.outerId } : {}),
          ...(item?.outerId ? { outerIid: item.outerId } : {}),
          num: l.num,
          title: item?.title ?? "item",
          status: t.status ?? "WAIT_SELLER_SEND_GOODS",
          refundStatus: "NO_REFUND",
          payment: "10.00",
        };
      });
      const trade: TaobaoSandboxTrade = {
        tid: t.tid,
        status: t.status ?? "WAIT_SELLER_SEND_GOODS",
        created: at,
        modified: at,
        payTime: at,
        payment: `${orders.length * 10}.00`,
        orders,
      };
      trades.push(trade);
      return trade;
    },
    close: server.close,
  };
  return sandbox;
}
