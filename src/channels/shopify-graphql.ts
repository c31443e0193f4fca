/**
 * Every Admin GraphQL document the Shopify adapter sends, per API version, in one place, so that
 * test/shopify-schema.test.ts can validate each of them against Shopify's published introspection of
 * that version (test/fixtures/schemas/shopify-admin-*.json.gz) and execute them against schema-shaped answers.
 */

/** The Admin API versions the adapter is validated against (one published schema each); the config accepts only these. */
export const SHOPIFY_API_VERSIONS = ["2025-01", "2026-01", "2026-04"] as const;
/** One of SHOPIFY_API_VERSIONS. */
export type ShopifyApiVersion = (typeof SHOPIFY_API_VERSIONS)[number];
/** The version a new channel pins when stockradar.yaml names none: the newest one with a published schema. */
export const SHOPIFY_DEFAULT_VERSION: ShopifyApiVersion = "2026-04";

/** What one Admin API version's schema offers the adapter. */
export interface ShopifyVersionFeatures {
  /** `InventoryQuantityInput.changeFromQuantity` (else `compareQuantity` + `ignoreCompareQuantity`). */
  changeFromQuantity: boolean;
  /** The `@idempotent(key:)` directive, sent on inventorySetQuantities and refundCreate. */
  idempotentDirective: boolean;
  /** `InventoryItem.variants` (the connection); `InventoryItem.variant` is deprecated there. */
  inventoryItemVariants: boolean;
}

/**
 * The version table, read from the schemas' introspection (the test re-derives every flag from the files):
 * 2026-01 adds changeFromQuantity; 2026-04 removes compareQuantity, adds `@idempotent` and `InventoryItem.variants`.
 */
export const SHOPIFY_VERSION_FEATURES: Record<ShopifyApiVersion, ShopifyVersionFeatures> = {
  "2025-01": { changeFromQuantity: false, idempotentDirective: false, inventoryItemVariants: false },
  "2026-01": { changeFromQuantity: true, idempotentDirective: false, inventoryItemVariants: false },
  "2026-04": { changeFromQuantity: true, idempotentDirective: true, inventoryItemVariants: true },
};

/** The GraphQL documents the adapter sends on one API version. */
export interface ShopifyDocuments {
  /** Orders updated since a time, with their first lines and fulfillments. */
  orders: string;
  /** The next page of one order's lines. */
  moreLines: string;
  /** Availability and listing state of inventory items at one location. */
  stockLevels: string;
  /** The same at `locations` locations at once (`l0`…: one aliased inventoryLevel per mapped location, issue 13). */
  stockLevelsAt: (locations: number) => string;
  /** A page of the inventory levels at one location (the catalog). */
  catalog: string;
  /** Variant, product and price behind inventory items, plus the shop currency. */
  priceLevels: string;
  /** One request that sets the prices of `products` products (one aliased productVariantsBulkUpdate each). */
  priceUpdate: (products: number) => string;
  /** inventorySetQuantities, with `@idempotent` when a key is given. */
  setAvailable: (key: string | null) => string;
  /** An order's transactions (to find the payment a refund goes back to). */
  orderTransactions: string;
  /** refundCreate, with `@idempotent` when a key is given. */
  refund: (key: string | null) => string;
  /** orderCancel without refund or restock (the promotion guard's Cancel). */
  orderCancel: string;
}

const MONEY = "shopMoney { amount currencyCode }";
const LINE_FIELDS = `id sku quantity currentQuantity unfulfilledQuantity originalUnitPriceSet { ${MONEY} } variant { inventoryItem { id } }`;
const idempotent = (key: string | null): string => (key ? ` @idempotent(key: "${key}")` : "");

/** The documents for `version`; `InventoryItem.variant` is read only where `variants` does not exist yet. */
export function shopifyDocuments(version: ShopifyApiVersion): ShopifyDocuments {
  const f = SHOPIFY_VERSION_FEATURES[version];
  const variant = (fields: string) =>
    f.inventoryItemVariants ? `variants(first: 1) { nodes { ${fields} } }` : `variant { ${fields} }`;
  return {
    orders: `query Orders($first: Int!, $after: String, $q: String!) { orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $q) { nodes { id createdAt updatedAt cancelledAt displayFinancialStatus currentTotalPriceSet { ${MONEY} } shippingAddress { countryCodeV2 provinceCode city } lineItems(first: 10) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } } fulfillments(first: 2) { createdAt trackingInfo(first: 1) { number company } fulfillmentLineItems(first: 10) { nodes { lineItem { id } quantity } } } } pageInfo { hasNextPage endCursor } } }`,
    moreLines: `query MoreLines($id: ID!, $after: String) { order(id: $id) { lineItems(first: 50, after: $after) { nodes { ${LINE_FIELDS} } pageInfo { hasNextPage endCursor } } } }`,
    stockLevels: `query StockLevels($ids: [ID!]!, $loc: ID!) { nodes(ids: $ids) { ... on InventoryItem { id sku tracked ${variant("product { status }")} inventoryLevel(locationId: $loc) { quantities(names: ["available"]) { name quantity } } } } }`,
    stockLevelsAt: (locations) => {
      const n = [...Array(locations).keys()];
      const decl = n.map((i) => `$l${i}: ID!`).join(", ");
      const levels = n
        .map((i) => `l${i}: inventoryLevel(locationId: $l${i}) { quantities(names: ["available"]) { name quantity } }`)
        .join(" ");
      return `query StockLevelsAt($ids: [ID!]!, ${decl}) { nodes(ids: $ids) { ... on InventoryItem { id sku tracked ${variant("product { status }")} ${levels} } } }`;
    },
    catalog: `query Catalog($loc: ID!, $first: Int!, $after: String) { location(id: $loc) { inventoryLevels(first: $first, after: $after) { nodes { item { id sku ${variant("displayName product { status }")} } quantities(names: ["available"]) { name quantity } } pageInfo { hasNextPage endCursor } } } }`,
    priceLevels: `query PriceLevels($ids: [ID!]!) { shop { currencyCode } nodes(ids: $ids) { ... on InventoryItem { id ${variant("id price compareAtPrice product { id }")} } } }`,
    priceUpdate: (products) => {
      const n = [...Array(products).keys()];
      const decl = n.map((i) => `$p${i}: ID!, $v${i}: [ProductVariantsBulkInput!]!`).join(", ");
      const fields = n.map(
        (i) =>
          `p${i}: productVariantsBulkUpdate(productId: $p${i}, variants: $v${i}, allowPartialUpdates: true) { productVariants { id price } userErrors { code field message } }`,
      );
      return `mutation PriceUpdate(${decl}) { ${fields.join(" ")} }`;
    },
    setAvailable: (key) =>
      `mutation SetAvailable($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input)${idempotent(key)} { inventoryAdjustmentGroup { id changes { name delta quantityAfterChange item { id } location { id } } } userErrors { code field message } } }`,
    orderTransactions: `query OrderTransactions($id: ID!) { order(id: $id) { transactions(first: 20) { id gateway kind status amountSet { ${MONEY} } } } }`,
    refund: (key) =>
      `mutation Refund($input: RefundInput!) { refundCreate(input: $input)${idempotent(key)} { refund { id totalRefundedSet { ${MONEY} } } userErrors { field message } } }`,
    // `refund` is required before 2026-01 and a deprecated argument (still accepted) after; userErrors is deprecated here.
    orderCancel: `mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!, $staffNote: String) { orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock, notifyCustomer: false, staffNote: $staffNote) { job { id done } orderCancelUserErrors { code field message } } }`,
  };
}
