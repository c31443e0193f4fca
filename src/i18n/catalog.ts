import type { LocalizedText } from "./define.js";
import { accessMessages } from "./messages/access.js";
import { alertCommandMessages } from "./messages/alert-commands.js";
import { alertMessages } from "./messages/alerts.js";
import { argNameMessages } from "./messages/arg-names.js";
import { argMessages } from "./messages/args.js";
import { bulkGuardMessages } from "./messages/bulk-guard.js";
import { bundleMessages } from "./messages/bundles.js";
import { callBudgetMessages } from "./messages/call-budget.js";
import { channelErrorMessages } from "./messages/channel-errors.js";
import { chatMessages } from "./messages/chat.js";
import { cliMessages } from "./messages/cli.js";
import { commandExampleMessages } from "./messages/command-examples.js";
import { commandMessages } from "./messages/commands.js";
import { dashboardMessages } from "./messages/dashboard.js";
import { diskMessages } from "./messages/disk.js";
import { dispatchMessages } from "./messages/dispatch.js";
import { doctorGatewayMessages } from "./messages/doctor-gateways.js";
import { firstDayMessages } from "./messages/first-day.js";
import { flashMessages } from "./messages/flash.js";
import { hardeningMessages } from "./messages/hardening.js";
import { importChannelMessages } from "./messages/import-channel.js";
import { inventoryMessages } from "./messages/inventory.js";
import { ledgerMessages } from "./messages/ledger.js";
import { listingCommandMessages } from "./messages/listing-commands.js";
import { listingRiskMessages } from "./messages/listing-risk.js";
import { locationChannelMessages } from "./messages/locations-channels.js";
import { moneyCommandMessages } from "./messages/money-commands.js";
import { opsLineMessages } from "./messages/ops-lines.js";
import { orderEditMessages } from "./messages/order-edits.js";
import { priceGuardMessages } from "./messages/price-guard.js";
import { priceLimitMessages } from "./messages/price-limits.js";
import { pricePushMessages } from "./messages/price-push.js";
import { priceMessages } from "./messages/prices.js";
import { radarMessages } from "./messages/radar.js";
import { radarLearnedMessages } from "./messages/radar-learned.js";
import { refundFlowMessages } from "./messages/refund-flow.js";
import { stockMessages } from "./messages/stock.js";
import { summaryMessages } from "./messages/summary.js";
import { syncAlertMessages } from "./messages/sync-alerts.js";
import { syncCommandMessages } from "./messages/sync-commands.js";
import { webhookChannelMessages } from "./messages/webhook-channel.js";
import { whyTrailMessages } from "./messages/why-trail.js";
import { wireErrorMessages } from "./messages/wire-errors.js";
import { xianyuMessages } from "./messages/xianyu.js";

/** Every feature's message module, listed statically so the compiler sees each id. Add yours here. */
const modules = [
  accessMessages,
  alertCommandMessages,
  alertMessages,
  argMessages,
  bundleMessages,
  bulkGuardMessages,
  callBudgetMessages,
  argNameMessages,
  channelErrorMessages,
  chatMessages,
  cliMessages,
  commandMessages,
  commandExampleMessages,
  dashboardMessages,
  diskMessages,
  dispatchMessages,
  doctorGatewayMessages,
  hardeningMessages,
  importChannelMessages,
  firstDayMessages,
  flashMessages,
  inventoryMessages,
  orderEditMessages,
  priceGuardMessages,
  priceLimitMessages,
  ledgerMessages,
  listingCommandMessages,
  listingRiskMessages,
  locationChannelMessages,
  moneyCommandMessages,
  opsLineMessages,
  priceMessages,
  pricePushMessages,
  radarLearnedMessages,
  radarMessages,
  refundFlowMessages,
  stockMessages,
  summaryMessages,
  syncAlertMessages,
  syncCommandMessages,
  webhookChannelMessages,
  whyTrailMessages,
  wireErrorMessages,
  xianyuMessages,
] as const;

type Modules = typeof modules;
type Merge<M> = M extends readonly [infer H, ...infer R] ? H & Merge<R> : unknown;
type Overlap<M, Seen = never> = M extends readonly [infer H, ...infer R]
  ? (keyof H & Seen) | Overlap<R, Seen | keyof H>
  : never;

/** `true` when no id appears in two modules; otherwise the duplicated ids, and the assignment below fails to compile. */
export type NoDuplicateIds = [Overlap<Modules>] extends [never] ? true : { duplicateIds: Overlap<Modules> };
const noDuplicateIds: NoDuplicateIds = true;
void noDuplicateIds;

/** The whole catalog's type: every id with its text in every locale. */
export type Catalog = Merge<Modules>;

/** Every message id. */
export type MessageId = keyof Catalog & string;

function compose(mods: readonly Record<string, LocalizedText>[]): Catalog {
  const out: Record<string, LocalizedText> = {};
  for (const m of mods) {
    for (const [id, text] of Object.entries(m)) {
      if (id in out) throw new Error(`i18n: message id ${id} is defined twice`);
      out[id] = text;
    }
  }
  return out as Catalog;
}

/** The composed catalog (id → { en, "zh-CN" }). */
export const catalog: Catalog = compose(modules);
