import type { ChannelOrder, PushOutcome, SalesChannel, StockPush } from "../src/channels/types.js";
import { systemClock } from "../src/clock.js";
import { ConflictError } from "../src/errors.js";
import { asChannelId, asOrderId, type Sku, SkuSchema } from "../src/ids.js";
import { openDatabase } from "../src/ledger/db.js";
import { silentLogger } from "../src/log.js";
import type { PolicySettings } from "../src/policy/publish.js";
import { seededRandom } from "../src/sandbox/common.js";
import { createSyncEngine, type SyncEngine } from "../src/sync/engine.js";
import { type BenchLedger, openBenchLedger } from "./open.js";
import type { BenchRow, BenchSection } from "./types.js";

// Flash sale: 100 buyers on 3 simulated channels race for 10 units. Each channel sells only what it shows,
// lowers its own count on a sale (as marketplaces do), tells us by webhook, and applies our pushes 5 seconds
// late, with compare-and-set (a push whose `previous` no longer matches is refused, as Shopify's
// compareQuantity does). The real ledger, policy and sync engine run in between. Time is scaled so 5 s of
// sale time take 250 ms of wall time; every ratio between delays is kept.

const UNITS = 10;
const BUYERS = 100;
const CHANNELS = ["ch-a", "ch-b", "ch-c"];
const SCALE = 0.05;
const PUSH_DELAY_MS = 5_000;
const WEBHOOK_DELAY_MS = 500;
const SALE_MS = 20_000;

const sleep = (simMs: number): Promise<void> => new Promise((r) => setTimeout(r, simMs * SCALE));

/** One simulated marketplace: what it shows, the orders it took, and the pushes it applied (late). */
function simulatedChannel(id: string, sku: Sku) {
  let shown = 0;
  let isListed = true;
  let sold = 0;
  const orders: ChannelOrder[] = [];
  const channel: SalesChannel = {
    id: asChannelId(id),
    kind: "simulated",
    maxBatch: 100,
    listCatalog: async () => [],
    fetchStock: async (items) => items.map((i) => ({ ...i, quantity: shown, isListed })),
    async pushStock(items: StockPush[]): Promise<PushOutcome[]> {
      await sleep(PUSH_DELAY_MS);
      return items.map((i): PushOutcome => {
        if (i.previous !== undefined && i.previous !== shown) {
          return {
            sku: i.sku,
            ok: false,
            retryable: true,
            conflict: { actual: shown },
            error: new ConflictError("cas_mismatch", `Shows ${shown}, not ${i.previous}.`),
          };
        }
        shown = i.quantity;
        return { sku: i.sku, ok: true, quantity: shown };
      });
    },
    async setListed(_item, listed) {
      await sleep(PUSH_DELAY_MS);
      isListed = listed;
    },
    async fetchOrders(cursor) {
      const from = Number(cursor ?? 0);
      return { orders: orders.slice(from), nextCursor: String(orders.length), hasMore: false };
    },
    parseWebhook: (req) => {
      const order = JSON.parse(req.rawBody.toString("utf8"), (k, v: unknown) =>
        k === "createdAt" || k === "updatedAt" ? new Date(v as string) : v,
      ) as ChannelOrder;
      return { kind: "order", deliveryId: `order-${order.orderId}`, order };
    },
  };
  return {
    channel,
    get sold() {
      return sold;
    },
    /** A buyer's checkout: succeeds only if the channel shows a unit right now. */
    buy(): ChannelOrder | undefined {
      if (!isListed || shown <= 0) return undefined;
      shown -= 1;
      sold += 1;
      const now = new Date();
      const order: ChannelOrder = {
        orderId: asOrderId(`${id}-${orders.length + 1}`),
        createdAt: now,
        updatedAt: now,
        lines: [{ lineId: "1", sku, qty: 1, status: "paid" }],
      };
      orders.push(order);
      return order;
    },
  };
}

