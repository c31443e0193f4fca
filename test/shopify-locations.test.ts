// Shopify per location (issue 13 item 3): with `locations: { home: gid1, 3pl: gid2 }` the channel pushes each mapped
// Shopify location its own share in one inventorySetQuantities (one entry per item × location), reads the levels
// per location, and reconcile reports drift per location. Real ledger, real adapter, the Shopify simulator; every
// document and its variables are checked against Shopify's published 2026-04 and 2025-01 introspection.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  type GraphQLSchema,
  getVariableValues,
  type IntrospectionQuery,
  Kind,
  parse,
  validate,
} from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import type { ShopifyApiVersion } from "../src/channels/shopify-graphql.js";
import { manualClock } from "../src/clock.js";
import { channelPolicyOf, parseConfig } from "../src/config.js";
import { must } from "../src/internal-error.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import type { RecordedRequest } from "../src/sandbox/common.js";
import { type ShopifySim, startShopifySim } from "../src/sandbox/shopify.js";
import { createDrainer } from "../src/sync/drainer.js";
import { reconcileChannel } from "../src/sync/reconcile.js";
import { channelDeps, never } from "./support/channels.js";
import { openTestLedger, sku, testSettings } from "./support/ledger.js";

const HOME = "gid://shopify/Location/1";
const TPL = "gid://shopify/Location/2";

const schemas = new Map<ShopifyApiVersion, GraphQLSchema>();
function schemaOf(v: ShopifyApiVersion): GraphQLSchema {
  let s = schemas.get(v);
  if (!s) {
    const file = v === "2025-01" ? "shopify-admin-2025-01.json.gz" : `shopify-admin-${v}.json.gz`;
    const raw = gunzipSync(readFileSync(new URL(`./fixtures/schemas/${file}`, import.meta.url)));
    s = buildClientSchema((JSON.parse(raw.toString("utf8")) as { data: IntrospectionQuery }).data);
    schemas.set(v, s);
  }
  return s;
}

/** Validation and variable-coercion errors of one recorded request against the published schema of `v`. */
function schemaErrors(v: ShopifyApiVersion, r: RecordedRequest): string[] {
  const { query, variables } = JSON.parse(r.body) as { query: string; variables: Record<string, unknown> };
  const doc = parse(query);
  const errors = validate(schemaOf(v), doc).map((e) => e.message);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (op?.kind === Kind.OPERATION_DEFINITION) {
    const coerced = getVariableValues(schemaOf(v), op.variableDefinitions ?? [], variables);
    errors.push(...(coerced.errors ?? []).map((e) => e.message));
  }
  return errors;
}

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(apiVersion: ShopifyApiVersion = "2026-04", dbFile = ":memory:", simOf?: ShopifySim) {
  // The cost bucket refills by the adapter's own manual clock (its stepped sleeps move it).
  const deps = channelDeps("shop1");
  const sim: ShopifySim =
    simOf ??
    (await startShopifySim({
      apiVersion,
      locationId: HOME,
      locations: [TPL],
      bucket: { maximumAvailable: 20_000, restoreRate: 20_000 },
      bucketNow: () => deps.clock.now().getTime(),
    }));
  if (!simOf) open.push(sim);
  const config: ShopifyConfig = {
    id: "shop1",
    kind: "shopify",
    shop: sim.shopDomain,
    accessToken: sim.accessToken,
    locations: { home: HOME, "3pl": TPL },
    apiBase: sim.url,
    apiVersion,
    timeoutMs: 2_000,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
  };
  const clock = manualClock("2026-12-01T08:00:00Z");
  const ledger = openTestLedger(openDatabase(dbFile), {
    clock,
    settings: { ...testSettings, lowStockThreshold: 0, locations: ["home", "3pl", "spare"], primaryLocation: "home" },
    channelPolicy: (id) => (id === "shop1" ? channelPolicyOf(config) : undefined),
  });
  open.push(ledger);
  // The compare values live in the ledger (shopify_location_levels), as app.ts wires them.
  const channel = createShopifyChannel({ ...deps, config, locationLevels: ledger.shopifyLevels });
  const drainer = createDrainer({
    channel,
    ledger,
    clock,
    log: silentLogger(),
    retry: { baseMs: 10, maxMs: 100, random: () => 0.5 },
    failureAlertAfter: 5,
  });
  const reconcile = () =>
    reconcileChannel(ledger, silentLogger(), channel, { signal: never, clock, failureAlertAfter: 5 });
  if (simOf) {
    const item = must(sim.state.items.values().next().value, "seeded item");
    return { sim, channel, ledger, drainer, reconcile, item, a: sku(item.sku) };
  }
  const [item] = sim.seedItems(1, { prefix: "MUG-" });
  const a = sku(item!.sku);
  ledger.stock.upsertSku({ sku: a, title: "Mug" }, { actor: "t", idempotencyKey: "new" });
  ledger.stock.adjustOnHand(a, 5, { actor: "t", idempotencyKey: "in:home", location: "home" });
  ledger.stock.adjustOnHand(a, 7, { actor: "t", idempotencyKey: "in:3pl", location: "3pl" });
  // Units in a location the channel does not sell from are never shown there.
  ledger.stock.adjustOnHand(a, 4, { actor: "t", idempotencyKey: "in:spare", location: "spare" });
  ledger.listings.linkListing({ channelId: "shop1", sku: a, ref: item!.id });
  return { sim, channel, ledger, drainer, reconcile, item: item!, a };
}

