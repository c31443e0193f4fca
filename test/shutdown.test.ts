import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { tempDir } from "./support/app.js";
import { spawnBot, writeConfig } from "./support/bot.js";
import { openTestLedger, testSettings } from "./support/ledger.js";
import { WEBHOOK_SECRET } from "./support/sync.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A bot on a fresh ledger with one SKU listed on a Shopify simulator that answers after `latencyMs`. */
async function slowShop(latencyMs: number) {
  const { dir, cleanup } = tempDir();
  const sim: ShopifySim = await startShopifySim({ faults: { latencyMs } });
  cleanups.push(cleanup, () => sim.close());
  const [item] = sim.seedItems(1, { available: 0 });
  const database = join(dir, "data", "ledger.db");
  const ledger = openTestLedger(openDatabase(database), { clock: systemClock, settings: testSettings });
  ledger.stock.upsertSku({ sku: SkuSchema.parse(item!.sku), onHand: 7 }, { actor: "test", idempotencyKey: "seed" });
  ledger.listings.linkListing({ channelId: "shop1", sku: SkuSchema.parse(item!.sku), ref: item!.id });
  ledger.close();
  const config = writeConfig(dir, {
    database,
    http: { host: "127.0.0.1", port: 0 },
    chat: { console: false },
    channels: [
      {
        id: "shop1",
        kind: "shopify",
        shop: sim.shopDomain,
        accessToken: sim.accessToken,
        webhookSecret: WEBHOOK_SECRET,
        locationId: sim.locationId,
        apiBase: sim.url,
        apiVersion: sim.apiVersion,
        timeoutMs: 30_000,
      },
    ],
    sync: { debounceMs: 10 },
  });
  const bot = spawnBot(config, dir);
  cleanups.push(() => bot.child.exitCode === null && bot.child.kill("SIGKILL"));
  const url = await bot.listening;
  return { sim, item: item!, database, bot, url };
}

const outboxRows = (database: string): number => {
  const db = openDatabase(database, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM outbox").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe("graceful shutdown (the real CLI)", { timeout: 120_000 }, () => {
  it("on SIGTERM stops taking requests, lets the push in flight finish, closes the ledger and exits 0", async () => {
    const { sim, item, database, bot, url } = await slowShop(1_500);
    // Wait until the first push is on the wire (the simulator holds it for 1.5 s).
    while (!sim.requests.some((r) => r.body.includes("inventorySetQuantities")))
      await new Promise((r) => setTimeout(r, 20));
    const sentAt = Date.now();
    bot.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    const during = await fetch(`${url}/healthz`).then(
      (r) => r.status,
      () => "refused",
    );
    expect(["refused", 503]).toContain(during);
    const end = await bot.exited;
    expect(end.code, bot.stderr().slice(-2000)).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(bot.logs.map((l) => l.msg)).toContain("stopped cleanly");
    // A clean close checkpoints the WAL into the database file and removes it (checked before we open it again).
    expect(existsSync(`${database}-wal`)).toBe(false);
    expect(sim.state.items.get(item.id)!.available).toBe(7);
    expect(outboxRows(database)).toBe(0);
  });

  it("hands a push that outlasts the grace period back to the outbox and still exits 0 in time", async () => {
    const first = await slowShop(8_000);
    while (!first.sim.requests.some((r) => r.body.includes("inventorySetQuantities")))
      await new Promise((r) => setTimeout(r, 20));
    first.bot.child.kill("SIGTERM");
    const end = await first.bot.exited;
    expect(end.code, first.bot.stderr().slice(-2000)).toBe(0);
    expect(existsSync(`${first.database}-wal`)).toBe(false);
    expect(outboxRows(first.database)).toBe(1);
  });
});
