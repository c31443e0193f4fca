import { afterEach, describe, expect, it } from "vitest";
import { jobs } from "../jobs/index.js";
import { manualClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { emptyCourierRegistry } from "../src/couriers/registry.js";
import type { Deps } from "../src/deps.js";
import { channelHealthViews } from "../src/http/health.js";
import { routeModules } from "../src/http/routes.js";
import { createHttpServer } from "../src/http/server.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import { createMetrics, instrumentChannel } from "../src/metrics.js";
import { runSlot } from "../src/scheduler.js";
import { createSyncEngine } from "../src/sync/engine.js";
import { testApp } from "./support/app.js";
import { openTestLedger, sku, storesOf, testSettings } from "./support/ledger.js";
import { fastSync, shopifyChannel, thinRetry } from "./support/sync.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const signal = new AbortController().signal;

/** One Shopify simulator, the real adapter (counted by metrics), the engine and the HTTP server, all on a manual clock. */
async function rig() {
  const clock = manualClock("2026-11-20T08:00:00Z");
  const config = parseConfig({ channels: [], http: { enabled: true } }, {});
  const ledger = openTestLedger(openDatabase(":memory:"), { clock, settings: testSettings });
  const shop = await shopifyChannel("shop1", {}, { retry: thinRetry });
  cleanup.push(
    () => shop.sim.close(),
    () => ledger.close(),
  );
  let deps: Deps | undefined;
  // No jobs here: this rig is about channels, and its manual clock never lets a scheduler run.
  const metrics = createMetrics({
    ledger,
    ops: ledger.ops,
    clock,
    config,
    jobs: [],
    channels: () => channelHealthViews(deps!.sync),
  });
  cleanup.push(() => metrics.close());
  const channel = instrumentChannel(shop.channel, metrics);
  const sync = createSyncEngine({
    ledger,
    clock,
    log: silentLogger(),
    channels: [channel],
    settings: fastSync,
    channelSettings: () => ({ failureAlertAfter: 3, unhealthyAfterMinutes: 15 }),
  });
  cleanup.push(() => sync.stop());
  deps = {
    ...storesOf(ledger),
    config,
    ledger,
    clock,
    log: silentLogger(),
    channels: new Map([["shop1", channel]]),
    sync,
    metrics,
    couriers: emptyCourierRegistry(),
    notify: async () => {},
  };
  const app = await createHttpServer(deps!, routeModules);
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  cleanup.push(() => app.close());
  const [item] = shop.sim.seedItems(1, { available: 0 });
  const s = sku(item!.sku);
  ledger.stock.upsertSku({ sku: s, onHand: 10 }, { actor: "test", idempotencyKey: "seed" });
  ledger.listings.linkListing({ channelId: "shop1", sku: s, ref: item!.id });
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
  };
  const health = async () => {
    const r = await get("/healthz");
    return {
      status: r.status,
      body: JSON.parse(r.text) as {
        ok: boolean;
        problems: string[];
        channels: { id: string; state: string; lastSuccessAt: string | null }[];
      },
    };
  };
  return { clock, ledger, sync, shop, item: item!, sku: s, get, health };
}

const sample = (text: string, name: string, labels = ""): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line === undefined ? undefined : Number(line.split(" ").pop());
};

