import { renderBarChart } from "../chat/charts.js";
import type { Reply } from "../chat/types.js";
import { formatMoney } from "../money/amount.js";
import type { DailySummary } from "./build.js";

const WEEKDAY = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const seconds = (ms: number | undefined): string =>
  ms === undefined
    ? "–"
    : ms < 1000
      ? `${ms}ms`
      : ms < 120_000
        ? `${(ms / 1000).toFixed(1)}s`
        : `${Math.round(ms / 60_000)}m`;

/** The summary as a short, phone-sized text: one line per section. */
export function renderSummaryText(s: DailySummary): string {
  const weekday = WEEKDAY[new Date(`${s.day}T12:00:00Z`).getUTCDay()];
  const lines = [`📊 ${weekday} ${s.day} (${s.timezone})`];
  lines.push(
    s.totals.orders
      ? `🛒 ${s.totals.orders} order${s.totals.orders === 1 ? "" : "s"}, ${s.totals.units} unit${s.totals.units === 1 ? "" : "s"} — ${s.sales.map((c) => `${c.channelId} ${c.orders}/${c.units}`).join(" · ")}`
      : "🛒 No orders",
  );
  if (s.revenue)
    lines.push(`💵 ${s.revenue.length ? s.revenue.map((r) => formatMoney(r)).join(" · ") : "no revenue recorded"}`);
  else lines.push("💵 Revenue: no order totals in the ledger (units only)");
  if (s.topSkus.length) lines.push(`🏆 ${s.topSkus.map((t) => `${t.sku} ×${t.units}`).join(" · ")}`);
  lines.push(
    s.oversells.count
      ? `❗ Oversells: ${s.oversells.count} (${s.oversells.shortfall} short), ${s.oversells.unresolved} unresolved`
      : `✔️ No oversells${s.oversells.unresolved ? ` (${s.oversells.unresolved} older unresolved)` : ""}`,
  );
  if (s.lowStock.length) {
    lines.push(
      `📉 Low: ${s.lowStock.map((l) => `${l.sku} ${l.available} left${l.daysOfCover !== undefined ? ` (~${l.daysOfCover < 10 ? l.daysOfCover.toFixed(1) : Math.round(l.daysOfCover)}d)` : ""}`).join(" · ")}`,
    );
  }
  if (s.sync) {
    const active = s.sync.filter((c) => c.pushes || c.failing);
    lines.push(
      `🔄 ${active.length ? active.map((c) => `${c.channelId} ${c.pushes} push${c.pushes === 1 ? "" : "es"}${c.failing ? `, ${c.failing} failing` : ""}, p95 ${seconds(c.p95Ms)}`).join(" · ") : "no pushes"}`,
    );
  }
  if (s.parcels)
    lines.push(
      `📦 ${s.parcels.shipped} shipped, ${s.parcels.delivered} delivered, ${s.parcels.late} late, ${s.parcels.exceptions} exceptions`,
    );
  const r = s.refunds;
  lines.push(
    `💸 Refunds: ${r.requested} asked, ${r.executed} paid${r.refunded.length ? ` (${r.refunded.map(formatMoney).join(", ")})` : ""}, ${r.rejected} rejected, ${r.pending} pending`,
  );
  lines.push(
    s.breaker.isOpen
      ? `🚨 Breaker OPEN since ${s.breaker.openedAt?.slice(0, 16).replace("T", " ")} UTC`
      : `🟢 Breaker closed${s.breaker.tripsInDay ? ` (tripped ${s.breaker.tripsInDay}× that day)` : ""}`,
  );
  return lines.join("\n");
}

/** The chart: units sold per channel per day over the series window (server-side PNG). */
export async function renderSalesChart(s: DailySummary): Promise<Buffer> {
  const channels = s.salesSeries.channels.length
    ? s.salesSeries.channels
    : [{ channelId: "orders", units: s.salesSeries.days.map(() => 0) }];
  return renderBarChart({
    title: `Units sold per channel, ${s.salesSeries.days.length} days`,
    subtitle: `${s.salesSeries.days[0]} – ${s.day} (${s.timezone})`,
    categories: s.salesSeries.days.map((d) => d.slice(5)),
    series: channels.map((c) => ({ name: c.channelId, values: c.units })),
    yAxisName: "units",
  });
}

/** The whole summary message: text plus the PNG chart (when charts are on). */
export async function renderSummary(s: DailySummary, opts: { chart: "sales" | "none" }): Promise<Reply> {
  const text = renderSummaryText(s);
  if (opts.chart === "none") return { text };
  return {
    text,
    image: { png: await renderSalesChart(s), filename: `summary-${s.day}.png`, caption: `Sales ${s.day}` },
  };
}
