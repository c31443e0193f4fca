import { commands } from "../../commands/index.js";
import { createShopifyChannel } from "../../src/channels/shopify.js";
import type { SalesChannel } from "../../src/channels/types.js";
import { createXianyuChannel } from "../../src/channels/xianyu.js";
import { createDispatcher } from "../../src/chat/dispatch.js";
import type { Reply } from "../../src/chat/types.js";
import { manualClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import { emptyCourierRegistry } from "../../src/couriers/registry.js";
import type { Deps } from "../../src/deps.js";
import { openDatabase } from "../../src/ledger/db.js";
import { silentLogger } from "../../src/log.js";
import { createMetrics } from "../../src/metrics.js";
import { createPromotionGuard } from "../../src/money/promotion-guard.js";
import { type ShopifySim, type ShopifySimOptions, startShopifySim } from "../../src/sandbox/shopify.js";
import { createSyncEngine } from "../../src/sync/engine.js";
import { channelDeps } from "./channels.js";
import { openTestLedger, storesOf, testSettings } from "./ledger.js";

/** Users of the money tests, by role. */
export const USERS = {
  op1: "tg:101",
  op2: "tg:102",
  appr: "tg:201",
  appr2: "tg:202",
  admin: "tg:901",
  viewer: "tg:301",
} as const;

/**
 * A whole money stack as the app wires it: real ledger (memory or a file for restarts), the real Shopify
 * adapter against the local Shopify simulator, the real dispatcher with every command; `notify`
 * records what the group would see.
 */
export async function moneyStack(
  opts: {
    money?: Record<string, unknown>;
    path?: string;
    start?: string;
    extraChannels?: Record<string, unknown>[];
    sim?: ShopifySim;
    /** Options for the stack's own simulator (when no `sim`); its cost bucket refills by the shop adapter's clock. */
    simOpts?: ShopifySimOptions;
    summary?: Record<string, unknown>;
    timezone?: string;
    /** The stack's manual clock (simulators that check timestamps share it); default one at `start`. */
    clock?: ReturnType<typeof manualClock>;
    /** More channel adapters: in deps.channels and in the sync engine (price lanes included). */
    adapters?: SalesChannel[];
    /** Adds the Xianyu checklist channel `xy` (its to-dos go to `sent`, like every other group post). */
    xianyu?: boolean;
  } = {},
) {
  const shopDeps = channelDeps("shop1");
  const sim = opts.sim ?? (await startShopifySim({ bucketNow: () => shopDeps.clock.now().getTime(), ...opts.simOpts }));
  const config = parseConfig(
    {
      database: opts.path ?? ":memory:",
      timezone: opts.timezone ?? "Asia/Shanghai",
      access: {
        admins: [USERS.admin],
        approvers: [USERS.appr, USERS.appr2],
        operators: [USERS.op1, USERS.op2],
        viewers: [USERS.viewer],
      },
      money: { currency: "EUR", ...opts.money },
      ...(opts.summary ? { summary: opts.summary } : {}),
      channels: [
        {
          id: "shop1",
          kind: "shopify",
          shop: "sandbox.myshopify.com",
          accessToken: sim.accessToken,
          locationId: sim.locationId,
          apiBase: sim.url,
          apiVersion: sim.apiVersion,
          timeoutMs: 2_000,
        },
        ...(opts.extraChannels ?? []),
        ...(opts.xianyu ? [{ id: "xy", kind: "xianyu" }] : []),
      ],
    },
    {},
  );
  const clock = opts.clock ?? manualClock(opts.start ?? "2026-11-20T08:00:00Z");
  const ledger = openTestLedger(openDatabase(config.database), { clock, settings: testSettings });
  const shopCfg = config.channels[0]!;
  if (shopCfg.kind !== "shopify") throw new Error("test config: shop1 must be shopify");
  const sent: Reply[] = [];
  const xyCfg = config.channels.find((c) => c.id === "xy");
  const xianyu =
    opts.xianyu && xyCfg?.kind === "xianyu"
      ? [
          createXianyuChannel({
            config: xyCfg,
            ledger,
            checklist: ledger.checklist,
            notify: async (r) => void sent.push(r),
            log: silentLogger(),
          }),
        ]
      : [];
  const channels = new Map<string, SalesChannel>([
    ["shop1", createShopifyChannel({ ...shopDeps, config: shopCfg })],
    ...[...(opts.adapters ?? []), ...xianyu].map((c) => [c.id as string, c] as const),
  ]);
  const sync = createSyncEngine({
    ledger,
    clock,
    prices: { outbox: storesOf(ledger).priceOutbox },
    log: silentLogger(),
    channels: [...channels.values()],
    settings: config.sync,
    orderGuard: createPromotionGuard({ config, holds: ledger.holds, ledger }),
  });
  const deps: Deps = {
    ...storesOf(ledger),
    config,
    ledger,
    clock,
    log: silentLogger(),
    channels,
    couriers: emptyCourierRegistry(),
    sync,
    metrics: createMetrics({ ledger, ops: ledger.ops, clock, config, jobs: [] }),
    notify: async (r) => void sent.push(r),
  };
  const dispatcher = createDispatcher({ commands, deps });
  let msg = 0;
  return {
    sim,
    deps,
    ledger,
    clock,
    dispatcher,
    /** Everything posted to the group so far. */
    sent,
    /** Types a command as `userId` (each call is a new chat message). */
    say: (userId: string, text: string) =>
      dispatcher.handle({ transport: "telegram", chatId: "-100", userId, text, messageId: String(++msg) }),
    /** Presses the button labelled `label` of `reply` as `userId`, the way a transport does (stored action id, press id). */
    press: (userId: string, reply: Reply, label: string) => {
      const b = reply.buttons?.find((x) => x.label === label);
      if (!b) throw new Error(`no button ${label} in: ${reply.text}`);
      return dispatcher.press({
        transport: "telegram",
        chatId: "-100",
        userId,
        actionId: ledger.jobs.storeButtonAction(b.action),
        pressId: `p${++msg}`,
      });
    },
    close: async () => {
      ledger.close();
      if (!opts.sim) await sim.close();
    },
  };
}

/** The refund id in a reply such as "Refund request R-7K3QX9PA: …". */
export const refundIdIn = (text: string): string => {
  const m = /R-[2-9A-HJ-NP-Z]{8}/.exec(text);
  if (!m) throw new Error(`no refund id in: ${text}`);
  return m[0];
};
