import { readFileSync } from "node:fs";
import { signBase64 } from "../src/sandbox/common.js";
import { startShopifySim } from "../src/sandbox/shopify.js";
import { startWooSim } from "../src/sandbox/woocommerce.js";
import type { ReplayLaneInfo, SimsMessage, SimsRequest } from "./year-replay-sims-ipc.js";

// The year replay's 7 channel simulators in their own process (bench/year-replay.ts starts it with the catalog size
// on the command line): 4 Shopify on the standard plan's cost bucket, 3 WooCommerce. Their catalogs and bookkeeping
// are the marketplaces' memory, not stockradar's, so the replay process's peak memory is ours alone.
const skuCount = Number(process.argv[2]);
const secret = process.argv[3];
if (!skuCount || !secret || !process.send) {
  process.stderr.write("usage: started by bench/year-replay.ts with an IPC channel, SKUS and the webhook secret\n");
  process.exit(2);
}
const send = (m: SimsMessage): void => void process.send?.(m);

interface SimLane {
  info: ReplayLaneInfo;
  order(sku: string, qty: number): { topic: string; body: string; headers: Record<string, string> };
  /** Drops what the simulator records for tests (every request with its body, every quantity change, every order). */
  trim(): void;
  close(): Promise<void>;
}

async function shopLane(id: string): Promise<SimLane> {
  // Shopify's standard plan: 1,000-point bucket, 50 points/s restore (Plus is 10×).
  const sim = await startShopifySim({
    shopDomain: `${id}.myshopify.com`,
    bucket: { maximumAvailable: 1_000, restoreRate: 50 },
  });
  const items = sim.seedItems(skuCount, { available: 0 });
  let seq = 0;
  return {
    info: {
      id,
      kind: "shopify",
      shop: {
        url: sim.url,
        shopDomain: sim.shopDomain,
        accessToken: sim.accessToken,
        locationId: sim.locationId,
        apiVersion: sim.apiVersion,
      },
      refs: items.map((i) => i.id),
    },
    order(sku, qty) {
      const o = sim.createOrder([{ sku, qty }]);
      const body = JSON.stringify(sim.restOrder(o.id));
      return {
        topic: "orders/create",
        body,
        headers: {
          "x-shopify-hmac-sha256": signBase64(secret!, body),
          "x-shopify-topic": "orders/create",
          "x-shopify-shop-domain": sim.shopDomain,
          "x-shopify-webhook-id": `${id}-${++seq}`,
        },
      };
    },
    trim() {
      sim.requests.length = 0;
      sim.state.changes.length = 0;
      sim.state.orders.length = 0;
    },
    close: () => sim.close(),
  };
}

async function wooLane(id: string): Promise<SimLane> {
  const sim = await startWooSim();
  const products = sim.seedProducts(skuCount, { stock: 0 });
  let seq = 0;
  return {
    info: {
      id,
      kind: "woocommerce",
      woo: { url: sim.url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret },
      refs: products.map((p) => String(p.id)),
    },
    order(sku, qty) {
      const o = sim.createOrder([{ sku, qty }], { status: "processing" });
      const body = JSON.stringify(sim.orderJson(o.id));
      return {
        topic: "order.created",
        body,
        headers: {
          "x-wc-webhook-signature": signBase64(secret!, body),
          "x-wc-webhook-topic": "order.created",
          "x-wc-webhook-delivery-id": `${id}-${++seq}`,
        },
      };
    },
    trim() {
      sim.requests.length = 0;
      sim.state.changes.length = 0;
      sim.state.orders.length = 0;
    },
    close: () => sim.close(),
  };
}

const lanes: SimLane[] = [];
for (const id of ["shop1", "shop2", "shop3", "shop4"]) lanes.push(await shopLane(id));
for (const id of ["woo1", "woo2", "woo3"]) lanes.push(await wooLane(id));
// A year of calls would be the simulators' memory growing with the run.
const trimming = setInterval(() => {
  for (const l of lanes) l.trim();
}, 250);

process.on("message", (m: SimsRequest) => {
  if (m.op === "orders") {
    const webhooks = m.orders.map(([lane, sku, qty]) => ({ lane, ...lanes[lane]!.order(sku, qty) }));
    for (const l of lanes) l.trim();
    send({ op: "orders", tag: m.tag, webhooks });
    return;
  }
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
  send({ op: "memory", tag: m.tag, peakRssBytes: kb ? Number(kb) * 1024 : process.resourceUsage().maxRSS * 1024 });
});
process.on("disconnect", () => {
  clearInterval(trimming);
  void Promise.all(lanes.map((l) => l.close())).then(() => process.exit(0));
});
send({ op: "ready", lanes: lanes.map((l) => l.info) });
