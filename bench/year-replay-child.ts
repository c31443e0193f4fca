import { replayYear } from "./year-replay.js";

// One year replay in its own process (bench/year-replay.ts runs one per scale): SKUS ORDERS on the command line,
// progress on stderr, the measured result as JSON on stdout.
const [skuCount, orders] = process.argv.slice(2).map(Number);
if (!skuCount || !orders) {
  process.stderr.write("usage: year-replay-child.ts SKUS ORDERS\n");
  process.exit(2);
}
const result = await replayYear({ skuCount, orders, log: (s) => process.stderr.write(`${s}\n`) });
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
