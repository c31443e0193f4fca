import { createHash, createHmac } from "node:crypto";
import {
  createFaults,
  deliver,
  type FaultOptions,
  type Faults,
  type RecordedRequest,
  type SimResponse,
  signBase64,
  startSimServer,
} from "./common.js";

/** A product or variation in the simulator. */
export interface SimWooProduct {
  id: number;
  parentId: number;
  type: "simple" | "variable" | "variation";
  name: string;
  sku: string;
  status: "publish" | "private" | "draft";
  manageStock: boolean;
  stockQuantity: number | null;
  modifiedGmt: string;
  /** Prices as Woo stores them: decimal strings, "" for none (issue 14). Default "10.00" / "". */
  regularPrice?: string;
  salePrice?: string;
}

/** An order in the simulator. */
export interface SimWooOrder {
  id: number;
  status: string;
  currency: string;
  createdGmt: string;
  modifiedGmt: string;
  lines: { id: number; productId: number; variationId: number; sku: string; quantity: number; total: string }[];
  meta: { id: number; key: string; value: unknown }[];
  refunds: { id: number; amount: string; reason: string }[];
}

/** Simulator state tests may inspect and change. */
export interface SimWooState {
  products: Map<number, SimWooProduct>;
  orders: SimWooOrder[];
  /** Every applied stock change, in order. */
  changes: { id: number; from: number | null; to: number }[];
  /** Product ids whose next batch update fails with this WP error (then clears). */
  itemFaults: Map<number, { code: string; message: string; status: number }>;
}

/** Options for {@link startWooSim}. */
export interface WooSimOptions {
  consumerKey?: string;
  consumerSecret?: string;
  faults?: FaultOptions;
  /** Order timestamps come from here. */
  now?: () => number;
}

/** A running WooCommerce simulator. */
export interface WooSim {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  state: SimWooState;
  requests: RecordedRequest[];
  faults: Faults;
  /** Requests whose resolved route is `op` (e.g. "products/batch"). */
  calls(op: string): RecordedRequest[];
  seedProducts(count: number, opts?: { prefix?: string; stock?: number }): SimWooProduct[];
  /** Adds a variable product with `count` variations; returns the variations. */
  seedVariable(count: number, opts?: { prefix?: string; stock?: number }): SimWooProduct[];
  createOrder(lines: { sku: string; qty: number; total?: string }[], opts?: { status?: string }): SimWooOrder;
  /**
   * An admin edit (or `PUT /orders/{id}`): status, tracking, and line quantities (`lines`: 0 removes the line, as
   * the order editor's delete does), moving managed stock like WooCommerce's "reduce/restore stock".
   */
  updateOrder(
    id: number,
    patch: {
      status?: string;
      tracking?: { provider: string; number: string };
      lines?: { lineId: number; qty: number }[];
    },
  ): SimWooOrder;
  /** The JSON Woo puts in an order.* webhook body (the REST resource at delivery time). */
  orderJson(id: number): Record<string, unknown>;
  /** Signs and POSTs a webhook like WC_Webhook::deliver; returns the receiver's status and the delivery id. */
  sendWebhook(args: {
    url: string;
    topic: string;
    payload: unknown;
    secret: string;
  }): Promise<{ status: number; deliveryId: string }>;
  close(): Promise<void>;
}

const BASE = "/wp-json/wc/v3";
/** The simulated site salt wp_hash() keys with, and the one webhook's id. */
const WP_SALT = "sim-wp-salt";
const WEBHOOK_ID = "7";

/**
 * Starts a local WooCommerce REST v3 simulator: products and variations (list with X-WP-Total /
 * X-WP-TotalPages / Link, single update, batch ≤100 with per-item errors inside a 200), orders with
 * `modified_after` + `dates_are_gmt`, order refunds, Basic or query-string auth, and injectable faults.
 *
 * @example
 * const woo = await startWooSim({ faults: { failureRate: 0.3, seed: 3 } });
 * woo.seedProducts(1000, { stock: 0 });
 */
