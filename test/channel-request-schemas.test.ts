/**
 * What the Amazon and eBay adapters send, validated with ajv against the providers' own published schemas
 * (test/fixtures/schemas/, sources in its README):
 *  - Amazon: patchListingsItem body → amazon-listingsItems_2021-08-01.json.gz `ListingsItemPatchRequest`;
 *    createFeedDocument / createFeed bodies → amazon-feeds_2021-06-30.json.gz `CreateFeedDocumentSpecification` /
 *    `CreateFeedSpecification`; the uploaded JSON_LISTINGS_FEED document → amazon-listings-feed-schema-v2.json.
 *  - eBay: every request to Sell Inventory v1 / Sell Fulfillment v1 → ebay-sell_inventory_v1_oas3.json.gz /
 *    ebay-sell_fulfillment_v1_oas3.json.gz: the path and method exist, every query parameter is declared and
 *    matches its schema, and the JSON body matches the operation's requestBody schema (none → no body).
 * The requests are the ones the simulators recorded while the real adapters ran.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { Ajv, type ErrorObject } from "ajv";
import formats from "ajv-formats";
import { afterEach, describe, expect, it } from "vitest";
import { createAmazonChannel } from "../src/channels/amazon.js";
import { createEbayChannel } from "../src/channels/ebay.js";
import type { Sku } from "../src/ids.js";
import { startAmazonSim } from "../src/sandbox/amazon.js";
import type { RecordedRequest } from "../src/sandbox/common.js";
import { startEbaySim } from "../src/sandbox/ebay.js";
import { amazonConfig, channelDeps, ebayConfig, never } from "./support/channels.js";

type Json = Record<string, unknown>;
const load = (name: string): Json => {
  const raw = readFileSync(new URL(`./fixtures/schemas/${name}`, import.meta.url));
  return JSON.parse((name.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")) as Json;
};
// strict: false — the provider files carry vendor keywords (x-docgen-*, example) that are not JSON Schema.
const ajv = new Ajv({ strict: false, allErrors: true });
// `format` (date-time, uri, …) is checked too, not only types.
// ajv-formats is CommonJS: its function is the default export of the default export.
formats.default(ajv);
const messages = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);

/** A validator for one named definition of a Swagger 2 file (`#/definitions/…`) or OpenAPI 3 file (`#/components/schemas/…`). */
function definition(doc: Json, pointer: string) {
  const root = "definitions" in doc ? { definitions: doc.definitions } : { components: doc.components };
  return ajv.compile({ ...root, $ref: pointer });
}
const errorsOf = (validate: ReturnType<typeof definition>, value: unknown) => {
  validate(value);
  return messages(validate.errors);
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("amazon requests against the SP-API models", () => {
  const listings = load("amazon-listingsItems_2021-08-01.json.gz");
  const feeds = load("amazon-feeds_2021-06-30.json.gz");
  const feedSchema = ajv.compile(load("amazon-listings-feed-schema-v2.json"));

  async function amazon(feedThreshold: number) {
    const sim = await startAmazonSim();
    cleanup.push(() => sim.close());
    const config = amazonConfig(sim, { feedThreshold });
    return { sim, amz: createAmazonChannel({ ...channelDeps("amz"), config }) };
  }

  it("sends patchListingsItem bodies that are ListingsItemPatchRequest (listingsItems_2021-08-01.json)", async () => {
    const { sim, amz } = await amazon(1_000);
    const ls = sim.seedListings(3, { quantity: 4 });
    const out = await amz.pushStock(
      ls.map((l, i) => ({ sku: l.sku as Sku, ref: l.sku, quantity: i })),
      { idempotencyKey: "a", signal: never },
    );
    expect(out.every((o) => o.ok)).toBe(true);
    const patches = sim.calls("patchListingsItem");
    expect(patches).toHaveLength(3);
    const v = definition(listings, "#/definitions/ListingsItemPatchRequest");
    for (const r of patches) expect(errorsOf(v, JSON.parse(r.body))).toEqual([]);
    // The operation's declared query parameters: marketplaceIds (required) and issueLocale.
    for (const r of patches) expect(Object.keys(r.query).sort()).toEqual(["issueLocale", "marketplaceIds"]);
  });

  it("uploads a JSON_LISTINGS_FEED document valid against listings-feed-schema-v2.json, via valid feed requests (feeds_2021-06-30.json)", async () => {
    const { sim, amz } = await amazon(2);
    const ls = sim.seedListings(5, { quantity: 4 });
    const out = await amz.pushStock(
      ls.map((l, i) => ({ sku: l.sku as Sku, ref: l.sku, quantity: i + 1 })),
      { idempotencyKey: "f", signal: never },
    );
    expect(out.every((o) => o.ok)).toBe(true);
    const upload = sim.calls("upload");
    expect(upload).toHaveLength(1);
    const doc = JSON.parse(upload[0]?.body ?? "") as { messages: unknown[] };
    expect(doc.messages).toHaveLength(5);
    feedSchema(doc);
    expect(messages(feedSchema.errors)).toEqual([]);
    const createDoc = definition(feeds, "#/definitions/CreateFeedDocumentSpecification");
    const createFeed = definition(feeds, "#/definitions/CreateFeedSpecification");
    for (const r of sim.calls("createFeedDocument")) expect(errorsOf(createDoc, JSON.parse(r.body))).toEqual([]);
    for (const r of sim.calls("createFeed")) expect(errorsOf(createFeed, JSON.parse(r.body))).toEqual([]);
    expect(sim.calls("createFeed")).toHaveLength(1);
  });

  it("pushes prices as purchasable_offer: PATCH bodies and a JSON_LISTINGS_FEED valid against the models, read back (issue 14)", async () => {
    const { sim, amz } = await amazon(3);
    const ls = sim.seedListings(4, { quantity: 4 });
    const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" });
    const single = await amz.pushPrices!([{ sku: ls[0]!.sku as Sku, ref: ls[0]!.sku, price: eur(1990) }], {
      idempotencyKey: "p1",
      signal: never,
    });
    expect(single).toEqual([{ sku: ls[0]!.sku, ok: true, price: eur(1990) }]);
    const patch = sim.calls("patchListingsItem");
    expect(patch).toHaveLength(1);
    const body = JSON.parse(patch[0]!.body) as Json;
    expect(errorsOf(definition(listings, "#/definitions/ListingsItemPatchRequest"), body)).toEqual([]);
    expect(body.patches).toEqual([
      {
        op: "replace",
        path: "/attributes/purchasable_offer",
        value: [
          { marketplace_id: "A1PA6795UKMFR9", currency: "EUR", our_price: [{ schedule: [{ value_with_tax: 19.9 }] }] },
        ],
      },
    ]);
    const many = await amz.pushPrices!(
      ls.slice(1).map((l, i) => ({ sku: l.sku as Sku, ref: l.sku, price: eur(1000 + i) })),
      { idempotencyKey: "p2", signal: never },
    );
    expect(many.every((o) => o.ok)).toBe(true);
    const upload = sim.calls("upload");
    expect(upload).toHaveLength(1);
    const doc = JSON.parse(upload[0]?.body ?? "") as { messages: { patches: { path: string }[] }[] };
    expect(doc.messages.map((m) => m.patches[0]!.path)).toEqual(Array(3).fill("/attributes/purchasable_offer"));
    feedSchema(doc);
    expect(messages(feedSchema.errors)).toEqual([]);
    expect(sim.state.priceChanges.map((c) => [c.sku, c.value, c.via])).toEqual([
      [ls[0]!.sku, 19.9, "patch"],
      [ls[1]!.sku, 10, "feed"],
      [ls[2]!.sku, 10.01, "feed"],
      [ls[3]!.sku, 10.02, "feed"],
    ]);
    const back = await amz.fetchPrices!([{ sku: ls[2]!.sku as Sku, ref: ls[2]!.sku }], never);
    expect(back).toEqual([{ sku: ls[2]!.sku, ref: ls[2]!.sku, price: eur(1001) }]);
  });
});

/** Checks recorded requests against an OpenAPI 3 document: path + method, declared query parameters, request body. */
function oasChecker(doc: Json) {
  const servers = doc.servers as { variables?: { basePath?: { default?: string } } }[];
  const basePath = servers[0]?.variables?.basePath?.default ?? "";
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const routes = Object.entries(paths).map(([template, ops]) => ({
    re: new RegExp(`^${basePath}${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    template,
    ops,
  }));
  const cache = new Map<string, ReturnType<typeof definition>>();
  const compile = (key: string, schema: Json) => {
    let v = cache.get(key);
    if (!v) {
      v = ajv.compile({ components: doc.components, ...schema });
      cache.set(key, v);
    }
    return v;
  };
  return (r: RecordedRequest): string[] => {
    const route = routes.find((x) => x.re.test(r.path));
    const op = route?.ops[r.method.toLowerCase()];
    if (!route || !op) return [`${r.method} ${r.path}: no such operation`];
    const name = `${r.method} ${route.template}`;
    const out: string[] = [];
    const params = ((op.parameters ?? []) as { name: string; in: string; required?: boolean; schema?: Json }[]).filter(
      (p) => p.in === "query",
    );
    for (const [k, value] of Object.entries(r.query)) {
      const p = params.find((x) => x.name === k);
      if (!p) out.push(`${name}: undeclared query parameter ${k}`);
      else if (p.schema) {
        const v = compile(`${name}?${k}`, p.schema);
        if (!v(value)) out.push(...messages(v.errors).map((m) => `${name}?${k}=${value}: ${m}`));
      }
    }
    for (const p of params) if (p.required && !(p.name in r.query)) out.push(`${name}: missing ${p.name}`);
    const body = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content?.[
      "application/json"
    ]?.schema;
    if (!body) {
      if (r.body.length > 0) out.push(`${name}: sends a body (${r.body.slice(0, 40)}) but the operation takes none`);
    } else {
      const v = compile(`${name} body`, body);
      if (!v(JSON.parse(r.body))) out.push(...messages(v.errors).map((m) => `${name} body: ${m}`));
    }
    return out;
  };
}

describe("ebay requests against the Sell Inventory v1 and Sell Fulfillment v1 OpenAPI documents", () => {
  const inventory = oasChecker(load("ebay-sell_inventory_v1_oas3.json.gz"));
  const fulfillment = oasChecker(load("ebay-sell_fulfillment_v1_oas3.json.gz"));

  it("every request the adapter makes matches the OAS (sell_inventory_v1_oas3.json, sell_fulfillment_v1_oas3.json)", async () => {
    const sim = await startEbaySim();
    cleanup.push(() => sim.close());
    const config = ebayConfig(sim);
    const ebay = createEbayChannel({ ...channelDeps("ebay"), config });
    const items = sim.seedItems(30, { withOffer: true, quantity: 1 });
    const refs = items.map((it) => ({
      sku: it.sku as Sku,
      ref: `${it.sku}@${it.offers.map((o) => o.offerId).join(",")}`,
    }));
    const pushed = await ebay.pushStock(
      refs.map((r, i) => ({ ...r, quantity: i })),
      { idempotencyKey: "e", signal: never },
    );
    expect(pushed.every((o) => o.ok)).toBe(true);
    await ebay.fetchStock(refs, never);
    await ebay.listCatalog?.(never);
    const first = refs[0];
    if (!first) throw new Error("no item");
    await ebay.setListed?.(first, false, { idempotencyKey: "l0", signal: never });
    await ebay.setListed?.(first, true, { idempotencyKey: "l1", signal: never });
    // A ref without offer ids: the adapter looks the offers up first.
    await ebay.setListed?.({ sku: first.sku, ref: first.sku }, true, { idempotencyKey: "l2", signal: never });
    await ebay.fetchOrders(null, never);
    const api = sim.requests.filter((r) => r.path.startsWith("/sell/"));
    const ops = new Set(api.map((r) => r.op));
    expect([...ops].sort()).toEqual(
      [
        "bulkGetInventoryItem",
        "bulkUpdatePriceQuantity",
        "getInventoryItems",
        "getOffers",
        "getOrders",
        "publishOffer",
        "withdrawOffer",
      ].sort(),
    );
    const problems = api.flatMap((r) => (r.path.startsWith("/sell/fulfillment/") ? fulfillment(r) : inventory(r)));
    expect(problems).toEqual([]);
  });

  it("pushes prices as offers[].price in bulk_update_price_quantity, ≤25 a call, valid against the OAS, read back (issue 14)", async () => {
    const sim = await startEbaySim();
    cleanup.push(() => sim.close());
    const config = ebayConfig(sim, { scopes: ["https://api.ebay.com/oauth/api_scope/sell.inventory"] });
    const ebay = createEbayChannel({ ...channelDeps("ebay"), config });
    const items = sim.seedItems(30, { withOffer: true, quantity: 1 });
    // Half the refs name their offer, half make the adapter look it up.
    const refs = items.map((it, i) => ({
      sku: it.sku as Sku,
      ref: i % 2 ? `${it.sku}@${it.offers[0]!.offerId}` : it.sku,
    }));
    const usd = (amountMinor: number) => ({ amountMinor, currency: "USD" });
    const out = await ebay.pushPrices!(
      refs.map((r, i) => ({ ...r, price: usd(1000 + i) })),
      { idempotencyKey: "ep", signal: never },
    );
    expect(out.every((o) => o.ok)).toBe(true);
    const bulk = sim.requests.filter((r) => r.op === "bulkUpdatePriceQuantity");
    expect(bulk.map((r) => (JSON.parse(r.body) as { requests: unknown[] }).requests.length)).toEqual([25, 5]);
    expect((JSON.parse(bulk[0]!.body) as { requests: unknown[] }).requests[1]).toEqual({
      sku: items[1]!.sku,
      offers: [{ offerId: items[1]!.offers[0]!.offerId, price: { value: "10.01", currency: "USD" } }],
    });
    expect(sim.state.priceChanges).toHaveLength(30);
    const back = await ebay.fetchPrices!([refs[3]!], never);
    expect(back).toEqual([{ ...refs[3]!, price: usd(1003) }]);
    const problems = sim.requests.filter((r) => r.path.startsWith("/sell/")).flatMap((r) => inventory(r));
    expect(problems).toEqual([]);
  });
});
