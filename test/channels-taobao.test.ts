import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseBeijing } from "../src/channels/cn-common.js";
import { createTaobaoChannel, mapTaobaoStatus, type TaobaoConfig } from "../src/channels/taobao.js";
import type { SalesChannel } from "../src/channels/types.js";
import { parseConfig } from "../src/config.js";
import { ConfigError } from "../src/errors.js";
import { renderRef } from "../src/i18n/ref.js";
import { createI18n } from "../src/i18n/translator.js";
import { must } from "../src/internal-error.js";
import { startTaobaoSandbox, type TaobaoSandbox, type TaobaoSandboxItem } from "../src/sandbox/taobao.js";
import { UpstreamError } from "../src/upstream/errors.js";
import { cnChannelDeps } from "./support/cn.js";
import { sku, testLedger } from "./support/ledger.js";
import { failure } from "./support/outcomes.js";

const APP_KEY = "12345678";
const SECRET = "tb-app-secret-1";
const SESSION = "6100a1b2c3d4e5f6session";

const catalog = (): TaobaoSandboxItem[] => [
  {
    numIid: "612345678901",
    title: "Blue mug",
    approveStatus: "onsale",
    num: 30,
    skus: [
      { skuId: "4876543210123", outerId: "MUG-BLUE-S", quantity: 10 },
      { skuId: "4876543210124", outerId: "MUG-BLUE-M", quantity: 10 },
      { skuId: "4876543210125", outerId: "MUG-BLUE-L", quantity: 10 },
    ],
  },
  { numIid: "612345678902", title: "Teapot", outerId: "POT-1", approveStatus: "onsale", num: 5, skus: [] },
  {
    numIid: "612345678903",
    title: "Presale lamp",
    approveStatus: "onsale",
    num: 10,
    isPresale: true,
    skus: [{ skuId: "4876543210300", outerId: "LAMP-1", quantity: 10 }],
  },
];

let tb: TaobaoSandbox;
let ledger: ReturnType<typeof testLedger>;
let deps: ReturnType<typeof cnChannelDeps>;
const signal = new AbortController().signal;

function channel(over: Partial<TaobaoConfig> = {}): SalesChannel {
  const config = parseConfig({
    channels: [
      { id: "tb", kind: "taobao", appKey: APP_KEY, appSecret: SECRET, session: SESSION, apiBase: tb.url, ...over },
    ],
  }).channels[0] as TaobaoConfig;
  deps = cnChannelDeps(config.id, ledger.clock);
  return createTaobaoChannel({ ...deps, config, alerts: ledger.alerts });
}

beforeEach(async () => {
  ledger = testLedger({ start: "2026-11-20T08:00:00Z" });
  tb = await startTaobaoSandbox({
    appKey: APP_KEY,
    appSecret: SECRET,
    session: SESSION,
    clock: ledger.clock,
    items: catalog(),
  });
});
afterEach(async () => {
  await tb.close();
  ledger.close();
});

const skuQty = (numIid: string, skuId: string): number | undefined =>
  tb.items.get(numIid)?.skus.find((s) => s.skuId === skuId)?.quantity;