describe("/healthz", () => {
  it("turns unhealthy when a channel has failed for longer than its threshold, and healthy again when it recovers", async () => {
    const r = await rig();
    await r.sync.syncStock({ full: true, signal });
    expect((await r.health()).body.channels).toEqual([expect.objectContaining({ id: "shop1", state: "ok" })]);

    r.shop.sim.faults.set({ failureRate: 1, kinds: ["500"] });
    r.ledger.stock.adjustOnHand(r.sku, -1, { actor: "test", idempotencyKey: "a1" });
    await r.sync.drain({ signal });
    const failing = await r.health();
    expect(failing.status).toBe(200);
    expect(failing.body.channels[0]).toMatchObject({ state: "failing" });

    r.clock.advance(16 * 60_000);
    await r.sync.drain({ signal });
    const unhealthy = await r.health();
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body.problems).toContain("channel unhealthy: shop1");
    expect(unhealthy.body.channels[0]).toMatchObject({ state: "unhealthy" });

    r.shop.sim.faults.set({ failureRate: 0 });
    r.clock.advance(60 * 60_000);
    await r.sync.drain({ signal });
    const healed = await r.health();
    expect(healed.status).toBe(200);
    expect(healed.body).toMatchObject({ ok: true, problems: [] });
    expect(healed.body.channels[0]).toMatchObject({ state: "ok", lastSuccessAt: r.clock.now().toISOString() });
    expect(r.shop.sim.state.items.get(r.item.id)!.available).toBe(9);
  });

  it("reports a job overdue when its slot has waited past one interval, and clears once it ran", async () => {
    const t = await testApp({ http: { enabled: true, port: 0 } });
    cleanup.push(() => t.close());
    await t.app.start({ http: true, scheduler: false });
    const url = `http://127.0.0.1:${(t.app.http!.server.address() as { port: number }).port}`;
    const body = async () =>
      (await (await fetch(`${url}/healthz`)).json()) as {
        ok: boolean;
        problems: string[];
        jobs: { name: string; lagSeconds: number }[];
      };
    expect((await body()).ok).toBe(true);
    t.clock.advance(10 * 60_000);
    const late = await body();
    expect(late.ok).toBe(false);
    expect(late.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^job reservation-expiry overdue by \d+ min$/)]),
    );
    expect(late.jobs.find((j) => j.name === "backup")!.lagSeconds).toBe(0);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(sample(metrics, "stockradar_job_lag_seconds", 'job="reservation-expiry"')).toBe(600);
    expect(sample(metrics, "stockradar_job_lag_seconds", 'job="backup"')).toBe(0);
    for (const job of jobs) await runSlot(job, t.app.deps, t.clock.now());
    expect((await body()).ok).toBe(true);
  });
});

describe("/metrics", () => {
  it("serves Prometheus text with pushes, failures, backlog, oversell window, alerts and quota", async () => {
    const r = await rig();
    r.shop.sim.faults.failNext("500", 3);
    await r.sync.syncStock({ full: true, signal });
    for (let i = 0; i < 2; i++) {
      r.clock.advance(10 * 60_000);
      await r.sync.drain({ signal });
    }
    const during = await r.get("/metrics");
    expect(during.status).toBe(200);
    expect(during.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(during.text, "stockradar_channel_calls_total", 'channel="shop1",method="pushStock",outcome="failed"'),
    ).toBe(3);
    expect(sample(during.text, "stockradar_outbox_backlog", 'channel="shop1"')).toBe(1);
    expect(sample(during.text, "stockradar_alerts_live", 'severity="critical",status="open"')).toBe(1);

    r.clock.advance(60 * 60_000);
    await r.sync.drain({ signal });
    const after = await r.get("/metrics");
    expect(
      sample(after.text, "stockradar_channel_calls_total", 'channel="shop1",method="pushStock",outcome="ok"'),
    ).toBe(1);
    expect(sample(after.text, "stockradar_push_items_total", 'channel="shop1",outcome="ok"')).toBe(1);
    expect(sample(after.text, "stockradar_pushes_confirmed_total", 'channel="shop1"')).toBe(1);
    expect(sample(after.text, "stockradar_oversell_window_seconds_count", 'channel="shop1"')).toBe(1);
    // Queued at 08:00, confirmed after two failed rounds and an hour's outage: an 80-minute window.
    expect(sample(after.text, "stockradar_oversell_window_seconds_sum", 'channel="shop1"')).toBe(80 * 60);
    expect(sample(after.text, "stockradar_oversell_window_seconds_bucket", 'le="3600",channel="shop1"')).toBe(0);
    expect(sample(after.text, "stockradar_outbox_backlog", 'channel="shop1"')).toBeUndefined();
    expect(sample(after.text, "stockradar_channel_up", 'channel="shop1",state="ok"')).toBe(1);
    expect(sample(after.text, "stockradar_oversold_units")).toBe(0);
    expect(after.text).toContain("# TYPE stockradar_quota_left gauge");
    expect(after.text).toContain("# TYPE stockradar_courier_calls_today gauge");
    expect(sample(after.text, "process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(sample(after.text, "stockradar_http_requests_total", 'route="/metrics",status="200"')).toBe(1);
  });
});
