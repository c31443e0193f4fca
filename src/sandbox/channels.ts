import { must } from "../internal-error.js";
import type { FaultOptions } from "./common.js";
import { type ShopifySim, startShopifySim } from "./shopify.js";
import { startWooSim, type WooSim } from "./woocommerce.js";

/** A catalog line to seed into the simulators. */
export interface SandboxSku {
  sku: string;
  title: string;
  available: number;
}

/** Running Shopify and WooCommerce simulators plus the config and listing refs that point at them. */
export interface ChannelSandbox {
  shopify: ShopifySim;
  woo: WooSim;
  /** Raw `channels:` entries (before parseConfig) for a Shopify channel "shop" and a Woo channel "woo". */
  channels: Record<string, unknown>[];
  /** Listing refs by channel id, then SKU: what `/link` would store. */
  refs: Record<"shop" | "woo", Record<string, string>>;
  webhookSecrets: Record<"shop" | "woo", string>;
  close(): Promise<void>;
}

/**
 * Starts both simulators with the same catalog for `stockradar demo` (and end-to-end tests): returns
 * channel configs to merge into the demo config and the refs to link each SKU with.
 *
 * @example
 * const sandbox = await startChannelSandbox([{ sku: "MUG-01", title: "Mug", available: 30 }]);
 * const config = parseConfig({ channels: sandbox.channels });
 */
export async function startChannelSandbox(
  catalog: SandboxSku[],
  opts: { faults?: FaultOptions } = {},
): Promise<ChannelSandbox> {
  const shopify = await startShopifySim(opts.faults ? { faults: opts.faults } : {});
  const woo = await startWooSim(opts.faults ? { faults: opts.faults } : {});
  const refs: ChannelSandbox["refs"] = { shop: {}, woo: {} };
  for (const line of catalog) {
    const item = must(shopify.seedItems(1, { available: line.available })[0], "seedItems(1) seeds one");
    item.sku = line.sku;
    item.title = line.title;
    refs.shop[line.sku] = item.id;
    const product = must(woo.seedProducts(1, { stock: line.available })[0], "seedProducts(1) seeds one");
    product.sku = line.sku;
    product.name = line.title;
    refs.woo[line.sku] = String(product.id);
  }
  const webhookSecrets = { shop: "sandbox-shopify-webhook-secret", woo: "sandbox-woo-webhook-secret" };
  return {
    shopify,
    woo,
    refs,
    webhookSecrets,
    channels: [
      {
        id: "shop",
        kind: "shopify",
        shop: shopify.shopDomain,
        accessToken: shopify.accessToken,
        webhookSecret: webhookSecrets.shop,
        locationId: shopify.locationId,
        apiBase: shopify.url,
        apiVersion: shopify.apiVersion,
      },
      {
        id: "woo",
        kind: "woocommerce",
        apiBase: woo.url,
        consumerKey: woo.consumerKey,
        consumerSecret: woo.consumerSecret,
        webhookSecret: webhookSecrets.woo,
      },
    ],
    async close() {
      await Promise.all([shopify.close(), woo.close()]);
    },
  };
}