describe("taobao stock push", () => {
  for (const signMethod of ["md5", "hmac", "hmac-sha256"] as const) {
    it(`sets one SKU with taobao.item.quantity.update (full), signed with ${signMethod}`, async () => {
      const [out] = await channel({ signMethod }).pushStock(
        [{ sku: sku("MUG-BLUE-S"), ref: "612345678901:4876543210123", quantity: 7 }],
        { idempotencyKey: "k", signal },
      );
      expect(out).toMatchObject({ ok: true, quantity: 7 });
      expect(skuQty("612345678901", "4876543210123")).toBe(7);
      const req = tb.requests.at(-1)!;
      expect(req).toMatchObject({ method: "taobao.item.quantity.update", isSignValid: true, httpMethod: "POST" });
      expect(req.params).toMatchObject({
        sign_method: signMethod,
        num_iid: "612345678901",
        sku_id: "4876543210123",
        quantity: "7",
        type: "1",
        v: "2.0",
        format: "json",
      });
      expect(parseBeijing(req.params.timestamp!)?.toISOString()).toBe("2026-11-20T08:00:00.000Z");
    });
  }

  it("batches several SKUs of one item into one taobao.skus.quantity.update call", async () => {
    const outs = await channel().pushStock(
      [
        { sku: sku("MUG-BLUE-S"), ref: "612345678901:4876543210123", quantity: 1 },
        { sku: sku("MUG-BLUE-M"), ref: "612345678901:4876543210124", quantity: 2 },
        { sku: sku("MUG-BLUE-L"), ref: "612345678901:4876543210125", quantity: 3 },
        { sku: sku("POT-1"), ref: "612345678902", quantity: 4 },
      ],
      { idempotencyKey: "k", signal },
    );
    expect(outs.map((o) => o.ok && o.quantity)).toEqual([1, 2, 3, 4]);
    expect(tb.requests.map((r) => r.method)).toEqual(["taobao.skus.quantity.update", "taobao.item.quantity.update"]);
    expect(tb.requests[0]!.params.skuid_quantities).toBe("4876543210123:1;4876543210124:2;4876543210125:3");
    expect(tb.items.get("612345678902")!.num).toBe(4);
    expect(tb.items.get("612345678901")!.num).toBe(6);
  });

  it("gives a bad SKU in a batch its own failure and still sets the others", async () => {
    const outs = await channel().pushStock(
      [
        { sku: sku("MUG-BLUE-S"), ref: "612345678901:4876543210123", quantity: 4 },
        { sku: sku("GHOST"), ref: "612345678901:9999999999999", quantity: 4 },
      ],
      { idempotencyKey: "k", signal },
    );
    expect(outs[0]).toMatchObject({ ok: true, quantity: 4 });
    expect(outs[1]).toMatchObject({ ok: false, retryable: false });
    expect(skuQty("612345678901", "4876543210123")).toBe(4);
  });

  it("sends the difference (type=2) for a presale item that refuses absolute updates", async () => {
    const [out] = await channel().pushStock([{ sku: sku("LAMP-1"), ref: "612345678903:4876543210300", quantity: 7 }], {
      idempotencyKey: "k",
      signal,
    });
    expect(out).toMatchObject({ ok: true, quantity: 7 });
    const incremental = tb.requests.filter((r) => r.method === "taobao.item.quantity.update" && r.params.type === "2");
    expect(incremental.map((r) => r.params.quantity)).toEqual(["-3"]);
    expect(skuQty("612345678903", "4876543210300")).toBe(7);
  });

  it("reports a wrong secret as a configuration error, and the simulator refuses the request", async () => {
    const bad = channel({ appSecret: "not-the-secret" });
    const out = failure(
      (
        await bad.pushStock([{ sku: sku("POT-1"), ref: "612345678902", quantity: 1 }], { idempotencyKey: "k", signal })
      )[0],
    );
    expect(out.error).toBeInstanceOf(ConfigError);
    expect(out.error.code).toBe("taobao_bad_signature");
    expect(out.retryable).toBe(false);
    expect(tb.requests.at(-1)).toMatchObject({ isSignValid: false, error: { code: 25 } });
    expect(tb.items.get("612345678902")!.num).toBe(5);
    await expect(bad.fetchOrders(null, signal)).rejects.toBeInstanceOf(ConfigError);
  });

  it("sits out a flow-control ban (code 7) for the time TOP names, then retries", async () => {
    const ban = {
      code: 7,
      msg: "App Call Limited",
      sub_code: "accesscontrol.limited-by-app-api-access-count",
      sub_msg: "This ban will last for 2 more seconds",
    };
    tb.failNext("taobao.item.quantity.update", ban);
    const ch = channel();
    const [ok] = await ch.pushStock([{ sku: sku("POT-1"), ref: "612345678902", quantity: 1 }], {
      idempotencyKey: "k",
      signal,
    });
    expect(ok).toMatchObject({ ok: true, quantity: 1 });
    expect(tb.requests.map((r) => r.error?.code ?? "ok")).toEqual([7, "ok"]);
    expect(deps.slept).toContain(3000);
    expect(deps.limiter.snapshot().pauses).toBe(1);
    // A ban that outlasts the retry budget comes back as a retryable outcome carrying its length.
    for (let i = 0; i < 3; i += 1) tb.failNext("taobao.item.quantity.update", ban);
    const out = failure(
      (
        await ch.pushStock([{ sku: sku("POT-1"), ref: "612345678902", quantity: 2 }], { idempotencyKey: "k2", signal })
      )[0],
    );
    expect(out.retryable).toBe(true);
    expect(out.error).toBeInstanceOf(UpstreamError);
    expect((out.error as UpstreamError).retryAfterSeconds).toBe(3);
    expect(tb.items.get("612345678902")!.num).toBe(1);
  });

  it("retries isp.* backend errors and gives up at once on isv.* business errors", async () => {
    tb.failNext("taobao.item.quantity.update", {
      code: 15,
      msg: "Remote service error",
      sub_code: "isp.top-remote-connection-timeout",
    });
    const ch = channel();
    const [a] = await ch.pushStock([{ sku: sku("POT-1"), ref: "612345678902", quantity: 1 }], {
      idempotencyKey: "k1",
      signal,
    });
    expect(a).toMatchObject({ ok: true, quantity: 1 });
    expect(tb.requests).toHaveLength(2);
    tb.failNext("taobao.item.quantity.update", {
      code: 15,
      msg: "Remote service error",
      sub_code: "isv.item-quantity-sku-update-service-error-tmall",
    });
    const b = failure(
      (
        await ch.pushStock([{ sku: sku("POT-1"), ref: "612345678902", quantity: 2 }], { idempotencyKey: "k2", signal })
      )[0],
    );
    expect(b.retryable).toBe(false);
    expect(tb.requests).toHaveLength(3);
  });

  it("raises one critical alert when the seller session expires and resolves it after re-authorisation", async () => {
    const ch = channel();
    tb.expireSession();
    const [out] = await ch.pushStock([{ sku: sku("POT-1"), ref: "612345678902", quantity: 1 }], {
      idempotencyKey: "k",
      signal,
    });
    expect(out).toMatchObject({ ok: false, retryable: false });
    await expect(ch.fetchOrders(null, signal)).rejects.toMatchObject({ code: "upstream_token_expired" });
    const live = ledger.alerts.liveAlerts().filter((a) => a.kind === "channel_token_expired");
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ subject: "tb", severity: "critical" });
    expect(live[0]!.text).toContain("re-authorise");
    expect(live[0]!.text).not.toContain(SESSION);
    tb.restoreSession();
    await ch.pushStock([{ sku: sku("POT-1"), ref: "612345678902", quantity: 1 }], { idempotencyKey: "k", signal });
    expect(ledger.alerts.liveAlerts().filter((a) => a.kind === "channel_token_expired")).toHaveLength(0);
  });

  it("delists a whole item with taobao.item.update.delisting and a single SKU by showing 0", async () => {
    const ch = channel();
    await ch.setListed({ sku: sku("POT-1"), ref: "612345678902" }, false, { idempotencyKey: "k", signal });
    expect(tb.items.get("612345678902")!.approveStatus).toBe("instock");
    await ch.setListed({ sku: sku("POT-1"), ref: "612345678902" }, true, { idempotencyKey: "k", signal });
    expect(tb.items.get("612345678902")!.approveStatus).toBe("onsale");
    expect(tb.requests.find((r) => r.method === "taobao.item.update.listing")!.params.num).toBe("5");
    await ch.setListed({ sku: sku("MUG-BLUE-M"), ref: "612345678901:4876543210124" }, false, {
      idempotencyKey: "k",
      signal,
    });
    expect(skuQty("612345678901", "4876543210124")).toBe(0);
    expect(tb.items.get("612345678901")!.approveStatus).toBe("onsale");
  });
});

