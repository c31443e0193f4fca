import ky from "ky";
import { afterEach, describe, expect, it } from "vitest";
import { buildChannels } from "../src/channels/registry.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { asChannelId, type Sku } from "../src/ids.js";
import { silentLogger } from "../src/log.js";
import { type ChannelSandbox, startChannelSandbox } from "../src/sandbox/channels.js";
import { fastRetry, never } from "./support/channels.js";

let sandbox: ChannelSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe("channel registry", () => {
  it("builds every configured western channel from config and reports kinds without an adapter", () => {
    const config = parseConfig(
      {
        channels: [
          {
            id: "shop1",
            kind: "shopify",
            shop: "x.myshopify.com",
            accessToken: "shpat_1",
            locationId: "gid://shopify/Location/1",
          },
          {
            id: "woo",
            kind: "woocommerce",
            apiBase: "https://shop.example.com",
            consumerKey: "ck_1",
            consumerSecret: "cs_1",
          },
          {
            id: "amz",
            kind: "amazon",
            region: "eu",
            sellerId: "A1",
            marketplaceIds: ["A1PA6795UKMFR9"],
            lwaClientId: "c",
            lwaClientSecret: "s",
            refreshToken: "r",
          },
          { id: "ebay", kind: "ebay", clientId: "c", clientSecret: "s", refreshToken: "r" },
          { id: "xianyu", kind: "xianyu" },
        ],
      },
      {},
    );
    const made: unknown[] = [];
    const set = buildChannels(config.channels, {
      makeHttp: (o) => {
        made.push(o);
        return ky.create(o);
      },
      log: silentLogger(),
      clock: systemClock,
    });
    expect([...set.channels.values()].map((c) => [c.id, c.kind, c.maxBatch])).toEqual([
      ["shop1", "shopify", 250],
      ["woo", "woocommerce", 100],
      ["amz", "amazon", 25_000],
      ["ebay", "ebay", 25],
    ]);
    expect(set.unsupported).toEqual([{ id: "xianyu", kind: "xianyu" }]);
    expect(made).toHaveLength(4);
    expect(made[0]).toMatchObject({ retry: 0, timeout: 30_000 });
    expect(set.limiters.get(asChannelId("amz"))!.snapshot().buckets).toHaveProperty("searchOrders");
    expect(config.channels[0]).toMatchObject({ apiVersion: "2026-04" });
  });

  it("drives the sandbox channels end to end through the registry", async () => {
    sandbox = await startChannelSandbox([
      { sku: "MUG-01", title: "Mug", available: 30 },
      { sku: "TEE-M", title: "Tee", available: 4 },
    ]);
    const config = parseConfig({ channels: sandbox.channels }, {});
    const { channels } = buildChannels(config.channels, {
      makeHttp: (o) => ky.create(o),
      log: silentLogger(),
      clock: systemClock,
      retry: fastRetry,
    });
    const shop = channels.get(asChannelId("shop"))!;
    const woo = channels.get(asChannelId("woo"))!;
    const mug = "MUG-01" as Sku;
    expect(
      await shop.pushStock([{ sku: mug, ref: sandbox.refs.shop["MUG-01"]!, quantity: 12, previous: 30 }], {
        idempotencyKey: "e2e",
        signal: never,
      }),
    ).toEqual([{ sku: mug, ok: true, quantity: 12 }]);
    expect(
      await woo.pushStock([{ sku: mug, ref: sandbox.refs.woo["MUG-01"]!, quantity: 12 }], {
        idempotencyKey: "e2e",
        signal: never,
      }),
    ).toEqual([{ sku: mug, ok: true, quantity: 12 }]);
    expect((await shop.listCatalog(never)).map((c) => [c.sku, c.quantity])).toEqual([
      ["MUG-01", 12],
      ["TEE-M", 4],
    ]);
    expect((await woo.listCatalog(never)).map((c) => [c.sku, c.quantity])).toEqual([
      ["MUG-01", 12],
      ["TEE-M", 4],
    ]);
  });
});