async function runSale(
  mode: PolicySettings["lowStockAction"],
  seed: number,
): Promise<{ sold: number; oversold: number; ledgerShortfall: number; pushes: number }> {
  const settings: PolicySettings = { bufferUnits: 0, lowStockThreshold: 3, lowStockAction: mode, lowStockCap: 1 };
  const ledger: BenchLedger = openBenchLedger(openDatabase(":memory:"), { clock: systemClock, settings });
  const sku = SkuSchema.parse("FLASH-1");
  // A flash-sale SKU: its whole stock is under the low-stock rule (threshold = the units on sale).
  ledger.stock.upsertSku({ sku, onHand: UNITS, lowThreshold: UNITS }, { actor: "bench", idempotencyKey: "seed" });
  const sims = CHANNELS.map((c) => simulatedChannel(c, sku));
  for (const c of CHANNELS) ledger.listings.linkListing({ channelId: c, sku, ref: `${c}-item` });
  const engine: SyncEngine = createSyncEngine({
    ledger,
    clock: systemClock,
    log: silentLogger(),
    channels: sims.map((s) => s.channel),
    settings: {
      debounceMs: 200 * SCALE,
      retryBaseMs: 2_000 * SCALE,
      retryMaxMs: 10_000 * SCALE,
      maxBatchesPerPass: 100,
    },
  });
  const signal = new AbortController().signal;
  // Before the sale: every channel shows what the policy publishes.
  await engine.syncStock({ full: true, signal });
  engine.start();

  const random = seededRandom(seed);
  const arrivals = Array.from({ length: BUYERS }, () => random() * SALE_MS).sort((a, b) => a - b);
  const webhooks: Promise<unknown>[] = [];
  let elapsed = 0;
  for (const at of arrivals) {
    await sleep(at - elapsed);
    elapsed = at;
    const first = Math.floor(random() * sims.length);
    // A determined buyer tries the other channels when the first shows nothing.
    for (let k = 0; k < sims.length; k++) {
      const sim = sims[(first + k) % sims.length]!;
      const order = sim.buy();
      if (!order) continue;
      webhooks.push(
        sleep(WEBHOOK_DELAY_MS).then(() =>
          engine.acceptWebhook(sim.channel.id, { headers: {}, rawBody: Buffer.from(JSON.stringify(order)) }),
        ),
      );
      break;
    }
  }
  await Promise.all(webhooks);
  await engine.idle();
  await engine.stop();
  const sold = sims.reduce((s, x) => s + x.sold, 0);
  const ledgerShortfall = ledger.ops.oversellTotals().units;
  const pushes = ledger.ops.confirmedPushesSince(0).length;
  ledger.close();
  return { sold, oversold: Math.max(0, sold - UNITS), ledgerShortfall, pushes };
}

/** Flash-sale oversell per low-stock mode, over several seeded buyer sequences. */
export const flashSaleBench: BenchSection = async ({ full, log }) => {
  const rounds = full ? 20 : 5;
  const rows: BenchRow[] = [];
  for (const mode of ["split", "cap", "delist"] as const) {
    let worst = 0;
    let total = 0;
    let sold = 0;
    for (let r = 0; r < rounds; r++) {
      const res = await runSale(mode, 1000 + r);
      if (res.ledgerShortfall !== res.oversold)
        log(
          `flash ${mode} seed ${1000 + r}: ledger recorded ${res.ledgerShortfall} short, channels oversold ${res.oversold}`,
        );
      worst = Math.max(worst, res.oversold);
      total += res.oversold;
      sold += Math.min(res.sold, UNITS);
    }
    log(
      `flash ${mode}: worst ${worst}, mean ${(total / rounds).toFixed(2)} oversold, ${(sold / rounds).toFixed(1)}/${UNITS} sold`,
    );
    const target = mode === "split" ? 0 : mode === "cap" ? 1 : undefined;
    rows.push({
      figure: `flash sale oversold units, ${mode} (worst of ${rounds}; ${BUYERS} buyers, ${CHANNELS.length} channels, ${UNITS} units, pushes 5 s late)`,
      value: String(worst),
      baseline: `${UNITS} units; ${(sold / rounds).toFixed(1)} sold in stock on average`,
      ratio: "",
      target: target === undefined ? "report" : `≤ ${target}`,
      ...(target === undefined ? {} : { isMet: worst <= target }),
    });
  }
  return rows;
};