describe("taobao stock read-back", () => {
  it("reads SKU and item quantities and listing state for reconciliation", async () => {
    tb.items.get("612345678902")!.approveStatus = "instock";
    const got = await channel().fetchStock(
      [
        { sku: sku("MUG-BLUE-M"), ref: "612345678901:4876543210124" },
        { sku: sku("POT-1"), ref: "612345678902" },
        { sku: sku("GONE"), ref: "699999999999" },
      ],
      signal,
    );
    expect(got).toEqual([
      { sku: "MUG-BLUE-M", ref: "612345678901:4876543210124", quantity: 10, isListed: true },
      { sku: "POT-1", ref: "612345678902", quantity: 5, isListed: false },
    ]);
    expect(tb.requests.map((r) => r.method)).toEqual(["taobao.items.seller.list.get"]);
  });

  it("lists the catalog per SKU with merchant codes", async () => {
    const items = await channel().listCatalog(signal);
    expect(items.map((i) => [i.sku, i.ref])).toEqual([
      ["MUG-BLUE-S", "612345678901:4876543210123"],
      ["MUG-BLUE-M", "612345678901:4876543210124"],
      ["MUG-BLUE-L", "612345678901:4876543210125"],
      ["POT-1", "612345678902"],
      ["LAMP-1", "612345678903:4876543210300"],
    ]);
  });
});

