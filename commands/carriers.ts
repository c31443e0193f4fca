import { z } from "zod";
import { defineCommand } from "../src/chat/command.js";
import { carrierInfo } from "../src/couriers/carrier-codes.js";
import { msg } from "../src/i18n/commands.js";
import type { Translator } from "../src/i18n/translator.js";
import { analyseCarriers, type CarrierRegionStats, formatMoney, type Recommendation } from "../src/radar/analytics.js";
import { carrierName, radarSettings } from "../src/radar/rules.js";

const shortName = (code: string) => carrierInfo(code)?.nameZh.replace(/(速运|快递|速递|物流)$/, "") ?? code;

/** A carrier as the reader calls it: the code in English, the Chinese name in Chinese. */
const named = (code: string, tr: Translator) => (tr.locale === "en" ? code : carrierName(code).byLocale[tr.locale]);

function recommendation(r: Recommendation, rows: CarrierRegionStats[], days: number, currency: string, tr: Translator) {
  const pct = (x: number | null) => (x === null ? tr.t("carriers-na") : `${Math.round(x * 100)}%`);
  const onTime = (carrier: string) =>
    pct(rows.find((x) => x.region === r.region && x.carrier === carrier)?.onTimeRate ?? null);
  const parcels = rows.find((x) => x.region === r.region && x.carrier === r.from)?.parcels ?? 0;
  const cost =
    r.costDeltaPerParcel === undefined || r.costDeltaWindow === undefined
      ? ""
      : tr.t("carriers-advice-cost", {
          perParcel: formatMoney(r.costDeltaPerParcel, currency),
          window: formatMoney(r.costDeltaWindow, currency),
          parcels,
          days,
        });
  return tr.t("carriers-advice", {
    region: r.region,
    to: named(r.to, tr),
    from: named(r.from, tr),
    toP90: Math.round(r.toP90),
    fromP90: Math.round(r.fromP90),
    pct: Math.round(((r.fromP90 - r.toP90) / r.fromP90) * 100),
    toOnTime: onTime(r.to),
    fromOnTime: onTime(r.from),
    cost,
  });
}

export default defineCommand({
  name: "carriers",
  summary: msg("cmd-carriers-summary"),
  aliases: { "zh-CN": ["快递表现"] },
  role: "viewer",
  args: z.object({ region: z.string().trim().min(1).max(40).optional().describe("REGION") }),
  examples: ["/carriers", "/carriers 广东"],
  run: async ({ region }, { deps, tr }) => {
    const settings = radarSettings(deps.config);
    const now = deps.clock.now();
    const since = new Date(now.getTime() - settings.windowDays * 86_400_000);
    const report = analyseCarriers(deps.shipments.shipmentsShippedSince(since), settings, now, { region });
    if (!report.rows.length) {
      const days = settings.windowDays;
      return { text: region ? tr.t("carriers-none-to", { region, days }) : tr.t("carriers-none", { days }) };
    }
    const days = settings.windowDays;
    const header = region ? tr.t("carriers-header-region", { days, region }) : tr.t("carriers-header", { days });
    const pct = (r: number | null) => (r === null ? tr.t("carriers-na") : `${Math.round(r * 100)}%`);
    const hrs = (h: number | null) => (h === null ? tr.t("carriers-na") : tr.t("carriers-hours", { n: Math.round(h) }));
    const table = report.rows.map((r: CarrierRegionStats) =>
      tr.t("carriers-row", {
        region: r.region,
        carrier: named(r.carrier, tr),
        parcels: r.parcels,
        delivered: r.delivered,
        p50: hrs(r.p50Hours),
        p90: hrs(r.p90Hours),
        onTime: pct(r.onTimeRate),
        promise: r.promiseHours,
        exceptions: pct(r.exceptionRate),
        lost: pct(r.lossRate),
      }),
    );
    const advice = report.recommendations.length
      ? [
          "",
          tr.t("carriers-advice-head"),
          ...report.recommendations.map((r) => `• ${recommendation(r, report.rows, days, settings.currency, tr)}`),
        ]
      : [tr.t("carriers-no-switch", { min: settings.minSample })];
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
      title: `${tr.t("carriers-chart-title")}${region ? ` · ${region}` : ""}`,
      subtitle: tr.t("carriers-chart-subtitle", { days }),
      categories: top.map((r) => `${shortName(r.carrier)}\n${r.region}`),
      series: [
        { name: "p50 (h)", values: top.map((r) => r.p50Hours) },
        { name: "p90 (h)", values: top.map((r) => r.p90Hours) },
        {
          name: tr.t("carriers-chart-on-time"),
          values: top.map((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 100))),
          asLine: true,
          onRightAxis: true,
        },
      ],
      yAxisName: tr.t("carriers-chart-hours"),
      rightAxisName: "%",
    });
    return { ...reply, image: { png, filename: `carriers-${now.toISOString().slice(0, 10)}.png`, caption: header } };
  },
});
