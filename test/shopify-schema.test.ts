/**
 * Contract test of the Shopify adapter against Shopify's own published Admin GraphQL introspections
 * (test/fixtures/schemas/shopify-admin-{2025-01,2026-01,2026-04}.json.gz; sources in that folder's README):
 *  1. every document the adapter sends (src/channels/shopify-graphql.ts) validates on every version it claims;
 *  2. the adapter's version table (changeFromQuantity, @idempotent, InventoryItem.variants) is what the files say;
 *  3. the adapter runs against a local server that executes each request with graphql-js on that schema
 *     (variables are coerced by the schema's input types, so a null in a `String!` input is an error), answering
 *     with schema-shaped values in which every nullable field the documents select is null in at least one run.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  execute,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  type IntrospectionQuery,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { createShopifyChannel, type ShopifyConfig } from "../src/channels/shopify.js";
import {
  SHOPIFY_API_VERSIONS,
  SHOPIFY_VERSION_FEATURES,
  type ShopifyApiVersion,
  shopifyDocuments,
} from "../src/channels/shopify-graphql.js";
import { asOrderId, type Sku } from "../src/ids.js";
import { UpstreamError } from "../src/upstream/errors.js";
import { channelDeps, never } from "./support/channels.js";
import { shopifyChannel } from "./support/sync.js";

const FILES: Record<ShopifyApiVersion, string> = {
  "2025-01": "shopify-admin-2025-01.json.gz",
  "2026-01": "shopify-admin-2026-01.json.gz",
  "2026-04": "shopify-admin-2026-04.json.gz",
};
const schemas = new Map<ShopifyApiVersion, GraphQLSchema>();
const schemaOf = (v: ShopifyApiVersion): GraphQLSchema => {
  const s = schemas.get(v);
  if (!s) throw new Error(`schema ${v} not loaded`);
  return s;
};
beforeAll(() => {
  for (const v of SHOPIFY_API_VERSIONS) {
    const raw = gunzipSync(readFileSync(new URL(`./fixtures/schemas/${FILES[v]}`, import.meta.url)));
    schemas.set(v, buildClientSchema((JSON.parse(raw.toString("utf8")) as { data: IntrospectionQuery }).data));
  }
});

/** The adapter operations that send each document (see `battery`). */
const SENT_BY: Record<string, string[]> = {
  orders: ["fetchOrders"],
  moreLines: ["fetchOrders"],
  stockLevels: ["fetchStock", "pushStock"],
  "stockLevelsAt(2)": ["fetchStockAt", "pushStockAt"],
  catalog: ["listCatalog"],
  priceLevels: ["fetchPrices", "pushPrices"],
  "priceUpdate(1)": ["pushPrices"],
  "priceUpdate(20)": ["pushPrices"],
  setAvailable: ["pushStock", "pushStockAt"],
  orderTransactions: ["refund"],
  refund: ["refund"],
  orderCancel: ["cancelOrder"],
};

/** Every document the adapter can send on `v`, with the key argument it uses there. */
function documentsFor(v: ShopifyApiVersion): [string, string][] {
  const d = shopifyDocuments(v);
  const key = SHOPIFY_VERSION_FEATURES[v].idempotentDirective ? "0b7f2f0e-3c1a-5d7e-9a55-2f1c7f4e9b10" : null;
  return [
    ["orders", d.orders],
    ["moreLines", d.moreLines],
    ["stockLevels", d.stockLevels],
    ["stockLevelsAt(2)", d.stockLevelsAt(2)],
    ["catalog", d.catalog],
    ["priceLevels", d.priceLevels],
    ["priceUpdate(1)", d.priceUpdate(1)],
    ["priceUpdate(20)", d.priceUpdate(20)],
    ["setAvailable", d.setAvailable(key)],
    ["orderTransactions", d.orderTransactions],
    ["refund", d.refund(key)],
    ["orderCancel", d.orderCancel],
  ];
}

