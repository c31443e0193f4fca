import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createPinduoduoChannel,
  mapPddStatus,
  type PinduoduoConfig,
  PROMOTION_ALERT_KIND,
} from "../src/channels/pinduoduo.js";
import { parseConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import { type PddSandbox, type PddSandboxGoods, startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import type { UpstreamError } from "../src/upstream/errors.js";
import { cnChannelDeps } from "./support/cn.js";
import { sku, testLedger } from "./support/ledger.js";
import { failure } from "./support/outcomes.js";

const CLIENT_ID = "4b8e2c9d1f";
const SECRET = "pdd-client-secret-1";
const TOKEN = "a1b2c3d4e5-access-token";

const catalog = (): PddSandboxGoods[] => [
  {
    goodsId: "123456789",
    goodsName: "Blue mug",
    isOnsale: true,
    skus: [
      { skuId: "987654321", outerId: "MUG-BLUE-S", quantity: 10 },
      { skuId: "987654322", outerId: "MUG-BLUE-M", quantity: 10, isPromotionLocked: true },
    ],
  },
  {
    goodsId: "123456790",
    goodsName: "Teapot",
    isOnsale: true,
    skus: [{ skuId: "987650001", outerId: "POT-1", quantity: 5 }],
  },
];

let pdd: PddSandbox;
let ledger: ReturnType<typeof testLedger>;
let deps: ReturnType<typeof cnChannelDeps>;
const signal = new AbortController().signal;

function channel(over: Partial<PinduoduoConfig> = {}) {
  const config = parseConfig({
    channels: [
      {
        id: "pdd",
        kind: "pinduoduo",
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        accessToken: TOKEN,
        apiBase: pdd.url,
        ...over,
      },
    ],
  }).channels[0] as PinduoduoConfig;
  deps = cnChannelDeps(config.id, ledger.clock);
  return createPinduoduoChannel({ ...deps, config, alerts: ledger.alerts });
}

beforeEach(async () => {
  ledger = testLedger({ start: "2026-11-20T08:00:00Z" });
  pdd = await startPinduoduoSandbox({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    accessToken: TOKEN,
    clock: ledger.clock,
    goods: catalog(),
  });
});
afterEach(async () => {
  await pdd.close();
  ledger.close();
});

const skuQty = (goodsId: string, skuId: string): number | undefined =>
  pdd.goods.get(goodsId)?.skus.find((s) => s.skuId === skuId)?.quantity;

describe("pinduoduo stock push", () => {
  it("sets each SKU with pdd.goods.quantity.update (full), signed, with the common parameters", async () => {
    const outs = await channel().pushStock(
      [
        { sku: sku("MUG-BLUE-S"), ref: "123456789:987654321", quantity: 7 },
        { sku: sku("POT-1"), ref: "123456790:987650001", quantity: 2 },
      ],
      { idempotencyKey: "k", signal },
    );
    expect(outs).toMatchObject([
      { ok: true, quantity: 7 },
      { ok: true, quantity: 2 },
    ]);
    expect(skuQty("123456789", "987654321")).toBe(7);
    expect(skuQty("123456790", "987650001")).toBe(2);
    expect(pdd.requests).toHaveLength(2);
    expect(pdd.requests[0]).toMatchObject({ type: "pdd.goods.quantity.update", isSignValid: true });
    expect(pdd.requests[0]!.params).toMatchObject({
      client_id: CLIENT_ID,
      access_token: TOKEN,
      data_type: "JSON",
      goods_id: "123456789",
      sku_id: "987654321",
      quantity: "7",
      update_type: "1",
      timestamp: String(Date.parse("2026-11-20T08:00:00Z") / 1000),
    });
    expect(pdd.requests[0]!.contentType).toContain("application/x-www-form-urlencoded");
  });

  it("applies an incremental update (update_type=2) as a delta", async () => {
    await channel().updateQuantity("123456789:987654321", -3, "incremental");
    expect(pdd.requests[0]!.params).toMatchObject({ update_type: "2", quantity: "-3" });
    expect(skuQty("123456789", "987654321")).toBe(7);
  });

  it("surfaces a promotion-locked SKU as an alert and does not retry the push", async () => {
    const ch = channel();
    const out = failure(
      (
        await ch.pushStock([{ sku: sku("MUG-BLUE-M"), ref: "123456789:987654322", quantity: 4 }], {
          idempotencyKey: "k",
          signal,
        })
      )[0],
    );
    expect(out.retryable).toBe(false);
    expect(out.error.code).toBe("promotion_stock_locked");
    expect(skuQty("123456789", "987654322")).toBe(10);
    const alert = ledger.alerts.liveAlerts().find((a) => a.kind === PROMOTION_ALERT_KIND);
    expect(alert).toMatchObject({ subject: "pdd:MUG-BLUE-M", severity: "warning" });
    expect(alert!.text).toContain("promotion");
    expect(alert!.text).toContain("4");
    // The drainer will ask again later; the same refused number is not sent to Pinduoduo again.
    const calls = pdd.requests.length;
    const again = failure(
      (
        await ch.pushStock([{ sku: sku("MUG-BLUE-M"), ref: "123456789:987654322", quantity: 4 }], {
          idempotencyKey: "k1",
          signal,
        })
      )[0],
    );
    expect(again.error.code).toBe("promotion_stock_locked");
    expect(pdd.requests.length).toBe(calls);
    // Raising stock is allowed, and clears the alert.
    const [up] = await ch.pushStock([{ sku: sku("MUG-BLUE-M"), ref: "123456789:987654322", quantity: 12 }], {
      idempotencyKey: "k2",
      signal,
    });
    expect(up).toMatchObject({ ok: true, quantity: 12 });
    expect(ledger.alerts.liveAlerts().filter((a) => a.kind === PROMOTION_ALERT_KIND)).toHaveLength(0);
  });

  it("raises a critical alert with renewal steps when the seller token expires (10019), and clears it after renewal", async () => {
    const ch = channel();
    pdd.expireToken();
    const [out] = await ch.pushStock([{ sku: sku("POT-1"), ref: "123456790:987650001", quantity: 1 }], {
      idempotencyKey: "k",
      signal,
    });
    expect(out).toMatchObject({ ok: false, retryable: false });
    await expect(ch.fetchOrders(null, signal)).rejects.toMatchObject({
      code: "upstream_token_expired",
      retryable: false,
    });
    const live = ledger.alerts.liveAlerts().filter((a) => a.kind === "channel_token_expired");
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ subject: "pdd", severity: "critical", raiseCount: 2 });
    expect(live[0]!.text).toContain("accessToken");
    expect(live[0]!.text).not.toContain(TOKEN);
    pdd.renewToken();
    await ch.pushStock([{ sku: sku("POT-1"), ref: "123456790:987650001", quantity: 1 }], {
      idempotencyKey: "k",
      signal,
    });
    expect(ledger.alerts.liveAlerts().filter((a) => a.kind === "channel_token_expired")).toHaveLength(0);
  });

  it("reports a wrong secret as a configuration error, and the simulator refuses the request", async () => {
    const bad = channel({ clientSecret: "wrong-secret" });
    const out = failure(
      (
        await bad.pushStock([{ sku: sku("POT-1"), ref: "123456790:987650001", quantity: 1 }], {
          idempotencyKey: "k",
          signal,
        })
      )[0],
    );
    expect(out.retryable).toBe(false);
    expect(out.error).toBeInstanceOf(ConfigError);
    expect(pdd.requests[0]).toMatchObject({ isSignValid: false, error: { error_code: 20004 } });
    expect(skuQty("123456790", "987650001")).toBe(5);
  });

  it("retries rate limits (52101, 70031) after a pause and gives up at once on other rejections", async () => {
    const ch = channel();
    const push = (q: number) =>
      ch.pushStock([{ sku: sku("POT-1"), ref: "123456790:987650001", quantity: q }], {
        idempotencyKey: `k${q}`,
        signal,
      });
    pdd.failNext("pdd.goods.quantity.update", { error_code: 52101, error_msg: "当前接口被限流，请稍后重试" });
    expect((await push(1))[0]).toMatchObject({ ok: true, quantity: 1 });
    expect(pdd.requests.map((r) => r.error?.error_code ?? "ok")).toEqual([52101, "ok"]);
    expect(deps.limiter.snapshot().pauses).toBe(1);
    for (let i = 0; i < 3; i += 1)
      pdd.failNext("pdd.goods.quantity.update", { error_code: 70031, error_msg: "调用过于频繁" });
    const limited = failure((await push(2))[0]);
    expect(limited.retryable).toBe(true);
    expect((limited.error as UpstreamError).retryAfterSeconds).toBeGreaterThan(0);
    pdd.failNext("pdd.goods.quantity.update", { error_code: 10000, error_msg: "参数错误" });
    const before = pdd.requests.length;
    const rejected = failure((await push(3))[0]);
    expect(rejected.retryable).toBe(false);
    expect(pdd.requests.length - before).toBe(1);
    expect(skuQty("123456790", "987650001")).toBe(1);
  });

  it("refuses a malformed ref without calling the platform", async () => {
    const [out] = await channel().pushStock([{ sku: sku("POT-1"), ref: "123456790", quantity: 1 }], {
      idempotencyKey: "k",
      signal,
    });
    expect(out).toMatchObject({ ok: false, retryable: false, error: { code: "bad_ref" } });
    expect(pdd.requests).toHaveLength(0);
  });

  it("takes a goods off sale when its last SKU is delisted and back on when relisted", async () => {
    const ch = channel();
    await ch.setListed({ sku: sku("POT-1"), ref: "123456790:987650001" }, false, { idempotencyKey: "k", signal });
    expect(pdd.goods.get("123456790")!.isOnsale).toBe(false);
    expect(skuQty("123456790", "987650001")).toBe(0);
    await ch.setListed({ sku: sku("POT-1"), ref: "123456790:987650001" }, true, { idempotencyKey: "k", signal });
    expect(pdd.goods.get("123456790")!.isOnsale).toBe(true);
  });
});

