import ky from "ky";
import { afterEach, describe, expect, it } from "vitest";
import { buildChannels } from "../src/channels/registry.js";
import {
  createXianyuChannel,
  isChecklistChannel,
  priceTodoIn,
  renderTodo,
  type XianyuConfig,
} from "../src/channels/xianyu.js";
import type { Reply } from "../src/chat/types.js";
import { manualClock } from "../src/clock.js";
import { type ChannelConfig, channelPolicyOf, parseConfig } from "../src/config.js";
import { sharedI18n } from "../src/i18n/translator.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { openTestLedger, seed, sku, testLedger, testSettings } from "./support/ledger.js";
import { moneyStack, USERS } from "./support/money.js";
import { trailOf } from "./support/trail.js";

const never = new AbortController().signal;

function setup(onHand: number, opts: { notify?: (r: Reply) => Promise<void> } = {}) {
  const clock = manualClock("2026-11-20T08:00:00Z");
  const config = parseConfig({
    channels: [
      { id: "xianyu", kind: "xianyu" },
      { id: "tb", kind: "taobao", appKey: "k", appSecret: "secret-1", session: "session-1" },
    ],
  });
  const byId = new Map<string, ChannelConfig>(config.channels.map((c) => [c.id, c]));
  const ledger = openTestLedger(openDatabase(":memory:"), {
    clock,
    settings: testSettings,
    channelPolicy: (id) => (byId.has(id) ? channelPolicyOf(byId.get(id)!) : undefined),
  });
  const posted: Reply[] = [];
  const notify = opts.notify ?? (async (r: Reply) => void posted.push(r));
  const xy = createXianyuChannel({
    config: byId.get("xianyu") as XianyuConfig,
    ledger,
    checklist: ledger.checklist,
    notify,
    log: silentLogger(),
  });
  const sync = createSyncEngine({
    ledger,
    clock,
    log: silentLogger(),
    channels: [xy],
    settings: { debounceMs: 0, retryBaseMs: 1000, retryMaxMs: 60_000, maxBatchesPerPass: 10 },
  });
  const mug = sku("MUG-1");
  ledger.stock.upsertSku({ sku: mug, title: "Enamel mug", onHand }, { actor: "test", idempotencyKey: "seed" });
  ledger.listings.linkListing({ channelId: "xianyu", sku: mug, ref: "6612345678" });
  ledger.listings.linkListing({ channelId: "tb", sku: mug, ref: "612345678901" });
  return { clock, ledger, posted, xy, sync, mug };
}