const quantitiesOf = (r: RecordedRequest) =>
  (JSON.parse(r.body) as { variables: { input: { quantities: Record<string, unknown>[] } } }).variables.input
    .quantities;

describe("shopify per location", () => {
  it("the config takes a mapping and sells from its locations; a bad gid or no location at all is refused", () => {
    const base = { id: "shop1", kind: "shopify", shop: "x.myshopify.com", accessToken: "shpat_x" };
    const c = parseConfig({ channels: [{ ...base, locations: { home: HOME, "3pl": TPL } }] }, {});
    expect(channelPolicyOf(c.channels[0]!).locations).toEqual(["home", "3pl"]);
    const list = parseConfig({ channels: [{ ...base, locationId: HOME, locations: ["home"] }] }, {});
    expect(channelPolicyOf(list.channels[0]!).locations).toEqual(["home"]);
    expect(() => parseConfig({ channels: [{ ...base, locations: { home: "Location/1" } }] }, {})).toThrow(
      /gid:\/\/shopify\/Location\/1/,
    );
    expect(() => parseConfig({ channels: [{ ...base, locations: ["home"] }] }, {})).toThrow(/locationId/);
  });

  for (const v of ["2026-04", "2025-01"] as const)
    it(`pushes home 5 and 3pl 7 in one call, one entry per location (${v}, valid against its schema)`, async () => {
      const { sim, channel, ledger, drainer, item } = await setup(v);
      expect(channel.pushLocations).toEqual(["home", "3pl"]);
      expect(ledger.outbox.allOutbox("shop1").map((r) => r.targetQty)).toEqual([12]);

      const report = await drainer.drain({ signal: never });

      expect(report).toMatchObject({ calls: 1, confirmed: 1, deferred: 0 });
      const calls = sim.calls("inventorySetQuantities");
      expect(calls).toHaveLength(1);
      expect(quantitiesOf(calls[0]!).map((q) => [q.inventoryItemId, q.locationId, q.quantity])).toEqual([
        [item.id, HOME, 5],
        [item.id, TPL, 7],
      ]);
      expect(schemaErrors(v, calls[0]!)).toEqual([]);
      expect([sim.levelAt(item.id, HOME), sim.levelAt(item.id, TPL)]).toEqual([5, 7]);
      expect(ledger.outbox.allOutbox("shop1")).toEqual([]);
      expect(ledger.listings.channelListings("shop1")[0]!.confirmedQty).toBe(12);
    });

  it("a reservation is taken from the primary location first; the split still sums to the target", async () => {
    const { sim, ledger, drainer, item, a } = await setup();
    ledger.reservations.reserveHold({ sku: a, qty: 6, ttlSeconds: 900, actor: "api", idempotencyKey: "cart-1" });
    // Target 16 − 6 = 10 (within home + 3pl's 12). The hold ships from home (primary) 5, then 3pl 1: home has 0 free,
    // 3pl 6; the 4 more the target counts (the hold may ship from spare) go where units are on hand, home first.
    expect(ledger.outbox.allOutbox("shop1").map((r) => r.targetQty)).toEqual([10]);
    await drainer.drain({ signal: never });
    expect([sim.levelAt(item.id, HOME), sim.levelAt(item.id, TPL)]).toEqual([4, 6]);
    expect(ledger.listings.channelListings("shop1")[0]!.confirmedQty).toBe(10);
  });

  it("reads levels per location and reconcile repairs a split that drifted even when the total is the same", async () => {
    const { sim, channel, ledger, drainer, reconcile, item, a } = await setup();
    await drainer.drain({ signal: never });
    const stock = await channel.fetchStock([{ sku: a, ref: item.id }], never);
    expect(stock).toEqual([
      {
        sku: a,
        ref: item.id,
        quantity: 12,
        isListed: true,
        byLocation: [
          { location: "home", quantity: 5 },
          { location: "3pl", quantity: 7 },
        ],
      },
    ]);
    const read = sim.calls("nodes").at(-1)!;
    expect(schemaErrors("2026-04", read)).toEqual([]);

    // Someone moves 3 units from 3pl to home on Shopify: the total is still 12.
    sim.setLevel(item.id, HOME, 8);
    sim.setLevel(item.id, TPL, 4);
    const r = await reconcile();
    expect(r).toMatchObject({ checked: 1, repaired: 1 });
    expect(r.locationDrift).toEqual([
      { sku: a, location: "home", channel: 8, ledger: 5 },
      { sku: a, location: "3pl", channel: 4, ledger: 7 },
    ]);
    const alert = ledger.alerts.liveAlerts().find((x) => x.kind === "location_drift");
    expect(alert?.text).toContain("MUG-0001 @home 8 → 5; MUG-0001 @3pl 4 → 7");
    expect(ledger.outbox.allOutbox("shop1").map((o) => o.targetQty)).toEqual([12]);

    await drainer.drain({ signal: never });
    expect([sim.levelAt(item.id, HOME), sim.levelAt(item.id, TPL)]).toEqual([5, 7]);
    const again = await reconcile();
    expect(again).toMatchObject({ repaired: 0, locationDrift: [] });
  });

  it("an item not stocked at a mapped location fails alone and stays queued", async () => {
    const { sim, ledger, drainer, item } = await setup();
    sim.state.levels.get(TPL)!.delete(item.id);
    const report = await drainer.drain({ signal: never });
    expect(report).toMatchObject({ confirmed: 0, deferred: 1 });
    expect(report.problems.join(" ")).toContain("ITEM_NOT_STOCKED_AT_LOCATION");
    expect(sim.levelAt(item.id, HOME)).toBe(0);
    expect(ledger.outbox.allOutbox("shop1")).toHaveLength(1);
  });

  for (const [v, field] of [
    ["2026-04", "changeFromQuantity"],
    ["2026-01", "changeFromQuantity"],
    ["2025-01", "compareQuantity"],
  ] as const)
    it(`a stale ${field} at one location is read again once and the push retried (${v}, valid against its schema)`, async () => {
      const { sim, ledger, drainer, item, a } = await setup(v);
      await drainer.drain({ signal: never });
      // A merchant sets 3pl to 9 behind our back; then home gets one more unit (target home 6, 3pl 7).
      sim.setLevel(item.id, TPL, 9);
      ledger.stock.adjustOnHand(a, 1, { actor: "t", idempotencyKey: "in:home:2", location: "home" });
      const reads = sim.calls("nodes").length;

      const report = await drainer.drain({ signal: never });

      const sets = sim.calls("inventorySetQuantities").slice(1);
      expect(sets.map((r) => quantitiesOf(r).map((q) => q[field]))).toEqual([
        [5, 7],
        [5, 9],
      ]);
      for (const r of sets) expect(schemaErrors(v, r)).toEqual([]);
      if (v === "2025-01")
        expect(sets.map((r) => JSON.parse(r.body).variables.input.ignoreCompareQuantity)).toEqual([
          undefined,
          undefined,
        ]);
      expect(sim.calls("nodes").length - reads).toBe(1);
      expect(report).toMatchObject({ confirmed: 1, deferred: 0 });
      expect([sim.levelAt(item.id, HOME), sim.levelAt(item.id, TPL)]).toEqual([6, 7]);
      expect(ledger.outbox.allOutbox("shop1")).toEqual([]);
    });

  it("a second mismatch after the re-read is reported, never overwritten", async () => {
    const { sim, ledger, drainer, item, a } = await setup();
    await drainer.drain({ signal: never });
    sim.setLevel(item.id, TPL, 9);
    // The merchant changes 3pl again between our re-read and our retry.
    sim.afterNext("nodes", () => sim.setLevel(item.id, TPL, 11));
    ledger.stock.adjustOnHand(a, 1, { actor: "t", idempotencyKey: "in:home:2", location: "home" });

    const report = await drainer.drain({ signal: never });

    const sets = sim.calls("inventorySetQuantities").slice(1);
    expect(sets.map((r) => quantitiesOf(r).map((q) => q.changeFromQuantity))).toEqual([
      [5, 7],
      [5, 9],
    ]);
    expect(report).toMatchObject({ confirmed: 0, deferred: 1, hasDrift: true });
    expect([sim.levelAt(item.id, HOME), sim.levelAt(item.id, TPL)]).toEqual([5, 11]);
    expect(ledger.outbox.allOutbox("shop1").map((o) => o.targetQty)).toEqual([13]);
  });

  it("the compare values survive a restart (kept in the ledger, not in the adapter)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sr-shop-loc-"));
    try {
      const file = join(dir, "ledger.db");
      const first = await setup("2026-04", file);
      await first.drainer.drain({ signal: never });
      first.ledger.close();
      open.splice(open.indexOf(first.ledger), 1);

      // A new process: a new adapter with nothing in memory, on the same ledger file and the same shop.
      const { sim, ledger, drainer, item, a } = await setup("2026-04", file, first.sim);
      sim.setLevel(item.id, TPL, 9);
      ledger.stock.adjustOnHand(a, 1, { actor: "t", idempotencyKey: "in:home:2", location: "home" });
      await drainer.drain({ signal: never });

      const sets = sim.calls("inventorySetQuantities").slice(1);
      expect(sets.map((r) => quantitiesOf(r).map((q) => q.changeFromQuantity))).toEqual([
        [5, 7],
        [5, 9],
      ]);
      expect([sim.levelAt(item.id, HOME), sim.levelAt(item.id, TPL)]).toEqual([6, 7]);
      ledger.close();
      open.splice(open.indexOf(ledger), 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