describe("taobao order polling", () => {
  it("keeps every digit of 19-digit tids and oids", async () => {
    tb.sell({
      tid: "4070218227612345678",
      lines: [{ oid: "4070218227612345679", numIid: "612345678901", skuId: "4876543210124", num: 2 }],
      at: new Date("2026-11-20T07:40:00Z"),
    });
    ledger.clock.set("2026-11-20T08:00:00Z");
    const page = await channel().fetchOrders(new Date("2026-11-20T07:35:00Z").toISOString(), signal);
    expect(page.orders).toHaveLength(1);
    expect(page.orders[0]).toMatchObject({
      orderId: "4070218227612345678",
      lines: [
        { lineId: "4070218227612345679", sku: "MUG-BLUE-M", ref: "612345678901:4876543210124", qty: 2, status: "paid" },
      ],
    });
    expect(page.hasMore).toBe(false);
  });

  it("polls a 3-day gap in windows TOP accepts, pages backwards, and misses no trade", async () => {
    const now = new Date("2026-11-20T08:00:00Z");
    const start = new Date(now.getTime() - 3 * 86_400_000);
    const tids: string[] = [];
    // A trade every 17 minutes, several per 30-minute window; some land exactly on window edges.
    for (let t = start.getTime() + 1000, n = 0; t < now.getTime() - 120_000; t += 17 * 60_000, n += 1) {
      const tid = `40702182276${String(10_000_000 + n)}`;
      tids.push(tid);
      tb.sell({ tid, lines: [{ oid: `${tid}1`, numIid: "612345678902", num: 1 }], at: new Date(t) });
    }
    const edge = `4070218227699999999`;
    tb.sell({
      tid: edge,
      lines: [{ oid: "4070218227699999998", numIid: "612345678902", num: 1 }],
      at: new Date(start.getTime() + 30 * 60_000),
    });
    tids.push(edge);
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
    expect([...seen].sort()).toEqual([...tids].sort());
    const polled = tb.requests.filter((r) => r.method === "taobao.trades.sold.increment.get");
    expect(polled.every((r) => !r.error)).toBe(true);
    for (const r of polled) {
      const span = parseBeijing(r.params.end_modified!)!.getTime() - parseBeijing(r.params.start_modified!)!.getTime();
      expect(span).toBeLessThanOrEqual(30 * 60_000);
      expect(span).toBeGreaterThanOrEqual(0);
    }
    const windows = [...new Map(polled.map((r) => [r.params.start_modified, r.params.end_modified])).entries()];
    for (let i = 1; i < windows.length; i += 1) expect(windows[i]![0]! <= windows[i - 1]![1]!).toBe(true);
    expect(windows[0]![0]! <= "2026-11-17 16:00:00").toBe(true);
    expect(polls).toBeGreaterThanOrEqual(144);
  });

  it("misses no trade when one changes while it pages (last page first)", async () => {
    const at = (m: number): Date => new Date(Date.parse("2026-11-20T07:00:00Z") + m * 60_000);
    for (let i = 1; i <= 5; i += 1)
      tb.sell({
        tid: `407021822761000000${i}`,
        lines: [{ oid: `407021822761000001${i}`, numIid: "612345678902", num: 1 }],
        at: at(i),
      });
    let isChanged = false;
    tb.afterCall = (method) => {
      if (method !== "taobao.trades.sold.increment.get" || isChanged) return;
      isChanged = true;
      // The buyer of the newest trade asks for a refund while we page: it moves out of this window.
      const t = tb.trades.find((x) => x.tid === "4070218227610000005")!;
      t.modified = new Date("2026-11-20T07:59:30Z");
    };
    const page = await channel({ pageSize: 2 }).fetchOrders(at(0).toISOString(), signal);
    expect(page.orders.map((o) => o.orderId).sort()).toEqual([
      "4070218227610000001",
      "4070218227610000002",
      "4070218227610000003",
      "4070218227610000004",
    ]);
  });

  it("maps trade and order statuses to order-line states", () => {
    expect(mapTaobaoStatus("WAIT_BUYER_PAY")).toBe("pending");
    expect(mapTaobaoStatus("WAIT_SELLER_SEND_GOODS")).toBe("paid");
    expect(mapTaobaoStatus("WAIT_SELLER_SEND_GOODS", "SUCCESS")).toBe("cancelled");
    expect(mapTaobaoStatus("WAIT_BUYER_CONFIRM_GOODS", "SUCCESS")).toBe("shipped");
    expect(mapTaobaoStatus("TRADE_FINISHED")).toBe("shipped");
    expect(mapTaobaoStatus("TRADE_CLOSED_BY_TAOBAO")).toBe("cancelled");
    expect(mapTaobaoStatus("SOMETHING_NEW")).toBeUndefined();
  });

  it("reports a closed trade's lines as cancelled", async () => {
    tb.sell({
      tid: "4070218227612340001",
      lines: [{ oid: "4070218227612340002", numIid: "612345678902", num: 1 }],
      at: new Date("2026-11-20T07:40:00Z"),
      status: "TRADE_CLOSED",
    });
    const page = await channel().fetchOrders(new Date("2026-11-20T07:30:00Z").toISOString(), signal);
    expect(page.orders[0]!.lines[0]!.status).toBe("cancelled");
  });
});

