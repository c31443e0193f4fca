import { rmSync } from "node:fs";
import { parseConfig, type Config } from "../config.js";
import { createApp } from "../app.js";
import { createLogger } from "../log.js";
import { SkuSchema } from "../ids.js";

/**
 * `stockradar demo`: a fresh ledger at ./data/demo.db with a small catalog listed on two channels, a
 * few simulated sales, then the console for you to type commands.
 */
export async function runDemo(base: Config): Promise<number> {
  const database = "./data/demo.db";
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
  const config = parseConfig({
    database,
    http: { enabled: false },
    stock: base.stock,
    channels: [{ id: "xianyu", kind: "xianyu" }],
  });
  const log = createLogger({ level: "warn" });
  const app = await createApp({ config, log, withConsole: true });
  const { ledger } = app.deps;
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const catalog = [
    ["TEE-RED-M", "Red tee, M", 12],
    ["TEE-RED-L", "Red tee, L", 4],
    ["MUG-01", "Enamel mug", 30],
  ] as const;
  for (const [sku, title, onHand] of catalog) {
    ledger.stock.upsertSku({ sku: SkuSchema.parse(sku), title, onHand }, { actor: "demo", idempotencyKey: `demo:seed:${sku}` });
    ledger.listings.linkListing({ channelId: "xianyu", sku: SkuSchema.parse(sku), ref: `xy-${sku.toLowerCase()}` });
  }
  say("stockradar demo: 3 SKUs seeded and listed on a Xianyu checklist channel.");
  const run = async (text: string) => {
    say(`> ${text}`);
    say((await app.dispatcher.handle({ transport: "console", chatId: "console", userId: "console:local", text })).reply.text);
  };
  ledger.reservations.recordOrderLine({ channelId: "xianyu", orderId: "demo-1001", lineId: "1", sku: SkuSchema.parse("TEE-RED-L"), qty: 2, actor: "demo" });
  say("A buyer ordered 2 × TEE-RED-L.");
  await run("/stock TEE-RED-L");
  await run("/why TEE-RED-L");
  await run("/alerts");
  say("\nYour turn: try /help, /stock low, /adjust MUG-01 -3 breakage, /delist MUG-01 all. Ctrl-C quits.");
  await app.start({ http: false, scheduler: true });
  await new Promise<void>((resolveStop) => {
    process.once("SIGINT", resolveStop);
    process.once("SIGTERM", resolveStop);
  });
  await app.stop();
  return 0;
}