describe("pinduoduo read-back", () => {
  it("reads SKU quantities with one detail call per goods", async () => {
    pdd.goods.get("123456790")!.isOnsale = false;
    const got = await channel().fetchStock(
      [
        { sku: sku("MUG-BLUE-S"), ref: "123456789:987654321" },
        { sku: sku("MUG-BLUE-M"), ref: "123456789:987654322" },
        { sku: sku("POT-1"), ref: "123456790:987650001" },
      ],
      signal,
    );
    expect(got).toEqual([
      { sku: "MUG-BLUE-S", ref: "123456789:987654321", quantity: 10, isListed: true },
      { sku: "MUG-BLUE-M", ref: "123456789:987654322", quantity: 10, isListed: true },
      { sku: "POT-1", ref: "123456790:987650001", quantity: 5, isListed: false },
    ]);
    expect(pdd.requests.map((r) => r.type)).toEqual(["pdd.goods.detail.get", "pdd.goods.detail.get"]);
  });

  it("lists the catalog per SKU", async () => {
    const items = await channel().listCatalog(signal);
    expect(items.map((i) => [i.sku, i.ref, i.quantity])).toEqual([
      ["MUG-BLUE-S", "123456789:987654321", 10],
      ["MUG-BLUE-M", "123456789:987654322", 10],
      ["POT-1", "123456790:987650001", 5],
    ]);
  });
});

