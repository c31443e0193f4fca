import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../src/clock.js";
import { HEALTH_PROBE_MS } from "../src/http/health.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";
import { depsFor, fastSync, shopifyChannel, thinRetry } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("GET /healthz", () => {
  it("reports a channel failing, then unhealthy (503) once it has failed longer than unhealthyAfterMinutes, then ok again", async () => {
    const clock = manualClock("2026-11-20T08:00:00Z");
    const ledger = openTestLedger(openDatabase(":memory:"), { clock, settings: testSettings });
    const shop = await shopifyChannel("shop1", {}, { retry: thinRetry });
    cleanup.push(
      () => shop.sim.close(),
      () => ledger.close(),
    );
    const [item] = shop.sim.seedItems(1);
    ledger.stock.upsertSku({ sku: sku(item!.sku), onHand: 4 }, { actor: "t", idempotencyKey: "s" });
    ledger.listings.linkListing({ channelId: "shop1", sku: sku(item!.sku), ref: item!.id });
    const sync = createSyncEngine({
      ledger,
      clock,
      log: silentLogger(),
      channels: [shop.channel],
      settings: fastSync,
      channelSettings: () => ({ failureAlertAfter: 5, unhealthyAfterMinutes: 15 }),
    });
    const app = await createHttpServer(depsFor(ledger, sync, [shop.channel], {}, clock), routeModules);
    cleanup.push(() => app.close());
    const health = async () => {
      const r = await app.inject({ method: "GET", url: "/healthz" });
      return {
        status: r.statusCode,
        body: r.json() as { ok: boolean; channels: { id: string; state: string; backlog: number }[] },
      };
    };
    expect(await health()).toMatchObject({
      status: 200,
      body: { ok: true, channels: [{ id: "shop1", state: "ok", backlog: 1 }] },
    });
    shop.sim.faults.failNext("500", 1);
    await sync.drain({ signal: AbortSignal.timeout(10_000) });
    expect(await health()).toMatchObject({ status: 200, body: { channels: [{ state: "failing" }] } });
    clock.advance(16 * 60_000);
    expect(await health()).toMatchObject({ status: 503, body: { ok: false, channels: [{ state: "unhealthy" }] } });
    await sync.drain({ signal: AbortSignal.timeout(10_000) });
    expect(await health()).toMatchObject({ status: 200, body: { ok: true, channels: [{ state: "ok", backlog: 0 }] } });
  });
});

describe("GET /healthz writes", () => {
  it("probes the ledger with at most one write per HEALTH_PROBE_MS, however many requests arrive", async () => {
    const clock = manualClock("2026-11-20T08:00:00Z");
    const ledger = openTestLedger(openDatabase(":memory:"), { clock, settings: testSettings });
    cleanup.push(() => ledger.close());
    const sync = createSyncEngine({ ledger, clock, log: silentLogger(), channels: [], settings: fastSync });
    const app = await createHttpServer(depsFor(ledger, sync, [], {}, clock), routeModules);
    cleanup.push(() => app.close());
    const changes = () => (ledger.db.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
    const start = changes();
    for (let i = 0; i < 50; i++) expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect(changes() - start).toBe(1);
    clock.advance(HEALTH_PROBE_MS + 1);
    for (let i = 0; i < 10; i++) await app.inject({ method: "GET", url: "/healthz" });
    expect(changes() - start).toBe(2);
  });
});
