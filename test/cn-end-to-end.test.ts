import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../commands/index.js";
import { createPinduoduoChannel, type PinduoduoConfig } from "../src/channels/pinduoduo.js";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import { createTaobaoChannel, type TaobaoConfig } from "../src/channels/taobao.js";
import type { SalesChannel } from "../src/channels/types.js";
import { createXianyuChannel, type XianyuConfig } from "../src/channels/xianyu.js";
import { createDispatcher, type Dispatcher } from "../src/chat/dispatch.js";
import type { Reply } from "../src/chat/types.js";
import { manualClock } from "../src/clock.js";
import { type ChannelConfig, channelPolicyOf, parseConfig } from "../src/config.js";
import { emptyCourierRegistry } from "../src/couriers/registry.js";
import type { Deps } from "../src/deps.js";
import { SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { createMetrics } from "../src/metrics.js";
import { type PddSandbox, startPinduoduoSandbox } from "../src/sandbox/pinduoduo.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { startTaobaoSandbox, type TaobaoSandbox } from "../src/sandbox/taobao.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { cnChannelDeps } from "./support/cn.js";
import { openTestLedger, storesOf, type TestLedger, testSettings } from "./support/ledger.js";

const never = new AbortController().signal;
const MUG = SkuSchema.parse("MUG-BLUE-S");

let tb: TaobaoSandbox;
let pdd: PddSandbox;
let shop: ShopifySim;
let ledger: TestLedger;
let clock: ReturnType<typeof manualClock>;
let deps: Deps;
let dispatcher: Dispatcher;
let posted: Reply[];
let shopItemId: string;

beforeEach(async () => {
  clock = manualClock("2026-11-20T08:00:00Z");
  tb = await startTaobaoSandbox({
    appKey: "12345678",
    appSecret: "tb-secret-e2e",
    session: "tb-session-e2e",
    clock,
    items: [
      {
        numIid: "612345678901",
        title: "Blue mug",
        approveStatus: "onsale",
        num: 50,
        skus: [{ skuId: "4876543210123", outerId: "MUG-BLUE-S", quantity: 50 }],
      },
    ],
  });
  pdd = await startPinduoduoSandbox({
    clientId: "pdd-client",
    clientSecret: "pdd-secret-e2e",
    accessToken: "pdd-token-e2e",
    clock,
    goods: [
      {
        goodsId: "123456789",
        goodsName: "Blue mug",
        isOnsale: true,
        skus: [{ skuId: "987654321", outerId: "MUG-BLUE-S", quantity: 50 }],
      },
    ],
  });
  shop = await startShopifySim({ now: () => clock.now().getTime() });
  shopItemId = shop.seedItems(1, { available: 50 })[0]!.id;

  const config = parseConfig({
    access: { admins: ["tg:1"], operators: ["tg:222"], viewers: ["tg:333"] },
    channels: [
      {
        id: "tb",
        kind: "taobao",
        appKey: "12345678",
        appSecret: "tb-secret-e2e",
        session: "tb-session-e2e",
        apiBase: tb.url,
        signMethod: "md5",
      },
      {
        id: "pdd",
        kind: "pinduoduo",
        clientId: "pdd-client",
        clientSecret: "pdd-secret-e2e",
        accessToken: "pdd-token-e2e",
        apiBase: pdd.url,
      },
      {
        id: "shop1",
        kind: "shopify",
        shop: shop.shopDomain,
        accessToken: shop.accessToken,
        locationId: shop.locationId,
        apiBase: shop.url,
        apiVersion: shop.apiVersion,
      },
      { id: "xianyu", kind: "xianyu" },
    ],
  });
  const byId = new Map<string, ChannelConfig>(config.channels.map((c) => [c.id, c]));
  ledger = openTestLedger(openDatabase(":memory:"), {
    clock,
    settings: testSettings,
    channelPolicy: (id) => {
      const c = byId.get(id);
      return c ? channelPolicyOf(c) : undefined;
    },
  });
  const log = silentLogger();
  posted = [];
  const notify = async (r: Reply): Promise<void> => {
    posted.push(r);
  };
  const channels: SalesChannel[] = [
    createTaobaoChannel({
      ...cnChannelDeps("tb", clock),
      config: byId.get("tb") as TaobaoConfig,
      alerts: ledger.alerts,
    }),
    createPinduoduoChannel({
      ...cnChannelDeps("pdd", clock),
      config: byId.get("pdd") as PinduoduoConfig,
      alerts: ledger.alerts,
    }),
    createShopifyChannel({ ...cnChannelDeps("shop1", clock), config: byId.get("shop1") as ShopifyConfig }),
    createXianyuChannel({
      config: byId.get("xianyu") as XianyuConfig,
      ledger,
      checklist: ledger.checklist,
      notify,
      log,
    }),
  ];
  const sync = createSyncEngine({
    ledger,
    clock,
    log,
    channels,
    settings: { debounceMs: 0, retryBaseMs: 1000, retryMaxMs: 60_000, maxBatchesPerPass: 100 },
  });
  deps = {
    ...storesOf(ledger),
    config,
    ledger,
    clock,
    log,
    channels: new Map(channels.map((c) => [c.id, c])),
    couriers: emptyCourierRegistry(),
    sync,
    metrics: createMetrics({ ledger, ops: ledger.ops, clock, config, jobs: [] }),
    notify,
  };
  dispatcher = createDispatcher({ commands, deps });

  ledger.stock.upsertSku({ sku: MUG, title: "Blue mug", onHand: 20 }, { actor: "test", idempotencyKey: "seed" });
  ledger.listings.linkListing({ channelId: "tb", sku: MUG, ref: "612345678901:4876543210123" });
  ledger.listings.linkListing({ channelId: "pdd", sku: MUG, ref: "123456789:987654321" });
  ledger.listings.linkListing({ channelId: "shop1", sku: MUG, ref: shopItemId });
  ledger.listings.linkListing({ channelId: "xianyu", sku: MUG, ref: "6612345678" });
});

afterEach(async () => {
  await deps.sync.stop();
  await Promise.all([tb.close(), pdd.close(), shop.close()]);
  ledger.close();
});

/** What a transport does with a button: store its action, then report the press by id. */
async function press(button: { action: string }, userId: string) {
  const actionId = ledger.jobs.storeButtonAction(button.action);
  return dispatcher.press({ transport: "telegram", chatId: "-100", userId, actionId });
}

const tbQty = (): number => tb.items.get("612345678901")!.skus[0]!.quantity;
const pendingXianyu = () => ledger.outbox.allOutbox("xianyu");

describe("Chinese channels end to end", () => {
  it("a Pinduoduo sale found by polling lowers Taobao and Shopify and creates a Xianyu to-do; Done clears it", async () => {
    await deps.sync.drain({ signal: never });
    expect(tbQty()).toBe(20);
    expect(shop.state.items.get(shopItemId)!.available).toBe(20);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain("set MUG-BLUE-S (Blue mug) to 20");
    expect((await press(posted[0]!.buttons![0]!, "tg:222")).reply.text).toContain("Done");
    expect(pendingXianyu()).toHaveLength(0);

    // A buyer pays for 2 on Pinduoduo; Pinduoduo lowers its own stock.
    pdd.sell({ orderSn: "261120-555000111222333", items: [{ goodsId: "123456789", skuId: "987654321", count: 2 }] });
    clock.advance(5 * 60_000);
    const [imported] = await deps.sync.importOrders({ channelId: "pdd", signal: never });
    expect(imported).toMatchObject({ reserved: 1, isOk: true });
    expect(ledger.stock.getLevel(MUG)).toMatchObject({ onHand: 20, reserved: 2, available: 18 });

    await deps.sync.drain({ signal: never });
    expect(tbQty()).toBe(18);
    expect(tb.requests.filter((r) => r.method === "taobao.item.quantity.update").map((r) => r.params.quantity)).toEqual(
      ["20", "18"],
    );
    expect(shop.state.items.get(shopItemId)!.available).toBe(18);
    expect(posted).toHaveLength(2);
    const todo = posted[1]!;
    expect(todo.text).toContain("set MUG-BLUE-S (Blue mug) to 18");
    expect(pendingXianyu()).toMatchObject([{ sku: "MUG-BLUE-S", targetQty: 18 }]);

    // The drainer asks again later: the to-do stays open and is not posted twice.
    clock.advance(10 * 60_000);
    await deps.sync.drain({ signal: never });
    expect(posted).toHaveLength(2);
    expect(pendingXianyu()).toHaveLength(1);
    expect(
      (await dispatcher.handle({ transport: "telegram", chatId: "-100", userId: "tg:333", text: "/todos" })).reply.text,
    ).toContain("MUG-BLUE-S: set to 18");
    const status = (
      await dispatcher.handle({ transport: "telegram", chatId: "-100", userId: "tg:222", text: "/sync status" })
    ).reply;
    expect(status.text).toContain("Open Xianyu to-dos (1)");
    expect(status.text).toContain("MUG-BLUE-S: set to 18");
    expect(status.buttons).toEqual([todo.buttons![0]].map((b) => ({ ...b, label: "Done MUG-BLUE-S" })));

    // A viewer may not press Done; an operator may.
    expect((await press(todo.buttons![0]!, "tg:333")).outcome).toBe("refused");
    expect(pendingXianyu()).toHaveLength(1);
    const done = await press(todo.buttons![0]!, "tg:222");
    expect(done.outcome).toBe("ok");
    expect(done.reply.text).toContain("MUG-BLUE-S set to 18");
    expect(pendingXianyu()).toHaveLength(0);
    expect(ledger.listings.getListing("xianyu", MUG)).toMatchObject({ confirmedQty: 18, confirmedListed: true });
    expect(ledger.audit.recentAudit({ action: "xianyu-done" }).map((a) => [a.actor, a.outcome])).toEqual([
      ["tg:222", "ok"],
      ["tg:333", "refused"],
      ["tg:222", "ok"],
    ]);
    expect((await press(todo.buttons![0]!, "tg:222")).reply.text).toContain("already done by tg:222");
  });

  it("Done on a to-do whose target changed clears nothing and points to the newer one", async () => {
    await deps.sync.drain({ signal: never });
    await press(posted[0]!.buttons![0]!, "tg:222");
    ledger.stock.adjustOnHand(MUG, -5, { actor: "test", idempotencyKey: "a1" });
    await deps.sync.drain({ signal: never });
    const stale = posted.at(-1)!;
    expect(stale.text).toContain("to 15");

    // The target moves on before the drainer has even posted a new to-do: Done must not confirm 15.
    ledger.stock.adjustOnHand(MUG, -4, { actor: "test", idempotencyKey: "a2" });
    const early = await press(stale.buttons![0]!, "tg:222");
    expect(early.reply.text).toContain("out of date");
    expect(early.reply.text).toContain("A new to-do follows");
    expect(pendingXianyu()).toMatchObject([{ targetQty: 11 }]);
    expect(ledger.listings.getListing("xianyu", MUG).confirmedQty).toBe(20);

    await deps.sync.drain({ signal: never });
    const fresh = posted.at(-1)!;
    expect(fresh.text).toContain("to 11");
    ledger.stock.adjustOnHand(MUG, -1, { actor: "test", idempotencyKey: "a3" });
    await deps.sync.drain({ signal: never });
    const newest = posted.at(-1)!;
    expect(newest.text).toContain("to 10");
    expect(newest.text).toContain(`Replaces ${/X-[A-Z0-9]{8}/.exec(fresh.text)![0]}`);

    const r = await press(fresh.buttons![0]!, "tg:222");
    expect(r.reply.text).toContain("out of date");
    expect(r.reply.buttons?.[0]?.action).toBe(newest.buttons![0]!.action);
    expect(pendingXianyu()).toMatchObject([{ targetQty: 10 }]);
    await press(newest.buttons![0]!, "tg:222");
    expect(pendingXianyu()).toHaveLength(0);
    expect(ledger.listings.getListing("xianyu", MUG).confirmedQty).toBe(10);
  });

  it("asks to take the Xianyu item off sale when the low-stock rule delists", async () => {
    const delisting = openTestLedger(openDatabase(":memory:"), {
      clock,
      settings: { ...testSettings, lowStockAction: "delist" },
    });
    const notes: Reply[] = [];
    const xy = createXianyuChannel({
      config: deps.config.channels.find((c) => c.kind === "xianyu") as XianyuConfig,
      ledger: delisting,
      checklist: delisting.checklist,
      notify: async (r) => void notes.push(r),
      log: silentLogger(),
    });
    delisting.stock.upsertSku({ sku: MUG, title: "", onHand: 2 }, { actor: "test", idempotencyKey: "s" });
    delisting.listings.linkListing({ channelId: "xianyu", sku: MUG, ref: "6612345678" });
    const sync = createSyncEngine({
      ledger: delisting,
      clock,
      log: silentLogger(),
      channels: [xy],
      settings: { debounceMs: 0, retryBaseMs: 1000, retryMaxMs: 60_000, maxBatchesPerPass: 10 },
    });
    await sync.drain({ signal: never });
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toContain("take MUG-BLUE-S off sale");
    delisting.close();
  });

  it("a Pinduoduo SKU on a promotion slot raises one specific alert and is not pushed again at the same number", async () => {
    await deps.sync.drain({ signal: never });
    pdd.goods.get("123456789")!.skus[0]!.isPromotionLocked = true;
    ledger.stock.adjustOnHand(MUG, -3, { actor: "test", idempotencyKey: "p1" });
    await deps.sync.drain({ signal: never });
    expect(tbQty()).toBe(17);
    expect(pdd.goods.get("123456789")!.skus[0]!.quantity).toBe(20);
    expect(ledger.alerts.liveAlerts().map((a) => a.kind)).toEqual(["promotion_stock_locked"]);
    const calls = pdd.requests.length;
    clock.advance(3_600_000);
    await deps.sync.drain({ signal: never });
    expect(pdd.requests.length).toBe(calls);
    expect(ledger.outbox.allOutbox("pdd")).toMatchObject([{ targetQty: 17 }]);
  });
});
