import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPinduoduoChannel, type PinduoduoConfig } from "../src/channels/pinduoduo.js";
import { createTaobaoChannel, type TaobaoConfig } from "../src/channels/taobao.js";
import type { SalesChannel } from "../src/channels/types.js";
import { parseConfig } from "../src/config.js";
import { type PddSandbox, startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import { startTaobaoSandbox, type TaobaoSandbox } from "../src/sandbox/taobao.js";
import { cnChannelDeps } from "./support/cn.js";
import { sku, testLedger } from "./support/ledger.js";

const signal = new AbortController().signal;
const opts = { idempotencyKey: "price:test", signal };
const cny = (amountMinor: number) => ({ amountMinor, currency: "CNY" });

let ledger: ReturnType<typeof testLedger>;
let tb: TaobaoSandbox;
let pdd: PddSandbox;

beforeEach(async () => {
  ledger = testLedger({ start: "2026-11-20T08:00:00Z" });
  tb = await startTaobaoSandbox({
    appKey: "12345678",
    appSecret: "tb-app-secret-1",
    session: "6100session",
    clock: ledger.clock,
    items: [
      {
        numIid: "612345678901",
        title: "Blue mug",
        approveStatus: "onsale",
        num: 20,
        price: "10.00",
        skus: [
          { skuId: "4876543210123", outerId: "MUG-S", quantity: 10, price: "10.00", properties: "1627207:28341" },
          { skuId: "4876543210124", outerId: "MUG-M", quantity: 10, price: "12.00", properties: "1627207:28342" },
        ],
      },
      { numIid: "612345678902", title: "Teapot", outerId: "POT-1", approveStatus: "onsale", num: 5, skus: [] },
    ],
  });
  pdd = await startPinduoduoSandbox({
    clientId: "4b8e2c9d1f",
    clientSecret: "pdd-client-secret-1",
    accessToken: "pdd-token",
    clock: ledger.clock,
    goods: [
      {
        goodsId: "123456789",
        goodsName: "Blue mug",
        isOnsale: true,
        skus: [
          { skuId: "987654321", outerId: "MUG-S", quantity: 10, multiPrice: 990, singlePrice: 1290 },
          { skuId: "987654322", outerId: "MUG-M", quantity: 10, multiPrice: 1190, singlePrice: 1290 },
        ],
      },
    ],
  });
});
afterEach(async () => {
  await tb.close();
  await pdd.close();
  ledger.close();
});

function taobao(): SalesChannel {
  const config = parseConfig({
    channels: [
      {
        id: "tb",
        kind: "taobao",
        appKey: "12345678",
        appSecret: "tb-app-secret-1",
        session: "6100session",
        apiBase: tb.url,
      },
    ],
  }).channels[0] as TaobaoConfig;
  return createTaobaoChannel({ ...cnChannelDeps("tb", ledger.clock), config, alerts: ledger.alerts });
}

function pinduoduo(): SalesChannel {
  const config = parseConfig({
    channels: [
      {
        id: "pdd",
        kind: "pinduoduo",
        clientId: "4b8e2c9d1f",
        clientSecret: "pdd-client-secret-1",
        accessToken: "pdd-token",
        apiBase: pdd.url,
      },
    ],
  }).channels[0] as PinduoduoConfig;
  return createPinduoduoChannel({ ...cnChannelDeps("pdd", ledger.clock), config, alerts: ledger.alerts });
}

describe("taobao price push (issue 14)", () => {
  it("sets an item without SKUs with taobao.item.price.update and a SKU with taobao.item.sku.price.update, signed", async () => {
    const out = await taobao().pushPrices!(
      [
        { sku: sku("POT-1"), ref: "612345678902", price: cny(1990) },
        { sku: sku("MUG-S"), ref: "612345678901:4876543210123", price: cny(890) },
      ],
      opts,
    );
    expect(out).toEqual([
      { sku: "POT-1", ok: true, price: cny(1990) },
      { sku: "MUG-S", ok: true, price: cny(890) },
    ]);
    expect(tb.items.get("612345678902")!.price).toBe("19.90");
    const mug = tb.items.get("612345678901")!;
    expect(mug.skus[0]!.price).toBe("8.90");
    // The item's price follows its lowest SKU, so it stays inside the SKUs' range.
    expect(mug.price).toBe("8.90");
    const calls = tb.requests.filter((r) => r.method.includes("price.update"));
    expect(calls.map((r) => [r.method, r.isSignValid])).toEqual([
      ["taobao.item.price.update", true],
      ["taobao.item.sku.price.update", true],
    ]);
    expect(calls[0]!.params).toMatchObject({ num_iid: "612345678902", price: "19.90", session: "6100session" });
    expect(calls[1]!.params).toMatchObject({
      num_iid: "612345678901",
      properties: "1627207:28341",
      price: "8.90",
      item_price: "8.90",
    });
    const back = await taobao().fetchPrices!(
      [
        { sku: sku("POT-1"), ref: "612345678902" },
        { sku: sku("MUG-M"), ref: "612345678901:4876543210124" },
      ],
      signal,
    );
    expect(back).toEqual([
      { sku: "POT-1", ref: "612345678902", price: cny(1990) },
      { sku: "MUG-M", ref: "612345678901:4876543210124", price: cny(1200) },
    ]);
  });

  it("gives each item its own outcome: a missing item and a foreign currency fail alone", async () => {
    const out = await taobao().pushPrices!(
      [
        { sku: sku("GONE-1"), ref: "612345678999", price: cny(500) },
        { sku: sku("EUR-1"), ref: "612345678902", price: { amountMinor: 500, currency: "EUR" } },
        { sku: sku("MUG-M"), ref: "612345678901:4876543210124", price: cny(1500) },
      ],
      opts,
    );
    expect(out.map((o) => [o.sku, o.ok, o.ok ? undefined : o.retryable])).toEqual([
      ["GONE-1", false, false],
      ["EUR-1", false, false],
      ["MUG-M", true, undefined],
    ]);
    expect(tb.items.get("612345678901")!.skus[1]!.price).toBe("15.00");
    expect(tb.items.get("612345678902")!.price ?? "10.00").toBe("10.00");
  });
});

describe("pinduoduo price push (issue 14)", () => {
  it("sends one pdd.goods.sku.price.update per goods with every SKU in fen, keeping the single-price gap", async () => {
    const out = await pinduoduo().pushPrices!(
      [
        { sku: sku("MUG-S"), ref: "123456789:987654321", price: cny(1990) },
        { sku: sku("MUG-M"), ref: "123456789:987654322", price: cny(2190) },
      ],
      opts,
    );
    expect(out).toEqual([
      { sku: "MUG-S", ok: true, price: cny(1990) },
      { sku: "MUG-M", ok: true, price: cny(2190) },
    ]);
    const calls = pdd.requests.filter((r) => r.type === "pdd.goods.sku.price.update");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.isSignValid).toBe(true);
    expect(calls[0]!.params.goods_id).toBe("123456789");
    expect(JSON.parse(calls[0]!.params.sku_price_list!)).toEqual([
      { sku_id: 987654321, group_price: 1990, single_price: 2290 },
      { sku_id: 987654322, group_price: 2190, single_price: 2290 },
    ]);
    const skus = pdd.goods.get("123456789")!.skus;
    expect(skus.map((s) => [s.multiPrice, s.singlePrice])).toEqual([
      [1990, 2290],
      [2190, 2290],
    ]);
    const back = await pinduoduo().fetchPrices!([{ sku: sku("MUG-M"), ref: "123456789:987654322" }], signal);
    expect(back).toEqual([{ sku: "MUG-M", ref: "123456789:987654322", price: cny(2190) }]);
  });

  it("a SKU the goods does not have fails alone; a refused call fails its goods' SKUs, not retried as success", async () => {
    const out = await pinduoduo().pushPrices!(
      [
        { sku: sku("MUG-X"), ref: "123456789:111", price: cny(100) },
        { sku: sku("MUG-S"), ref: "123456789:987654321", price: cny(1500) },
      ],
      opts,
    );
    expect(out.map((o) => [o.sku, o.ok])).toEqual([
      ["MUG-X", false],
      ["MUG-S", true],
    ]);
    pdd.failNext("pdd.goods.sku.price.update", {
      error_code: 10000,
      error_msg: "参数错误",
      sub_msg: "拼单价必须低于单买价",
    });
    const refused = await pinduoduo().pushPrices!(
      [{ sku: sku("MUG-S"), ref: "123456789:987654321", price: cny(1600) }],
      opts,
    );
    expect(refused[0]!.ok).toBe(false);
    expect(pdd.goods.get("123456789")!.skus[0]!.multiPrice).toBe(1500);
  });
});
