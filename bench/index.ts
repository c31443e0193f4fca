import { bulkGuardBench } from "./bulk-guard.js";
import { callBudgetBench } from "./call-budget.js";
import { courierDayBench } from "./courier-day.js";
import { flashSaleBench } from "./flash-sale.js";
import { floodBench } from "./flood.js";
import { learnedStallBench } from "./learned-stall.js";
import { ledgerBench } from "./ledger.js";
import { radarBench } from "./radar.js";
import { riskBufferBench } from "./risk-buffer.js";
import { startupBench } from "./startup.js";
import { syncBench } from "./sync.js";
import type { BenchRow, BenchSection } from "./types.js";
import { yearReplayBench } from "./year-replay.js";

/** Every benchmark section, by static import; each measures its own baseline in the same run. */
const sections: [string, BenchSection][] = [
  ["ledger", ledgerBench],
  ["flash-sale", flashSaleBench],
  ["risk-buffer", riskBufferBench],
  ["startup", startupBench],
  ["year-replay", yearReplayBench],
  ["call-budget", callBudgetBench],
  ["sync", syncBench],
  ["bulk-guard", bulkGuardBench],
  ["radar", radarBench],
  ["learned-stall", learnedStallBench],
  ["courier-day", courierDayBench],
  ["flood", floodBench],
];

const full = process.argv.includes("--full");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const rows: BenchRow[] = [];
for (const [name, section] of sections) {
  if (only && only !== name) continue;
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await section({ full, log: (s) => process.stderr.write(`  ${s}\n`) })));
}
const cols = ["figure", "value", "baseline", "ratio", "target", "met"] as const;
const table = rows.map((r) => [
  r.figure,
  r.value,
  r.baseline,
  r.ratio,
  r.target,
  r.isMet === undefined ? "" : r.isMet ? "yes" : "NO",
]);
const widths = cols.map((c, i) => Math.max(c.length, ...table.map((t) => t[i]!.length)));
const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
process.stdout.write(`${line(cols)}\n${line(widths.map((w) => "-".repeat(w)))}\n${table.map(line).join("\n")}\n`);
process.exitCode = rows.some((r) => r.isMet === false) ? 1 : 0;
