import { type RiskInputs, riskBufferUnits } from "../policy/risk.js";
import type { LedgerCtx } from "./context.js";

/** Pushes the latency percentile is taken over: recent enough to follow a slowing channel, enough for a p95. */
const LATENCY_SAMPLE = 200;

/**
 * The risk-based buffer of one listing: the SKU's order rate on all channels over `stock.riskWindowHours` (units
 * reserved by orders, from movements) and the channel's p95 push latency over its newest confirmed pushes.
 */
export function riskBufferFor(
  ctx: LedgerCtx,
  channelId: string,
  sku: string,
): (RiskInputs & { units: number }) | { units: 0; missing: "latency" } {
  const latencies = ctx
    .stmt<[string, number], { latency_ms: number }>(
      "SELECT latency_ms FROM push_log WHERE channel_id = ? ORDER BY id DESC LIMIT ?",
    )
    .all(channelId, LATENCY_SAMPLE)
    .map((r) => r.latency_ms)
    .sort((a, b) => a - b);
  if (!latencies.length) return { units: 0, missing: "latency" };
  const latencyMs = latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)] ?? 0;
  const hours = ctx.settings.riskWindowHours ?? 24;
  const since = new Date(ctx.clock.now().getTime() - hours * 3_600_000).toISOString();
  const sold =
    ctx
      .stmt<[string, string], { units: number | null }>(
        `SELECT SUM(reserved_after - reserved_before) AS units FROM movements
         WHERE sku = ? AND reason = 'order' AND at >= ?`,
      )
      .get(sku, since)?.units ?? 0;
  const inputs: RiskInputs = { salesPerHour: sold / hours, latencyMs, risk: ctx.settings.oversellRisk ?? 0.01 };
  return { ...inputs, units: riskBufferUnits(inputs) };
}