export async function startWooSim(opts: WooSimOptions = {}): Promise<WooSim> {
  const consumerKey = opts.consumerKey ?? "ck_sandbox0000000000000000000000000000000000";
  const consumerSecret = opts.consumerSecret ?? "cs_sandbox0000000000000000000000000000000000";
  const now = opts.now ?? Date.now;
  const requests: RecordedRequest[] = [];
  const faults = createFaults(opts.faults);
  const state: SimWooState = { products: new Map(), orders: [], changes: [], itemFaults: new Map() };
  let nextId = 100;
  /** The product with that SKU; a loop, not a copy of the catalog per order line. */
  const productBySku = (sku: string): SimWooProduct | undefined => {
    for (const p of state.products.values()) if (p.sku === sku) return p;
    return undefined;
  };
  const ts = () => new Date(now()).toISOString().slice(0, 19);
  const err = (status: number, code: string, message: string): SimResponse => ({
    status,
    json: { code, message, data: { status } },
  });

  const productJson = (p: SimWooProduct) => ({
    id: p.id,
    name: p.name,
    sku: p.sku,
    type: p.type,
    status: p.status,
    ...(p.type === "variation" ? { parent_id: p.parentId } : {}),
    manage_stock: p.manageStock,
    stock_quantity: p.manageStock ? p.stockQuantity : null,
    stock_status: (p.stockQuantity ?? 0) > 0 ? "instock" : "outofstock",
    ...priceJson(p),
    date_modified_gmt: p.modifiedGmt,
    ...(p.type === "variable"
      ? { variations: [...state.products.values()].filter((v) => v.parentId === p.id).map((v) => v.id) }
      : {}),
  });

  /** WC_Product::is_on_sale: a sale price below the regular one; variable parents carry no price of their own. */
  const priceJson = (p: SimWooProduct) => {
    if (p.type === "variable") return { price: "", regular_price: "", sale_price: "", on_sale: false };
    const regular = p.regularPrice ?? "10.00";
    const sale = p.salePrice ?? "";
    const onSale = sale !== "" && Number(sale) < Number(regular);
    return { price: onSale ? sale : regular, regular_price: regular, sale_price: sale, on_sale: onSale };
  };

  const orderJson = (o: SimWooOrder) => ({
    id: o.id,
    status: o.status,
    currency: o.currency,
    date_created_gmt: o.createdGmt,
    date_modified_gmt: o.modifiedGmt,
    total: o.lines.reduce((s, l) => s + Number(l.total), 0).toFixed(2),
    shipping: { first_name: "", last_name: "", city: "Lyon", state: "", postcode: "69001", country: "FR" },
    line_items: o.lines.map((l) => ({
      id: l.id,
      name: l.sku,
      product_id: l.productId,
      variation_id: l.variationId,
      quantity: l.quantity,
      sku: l.sku,
      total: l.total,
      price: Number(l.total) / l.quantity,
    })),
    refunds: o.refunds.map((r) => ({ id: r.id, reason: r.reason, total: `-${r.amount}` })),
    meta_data: o.meta,
  });

  function paged<T>(req: RecordedRequest, all: T[], render: (t: T) => unknown): SimResponse {
    const perPage = Math.min(100, Math.max(1, Number(req.query.per_page ?? 10)));
    if (Number(req.query.per_page ?? 10) > 100) return err(400, "rest_invalid_param", "Invalid parameter(s): per_page");
    const page = Math.max(1, Number(req.query.page ?? 1));
    const totalPages = Math.max(1, Math.ceil(all.length / perPage));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const links: string[] = [];
    const link = (p: number) => `<${BASE}${req.path.slice(BASE.length)}?page=${p}&per_page=${perPage}>`;
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
    if (page < totalPages) links.push(`${link(page + 1)}; rel="next"`);
    return {
      status: 200,
      headers: {
        "x-wp-total": String(all.length),
        "x-wp-totalpages": String(totalPages),
        ...(links.length ? { link: links.join(", ") } : {}),
      },
      json: slice.map(render),
    };
  }

  function setStock(p: SimWooProduct, body: Record<string, unknown>): void {
    if (body.manage_stock !== undefined) p.manageStock = Boolean(body.manage_stock);
    if (body.status !== undefined) p.status = body.status as SimWooProduct["status"];
    // Woo forces a variable parent's prices to ""; strings only (batch items skip REST validation).
    if (p.type !== "variable" && typeof body.regular_price === "string") p.regularPrice = body.regular_price;
    if (p.type !== "variable" && typeof body.sale_price === "string") p.salePrice = body.sale_price;
    if (body.stock_quantity !== undefined && p.manageStock) {
      const to = Number(body.stock_quantity);
      state.changes.push({ id: p.id, from: p.stockQuantity, to });
      p.stockQuantity = to;
    }
    p.modifiedGmt = ts();
  }

  function batch(req: RecordedRequest, parentId: number | null): SimResponse {
    let body: { create?: unknown[]; update?: Record<string, unknown>[]; delete?: unknown[] };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return err(400, "rest_invalid_json", "Invalid JSON body passed.");
    }
    const total = (body.create?.length ?? 0) + (body.update?.length ?? 0) + (body.delete?.length ?? 0);
    if (total > 100)
      return err(
        413,
        "woocommerce_rest_request_entity_too_large",
        "Unable to accept more than 100 items for this request.",
      );
    const update = (body.update ?? []).map((u) => {
      const id = Number(u.id);
      const p = state.products.get(id);
      const isRightKind =
        p && (parentId === null ? p.type !== "variation" : p.type === "variation" && p.parentId === parentId);
      if (!p || !isRightKind)
        return {
          id: 0,
          error: {
            code:
              parentId === null
                ? "woocommerce_rest_product_invalid_id"
                : "woocommerce_rest_product_variation_invalid_id",
            message: "Invalid ID.",
            data: { status: 400 },
          },
        };
      const fault = state.itemFaults.get(id);
      if (fault) {
        state.itemFaults.delete(id);
        return { id, error: { code: fault.code, message: fault.message, data: { status: fault.status } } };
      }
      setStock(p, u);
      return productJson(p);
    });
    return { status: 200, json: { update } };
  }

  function route(req: RecordedRequest): SimResponse {
    if (!req.path.startsWith(BASE))
      return err(404, "rest_no_route", "No route was found matching the URL and request method.");
    const path = req.path.slice(BASE.length);
    let m: RegExpExecArray | null;
    if (req.method === "POST" && path === "/products/batch") {
      req.op = "products/batch";
      return batch(req, null);
    }
    m = req.method === "POST" ? /^\/products\/(\d+)\/variations\/batch$/.exec(path) : null;
    if (m) {
      req.op = "variations/batch";
      return batch(req, Number(m[1]));
    }
    if (req.method === "GET" && path === "/products") {
      req.op = "products";
      let all = [...state.products.values()].filter((p) => p.type !== "variation");
      if (req.query.include) {
        const ids = new Set(req.query.include.split(",").map(Number));
        all = all.filter((p) => ids.has(p.id));
      }
      if (req.query.sku) all = all.filter((p) => p.sku === req.query.sku);
      return paged(req, all, productJson);
    }
    m = req.method === "GET" ? /^\/products\/(\d+)\/variations$/.exec(path) : null;
    if (m) {
      req.op = "variations";
      const parent = Number(m[1]);
      if (!state.products.has(parent)) return err(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      let all = [...state.products.values()].filter((p) => p.type === "variation" && p.parentId === parent);
      if (req.query.include) {
        const ids = new Set(req.query.include.split(",").map(Number));
        all = all.filter((p) => ids.has(p.id));
      }
      return paged(req, all, productJson);
    }
    m = req.method === "PUT" ? /^\/products\/(\d+)(?:\/variations\/(\d+))?$/.exec(path) : null;
    if (m) {
      req.op = m[2] ? "variation" : "product";
      const p = state.products.get(Number(m[2] ?? m[1]));
      if (!p) return err(404, "woocommerce_rest_product_invalid_id", "Invalid ID.");
      setStock(p, JSON.parse(req.body || "{}") as Record<string, unknown>);
      return { status: 200, json: productJson(p) };
    }
    if (req.method === "GET" && path === "/orders") {
      req.op = "orders";
      if (req.query.modified_after && req.query.dates_are_gmt !== "true")
        return err(
          400,
          "sim_requires_gmt",
          "The simulator only runs with dates_are_gmt=true (site time would differ).",
        );
      const after = req.query.modified_after ? Date.parse(`${req.query.modified_after}Z`) : -Infinity;
      const all = state.orders
        .filter((o) => Date.parse(`${o.modifiedGmt}Z`) > after)
        .sort((a, b) => a.modifiedGmt.localeCompare(b.modifiedGmt) || a.id - b.id);
      return paged(req, all, orderJson);
    }
    m = req.method === "PUT" ? /^\/orders\/(\d+)$/.exec(path) : null;
    if (m) {
      req.op = "orders/update";
      const o = state.orders.find((x) => x.id === Number(m?.[1]));
      if (!o) return err(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
      const body = JSON.parse(req.body || "{}") as { status?: unknown };
      const statuses = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed"];
      if (body.status !== undefined && (typeof body.status !== "string" || !statuses.includes(body.status)))
        return err(400, "rest_invalid_param", "Invalid parameter(s): status");
      if (typeof body.status === "string" && body.status !== o.status) {
        o.status = body.status;
        touch(o);
      }
      return { status: 200, json: orderJson(o) };
    }
    m = /^\/orders\/(\d+)\/refunds$/.exec(path);
    if (m) {
      const orderId = Number(m[1]);
      const o = state.orders.find((x) => x.id === orderId);
      if (!o) return err(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.");
      if (req.method === "GET") {
        req.op = "refunds";
        return {
          status: 200,
          json: o.refunds.map((r) => ({ id: r.id, amount: r.amount, reason: r.reason, refunded_payment: true })),
        };
      }
      if (req.method === "POST") {
        req.op = "refunds/create";
        const body = JSON.parse(req.body || "{}") as { amount?: string; reason?: string };
        const total = o.lines.reduce((s, l) => s + Number(l.total), 0);
        const done = o.refunds.reduce((s, r) => s + Number(r.amount), 0);
        const amount = Number(body.amount);
        if (!(amount > 0) || amount > total - done + 1e-9)
          return err(500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.");
        const r = { id: nextId++, amount: amount.toFixed(2), reason: body.reason ?? "" };
        o.refunds.push(r);
        o.modifiedGmt = ts();
        return { status: 201, json: { id: r.id, amount: r.amount, reason: r.reason, refunded_payment: true } };
      }
    }
    return err(404, "rest_no_route", "No route was found matching the URL and request method.");
  }

  const gate = (req: RecordedRequest): SimResponse | undefined => {
    const auth = req.headers.authorization;
    const basic =
      typeof auth === "string" && auth.startsWith("Basic ")
        ? Buffer.from(auth.slice(6), "base64").toString()
        : undefined;
    const [ck, cs] = basic
      ? [basic.slice(0, basic.indexOf(":")), basic.slice(basic.indexOf(":") + 1)]
      : [req.query.consumer_key, req.query.consumer_secret];
    if (!ck) return err(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.");
    if (ck !== consumerKey) return err(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.");
    if (cs !== consumerSecret)
      return err(
        401,
        "woocommerce_rest_authentication_error",
        "Invalid signature - provided signature does not match.",
      );
    return undefined;
  };

  const server = await startSimServer({
    requests,
    faults,
    isFaultable: (r) => r.path.startsWith(BASE),
    faultBody: (kind) =>
      kind === "429"
        ? { code: "too_many_requests", message: "Too Many Requests", data: { status: 429 } }
        : {
            code: "internal_server_error",
            message: "There has been a critical error on this website.",
            data: { status: Number(kind) },
          },
    gate,
    route,
  });

  const findOrder = (id: number) => {
    const o = state.orders.find((x) => x.id === id);
    if (!o) throw new Error(`no simulated order ${id}`);
    return o;
  };
  const touch = (o: SimWooOrder) => {
    const t = Math.max(now(), Date.parse(`${o.modifiedGmt}Z`) + 1000);
    o.modifiedGmt = new Date(t).toISOString().slice(0, 19);
  };

  return {
    url: server.url,
    consumerKey,
    consumerSecret,
    state,
    requests,
    faults,
    calls: (op) => requests.filter((r) => r.op === op),
    seedProducts(count, o = {}) {
      const out: SimWooProduct[] = [];
      for (let i = 0; i < count; i++) {
        const id = nextId++;
        const p: SimWooProduct = {
          id,
          parentId: 0,
          type: "simple",
          name: `Product ${id}`,
          sku: `${o.prefix ?? "WOO-"}${String(out.length + 1 + state.products.size).padStart(4, "0")}`,
          status: "publish",
          manageStock: true,
          stockQuantity: o.stock ?? 0,
          modifiedGmt: ts(),
        };
        state.products.set(id, p);
        out.push(p);
      }
      return out;
    },
    seedVariable(count, o = {}) {
      const parent: SimWooProduct = {
        id: nextId++,
        parentId: 0,
        type: "variable",
        name: "Variable product",
        sku: `${o.prefix ?? "VAR-"}P`,
        status: "publish",
        manageStock: false,
        stockQuantity: null,
        modifiedGmt: ts(),
      };
      state.products.set(parent.id, parent);
      const out: SimWooProduct[] = [];
      for (let i = 0; i < count; i++) {
        const v: SimWooProduct = {
          id: nextId++,
          parentId: parent.id,
          type: "variation",
          name: `Size ${i + 1}`,
          sku: `${o.prefix ?? "VAR-"}${i + 1}`,
          status: "publish",
          manageStock: true,
          stockQuantity: o.stock ?? 0,
          modifiedGmt: ts(),
        };
        state.products.set(v.id, v);
        out.push(v);
      }
      return out;
    },
    createOrder(lines, o = {}) {
      const order: SimWooOrder = {
        id: nextId++,
        status: o.status ?? "processing",
        currency: "EUR",
        createdGmt: ts(),
        modifiedGmt: ts(),
        lines: lines.map((l) => {
          const p = productBySku(l.sku);
          if (p?.manageStock && p.stockQuantity !== null) p.stockQuantity -= l.qty;
          return {
            id: nextId++,
            productId: p ? (p.type === "variation" ? p.parentId : p.id) : 0,
            variationId: p?.type === "variation" ? p.id : 0,
            sku: l.sku,
            quantity: l.qty,
            total: l.total ?? (10 * l.qty).toFixed(2),
          };
        }),
        meta: [],
        refunds: [],
      };
      state.orders.push(order);
      return order;
    },
    updateOrder(id, patch) {
      const o = findOrder(id);
      if (patch.status) o.status = patch.status;
      for (const c of patch.lines ?? []) {
        const l = o.lines.find((x) => x.id === c.lineId);
        if (!l) throw new Error(`no line ${c.lineId} on simulated order ${id}`);
        const p = state.products.get(l.variationId || l.productId);
        if (p?.manageStock && p.stockQuantity !== null) p.stockQuantity -= c.qty - l.quantity;
        if (c.qty === 0) o.lines = o.lines.filter((x) => x !== l);
        else {
          l.total = ((Number(l.total) / l.quantity) * c.qty).toFixed(2);
          l.quantity = c.qty;
        }
      }
      if (patch.tracking) {
        o.meta.push({
          id: nextId++,
          key: "_wc_shipment_tracking_items",
          value: [
            {
              tracking_provider: patch.tracking.provider,
              custom_tracking_provider: "",
              tracking_id: createHash("md5").update(patch.tracking.number).digest("hex"),
              tracking_number: patch.tracking.number,
              date_shipped: String(Math.floor(now() / 1000)),
            },
          ],
        });
      }
      touch(o);
      return o;
    },
    orderJson: (id) => orderJson(findOrder(id)),
    async sendWebhook({ url, topic, payload, secret }) {
      const body = JSON.stringify(payload);
      // WC_Webhook::get_new_delivery_id: wp_hash( webhook id . strtotime('now') ), an HMAC-MD5 keyed by the
      // site salt over the webhook id and the current second (so one webhook's deliveries in one second share it).
      const deliveryId = createHmac("md5", WP_SALT)
        .update(`${WEBHOOK_ID}${Math.floor(now() / 1000)}`)
        .digest("hex");
      const [resource, event] = topic.split(".");
      const status = await deliver(url, body, {
        "User-Agent": "WooCommerce/10.3.0 Hookshot (WordPress/6.8.0)",
        "X-WC-Webhook-Source": "https://shop.example.com/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": resource ?? topic,
        "X-WC-Webhook-Event": event ?? "",
        "X-WC-Webhook-Signature": signBase64(secret, body),
        "X-WC-Webhook-ID": WEBHOOK_ID,
        "X-WC-Webhook-Delivery-ID": deliveryId,
      });
      return { status, deliveryId };
    },
    close: server.close,
  };
}
