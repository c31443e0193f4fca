import { startShopifySim } from "../src/sandbox/shopify.js";
import { type SimWooProduct, startWooSim } from "../src/sandbox/woocommerce.js";
import { type FakesMessage, type FakesRequest, monotonicMs } from "./sync-fakes.js";
import { BENCH_SHOP_BUCKET } from "./two-channels.js";

// The oversell-window bench's Shopify and WooCommerce simulators in their own process (bench/sync-fakes.ts starts
// it): N items on each on the command line, requests from the parent over the IPC channel.
const n = Number(process.argv[2]);
if (!n || !process.send) {
  process.stderr.write("usage: started by bench/sync-fakes.ts with an IPC channel and the catalog size\n");
  process.exit(2);
}
const send = (m: FakesMessage): void => void process.send?.(m);
const shop = await startShopifySim({ bucket: BENCH_SHOP_BUCKET });
const woo = await startWooSim();
const items = shop.seedItems(n, { available: 0 });
const products = woo.seedProducts(n, { stock: 0 });
const [spare] = woo.seedProducts(1, { prefix: "DIRECT", stock: 0 });

/**
 * Reports (`visible`) the moment the product stores `expected`: a setter on the simulator's own object, so nothing
 * polls and the time is taken where the quantity lands.
 */
function arm(product: SimWooProduct, expected: number, tag: number): void {
  let value = product.stockQuantity;
  Object.defineProperty(product, "stockQuantity", {
    configurable: true,
    enumerable: true,
    get: () => value,
    set: (v: number | null) => {
      value = v;
      if (v !== expected) return;
      const at = monotonicMs();
      Object.defineProperty(product, "stockQuantity", {
        value: v,
        writable: true,
        configurable: true,
        enumerable: true,
      });
      send({ op: "visible", tag, at });
    },
  });
}

process.on("message", async (m: FakesRequest) => {
  if (m.op === "arm") {
    arm(woo.state.products.get(m.productId)!, m.expected, m.tag);
    send({ op: "armed", tag: m.tag });
    return;
  }
  const product = woo.state.products.get(products[m.k]!.id)!;
  arm(product, product.stockQuantity! - 1, m.tag);
  const order = shop.createOrder([{ sku: items[m.k]!.sku, qty: 1 }]);
  const payload = shop.restOrder(order.id);
  const sentAt = monotonicMs();
  const res = await shop.sendWebhook({ url: m.url, topic: "orders/create", payload, secret: m.secret });
  send({ op: "sent", tag: m.tag, sentAt, status: res.status });
});
process.on("disconnect", () => {
  void Promise.all([shop.close(), woo.close()]).then(() => process.exit(0));
});
send({
  op: "ready",
  shop: {
    url: shop.url,
    shopDomain: shop.shopDomain,
    accessToken: shop.accessToken,
    locationId: shop.locationId,
    apiVersion: shop.apiVersion,
  },
  woo: { url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret },
  items: items.map((i) => ({ id: i.id, sku: i.sku })),
  products: products.map((p) => ({ id: p.id, sku: p.sku })),
  spare: { id: spare!.id, sku: spare!.sku },
});