describe("taobao refunds and order edits (TOP Order: num is never reduced, refunds act per oid)", () => {
  it("a full sub-order refund releases only that line; a part-money refund releases nothing and warns", async () => {
    const { ingestOrder } = await import("../src/sync/order-intake.js");
    const { silentLogger } = await import("../src/log.js");
    for (const [code, n] of [
      ["MUG-BLUE-S", 10],
      ["POT-1", 5],
    ] as const)
      ledger.stock.upsertSku({ sku: sku(code), onHand: n }, { actor: "test", idempotencyKey: `seed:${code}` });
    tb.sell({
      tid: "4070218227600000001",
      lines: [
        { oid: "4070218227600000002", numIid: "612345678901", skuId: "4876543210123", num: 2 },
        { oid: "4070218227600000003", numIid: "612345678902", num: 1 },
      ],
      at: new Date("2026-11-20T07:40:00Z"),
    });
    const ch = channel();
    const poll = async (since: string) => {
      for (const o of (await ch.fetchOrders(since, signal)).orders)
        ingestOrder(ledger, silentLogger(), "tb", o, "poll");
    };
    await poll("2026-11-20T07:35:00Z");
    expect(ledger.stock.getLevel(sku("MUG-BLUE-S")).reserved).toBe(2);
    expect(ledger.stock.getLevel(sku("POT-1")).reserved).toBe(1);
    ledger.clock.set("2026-11-20T08:10:00Z");
    tb.refund("4070218227600000001", "4070218227600000003", "10.00");
    tb.refund("4070218227600000001", "4070218227600000002", "3.00");
    ledger.clock.set("2026-11-20T08:20:00Z");
    await poll("2026-11-20T08:05:00Z");
    await poll("2026-11-20T08:05:00Z");
    expect(ledger.stock.getLevel(sku("POT-1")).reserved).toBe(0);
    expect(ledger.stock.getLevel(sku("MUG-BLUE-S")).reserved).toBe(2);
    const warned = ledger.alerts.liveAlerts().filter((a) => a.kind === "order_partial_refund");
    expect(warned.map((a) => a.subject)).toEqual(["tb:4070218227600000001:4070218227600000002:300"]);
    // Raised once, not refreshed by the second poll; resolved, the next poll does not raise it again.
    expect(warned[0]!.raiseCount).toBe(1);
    ledger.alerts.resolveAlert("order_partial_refund", warned[0]!.subject);
    await poll("2026-11-20T08:05:00Z");
    expect(ledger.alerts.liveAlerts().filter((a) => a.kind === "order_partial_refund")).toEqual([]);
    expect(warned[0]!.text).toContain("¥3.00 of ¥10.00 refunded");
    const zh = createI18n({ timeZone: "Asia/Shanghai" }).translator("zh-CN");
    expect(renderRef(zh, must(warned[0]!.message, "the alert has a catalog message"))).toContain(
      "已退款 ¥3.00（共 ¥10.00）",
    );
  });
});