describe("xianyu checklist channel", () => {
  it("never asks for more than Xianyu's 9,999 while other channels get everything", async () => {
    const { ledger, posted, sync, mug } = setup(12_000);
    expect(ledger.outbox.allOutbox().map((r) => [r.channelId, r.targetQty])).toEqual([
      ["xianyu", 9999],
      ["tb", 12_000],
    ]);
    expect(
      trailOf(ledger.outbox.publicationsFor(mug).find((p) => p.listing.channelId === "xianyu")!.publication).join(" "),
    ).toContain("channel maximum 9,999 → 9,999");
    await sync.drain({ channelId: "xianyu", signal: never });
    expect(posted.map((p) => p.text)).toEqual([expect.stringContaining("set MUG-1 (Enamel mug) to 9999")]);
    ledger.close();
  });

  it("posts one to-do per target with a Done button carrying its id, and keeps the push pending", async () => {
    const { ledger, posted, sync, clock } = setup(7);
    await sync.drain({ signal: never });
    clock.advance(3_600_000);
    await sync.drain({ signal: never });
    expect(posted).toHaveLength(1);
    const id = ledger.checklist.openTodos()[0]!.id;
    expect(posted[0]!.text).toContain(id);
    expect(posted[0]!.text).toContain("https://www.goofish.com/item?id=6612345678");
    expect(posted[0]!.buttons).toEqual([{ label: "Done", action: `/xianyu-done ${id}` }]);
    expect(ledger.outbox.allOutbox("xianyu")).toMatchObject([
      { targetQty: 7, lastError: expect.stringContaining("awaiting_operator") },
    ]);
    expect(ledger.channelState.channelHealth("xianyu").consecutiveFailures).toBe(0);
    expect(ledger.alerts.liveAlerts()).toHaveLength(0);
    ledger.close();
  });

  it("posts the to-do on a later pass when the chat was unreachable", async () => {
    let isDown = true;
    const got: Reply[] = [];
    const { ledger, sync, clock } = setup(7, {
      notify: async (r) => {
        if (isDown) throw new Error("telegram unreachable");
        got.push(r);
      },
    });
    await sync.drain({ signal: never });
    expect(ledger.checklist.openTodos()[0]!.postedAt).toBeNull();
    isDown = false;
    clock.advance(3_600_000);
    await sync.drain({ signal: never });
    expect(got).toHaveLength(1);
    expect(ledger.checklist.openTodos()[0]!.postedAt).not.toBeNull();
    ledger.close();
  });

  it("marks itself as a checklist channel and reports what an operator last confirmed", async () => {
    const { xy, ledger, sync, mug } = setup(5);
    expect(isChecklistChannel(xy)).toBe(true);
    expect(await xy.fetchStock([{ sku: mug, ref: "6612345678" }], never)).toEqual([]);
    await sync.drain({ signal: never });
    ledger.checklist.completeTodo(ledger.checklist.openTodos()[0]!.id, "tg:222");
    expect(await xy.fetchStock([{ sku: mug, ref: "6612345678" }], never)).toEqual([
      { sku: "MUG-1", ref: "6612345678", quantity: 5, isListed: true },
    ]);
    ledger.close();
  });

  it("renders a delist to-do as taking the item off sale", () => {
    const r = renderTodo(
      {
        id: "X-AAAABBBB",
        channelId: "xianyu" as never,
        sku: sku("MUG-1"),
        ref: "66 12",
        version: 2,
        targetQty: 0,
        isListed: false,
        status: "open",
        replaces: "X-CCCCDDDD",
        createdAt: "",
        postedAt: null,
        closedAt: null,
        closedBy: null,
      },
      { itemUrl: "https://www.goofish.com/item?id={ref}" },
    );
    expect(r.text).toBe(
      "闲鱼 Xianyu to-do X-AAAABBBB: take MUG-1 off sale (下架). Item 66 12: https://www.goofish.com/item?id=66%2012 Replaces X-CCCCDDDD. Press Done once it is changed.",
    );
  });

  it("is built by the registry next to Taobao and Pinduoduo when the ledger and chat are wired", () => {
    const config = parseConfig({
      channels: [
        { id: "tb", kind: "taobao", appKey: "k", appSecret: "secret-1", session: "session-1" },
        { id: "pdd", kind: "pinduoduo", clientId: "c", clientSecret: "secret-2", accessToken: "token-2" },
        { id: "xianyu", kind: "xianyu" },
      ],
    });
    const ledger = testLedger();
    const base = {
      makeHttp: (o: Parameters<typeof ky.create>[0]) => ky.create(o),
      log: silentLogger(),
      clock: ledger.clock,
    };
    const built = buildChannels(config.channels, {
      ...base,
      ledger,
      checklist: ledger.checklist,
      notify: async () => {},
    });
    expect([...built.channels.values()].map((c) => [c.id, c.kind])).toEqual([
      ["tb", "taobao"],
      ["pdd", "pinduoduo"],
      ["xianyu", "xianyu"],
    ]);
    expect(built.unsupported).toEqual([]);
    expect(buildChannels(config.channels, base).unsupported).toEqual([{ id: "xianyu", kind: "xianyu" }]);
    ledger.close();
  });
});

