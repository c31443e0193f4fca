import { renderBarChart } from "../chat/charts.js";
import type { Reply } from "../chat/types.js";
import type { Locale } from "../i18n/locales.js";
import { sharedI18n, type Translator } from "../i18n/translator.js";
import type { DailySummary } from "./build.js";

const english = (s: DailySummary): Translator => sharedI18n(s.timezone).translator("en");

const seconds = (tr: Translator, ms: number | undefined): string =>
  ms === undefined
    ? "–"
    : ms < 1000
      ? tr.t("summary-ms", { n: String(ms) })
      : ms < 120_000
        ? tr.t("summary-s", { n: (ms / 1000).toFixed(1) })
        : tr.t("summary-min", { n: String(Math.round(ms / 60_000)) });

/** "(a, b)" in English, "（a、b）" in Chinese, after a word. */
const aside = (tr: Translator, items: string[]): string =>
  tr.locale === "en" ? ` (${items.join(", ")})` : `（${items.join("、")}）`;

/** The zone the day is counted in: the zone id in English (as configured), its spoken name in Chinese. */
const zoneOf = (tr: Translator, s: DailySummary): string => (tr.locale === "en" ? s.timezone : tr.zone());

/** The summary as a short, phone-sized text, one line per section, in `tr`'s language (English by default). */
export function renderSummaryText(s: DailySummary, tr: Translator = english(s)): string {
  const weekday = new Intl.DateTimeFormat(tr.locale, { weekday: "short", timeZone: "UTC" }).format(
    new Date(`${s.day}T12:00:00Z`),
  );
  const sep = " · ";
  const lines = [tr.t("summary-header", { weekday, day: s.day, zone: zoneOf(tr, s) })];
  lines.push(
    s.totals.orders
      ? tr.t("summary-orders", {
          orders: s.totals.orders,
          units: s.totals.units,
          channels: s.sales.map((c) => `${c.channelId} ${c.orders}/${c.units}`).join(sep),
        })
      : tr.t("summary-no-orders"),
  );
  if (s.revenue)
    lines.push(
      s.revenue.length
        ? tr.t("summary-revenue", { amounts: s.revenue.map((r) => tr.money(r)).join(sep) })
        : tr.t("summary-no-revenue"),
    );
  else lines.push(tr.t("summary-revenue-unknown"));
  if (s.topSkus.length) lines.push(`🏆 ${s.topSkus.map((t) => `${t.sku} ×${t.units}`).join(sep)}`);
  lines.push(
    s.oversells.count
      ? tr.t("summary-oversells", {
          count: s.oversells.count,
          short: s.oversells.shortfall,
          unresolved: s.oversells.unresolved,
        })
      : s.oversells.unresolved
        ? tr.t("summary-no-oversells-older", { unresolved: s.oversells.unresolved })
        : tr.t("summary-no-oversells"),
  );
  if (s.lowStock.length) {
    const items = s.lowStock.map((l) =>
      l.daysOfCover !== undefined
        ? tr.t("summary-low-item-cover", {
            sku: l.sku,
            available: l.available,
            days: l.daysOfCover < 10 ? l.daysOfCover.toFixed(1) : String(Math.round(l.daysOfCover)),
          })
        : tr.t("summary-low-item", { sku: l.sku, available: l.available }),
    );
    lines.push(tr.t("summary-low", { items: items.join(sep) }));
  }
  if (s.locations?.length) {
    const items = s.locations.map((l) =>
      l.isReadOnly
        ? tr.t("summary-location-read-only", { location: l.location, quantity: l.onHand })
        : tr.t("summary-location-item", { location: l.location, onHand: l.onHand }),
    );
    lines.push(tr.t("summary-locations", { items: items.join(sep) }));
  }
  if (s.bundles?.length)
    lines.push(`${tr.t("summary-bundles-header")} ${s.bundles.map((b) => tr.t("summary-bundle-line", b)).join(sep)}`);
  if (s.sync) {
    const active = s.sync.filter((c) => c.pushes || c.failing);
    const items = active.map((c) => {
      const common = { channel: c.channelId, pushes: c.pushes, p95: seconds(tr, c.p95Ms) };
      return c.failing
        ? tr.t("summary-sync-item-failing", { ...common, failing: c.failing })
        : tr.t("summary-sync-item", common);
    });
    lines.push(items.length ? tr.t("summary-sync", { items: items.join(sep) }) : tr.t("summary-no-pushes"));
  }
  if (s.parcels) lines.push(tr.t("summary-parcels", { ...s.parcels }));
  const r = s.refunds;
  lines.push(
    tr.t("summary-refunds", {
      requested: r.requested,
      executed: r.executed,
      amounts: r.refunded.length
        ? aside(
            tr,
            r.refunded.map((m) => tr.money(m)),
          )
        : "",
      rejected: r.rejected,
      pending: r.pending,
    }),
  );
  if (s.prices.count) {
    const items = s.prices.changes.map((c) =>
      tr.t("summary-price-change", {
        sku: c.sku,
        where: c.channelId ? tr.t("summary-price-where", { channel: c.channelId }) : "",
        old: c.old ? tr.money(c.old) : tr.t("summary-price-none"),
        new: tr.money(c.new),
        who: c.actor,
      }),
    );
    const more = s.prices.count - s.prices.changes.length;
    if (more > 0) items.push(tr.t("summary-price-more", { n: more }));
    lines.push(tr.t("summary-price-changes", { count: s.prices.count, items: items.join(sep) }));
  }
  if (s.heldOrders) lines.push(tr.t("summary-held-orders", { count: s.heldOrders }));
  lines.push(
    s.breaker.isOpen
      ? tr.t("summary-breaker-open", { since: s.breaker.openedAt ? tr.dateTime(new Date(s.breaker.openedAt)) : "–" })
      : s.breaker.tripsInDay
        ? tr.t("summary-breaker-tripped", { count: s.breaker.tripsInDay })
        : tr.t("summary-breaker-closed"),
  );
  return lines.join("\n");
}