/** Fields (Type.field) a document selects that are deprecated in `schema`. */
function deprecatedIn(schema: GraphQLSchema, doc: string): string[] {
  const info = new TypeInfo(schema);
  const out: string[] = [];
  visit(
    parse(doc),
    visitWithTypeInfo(info, {
      Field() {
        const f = info.getFieldDef();
        const parent = info.getParentType();
        if (f?.deprecationReason) out.push(`${parent?.name}.${f.name}`);
      },
    }),
  );
  return out;
}

/** Every nullable position a document selects: `Type.field` for nullable fields, `Type.field[]` for nullable list items. */
function nullablePositions(schema: GraphQLSchema, doc: string): string[] {
  const info = new TypeInfo(schema);
  const out = new Set<string>();
  visit(
    parse(doc),
    visitWithTypeInfo(info, {
      Field() {
        const f = info.getFieldDef();
        const parent = info.getParentType();
        if (!f || !parent || f.name.startsWith("__")) return;
        const coord = `${parent.name}.${f.name}`;
        if (!isNonNullType(f.type)) out.add(coord);
        const inner = getNullableType(f.type);
        if (isListType(inner) && !isNonNullType(inner.ofType)) out.add(`${coord}[]`);
      },
    }),
  );
  return [...out];
}

describe("shopify documents against the published Admin schemas", () => {
  for (const v of SHOPIFY_API_VERSIONS) {
    it(`every document validates on ${v} (${FILES[v]}) and selects no deprecated field`, () => {
      const schema = schemaOf(v);
      for (const [name, doc] of documentsFor(v)) {
        expect(
          validate(schema, parse(doc)).map((e) => e.message),
          `${name} on ${v}`,
        ).toEqual([]);
        expect(deprecatedIn(schema, doc), `${name} on ${v}`).toEqual([]);
      }
    });
  }

  it("the version table is what each schema file declares", () => {
    for (const v of SHOPIFY_API_VERSIONS) {
      const schema = schemaOf(v);
      const f = SHOPIFY_VERSION_FEATURES[v];
      const item = schema.getType("InventoryItem");
      const input = schema.getType("InventorySetQuantitiesInput");
      if (!isObjectType(item) || !isInputObjectType(input)) throw new Error(`${v}: types missing`);
      const q = getNamedType(input.getFields().quantities?.type);
      if (!isInputObjectType(q)) throw new Error(`${v}: quantities input missing`);
      const qFields = q.getFields();
      expect({
        version: v,
        idempotentDirective: schema.getDirective("idempotent") !== undefined,
        changeFromQuantity: "changeFromQuantity" in qFields,
        inventoryItemVariants: "variants" in item.getFields(),
      }).toEqual({ version: v, ...f });
      // 2026-04 removed compareQuantity/ignoreCompareQuantity; the adapter sends them only where changeFromQuantity is absent.
      expect("compareQuantity" in qFields, v).toBe(v < "2026-04");
      expect("ignoreCompareQuantity" in input.getFields(), v).toBe(v < "2026-04");
    }
  });

  it("a keyed mutation is invalid where the schema has no @idempotent directive (so the adapter must not send one)", () => {
    for (const v of SHOPIFY_API_VERSIONS) {
      const d = shopifyDocuments(v);
      const errors = [d.setAvailable("k"), d.refund("k")].flatMap((doc) =>
        validate(schemaOf(v), parse(doc)).map((e) => e.message),
      );
      if (SHOPIFY_VERSION_FEATURES[v].idempotentDirective) expect(errors, v).toEqual([]);
      else expect(errors, v).toEqual(['Unknown directive "@idempotent".', 'Unknown directive "@idempotent".']);
    }
  });
});

/** One request the fake received, with what graphql-js made of it. */
interface Executed {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  errors: string[];
}

const PREFERRED_ENUM = ["USD", "SALE", "SUCCESS", "ACTIVE", "PAID"];

/**
 * A local Admin GraphQL endpoint for one version: parses, validates and executes each request on the schema.
 * Values are generated from the field's type; `nullAt` names one nullable position answered with null.
 */
