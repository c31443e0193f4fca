import { afterEach, describe, expect, it } from "vitest";
import { createPinduoduoChannel, type PinduoduoConfig } from "../src/channels/pinduoduo.js";
import { createTaobaoChannel, type TaobaoConfig } from "../src/channels/taobao.js";
import type { SalesChannel } from "../src/channels/types.js";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { importChannel } from "../src/onboarding/channel-import.js";
import { type PddSandboxGoods, startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import { startTaobaoSandbox, type TaobaoSandboxItem } from "../src/sandbox/taobao.js";
import { cnChannelDeps } from "./support/cn.js";
import { depsFor, engineFor, liveLedger } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const signal = new AbortController().signal;

/** Imports `channel` (configured as `raw`) into a fresh ledger and returns the report and the ledger. */
async function importInto(channel: SalesChannel, raw: Record<string, unknown>) {
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const engine = engineFor(ledger, [channel]);
  cleanup.push(() => engine.stop());
  const deps = depsFor(ledger, engine, [channel], { channels: [raw] });
  const report = await importChannel(deps, { channelId: channel.id, actor: "t", signal });
  return { report, ledger, deps };
}

describe("catalog import from the Chinese channels (issue 12)", () => {
  it("Taobao: every on-sale page (200 a page) and every SKU of each item, with quantities and outer_id SKUs", async () => {
    const clock = manualClock("2026-11-20T08:00:00Z");
    const items: TaobaoSandboxItem[] = Array.from({ length: 450 }, (_, i) => ({
      numIid: String(600_000_000_000 + i),
      title: `商品 ${i}`,
      approveStatus: "onsale",
      num: 6,
      skus: [
        { skuId: String(4_000_000_000_000 + 2 * i), outerId: `TB-${i}-S`, quantity: 2 },
        { skuId: String(4_000_000_000_000 + 2 * i + 1), outerId: i === 7 ? "" : `TB-${i}-M`, quantity: 4 },
      ],
    }));
    items.push({
      numIid: "699999999999",
      title: "单品",
      outerId: "TB-SINGLE",
      approveStatus: "onsale",
      num: 9,
      skus: [],
    });
    items.push({
      numIid: "699999999998",
      title: "仓库中",
      outerId: "TB-OFF",
      approveStatus: "instock",
      num: 1,
      skus: [],
    });
    const auth = { appKey: "12345678", appSecret: "tb-app-secret-1", session: "6100a1b2c3d4e5f6session" };
    const tb = await startTaobaoSandbox({ ...auth, clock, items });
    cleanup.push(() => tb.close());
    const raw = { id: "tb", kind: "taobao", ...auth, apiBase: tb.url };
    const config = parseConfig({ channels: [raw] }).channels[0] as TaobaoConfig;
    const channel = createTaobaoChannel({ ...cnChannelDeps("tb", clock), config });

    const { report, ledger } = await importInto(channel, raw);
    expect(tb.requests.filter((r) => r.method === "taobao.items.onsale.get").map((r) => r.params.page_no)).toEqual([
      "1",
      "2",
      "3",
    ]);
    expect(report).toMatchObject({ catalogItems: 901, created: 900, linked: 900 });
    expect(report.conflicts).toEqual([
      { kind: "no_sku", channelId: "tb", ref: `600000000007:${4_000_000_000_000 + 15}`, title: "商品 7" },
    ]);
    expect(ledger.stock.getLevel("TB-449-M")).toMatchObject({ title: "商品 449", onHand: 4 });
    expect(ledger.listings.getListing("tb", "TB-449-M").ref).toBe(`600000000449:${4_000_000_000_000 + 899}`);
    expect(ledger.stock.getLevel("TB-SINGLE")).toMatchObject({ onHand: 9 });
    expect(ledger.listings.getListing("tb", "TB-SINGLE").ref).toBe("699999999999");
    expect(ledger.stock.findLevel("TB-OFF")).toBeUndefined();
  });

  it("Pinduoduo: every goods page (100 a page) with each SKU's quantity", async () => {
    const clock = manualClock("2026-11-20T08:00:00Z");
    const goods: PddSandboxGoods[] = Array.from({ length: 230 }, (_, i) => ({
      goodsId: String(100_000_000 + i),
      goodsName: `拼多多商品 ${i}`,
      isOnsale: true,
      skus: [
        { skuId: String(900_000_000 + 2 * i), outerId: `PD-${i}-A`, quantity: i % 5 },
        { skuId: String(900_000_000 + 2 * i + 1), outerId: i === 3 ? "PD-0-A" : `PD-${i}-B`, quantity: 1 },
      ],
    }));
    const auth = {
      clientId: "4b8e2c9d1f",
      clientSecret: "pdd-client-secret-1",
      accessToken: "a1b2c3d4e5-access-token",
    };
    const pdd = await startPinduoduoSandbox({ ...auth, clock, goods });
    cleanup.push(() => pdd.close());
    const raw = { id: "pdd", kind: "pinduoduo", ...auth, apiBase: pdd.url };
    const config = parseConfig({ channels: [raw] }).channels[0] as PinduoduoConfig;
    const channel = createPinduoduoChannel({ ...cnChannelDeps("pdd", clock), config });

    const { report, ledger } = await importInto(channel, raw);
    expect(pdd.requests.filter((r) => r.type === "pdd.goods.list.get").map((r) => r.params.page)).toEqual([
      "1",
      "2",
      "3",
    ]);
    // PD-0-A is on two items (one SKU of goods 0 and one of goods 3): a duplicate, never guessed.
    expect(report).toMatchObject({ catalogItems: 460, created: 458, linked: 458 });
    expect(report.conflicts).toEqual([
      {
        kind: "duplicate",
        channelId: "pdd",
        sku: "PD-0-A",
        refs: [`100000000:${900_000_000}`, `100000003:${900_000_007}`],
      },
    ]);
    expect(ledger.stock.getLevel("PD-229-A")).toMatchObject({ title: "拼多多商品 229", onHand: 229 % 5 });
    expect(ledger.listings.getListing("pdd", "PD-229-B").ref).toBe(`100000229:${900_000_459}`);
    expect(ledger.stock.findLevel("PD-0-A")).toBeUndefined();
  });
});
