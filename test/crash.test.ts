import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { seededRandom } from "../src/sandbox/common.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { tempDir } from "./support/app.js";
import { type BotProcess, spawnBot, writeConfig } from "./support/bot.js";
import { openTestLedger, testSettings } from "./support/ledger.js";
import { WEBHOOK_SECRET } from "./support/sync.js";

// Crash safety: the real CLI (`node bin/stockradar.js run`) is killed with SIGKILL at random points while
// orders arrive by webhook and pushes flow to two Shopify simulators, then restarted. Webhooks that got no
// 200 are redelivered with the same id, as Shopify does. At the end the ledger must equal the replay of its
// movements, every order line must be applied exactly once, and every outbox target must have reached the
// simulators. KILLS=100 for a longer run; the default keeps `npm test` near two minutes.
const KILLS = Number(process.env.KILLS ?? 20);
// CRASH_SEED varies the kill points and the order stream between repeated runs.
const ITEMS = 12;
const ON_HAND = 10_000;

interface Delivery {
  shop: "shop1" | "shop2";
  webhookId: string;
  payload: unknown;
  isDelivered: boolean;
}

describe("crash safety under SIGKILL", { timeout: 600_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  const sims: Record<"shop1" | "shop2", ShopifySim> = {} as never;
  let configFile: string;
  let database: string;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    database = join(dir, "data", "ledger.db");
    for (const id of ["shop1", "shop2"] as const) {
      // A Plus-sized cost bucket: this test is about crashes, not about waiting for Shopify's rate limit.
      sims[id] = await startShopifySim({
        shopDomain: `${id}.myshopify.com`,
        bucket: { maximumAvailable: 20_000, restoreRate: 1_000 },
      });
      sims[id].seedItems(ITEMS, { available: 0 });
    }
    // Seed through the ledger's own functions, then close: the bot owns the file from here on.
    const ledger = openTestLedger(openDatabase(database), { clock: systemClock, settings: testSettings });
    for (let i = 0; i < ITEMS; i++) {
      const sku = SkuSchema.parse([...sims.shop1.state.items.values()][i]!.sku);
      ledger.stock.upsertSku({ sku, onHand: ON_HAND }, { actor: "test", idempotencyKey: `seed:${sku}` });
      for (const id of ["shop1", "shop2"] as const)
        ledger.listings.linkListing({ channelId: id, sku, ref: [...sims[id].state.items.values()][i]!.id });
    }
    ledger.close();
    const channel = (id: "shop1" | "shop2") => ({
      id,
      kind: "shopify",
      shop: sims[id].shopDomain,
      accessToken: sims[id].accessToken,
      webhookSecret: WEBHOOK_SECRET,
      locationId: sims[id].locationId,
      apiBase: sims[id].url,
      apiVersion: sims[id].apiVersion,
      timeoutMs: 3_000,
    });
    configFile = writeConfig(dir, {
      database,
      logLevel: "info",
      http: { host: "127.0.0.1", port: 0 },
      chat: { console: false },
      channels: [channel("shop1"), channel("shop2")],
      sync: { debounceMs: 30, retryBaseMs: 100, retryMaxMs: 1_000 },
    });
  });
  afterAll(async () => {
    await Promise.all(Object.values(sims).map((s) => s.close()));
    cleanup();
  });

  it(`keeps the ledger, order lines and outbox exact across ${KILLS} kills`, async () => {
    const random = seededRandom(Number(process.env.CRASH_SEED ?? 8));
    const deliveries: Delivery[] = [];
    const items = (id: "shop1" | "shop2") => [...sims[id].state.items.values()];
    let url: string | undefined;
    let isSelling = true;

    // Customers keep buying on both shops; Shopify keeps (re)delivering the orders/create webhooks.
    const shopper = (async () => {
      while (isSelling) {
        const shop = random() < 0.5 ? "shop1" : "shop2";
        const lines = [{ sku: items(shop)[Math.floor(random() * ITEMS)]!.sku, qty: 1 + Math.floor(random() * 3) }];
        if (random() < 0.3) lines.push({ sku: items(shop)[Math.floor(random() * ITEMS)]!.sku, qty: 1 });
        const order = sims[shop].createOrder(lines);
        deliveries.push({
          shop,
          webhookId: `wh-${shop}-${order.id}`,
          payload: sims[shop].restOrder(order.id),
          isDelivered: false,
        });
        await new Promise((r) => setTimeout(r, 30 + random() * 90));
      }
    })();
    const deliverPending = async (): Promise<void> => {
      const target = url;
      if (!target) return;
      for (const d of deliveries.filter((x) => !x.isDelivered).slice(0, 20)) {
        try {
          const r = await sims[d.shop].sendWebhook({
            url: `${target}/webhooks/${d.shop}`,
            topic: "orders/create",
            payload: d.payload,
            secret: WEBHOOK_SECRET,
            webhookId: d.webhookId,
          });
          if (r.status === 200) d.isDelivered = true;
        } catch {
          return; // The bot is down (refused, reset): Shopify retries later.
        }
      }
    };
    let isDelivering = true;
    const courier = (async () => {
      while (isDelivering) {
        await deliverPending();
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    const t0 = Date.now();
    const mark = (s: string) =>
      process.env.CRASH_TRACE && process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}\n`);
    for (let k = 0; k < KILLS; k++) {
      const bot: BotProcess = spawnBot(configFile, dir);
      mark(`spawn ${k}`);
      // Every fourth kill lands during start-up (migrations, first pushes); the others while traffic flows.
      if (k % 4 === 3) {
        await Promise.race([new Promise((r) => setTimeout(r, 200 + random() * 1_500)), bot.exited]);
      } else {
        url = await bot.listening;
        await new Promise((r) => setTimeout(r, 150 + random() * 1_200));
      }
      bot.child.kill("SIGKILL");
      const end = await bot.exited;
      url = undefined;
      mark(`killed ${k}; ${deliveries.filter((d) => !d.isDelivered).length} webhooks pending`);
      expect(end.signal, bot.stderr().slice(-2000)).toBe("SIGKILL");
    }

    // Last start: no more kills, no more new orders; every webhook gets through, every push settles.
    isSelling = false;
    await shopper;
    const bot = spawnBot(configFile, dir);
    url = await bot.listening;
    mark("final start listening");
    // Generous: under a second suite's load the last webhooks and pushes can take minutes to settle; the test only needs them to.
    const deadline = Date.now() + 240_000;
    const settled = () => {
      const db = openDatabase(database, { readonly: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM outbox").get() as { n: number }).n === 0;
      } finally {
        db.close();
      }
    };
    let lastMark = 0;
    while ((deliveries.some((d) => !d.isDelivered) || !settled()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      if (Date.now() - lastMark > 5_000) {
        lastMark = Date.now();
        const db = openDatabase(database, { readonly: true });
        const ob = db.prepare("SELECT COUNT(*) AS n, MAX(attempts) AS a, MAX(last_error) AS e FROM outbox").get();
        db.close();
        mark(
          `settling: ${deliveries.filter((d) => !d.isDelivered).length} webhooks pending, outbox ${JSON.stringify(ob)}`,
        );
      }
    }
    isDelivering = false;
    await courier;
    mark("settled");
    bot.child.kill("SIGTERM");
    const end = await bot.exited;
    expect(end.code, bot.stderr().slice(-3000)).toBe(0);
    if (process.env.CRASH_TRACE)
      for (const l of bot.logs.filter((x) => (x.level ?? 0) >= 40).slice(-15))
        process.stderr.write(`${JSON.stringify(l).slice(0, 600)}\n`);
    expect(deliveries.every((d) => d.isDelivered)).toBe(true);

    const db = openDatabase(database, { readonly: true });
    try {
      // 1. The ledger equals the replay of its movements, and the movements chain without gaps.
      const skus = db.prepare("SELECT sku, on_hand, reserved FROM skus").all() as {
        sku: string;
        on_hand: number;
        reserved: number;
      }[];
      expect(skus).toHaveLength(ITEMS);
      for (const s of skus) {
        const moves = db
          .prepare(
            "SELECT on_hand_before, on_hand_after, reserved_before, reserved_after FROM movements WHERE sku = ? ORDER BY id",
          )
          .all(s.sku) as {
          on_hand_before: number;
          on_hand_after: number;
          reserved_before: number;
          reserved_after: number;
        }[];
        let onHand = 0;
        let reserved = 0;
        for (const m of moves) {
          expect([m.on_hand_before, m.reserved_before]).toEqual([onHand, reserved]);
          onHand = m.on_hand_after;
          reserved = m.reserved_after;
        }
        expect({ sku: s.sku, onHand, reserved }).toEqual({ sku: s.sku, onHand: s.on_hand, reserved: s.reserved });
      }
      // 2. Every order line the shops took is applied exactly once: one reservation per (channel, order, line),
      //    and per SKU the reserved units equal what the shops sold.
      const sold = new Map<string, number>();
      let lines = 0;
      for (const id of ["shop1", "shop2"] as const) {
        for (const o of sims[id].state.orders) {
          for (const l of o.lines) {
            lines += 1;
            sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.quantity);
          }
        }
      }
      const reservations = db
        .prepare(
          "SELECT COUNT(*) AS n, COUNT(DISTINCT channel_id || '/' || order_id || '/' || line_id) AS d FROM reservations WHERE kind = 'order'",
        )
        .get() as { n: number; d: number };
      expect(reservations).toEqual({ n: lines, d: lines });
      for (const s of skus)
        expect({ sku: s.sku, reserved: s.reserved }).toEqual({ sku: s.sku, reserved: sold.get(s.sku) ?? 0 });
      // 3. Every outbox target reached the simulators: nothing queued, and each shop shows exactly what the
      //    ledger publishes for it (and what it confirmed).
      expect((db.prepare("SELECT COUNT(*) AS n FROM outbox").get() as { n: number }).n).toBe(0);
      const ledger = openTestLedger(db, { clock: systemClock, settings: testSettings });
      for (const s of skus) {
        for (const { listing, publication } of ledger.outbox.publicationsFor(s.sku)) {
          const shown = sims[listing.channelId as "shop1" | "shop2"].state.items.get(listing.ref)!.available;
          expect({ sku: s.sku, channel: listing.channelId, shown, confirmed: listing.confirmedQty }).toEqual({
            sku: s.sku,
            channel: listing.channelId,
            shown: publication.quantity,
            confirmed: publication.quantity,
          });
        }
      }
      expect(lines).toBeGreaterThan(KILLS);
    } finally {
      db.close();
    }
  });
});