describe("xianyu price to-dos (issue 14)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function priceStack() {
    const s = await moneyStack({ xianyu: true });
    cleanups.push(() => s.close());
    const [item] = s.sim.seedItems(1, { available: 10 });
    const mug = seed(s.ledger, "MUG-1", 10);
    s.ledger.listings.linkListing({ channelId: "shop1", sku: mug, ref: item!.id });
    s.ledger.listings.linkListing({ channelId: "xy", sku: mug, ref: "6612345678" });
    await s.deps.sync.drain({ signal: never });
    s.sent.splice(0);
    return { s, mug, item: item! };
  }
  const priceTodosIn = (s: Awaited<ReturnType<typeof priceStack>>["s"]) =>
    s.sent.filter((r) => r.text.includes("price to-do"));

  it("counts Xianyu as a price channel, posts one to-do and keeps the target until Done confirms that price", async () => {
    const { s, mug, item } = await priceStack();
    const preview = await s.say(USERS.op1, `/price ${mug} 19.90`);
    expect(preview.reply.text).toContain("shop1 and xy");
    const done = await s.press(USERS.op1, preview.reply, "Confirm");
    expect(done.reply.text).toContain("Confirmed by shop1; waiting: xy");
    expect(s.sim.state.items.get(item.id)!.price).toBe("19.90");

    const [todo] = s.deps.checklist.openPriceTodos();
    expect(todo).toMatchObject({ channelId: "xy", sku: "MUG-1", price: { amountMinor: 1990, currency: "EUR" } });
    const posts = priceTodosIn(s);
    expect(posts.map((p) => p.text)).toEqual([
      `闲鱼 Xianyu price to-do ${todo!.id}: set the price of MUG-1 to €19.90. Item 6612345678: https://www.goofish.com/item?id=6612345678 Press Done once it is changed.`,
    ]);
    expect(posts[0]!.buttons).toEqual([{ label: "Done", action: `/xianyu-done ${todo!.id}` }]);
    expect(s.deps.priceOutbox.pendingPriceChanges(mug)).toMatchObject([
      { channelId: "xy", price: { amountMinor: 1990 }, lastError: expect.stringContaining("awaiting_operator") },
    ]);
    const prices = await s.say(USERS.viewer, `/prices ${mug}`);
    expect(prices.reply.text.split("\n")).toEqual(
      expect.arrayContaining([
        "• shop1: €19.90",
        "• xy: not pushed yet",
        expect.stringMatching(/^• xy: €19\.90 \(version 1/),
      ]),
    );

    const todos = await s.say(USERS.viewer, "/todos");
    expect(todos.reply.text).toContain(`${todo!.id} xy MUG-1: set the price to €19.90`);
    // The stock to-do of the listing (set to 10) is open too; both get a Done button.
    expect(todos.reply.buttons).toContainEqual({ label: "Done MUG-1", action: `/xianyu-done ${todo!.id}` });

    // Later passes do not post it again, and the channel stays healthy.
    s.clock.advance(3_600_000);
    await s.deps.sync.drainPrices({ channelIds: ["xy"], signal: never });
    expect(priceTodosIn(s)).toHaveLength(1);
    expect(s.deps.channelState.channelHealth("xy").consecutiveFailures).toBe(0);

    const ok = await s.press(USERS.op2, posts[0]!, "Done");
    expect(ok.reply.text).toBe(`Done: Xianyu price of MUG-1 is €19.90 (${todo!.id}, by ${USERS.op2}).`);
    expect(s.deps.priceOutbox.pendingPriceChanges(mug)).toEqual([]);
    expect(s.deps.priceOutbox.confirmedPrices(mug).get("xy")).toEqual({ amountMinor: 1990, currency: "EUR" });
    expect(s.deps.checklist.openPriceTodos()).toEqual([]);
    const again = await s.say(USERS.op1, `/xianyu-done ${todo!.id}`);
    expect(again.reply.text).toContain(`${todo!.id} was already done by ${USERS.op2}`);
  });

  it("a new target replaces the open to-do's price without a new post; Done on the old price records it and asks for the new one", async () => {
    const { s, mug } = await priceStack();
    await s.press(USERS.op1, (await s.say(USERS.op1, `/price ${mug} 19.90`)).reply, "Confirm");
    const [first] = s.deps.checklist.openPriceTodos();
    s.clock.advance(60_000);
    await s.press(USERS.op1, (await s.say(USERS.op1, `/price ${mug} 21.00`)).reply, "Confirm");
    expect(s.deps.checklist.openPriceTodos()).toMatchObject([
      { id: first!.id, version: 2, price: { amountMinor: 2100 }, shown: { amountMinor: 1990 } },
    ]);
    expect(priceTodosIn(s)).toHaveLength(1);

    // The operator set what they were shown (19.90): recorded as Xianyu's price, the 21.00 target stays.
    const stale = await s.say(USERS.op2, `/xianyu-done ${first!.id}`);
    expect(stale.reply.text).toBe(
      `${first!.id}: recorded €19.90 on Xianyu for MUG-1, but the target changed since to €21.00. Set €21.00 and press Done again.`,
    );
    expect(stale.reply.buttons).toEqual([{ label: "Done", action: `/xianyu-done ${first!.id}` }]);
    expect(s.deps.priceOutbox.confirmedPrices(mug).get("xy")).toEqual({ amountMinor: 1990, currency: "EUR" });
    expect(s.deps.priceOutbox.pendingPriceChanges(mug)).toMatchObject([
      { channelId: "xy", version: 2, price: { amountMinor: 2100 } },
    ]);

    const ok = await s.say(USERS.op2, `/xianyu-done ${first!.id}`);
    expect(ok.reply.text).toContain("Xianyu price of MUG-1 is €21.00");
    expect(s.deps.priceOutbox.pendingPriceChanges(mug)).toEqual([]);
    expect(s.deps.priceOutbox.confirmedPrices(mug).get("xy")).toEqual({ amountMinor: 2100, currency: "EUR" });
    // At most one open price to-do per listing at any time (the unique index), and the next price opens a new one.
    s.clock.advance(60_000);
    await s.press(USERS.op1, (await s.say(USERS.op1, `/price ${mug} 20.00`)).reply, "Confirm");
    const [next] = s.deps.checklist.openPriceTodos();
    expect(next!.id).not.toBe(first!.id);
    expect(priceTodosIn(s)).toHaveLength(2);
  });

  it("renders the price to-do in Chinese", () => {
    const tr = sharedI18n("Asia/Shanghai").translator("zh-CN");
    const r = priceTodoIn(
      {
        id: "X-AAAABBBB",
        channelId: "xianyu" as never,
        sku: sku("MUG-1"),
        ref: "6612345678",
        version: 1,
        price: { amountMinor: 1990, currency: "CNY" },
        shown: null,
        status: "open",
        createdAt: "",
        postedAt: null,
        closedAt: null,
        closedBy: null,
      },
      { title: "搪瓷杯", itemUrl: "https://www.goofish.com/item?id={ref}" },
      tr,
    );
    expect(r.text).toBe(
      "闲鱼改价待办 X-AAAABBBB：把 MUG-1 (搪瓷杯) 的价格改为 ¥19.90。商品 6612345678：https://www.goofish.com/item?id=6612345678 改好后请点“完成”。",
    );
    expect(r.buttons).toEqual([{ label: "完成", action: "/xianyu-done X-AAAABBBB" }]);
  });
});