/** The chart: units sold per channel per day over the series window (server-side PNG), titles in `tr`'s language. */
export async function renderSalesChart(s: DailySummary, tr: Translator = english(s)): Promise<Buffer> {
  const channels = s.salesSeries.channels.length
    ? s.salesSeries.channels
    : [{ channelId: tr.t("summary-chart-orders"), units: s.salesSeries.days.map(() => 0) }];
  return renderBarChart({
    title: tr.t("summary-chart-title", { days: s.salesSeries.days.length }),
    subtitle: tr.t("summary-chart-subtitle", {
      from: s.salesSeries.days[0] ?? s.day,
      to: s.day,
      zone: zoneOf(tr, s),
    }),
    categories: s.salesSeries.days.map((d) => d.slice(5)),
    series: channels.map((c) => ({ name: c.channelId, values: c.units })),
    yAxisName: tr.t("summary-chart-units"),
  });
}

/** The whole summary message in `tr`'s language: text plus the PNG chart (when charts are on). */
export async function renderSummary(
  s: DailySummary,
  opts: { chart: "sales" | "none" },
  tr: Translator = english(s),
): Promise<Reply> {
  const text = renderSummaryText(s, tr);
  if (opts.chart === "none") return { text };
  return {
    text,
    image: {
      png: await renderSalesChart(s, tr),
      filename: `summary-${s.day}.png`,
      caption: tr.t("summary-chart-caption", { day: s.day }),
    },
  };
}

/**
 * The summary for the group: the English reply, and `localize` drawing it (chart included) in each chat's
 * language once, only for the languages some chat speaks.
 */
export async function renderSummaryNotice(s: DailySummary, opts: { chart: "sales" | "none" }): Promise<Reply> {
  const en = await renderSummary(s, opts);
  const byLocale = new Map<Locale, Promise<Reply>>([["en", Promise.resolve(en)]]);
  const localize = (tr: Translator): Promise<Reply> => {
    let r = byLocale.get(tr.locale);
    if (!r) {
      r = renderSummary(s, opts, tr);
      byLocale.set(tr.locale, r);
    }
    return r;
  };
  return { ...en, localize };
}
