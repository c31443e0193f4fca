import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { carrierInfo } from "../src/couriers/carrier-codes.js";
import { msg } from "../src/i18n/commands.js";
import { analyseCarriers, type CarrierRegionStats } from "../src/radar/analytics.js";
import { radarSettings } from "../src/radar/rules.js";

const pct = (r: number | null) => (r === null ? "n/a" : `${Math.round(r * 100)}%`);
const hrs = (h: number | null) => (h === null ? "n/a" : `${Math.round(h)}h`);
const shortName = (code: string) => carrierInfo(code)?.nameZh.replace(/(速运|快递|速递|物流)$/, "") ?? code;

export default defineCommand({
  name: "carriers",
  summary: msg("cmd-carriers-summary"),
  aliases: { "zh-CN": ["快递表现"] },
  role: "viewer",
  args: z.object({ region: z.string().trim().min(1).max(40).optional().describe("REGION") }),
  examples: ["/carriers", "/carriers 广东"],
  run: async ({ region }, { deps }) => {
    const settings = radarSettings(deps.config);
    const now = deps.clock.now();
    const since = new Date(now.getTime() - settings.windowDays * 86_400_000);
    const report = analyseCarriers(deps.shipments.shipmentsShippedSince(since), settings, now, { region });
    if (!report.rows.length) {
      return { text: `No parcels shipped${region ? ` to ${region}` : ""} in the last ${settings.windowDays} days.` };
    }
    const header = `Carriers, last ${settings.windowDays} days${region ? `, ${region}` : ""} (transit = first scan → delivered):`;
    const table = report.rows.map(
      (r: CarrierRegionStats) =>
        `${r.region} · ${r.carrier}: ${r.parcels} parcel${r.parcels === 1 ? "" : "s"}, ${r.delivered} delivered, p50 ${hrs(r.p50Hours)}, p90 ${hrs(r.p90Hours)}, ` +
        `on time ${pct(r.onTimeRate)} (≤${r.promiseHours}h), exceptions ${pct(r.exceptionRate)}, lost/returned ${pct(r.lossRate)}`,
    );
    const advice = report.recommendations.length
      ? ["", "Recommendations:", ...report.recommendations.map((r) => `• ${r.text}`)]
      : [`No switch recommended (needs ≥${settings.minSample} deliveries per carrier and a clearly faster p90).`];
    // The 12 busiest lanes, grouped by region so carriers for the same region stand side by side.
    const top = [...report.rows]
      .filter((r) => r.delivered > 0)
      .sort((a, b) => b.parcels - a.parcels)
      .slice(0, 12)
      .sort((a, b) => a.region.localeCompare(b.region) || (a.p90Hours ?? 0) - (b.p90Hours ?? 0));
    const reply = { text: [header, ...table, ...advice].join("\n") };
    if (!top.length) return reply;
    // ECharts and resvg take about a second to load: only when someone asks for a chart, never at start-up.
    const { renderBarChart } = await import("../src/chat/charts.js");
    const png = await renderBarChart({
      title: `承运商时效 Carrier transit hours${region ? ` · ${region}` : ""}`,
      subtitle: `近 ${settings.windowDays} 天 · last ${settings.windowDays} days`,
      categories: top.map((r) => `${shortName(r.carrier)}\n${r.region}`),
      series: [
        { name: "p50 (h)", values: top.map((r) => r.p50Hours) },
        { name: "p90 (h)", values: top.map((r) => r.p90Hours) },
        {
          name: "准时率 on time %",
          values: top.map((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 100))),
          asLine: true,
          onRightAxis: true,
        },
      ],
      yAxisName: "小时 hours",
      rightAxisName: "%",
    });
    return { ...reply, image: { png, filename: `carriers-${now.toISOString().slice(0, 10)}.png`, caption: header } };
  },
});
