import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../commands/index.js";
import type { SalesChannel } from "../src/channels/types.js";
import { createWooChannel } from "../src/channels/woocommerce.js";
import { createDispatcher } from "../src/chat/dispatch.js";
import { createI18n } from "../src/i18n/translator.js";
import { readCatalogCsv } from "../src/onboarding/catalog-csv.js";
import { type ChannelImportOptions, importChannel } from "../src/onboarding/channel-import.js";
import { runImportChannel } from "../src/onboarding/cli.js";
import { describeImport } from "../src/onboarding/report.js";
import type { SimShopifyItem } from "../src/sandbox/shopify.js";
import type { SimWooProduct } from "../src/sandbox/woocommerce.js";
import { tempDir } from "./support/app.js";
import { channelDeps } from "./support/channels.js";
import { testClock } from "./support/clock.js";
import { sku, type TestLedger } from "./support/ledger.js";
import { depsFor, engineFor, liveLedger, shopifyChannel, wooChannel, wooRef } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const en = createI18n({ timeZone: "UTC" }).translator("en");
const zh = createI18n({ timeZone: "UTC" }).translator("zh-CN");

/** Shopify "shop1" and WooCommerce "woo" simulators, an empty ledger and the real engine, dispatcher and deps. */
async function setup(extraChannels: Record<string, unknown>[] = []) {
  // Roomy timeouts: on a busy machine a 300 ms timeout would retry pages (harmless, but it blurs the call counts).
  const shop = await shopifyChannel("shop1", {}, { timeoutMs: 10_000 });
  const woo = await wooChannel("woo", {}, { timeoutMs: 10_000 });
  cleanup.push(
    () => shop.sim.close(),
    () => woo.sim.close(),
  );
  const ledger = liveLedger();
  cleanup.push(() => ledger.close());
  const channels: SalesChannel[] = [shop.channel, woo.channel];
  const engine = engineFor(ledger, channels);
  cleanup.push(() => engine.stop());
  const deps = depsFor(ledger, engine, channels, {
    channels: [shop.config, woo.config, ...extraChannels],
    access: { admins: ["tg:1"], operators: ["tg:7"] },
  });
  const dispatcher = createDispatcher({ commands, deps });
  const say = async (text: string, userId = "tg:1") =>
    (await dispatcher.handle({ transport: "telegram", chatId: "-100", userId, text })).reply.text;
  const run = (o: Omit<ChannelImportOptions, "actor" | "signal">) =>
    importChannel(deps, { actor: "test", signal: AbortSignal.timeout(60_000), ...o });
  return { shop, woo, ledger, deps, say, run };
}

/** Everything the ledger holds that an import could change. */
function snapshot(ledger: TestLedger) {
  return {
    movements: (ledger.db.prepare("SELECT COUNT(*) AS n FROM movements").get() as { n: number }).n,
    levels: ledger.db.prepare("SELECT sku, title, on_hand, reserved FROM skus ORDER BY sku").all(),
    listings: ledger.db.prepare("SELECT channel_id, sku, ref FROM listings ORDER BY channel_id, sku").all(),
  };
}

/**
 * 2,000 items on each simulator: 1,500 SKUs on both (15 with a different quantity on Woo), the rest on one channel
 * only, and on each: items without a SKU, one duplicated SKU, one blank SKU (Shopify also one invalid SKU).
 * Woo also has a variable product whose three variations are listed through the variations endpoint.
 */
function seedShops(shop: { seedItems(n: number): SimShopifyItem[] }, woo: WooSeeder) {
  const items = shop.seedItems(2000);
  items.forEach((it, i) => {
    it.sku = i < 1500 ? `S-${i}` : `SH-${i}`;
    it.available = i < 1500 ? 3 + (i % 7) : 4;
  });
  for (const i of [1990, 1991, 1992, 1993, 1994]) items[i]!.sku = "";
  items[1995]!.sku = "DUP-1";
  items[1996]!.sku = "DUP-1";
  items[1997]!.sku = "   ";
  items[1998]!.sku = "bad sku";
  const products = woo.seedProducts(1996);
  products.forEach((p, j) => {
    p.sku = j < 1500 ? `S-${j}` : `WO-${j}`;
    p.stockQuantity = j < 1500 ? 3 + (j % 7) + (j % 100 === 0 ? 1 : 0) : 2;
  });
  for (const j of [1990, 1991, 1992]) products[j]!.sku = "";
  products[1993]!.sku = "DUP-W";
  products[1994]!.sku = "DUP-W";
  products[1995]!.sku = " ";
  const variations = woo.seedVariable(3, { prefix: "VAR-", stock: 6 });
  return { items, products, variations };
}
type WooSeeder = {
  seedProducts(n: number): SimWooProduct[];
  seedVariable(n: number, o: { prefix: string; stock: number }): SimWooProduct[];
};