describe("pinduoduo order polling", () => {
  it("polls a 3-day gap in windows of at most 30 minutes ending 3 minutes behind now, and misses no order", async () => {
    const now = new Date("2026-11-20T08:00:00Z");
    const start = new Date(now.getTime() - 3 * 86_400_000);
    const sns: string[] = [];
    for (let t = start.getTime() + 500, n = 0; t < now.getTime() - 200_000; t += 23 * 60_000, n += 1) {
      const sn = `261117-${String(100_000_000_000 + n)}`;
      sns.push(sn);
      pdd.sell({ orderSn: sn, items: [{ goodsId: "123456790", skuId: "987650001", count: 1 }], at: new Date(t) });
    }
    const ch = channel({ pageSize: 1 });
    const seen = new Set<string>();
    let cursor: string | null = start.toISOString();
    let polls = 0;
    for (let more = true; more && polls < 500; polls += 1) {
      const page = await ch.fetchOrders(cursor, signal);
      for (const o of page.orders) seen.add(o.orderId);
      cursor = page.nextCursor;
      more = page.hasMore;
    }
    expect([...seen].sort()).toEqual([...sns].sort());
    const polled = pdd.requests.filter((r) => r.type === "pdd.order.number.list.increment.get");
    expect(polled.every((r) => !r.error && r.isSignValid)).toBe(true);
    const nowS = now.getTime() / 1000;
    for (const r of polled) {
      const s = Number(r.params.start_updated_at);
      const e = Number(r.params.end_updated_at);
      expect(e - s).toBeLessThanOrEqual(1800);
      expect(e).toBeLessThanOrEqual(nowS - 180);
      expect(r.params).toMatchObject({ is_lucky_flag: "0", order_status: "5", refund_status: "5" });
    }
    expect(polls).toBeGreaterThanOrEqual(144);
  });

  it("maps an order to lines per SKU with quantities, gifts apart, and status", async () => {
    const o = pdd.sell({
      orderSn: "261120-555000111222333",
      items: [
        { goodsId: "123456789", skuId: "987654321", count: 2 },
        { goodsId: "123456790", skuId: "987650001", count: 1 },
      ],
      at: new Date("2026-11-20T07:40:00Z"),
    });
    const page = await channel().fetchOrders(new Date("2026-11-20T07:35:00Z").toISOString(), signal);
    expect(page.orders).toHaveLength(1);
    expect(page.orders[0]).toMatchObject({
      orderId: o.orderSn,
      total: { amountMinor: 2970, currency: "CNY" },
      lines: [
        { lineId: "123456789:987654321", sku: "MUG-BLUE-S", ref: "123456789:987654321", qty: 2, status: "paid" },
        { lineId: "123456790:987650001", sku: "POT-1", ref: "123456790:987650001", qty: 1, status: "paid" },
      ],
    });
  });

  it("maps order, refund, confirm and group states", () => {
    expect(mapPddStatus({ order_status: 1 })).toBe("paid");
    expect(mapPddStatus({ order_status: 1, refund_status: 4 })).toBe("cancelled");
    expect(mapPddStatus({ order_status: 2, refund_status: 4 })).toBe("shipped");
    expect(mapPddStatus({ order_status: 3 })).toBe("shipped");
    expect(mapPddStatus({ order_status: 1, group_status: 2 })).toBe("cancelled");
    expect(mapPddStatus({ order_status: 1, confirm_status: 2 })).toBe("cancelled");
    expect(mapPddStatus({ order_status: 9 })).toBeUndefined();
  });
});