async function startSchemaServer(version: ShopifyApiVersion) {
  const schema = schemaOf(version);
  const state = { nullAt: "", hit: new Set<string>(), executed: [] as Executed[] };

  const leaf = (type: GraphQLOutputType, info: GraphQLResolveInfo): unknown => {
    const named = getNamedType(type);
    if (isEnumType(named)) {
      const values = named.getValues().map((x) => x.value as string);
      return PREFERRED_ENUM.find((p) => values.includes(p)) ?? values[0];
    }
    switch (named.name) {
      case "ID":
        return `gid://shopify/${info.parentType.name}/7`;
      case "Boolean":
        // Order lines report a further page so that MoreLines is exercised too.
        return info.fieldName === "hasNextPage"
          ? info.operation.name?.value === "Orders" && info.path.prev?.prev?.key === "lineItems"
          : true;
      case "Int":
      case "Float":
      case "UnsignedInt64":
        return 1;
      case "DateTime":
        return "2026-11-30T10:00:00Z";
      case "Decimal":
      case "Money":
        return "12.50";
      default:
        return info.fieldName === "sku" ? "SKU-0007" : "x";
    }
  };

  const value = (type: GraphQLOutputType, info: GraphQLResolveInfo): unknown => {
    const named = getNamedType(type);
    if (isAbstractType(named)) {
      // The concrete type the selection asks for (`... on InventoryItem`), else the first possible one.
      const frag = info.fieldNodes[0]?.selectionSet?.selections.find((s) => s.kind === Kind.INLINE_FRAGMENT);
      const typename =
        frag?.kind === Kind.INLINE_FRAGMENT && frag.typeCondition
          ? frag.typeCondition.name.value
          : schema.getPossibleTypes(named)[0]?.name;
      return { __typename: typename };
    }
    if (isObjectType(named)) return {};
    return leaf(type, info);
  };

  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _ctx, info) => {
    const coord = `${info.parentType.name}.${info.fieldName}`;
    if (source && typeof source === "object" && info.fieldName in source)
      return (source as Record<string, unknown>)[info.fieldName];
    const t = info.returnType;
    if (!isNonNullType(t) && state.nullAt === coord) {
      state.hit.add(coord);
      return null;
    }
    const inner = getNullableType(t);
    if (!isListType(inner)) return value(inner, info);
    const item = inner.ofType as GraphQLOutputType;
    const nullItem = !isNonNullType(item) && state.nullAt === `${coord}[]`;
    if (nullItem) state.hit.add(`${coord}[]`);
    // No userErrors, except when the position under test is a field of the userError type itself.
    if (info.fieldName === "userErrors" && !state.nullAt.startsWith(`${getNamedType(item).name}.`)) return [];
    if (coord === "QueryRoot.nodes") {
      const ids = (args as { ids: string[] }).ids;
      return ids.map((id) => (nullItem ? null : { ...(value(item, info) as object), id }));
    }
    return [nullItem ? null : value(item, info)];
  };

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      const document = parse(query);
      const invalid = validate(schema, document);
      const result = invalid.length
        ? { errors: invalid }
        : (execute({ schema, document, variableValues: variables, fieldResolver }) as {
            data?: unknown;
            errors?: readonly { message: string }[];
          });
      const op = document.definitions[0];
      state.executed.push({
        operation: op?.kind === Kind.OPERATION_DEFINITION ? (op.name?.value ?? "?") : "?",
        query,
        variables,
        errors: (result.errors ?? []).map((e) => e.message),
      });
      res.writeHead(200, { "content-type": "application/json", "x-shopify-api-version": version });
      res.end(
        JSON.stringify({
          ...("data" in result ? { data: result.data } : {}),
          ...(result.errors?.length ? { errors: result.errors.map((e) => ({ message: e.message })) } : {}),
        }),
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, state, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

const REF = "gid://shopify/InventoryItem/41";
const SKU = "SKU-0041" as Sku;

/** Runs every adapter operation once; returns the failures that are parse errors (the adapter rejecting a legal answer). */
async function battery(url: string, version: ShopifyApiVersion, ops: Set<string>): Promise<string[]> {
  const config: ShopifyConfig = {
    id: "shop1",
    kind: "shopify",
    shop: "schema.myshopify.com",
    accessToken: "shpat_schema",
    locationId: "gid://shopify/Location/1",
    apiBase: url,
    apiVersion: version,
    timeoutMs: 5_000,
    bufferUnits: 0,
    failureAlertAfter: 5,
    unhealthyAfterMinutes: 15,
  };
  // A bucket far above any query cost, and no retries: this test is about shapes, not pacing.
  const deps = channelDeps("shop1", {
    buckets: { default: { ratePerSec: 1e9, burst: 1e9 } },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
  });
  const shop = createShopifyChannel({ ...deps, config });
  // Per location (issue 13): a mapping of two stock locations, pushed and read one Shopify location each.
  const perLocation = createShopifyChannel({
    ...deps,
    config: {
      ...config,
      locationId: undefined,
      locations: { home: "gid://shopify/Location/1", "3pl": "gid://shopify/Location/2" },
    },
  });
  const bad: string[] = [];
  const isParseFailure = (err: unknown) => err instanceof UpstreamError && err.code === "upstream_unexpected_shape";
  const run = async (name: string, f: () => Promise<unknown>) => {
    if (!ops.has(name)) return;
    try {
      const r = await f();
      for (const o of Array.isArray(r) ? (r as { ok?: boolean; error?: unknown }[]) : [])
        if (o.ok === false && isParseFailure(o.error)) bad.push(`${name}: ${(o.error as Error).message}`);
    } catch (err) {
      if (isParseFailure(err) || !(err instanceof Error) || !("code" in err))
        bad.push(`${name}: ${(err as Error).message}`);
    }
  };
  await run("fetchOrders", () => shop.fetchOrders(null, never));
  await run("fetchStock", () => shop.fetchStock([{ sku: SKU, ref: REF }], never));
  await run("fetchStockAt", () => perLocation.fetchStock([{ sku: SKU, ref: REF }], never));
  await run("pushStockAt", () =>
    perLocation.pushStock(
      [
        {
          sku: SKU,
          ref: REF,
          quantity: 5,
          byLocation: [
            { location: "home", quantity: 2 },
            { location: "3pl", quantity: 3 },
          ],
        },
      ],
      { idempotencyKey: "push-at-1", signal: never },
    ),
  );
  await run("listCatalog", () => shop.listCatalog(never));
  await run("fetchPrices", () => shop.fetchPrices?.([{ sku: SKU, ref: REF }], never) ?? Promise.resolve());
  await run(
    "pushPrices",
    () =>
      shop.pushPrices?.([{ sku: SKU, ref: REF, price: { amountMinor: 1999, currency: "USD" } }], {
        idempotencyKey: "price-1",
        signal: never,
      }) ?? Promise.resolve(),
  );
  await run("pushStock", () =>
    shop.pushStock(
      [
        { sku: SKU, ref: REF, quantity: 5, previous: 3 },
        { sku: "SKU-0042" as Sku, ref: "gid://shopify/InventoryItem/42", quantity: 2 },
      ],
      { idempotencyKey: "push-1", signal: never },
    ),
  );
  await run(
    "refund",
    () =>
      shop.refund?.(
        { orderId: asOrderId("1001"), amount: { amountMinor: 500, currency: "USD" }, reason: "damaged" },
        { idempotencyKey: "refund-1", signal: never },
      ) ?? Promise.resolve(),
  );
  await run(
    "cancelOrder",
    () =>
      shop.cancelOrder?.("1001", { idempotencyKey: "cancel-1", note: "held line 1", signal: never }) ??
      Promise.resolve(),
  );
  return bad;
}

describe("shopify adapter against schema-shaped answers (graphql-js execute)", () => {
  for (const v of SHOPIFY_API_VERSIONS) {
    it(`accepts every null ${v} allows and sends only inputs ${v} accepts`, async () => {
      const fake = await startSchemaServer(v);
      try {
        const opsFor = new Map<string, Set<string>>();
        for (const [name, doc] of documentsFor(v))
          for (const p of nullablePositions(schemaOf(v), doc))
            opsFor.set(p, new Set([...(opsFor.get(p) ?? []), ...(SENT_BY[name] ?? [])]));
        const positions = [...opsFor.keys()];
        const everyOp = new Set(Object.values(SENT_BY).flat());
        // The field the issue named: FulfillmentLineItem.quantity is `Int` and must not fail an orders page.
        expect(positions).toContain("FulfillmentLineItem.quantity");
        expect(positions).toContain("OrderTransaction.gateway");
        const failures: string[] = [];
        for (const nullAt of ["", ...positions]) {
          fake.state.nullAt = nullAt;
          for (const f of await battery(fake.url, v, opsFor.get(nullAt) ?? everyOp))
            failures.push(`null at ${nullAt || "(none)"} → ${f}`);
        }
        expect(failures).toEqual([]);
        // Every request was valid for this version, variables included (no null into String!, no removed input field).
        expect(fake.state.executed.filter((e) => e.errors.length)).toEqual([]);
        const ops = new Set(fake.state.executed.map((e) => e.operation));
        expect([...ops].sort()).toEqual(
          [
            "Catalog",
            "MoreLines",
            "OrderCancel",
            "OrderTransactions",
            "Orders",
            "PriceLevels",
            "PriceUpdate",
            "Refund",
            "SetAvailable",
            "StockLevels",
            "StockLevelsAt",
          ].sort(),
        );
        // Each nullable position was answered with null at least once (the positions under a parent that the adapter
        // only reaches through that parent are still reached: lists hold one element, MoreLines follows Orders).
        expect(positions.filter((p) => !fake.state.hit.has(p))).toEqual([]);
        // With gateway null the refund stopped before refundCreate; with it present, the gateway went into the input.
        const refunds = fake.state.executed.filter((e) => e.operation === "Refund");
        for (const r of refunds) {
          const tx = (r.variables.input as { transactions: { gateway: unknown }[] }).transactions;
          expect(typeof tx[0]?.gateway).toBe("string");
        }
        expect(refunds.length).toBeGreaterThan(0);
        // @idempotent exactly where the schema declares it; the quantity check field this version has.
        const f = SHOPIFY_VERSION_FEATURES[v];
        const mutations = fake.state.executed.filter((e) => e.operation === "SetAvailable" || e.operation === "Refund");
        expect(new Set(mutations.map((e) => e.query.includes("@idempotent(key:")))).toEqual(
          new Set([f.idempotentDirective]),
        );
        const sent = fake.state.executed
          .filter((e) => e.operation === "SetAvailable")
          .flatMap((e) => (e.variables.input as { quantities: Record<string, unknown>[] }).quantities);
        expect(sent.length).toBeGreaterThan(0);
        for (const q of sent) {
          expect("changeFromQuantity" in q, v).toBe(f.changeFromQuantity);
          if (f.changeFromQuantity) expect(q).not.toHaveProperty("compareQuantity");
        }
      } finally {
        await fake.close();
      }
    }, 120_000);
  }
});

describe("the simulator answers only the variant field the adapter asked for (issue 17 item 5)", () => {
  for (const v of ["2025-01", "2026-04"] as const) {
    it(`${v}: the adapter reads InventoryItem.${v < "2026-04" ? "variant" : "variants"} and only that`, async () => {
      const { sim, channel } = await shopifyChannel("shop", { apiVersion: v });
      try {
        const items = sim.seedItems(3);
        sim.setPrice(items[1]!.id, "21.00");
        const signal = new AbortController().signal;
        const catalog = await channel.listCatalog(signal);
        expect(catalog.map((c) => c.title).sort()).toEqual(items.map((it) => it.title).sort());
        const prices = await channel.fetchPrices!(
          items.map((it) => ({ sku: it.sku as Sku, ref: it.id })),
          signal,
        );
        expect(prices.map((p) => p.price?.amountMinor)).toEqual([1000, 2100, 1000]);
        const bodies = sim.requests.filter((r) => r.path.endsWith("/graphql.json")).map((r) => r.body);
        expect(bodies.length).toBeGreaterThan(1);
        const asksVariant = bodies.some((b) => /\bvariant\s*\{/.test(JSON.parse(b).query));
        const asksVariants = bodies.some((b) => /\bvariants\s*[({]/.test(JSON.parse(b).query));
        expect({ asksVariant, asksVariants }).toEqual({ asksVariant: v < "2026-04", asksVariants: v >= "2026-04" });
      } finally {
        await sim.close();
      }
    });
  }
});