describe("import channel (issue 12)", () => {
  it("2,000 products from Shopify then WooCommerce: dry runs list exactly the conflicts, real runs create and link the rest, second runs change nothing", async () => {
    const { shop, woo, ledger, run } = await setup();
    const { items, products, variations } = seedShops(shop.sim, woo.sim);
    const empty = snapshot(ledger);

    const shopDry = await run({ channelId: "shop1", dryRun: true });
    expect(shopDry).toMatchObject({ catalogItems: 2000, created: 1991, linked: 1991, stockSet: 0, unchanged: 0 });
    expect(shopDry.conflicts).toEqual([
      ...[1990, 1991, 1992, 1993, 1994].map((i) => ({
        kind: "no_sku",
        channelId: "shop1",
        ref: items[i]!.id,
        title: items[i]!.title,
      })),
      { kind: "blank_sku", channelId: "shop1", ref: items[1997]!.id, title: items[1997]!.title },
      { kind: "duplicate", channelId: "shop1", sku: "DUP-1", refs: [items[1995]!.id, items[1996]!.id] },
      { kind: "bad_sku", channelId: "shop1", sku: "bad sku", ref: items[1998]!.id },
    ]);
    expect(snapshot(ledger)).toEqual(empty);

    const shopRun = await run({ channelId: "shop1" });
    expect(shopRun).toMatchObject({ created: 1991, linked: 1991, stockSet: 0, unchanged: 0 });
    expect(shopRun.conflicts).toEqual(shopDry.conflicts);
    expect(ledger.stock.getLevel("S-8")).toMatchObject({ title: "Item 9", onHand: 4, reserved: 0 });
    expect(ledger.stock.getLevel("SH-1999")).toMatchObject({ onHand: 4 });
    expect(ledger.stock.findLevel("DUP-1")).toBeUndefined();
    expect(ledger.listings.channelListings("shop1")).toHaveLength(1991);
    expect(ledger.listings.getListing("shop1", "S-8").ref).toBe(items[8]!.id);
    expect(ledger.movements("S-8", 10)).toMatchObject([{ reason: "import", actor: "test", onHandAfter: 4 }]);
    const afterShop = snapshot(ledger);
    expect(afterShop.movements).toBe(1991);

    const wooDry = await run({ channelId: "woo", dryRun: true });
    const differ = Array.from({ length: 15 }, (_, k) => k * 100);
    expect(wooDry).toMatchObject({ catalogItems: 1999, created: 493, linked: 1978, stockSet: 0, unchanged: 0 });
    expect(wooDry.conflicts).toEqual([
      ...[1990, 1991, 1992].map((j) => ({
        kind: "no_sku",
        channelId: "woo",
        ref: String(products[j]!.id),
        title: products[j]!.name,
      })),
      { kind: "blank_sku", channelId: "woo", ref: String(products[1995]!.id), title: products[1995]!.name },
      {
        kind: "duplicate",
        channelId: "woo",
        sku: "DUP-W",
        refs: [String(products[1993]!.id), String(products[1994]!.id)],
      },
      ...differ.map((j) => ({
        kind: "quantities_differ",
        sku: `S-${j}`,
        quantities: [
          { channelId: "woo", ref: String(products[j]!.id), quantity: 3 + (j % 7) + 1 },
          { channelId: "shop1", ref: items[j]!.id, quantity: 3 + (j % 7) },
        ],
      })),
    ]);
    expect(snapshot(ledger)).toEqual(afterShop);

    const wooRun = await run({ channelId: "woo" });
    expect(wooRun).toMatchObject({ created: 493, linked: 1978, stockSet: 0, unchanged: 0 });
    expect(ledger.listings.channelListings("woo")).toHaveLength(1978);
    expect(ledger.stock.getLevel("WO-1500")).toMatchObject({ onHand: 2 });
    expect(ledger.stock.getLevel("VAR-2")).toMatchObject({ onHand: 6 });
    expect(ledger.listings.getListing("woo", "VAR-2").ref).toBe(wooRef(variations[1]!));
    // A conflicting SKU is not linked, and its stock stays what the first channel said.
    expect(() => ledger.listings.getListing("woo", "S-100")).toThrow(/not listed on woo/);
    expect(ledger.stock.getLevel("S-100")).toMatchObject({ onHand: 3 + (100 % 7) });
    // SKUs on both with the same quantity: linked, stock untouched (no movement).
    expect(ledger.movements("S-8", 10)).toHaveLength(1);
    const afterWoo = snapshot(ledger);
    expect(afterWoo.movements).toBe(1991 + 493);

    for (const channelId of ["shop1", "woo"]) {
      const again = await run({ channelId });
      expect(again).toMatchObject({ created: 0, linked: 0, stockSet: 0 });
      expect(again.unchanged).toBe(channelId === "shop1" ? 1991 : 1978);
    }
    expect(snapshot(ledger)).toEqual(afterWoo);

    // The seller settles the 15 conflicts by a rule: max takes Woo's larger count, in one movement each.
    const settled = await run({ channelId: "woo", rule: "max" });
    expect(settled).toMatchObject({ created: 0, linked: 15, stockSet: 15, unchanged: 1978 });
    expect(ledger.stock.getLevel("S-100")).toMatchObject({ onHand: 3 + (100 % 7) + 1 });
    expect(ledger.movements("S-100", 10)[0]).toMatchObject({ reason: "import", onHandBefore: 5, onHandAfter: 6 });
    const final = snapshot(ledger);
    expect(await run({ channelId: "woo", rule: "max" })).toMatchObject({ linked: 0, stockSet: 0 });
    expect(snapshot(ledger)).toEqual(final);
    // Shopify's catalog was read page by page (150 a page) on each of its three imports; Woo's walked its variations.
    expect(shop.sim.calls("inventoryLevels").length).toBeGreaterThanOrEqual(3 * 14);
    expect(woo.sim.calls("variations").length).toBeGreaterThan(0);
  });

  it("/import previews for an admin, changes nothing until /confirm, and refuses an operator", async () => {
    const { shop, woo, ledger, say } = await setup();
    const items = shop.sim.seedItems(30);
    items.forEach((it, i) => {
      it.available = i;
    });
    items[29]!.sku = "";
    void woo;
    expect(await say("/import shop1", "tg:7")).toMatch(/admin/i);
    const preview = await say("/import shop1");
    expect(preview).toContain(
      "shop1: 30 catalog items. Would create 29 SKUs and link 29 listings; would set stock on 0 existing SKUs; 0 already linked (left alone). Nothing was changed.",
    );
    expect(preview).toContain(`- shop1 item ${items[29]!.id} (Item 30): no SKU`);
    expect(ledger.stock.findLevel(items[0]!.sku)).toBeUndefined();
    const token = /\/confirm (\w+)/.exec(preview)![1]!;
    const done = await say(`/confirm ${token}`);
    expect(done).toMatch(
      /^shop1: 30 catalog items\. Created 29 SKUs, linked 29 listings; set stock on 0 existing SKUs/,
    );
    expect(done).toContain("Each new link queued its first push");
    expect(ledger.stock.getLevel(items[7]!.sku)).toMatchObject({ onHand: 7 });
    expect(ledger.listings.channelListings("shop1")).toHaveLength(29);
    expect(await say("/import shop1 max")).toMatch(/Would create 0 SKUs and link 0 listings.*29 already linked/);
    expect(await say("/import shop1 most")).toMatch(/Usage/);
  });

  it("lists at most 20 conflicts in chat and every one in the CLI report, in English and Chinese", async () => {
    const { shop, run } = await setup();
    const items = shop.sim.seedItems(25);
    for (const it of items) it.sku = "";
    const r = await run({ channelId: "shop1", dryRun: true });
    const chat = describeImport(r, en, { maxConflicts: 20 });
    expect(chat.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(20);
    expect(chat).toContain("… and 5 more: stockradar import channel shop1 --dry-run lists them all.");
    expect(
      describeImport(r, en)
        .split("\n")
        .filter((l) => l.startsWith("- ")),
    ).toHaveLength(25);
    const zhText = describeImport(r, zh, { maxConflicts: 20 });
    expect(zhText).toContain("shop1：目录共 25 个商品。将新建 0 个货号");
    expect(zhText).toContain("没有货号");
  });

  it("WooCommerce products with stock tracking off are one summarised conflict with the fix; once added, the first push turns tracking on with the quantity", async () => {
    const { woo, ledger, deps, run } = await setup();
    const products = woo.sim.seedProducts(14, { stock: 5 });
    const off = products.slice(0, 12);
    for (const p of off) {
      p.manageStock = false;
      p.stockQuantity = null;
    }
    const dry = await run({ channelId: "woo", dryRun: true });
    expect(dry.conflicts.map((c) => c.kind)).toEqual(off.map(() => "untracked"));
    const named = off.slice(0, 10).map((p) => p.sku);
    expect(
      describeImport(dry, en)
        .split("\n")
        .filter((l) => l.startsWith("- ")),
    ).toEqual([
      `- 12 items on woo do not track stock (WooCommerce "Manage stock?" is off): ${named.join(", ")}, …. Fix: add each SKU with /add SKU QTY TITLE (or import skus FILE.csv) and import again; the first push turns stock tracking on with the ledger's quantity.`,
    ]);
    expect(describeImport(dry, zh)).toContain("woo 上有 12 个商品未开启库存管理（WooCommerce“管理库存？”未勾选）");

    // The fix for one of them: the SKU added with its count, the import run again, the listing linked and pushed.
    const first = off[0]!;
    ledger.stock.upsertSku({ sku: sku(first.sku), onHand: 7 }, { actor: "tg:7", idempotencyKey: "add:first" });
    const r = await run({ channelId: "woo" });
    expect(r.conflicts.filter((c) => c.kind === "untracked")).toHaveLength(11);
    deps.sync.start();
    await deps.sync.idle();
    expect(woo.sim.state.products.get(first.id)).toMatchObject({ manageStock: true, stockQuantity: 7 });
    const sent = woo.sim.requests
      .filter((q) => q.method === "POST" && q.path.endsWith("/products/batch"))
      .flatMap((q) => (JSON.parse(q.body) as { update?: Record<string, unknown>[] }).update ?? []);
    expect(sent).toContainEqual({ id: first.id, manage_stock: true, stock_quantity: 7 });
  });

  it("--source names the channel whose quantity wins: no quantity conflicts, SKUs missing there keep their own", async () => {
    const { shop, woo, ledger, run } = await setup();
    const items = shop.sim.seedItems(3);
    items.forEach((it, i) => {
      it.sku = `A-${i}`;
      it.available = 10;
    });
    const products = woo.sim.seedProducts(4);
    products.forEach((p, i) => {
      p.sku = `A-${i}`;
      p.stockQuantity = 1;
    });
    const r = await run({ channelId: "woo", source: "shop1" });
    expect(r).toMatchObject({ created: 4, linked: 4, notOnSource: 1, conflicts: [] });
    expect(ledger.stock.getLevel("A-0").onHand).toBe(10);
    expect(ledger.stock.getLevel("A-3").onHand).toBe(1);
    expect(describeImport(r, en)).toContain("1 SKUs are not on shop1: they took the quantity on woo.");
    await expect(run({ channelId: "woo", rule: "min", source: "shop1" })).rejects.toThrow(/--source goes with/);
  });

  it("keep leaves existing SKUs' stock alone; reserved units stay on top of the channel's number", async () => {
    const { shop, ledger, run } = await setup();
    const items = shop.sim.seedItems(2);
    items[0]!.available = 9;
    items[1]!.available = 9;
    ledger.stock.upsertSku({ sku: sku(items[0]!.sku), onHand: 3 }, { actor: "t", idempotencyKey: "seed-0" });
    ledger.stock.upsertSku({ sku: sku(items[1]!.sku), onHand: 5 }, { actor: "t", idempotencyKey: "seed-1" });
    ledger.reservations.reserveHold({
      sku: sku(items[1]!.sku),
      qty: 2,
      ttlSeconds: 900,
      actor: "api",
      idempotencyKey: "cart-1",
    });
    expect(await run({ channelId: "shop1", rule: "keep", dryRun: true })).toMatchObject({ linked: 2, stockSet: 0 });
    const r = await run({ channelId: "shop1" });
    expect(r).toMatchObject({ created: 0, linked: 2, stockSet: 2 });
    expect(ledger.stock.getLevel(items[0]!.sku)).toMatchObject({ onHand: 9 });
    expect(ledger.stock.getLevel(items[1]!.sku)).toMatchObject({ onHand: 11, reserved: 2, available: 9 });
  });

  it("imports Xianyu from a CSV (any delimiter), and the CLI asks for the file without one", async () => {
    const { dir, cleanup: rm } = tempDir();
    cleanup.push(rm);
    const { ledger, deps } = await setup([{ id: "xianyu", kind: "xianyu" }]);
    const file = join(dir, "xianyu.csv");
    writeFileSync(file, "ref;sku;quantity;title\n7001;XY-1;2;旧相机\n7002;;1;No sku\n7003;XY-3;;Unknown\n");
    expect(readCatalogCsv(file)).toEqual([
      { ref: "7001", sku: "XY-1", title: "旧相机", quantity: 2 },
      { ref: "7002", sku: null, title: "No sku", quantity: 1 },
      { ref: "7003", sku: "XY-3", title: "Unknown" },
    ]);
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) };
    expect(await runImportChannel({ deps }, { channel: "xianyu" }, io)).toBe(2);
    expect(err.join("")).toContain("xianyu has no catalog API. Export its items to a CSV (ref,sku,quantity[,title])");
    expect(await runImportChannel({ deps }, { channel: "xianyu", file }, io)).toBe(1);
    expect(out.join("")).toContain("xianyu: 3 catalog items. Created 1 SKUs, linked 1 listings");
    expect(out.join("")).toContain("- XY-3 (xianyu item 7003): the channel does not say how many there are");
    expect(ledger.stock.getLevel("XY-1")).toMatchObject({ title: "旧相机", onHand: 2 });
    expect(ledger.listings.getListing("xianyu", "XY-1").ref).toBe("7001");
    writeFileSync(file, "id,sku\n1,A\n");
    err.length = 0;
    expect(await runImportChannel({ deps }, { channel: "xianyu", file }, io)).toBe(1);
    expect(err.join("")).toMatch(/needs the columns ref,sku,quantity\[,title\]; its header is: id,sku\.\n$/);
    expect(await runImportChannel({ deps }, { channel: "shop1", quantity: "most" }, io)).toBe(2);
    expect(err.join("")).toContain("--quantity must be channel, min, max or keep, not most.");
  });

  it("writes in small transactions and hands the event loop back between them (chat keeps answering)", async () => {
    const { shop, ledger, say, run } = await setup();
    shop.sim.seedItems(60).forEach((it) => {
      it.available = 2;
    });
    const counts = new Set<number>();
    let isDone = false;
    const watch = () => {
      if (isDone) return;
      counts.add(ledger.stock.stockTotals().skus);
      setImmediate(watch);
    };
    const importing = run({ channelId: "shop1", chunkSize: 10 }).finally(() => {
      isDone = true;
    });
    watch();
    await new Promise((r) => setImmediate(r));
    const reply = await say("/stock SKU-0001");
    const isAnsweredMidImport = !isDone;
    expect(await importing).toMatchObject({ created: 60 });
    expect(reply).toMatch(/SKU-0001/);
    expect(isAnsweredMidImport).toBe(true);
    // Every transaction's result was visible to other work before the next one began: at most 10 SKUs each
    // (a slow machine ends a transaction sooner, never later).
    const seen = [...counts, 60].sort((a, b) => a - b);
    expect(seen[0]).toBe(0);
    expect(seen.length).toBeGreaterThanOrEqual(7);
    for (let k = 1; k < seen.length; k++) expect(seen[k]! - seen[k - 1]!).toBeLessThanOrEqual(10);
  });

  it("reads the catalog through the channel's own rate limiter, the one sync pushes through", async () => {
    const woo = await wooChannel("woo", {}, { timeoutMs: 10_000 });
    cleanup.push(() => woo.sim.close());
    woo.sim.seedProducts(450);
    const { clock, sleep } = testClock("2026-12-01T00:00:00Z");
    const cd = channelDeps("woo", { buckets: { default: { ratePerSec: 2, burst: 1 } }, clock, sleep });
    const channel = createWooChannel({ ...cd, config: woo.config });
    const ledger = liveLedger();
    cleanup.push(() => ledger.close());
    const engine = engineFor(ledger, [channel]);
    cleanup.push(() => engine.stop());
    const deps = depsFor(ledger, engine, [channel], { channels: [woo.config] });
    const r = await importChannel(deps, { channelId: "woo", actor: "t", signal: AbortSignal.timeout(30_000) });
    expect(r).toMatchObject({ catalogItems: 450, created: 450 });
    // Five pages of 100 at two requests a second with a bucket of one: each page after the first waited its turn.
    expect(woo.sim.calls("products")).toHaveLength(5);
    expect(sleep.calls).toEqual([500, 500, 500, 500]);
    expect(cd.limiter.snapshot().waitedMs).toBe(2000);
  });
});
