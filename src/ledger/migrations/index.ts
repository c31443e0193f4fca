import callBudgets from "../../budget/migrations.js";
import cnChannels, { priceTodos, shopifyLocationLevels } from "../../channels/migrations.js";
import unknownChats from "../../chat/migrations.js";
import wecom from "../../chat/wecom/migrations.js";
import dashboard from "../../dashboard/migrations.js";
import flash from "../../flash/migrations.js";
import i18n from "../../i18n/migrations.js";
import money, { priceLimits, priceOutbox, priceRequests } from "../../money/migrations.js";
import logistics from "../../radar/migrations.js";
import sync, { bulkHolds } from "../../sync/migrations.js";
import core from "./001-core.js";
import locationsBundles from "./009-locations-bundles.js";
import alertMessages from "./015-alert-messages.js";
import bundleReservations from "./017-bundle-reservations.js";
import readOnlyLevels from "./018-read-only-levels.js";
import listingRiskBulkCauser from "./025-listing-risk-bulk-causer.js";
import listingsBySkuChannel from "./027-listings-by-sku-channel.js";

/**
 * The static registry of numbered schema migrations, applied in order inside one transaction each. Each feature
 * keeps its SQL beside its store (`src/<feature>/migrations.ts`); this list is the only place that numbers them.
 * Append only; never edit a shipped one (versions, names and SQL are what existing ledgers recorded).
 */
export const migrations: { version: number; name: string; sql: string }[] = [
  { version: 1, name: "core", sql: core },
  { version: 2, name: "sync", sql: sync },
  { version: 3, name: "cn-channels", sql: cnChannels },
  { version: 4, name: "logistics", sql: logistics },
  { version: 5, name: "money", sql: money },
  { version: 6, name: "wecom", sql: wecom },
  { version: 7, name: "i18n", sql: i18n },
  { version: 8, name: "unknown-chats", sql: unknownChats },
  { version: 9, name: "locations-bundles", sql: locationsBundles },
  { version: 10, name: "price-outbox", sql: priceOutbox },
  { version: 11, name: "dashboard", sql: dashboard },
  { version: 12, name: "bulk-holds", sql: bulkHolds },
  { version: 15, name: "alert-messages", sql: alertMessages },
  { version: 16, name: "price-requests", sql: priceRequests },
  { version: 17, name: "bundle-reservations", sql: bundleReservations },
  { version: 18, name: "read-only-levels", sql: readOnlyLevels },
  { version: 19, name: "price-limits", sql: priceLimits },
  { version: 20, name: "flash-windows", sql: flash },
  { version: 21, name: "xianyu-price-todos", sql: priceTodos },
  { version: 22, name: "call-budgets", sql: callBudgets },
  { version: 25, name: "listing-risk-bulk-causer", sql: listingRiskBulkCauser },
  { version: 26, name: "shopify-location-levels", sql: shopifyLocationLevels },
  { version: 27, name: "listings-by-sku-channel", sql: listingsBySkuChannel },
];
