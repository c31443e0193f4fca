import type { Role } from "../chat/command.js";
import type { Button } from "../chat/types.js";
import { renderRef } from "../i18n/ref.js";
import type { Translator } from "../i18n/translator.js";
import type { BreakerState, WindowTotal } from "../money/breaker-store.js";
import type { PriceRequest } from "../money/price-request-store.js";
import type { Refund } from "../money/refund-store.js";
import type { CarrierRegionStats } from "../radar/analytics.js";
import { carrierName } from "../radar/rules.js";
import {
  type AlertView,
  type ChannelRow,
  COVER_DAYS,
  type LateParcel,
  type OverviewFigures,
  type stockRows,
} from "./data.js";
import { type Child, h, type Node, renderHtml } from "./html.js";
import type { MoneyDecision } from "./store.js";

// Every page is built from preact vnodes and rendered by preact-render-to-string, which escapes every text and
// attribute value: no markup is ever assembled from strings. Scripts and styles come only from /dashboard/assets/.

/** Which page is open (the nav highlights it). */
export type PageName = "overview" | "stock" | "parcels" | "money" | "alerts";

/** Who is looking, and the CSRF token their forms carry. */
export interface Viewer {
  userKey: string;
  role: Role;
  csrf: string;
}

const NAV: PageName[] = ["overview", "stock", "parcels", "money", "alerts"];
const PATH: Record<PageName, string> = {
  overview: "/dashboard",
  stock: "/dashboard/stock",
  parcels: "/dashboard/parcels",
  money: "/dashboard/money",
  alerts: "/dashboard/alerts",
};

/** A whole HTML document around `body`. */
function document(tr: Translator, title: string, body: Child, opts: { live?: boolean } = {}): string {
  const html = h(
    "html",
    { lang: tr.locale },
    h(
      "head",
      null,
      h("meta", { charset: "utf-8" }),
      h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
      h("title", null, title),
      h("link", { rel: "stylesheet", href: "/dashboard/assets/app.css" }),
      opts.live ? h("script", { src: "/dashboard/assets/echarts.min.js", defer: true }) : null,
      opts.live ? h("script", { src: "/dashboard/assets/app.js", defer: true }) : null,
    ),
    h("body", opts.live ? { "data-live-source": "/dashboard/events" } : null, body),
  );
  return `<!doctype html>${renderHtml(html)}`;
}

/** A POST form with the CSRF token, a nonce (so a double submit runs once) and hidden fields. */
function actionForm(viewer: Viewer, fields: Record<string, string>, label: string, cls = "btn"): Node {
  return h(
    "form",
    { method: "post", action: "/dashboard/action", class: "inline" },
    h("input", { type: "hidden", name: "csrf", value: viewer.csrf }),
    ...Object.entries(fields).map(([name, value]) => h("input", { type: "hidden", name, value })),
    h("button", { type: "submit", class: cls, "data-action": fields.action }, label),
  );
}

function shell(tr: Translator, viewer: Viewer, page: PageName, banner: string[], main: Child): string {
  return document(
    tr,
    `${tr.t(`dashboard-nav-${page}`)} · ${tr.t("dashboard-title")}`,
    [
      h(
        "header",
        null,
        h("strong", null, tr.t("dashboard-title")),
        h(
          "nav",
          null,
          ...NAV.map((p) =>
            h("a", { href: PATH[p], class: p === page ? "current" : undefined }, tr.t(`dashboard-nav-${p}`)),
          ),
        ),
        h(
          "span",
          { class: "who" },
          tr.t("dashboard-signed-in-as", { user: viewer.userKey, role: tr.t(`role-${viewer.role}`) }),
          h("span", { class: "live", id: "live-dot" }, tr.t("dashboard-live")),
          h(
            "form",
            { method: "post", action: "/dashboard/logout", class: "inline" },
            h("input", { type: "hidden", name: "csrf", value: viewer.csrf }),
            h("button", { type: "submit", class: "btn" }, tr.t("dashboard-sign-out")),
          ),
        ),
      ),
      h("div", { id: "banner", class: "banner", hidden: banner.length === 0 }, ...banner.map((b) => h("div", null, b))),
      h("main", null, main),
    ],
    { live: true },
  );
}

const table = (head: string[], rows: Child[], empty: string): Node =>
  rows.length
    ? h("table", null, h("thead", null, h("tr", null, ...head.map((c) => h("th", null, c)))), h("tbody", null, ...rows))
    : h("p", { class: "empty" }, empty);

const tile = (label: string, key: string, value: string | number, before?: string): Node =>
  h(
    "div",
    { class: "tile" },
    h("div", { class: "label" }, label),
    h("div", { class: "value", "data-live": key }, String(value)),
    before !== undefined ? h("div", { class: "before", "data-live": `${key}-before` }, before) : null,
  );

const STATES = ["ok", "failing", "unhealthy", "paused"] as const;
const stateText = (tr: Translator, state: string): string => {
  const known = STATES.find((s) => s === state);
  return known ? tr.t(`dashboard-state-${known}`) : state;
};

/** The overview: today's figures against the same time yesterday, oversold units, the channels. */
export function overviewPage(tr: Translator, viewer: Viewer, f: OverviewFigures, channels: ChannelRow[]): string {
  const ms = (v: number | null) => (v === null ? tr.t("dashboard-dash") : tr.t("dashboard-ms", { ms: tr.number(v) }));
  const windowText = (c: ChannelRow) =>
    c.windowPushes === 0
      ? tr.t("dashboard-dash")
      : tr.t("dashboard-window", { p50: ms(c.windowP50Ms), p95: ms(c.windowP95Ms), count: c.windowPushes });
  const quotaText = (c: ChannelRow) =>
    c.quota.length
      ? c.quota
          .map((q) =>
            tr.t("dashboard-quota", {
              bucket: q.bucket,
              left: tr.number(q.left),
              capacity: q.capacity === undefined ? "?" : tr.number(q.capacity),
            }),
          )
          .join(" · ")
      : tr.t("dashboard-dash");
  const before = (v: string | number) => tr.t("dashboard-vs-yesterday", { value: String(v) });
  return shell(tr, viewer, "overview", f.banner, [
    h(
      "section",
      { class: "tiles" },
      tile(tr.t("dashboard-today-orders"), "orders", f.orders, before(f.ordersYesterday)),
      tile(tr.t("dashboard-today-units"), "units", f.units, before(f.unitsYesterday)),
      tile(tr.t("dashboard-today-revenue"), "revenue", f.revenue, before(f.revenueYesterday)),
      tile(tr.t("dashboard-oversold"), "oversold", f.oversold),
    ),
    h("h2", null, tr.t("dashboard-channels")),
    table(
      [
        tr.t("dashboard-col-channel"),
        tr.t("dashboard-col-state"),
        tr.t("dashboard-col-last-sync"),
        tr.t("dashboard-col-backlog"),
        tr.t("dashboard-col-window"),
        tr.t("dashboard-col-quota"),
      ],
      channels.map((c) =>
        h(
          "tr",
          { class: `state-${c.state}`, "data-channel": c.channelId },
          h("td", null, c.channelId),
          h("td", null, stateText(tr, c.state)),
          h("td", null, c.lastSuccessAt ? tr.dateTime(new Date(c.lastSuccessAt)) : tr.t("dashboard-never")),
          h("td", null, String(c.backlog)),
          h(
            "td",
            {
              "data-window": c.channelId,
              "data-p50": c.windowP50Ms ?? "",
              "data-p95": c.windowP95Ms ?? "",
            },
            windowText(c),
          ),
          h("td", { "data-quota": c.channelId }, quotaText(c)),
        ),
      ),
      tr.t("dashboard-no-channels"),
    ),
  ]);
}

/** Stock: a search, then each SKU with what every channel shows and the rule trail behind it. */
export function stockPage(
  tr: Translator,
  viewer: Viewer,
  banner: string[],
  q: string | undefined,
  rows: ReturnType<typeof stockRows>,
): string {
  return shell(tr, viewer, "stock", banner, [
    h(
      "form",
      { method: "get", action: "/dashboard/stock", class: "search" },
      h("label", null, tr.t("dashboard-stock-search"), " ", h("input", { type: "search", name: "q", value: q ?? "" })),
      h("button", { type: "submit", class: "btn" }, tr.t("dashboard-stock-search-button")),
    ),
    table(
      [
        tr.t("dashboard-col-sku"),
        tr.t("dashboard-col-title"),
        tr.t("dashboard-col-on-hand"),
        tr.t("dashboard-col-available"),
        tr.t("dashboard-col-cover"),
        tr.t("dashboard-col-makeup"),
        tr.t("dashboard-col-published"),
      ],
      rows.map(({ level, publications, daysOfCover, bundle, locations }) =>
        h(
          "tr",
          { "data-sku": level.sku },
          h("td", null, level.sku),
          h("td", null, level.title),
          h("td", { "data-sku-on-hand": level.sku }, String(level.onHand)),
          h("td", { "data-sku-available": level.sku }, String(level.available)),
          h(
            "td",
            { "data-sku-cover": level.sku, title: tr.t("dashboard-cover-note", { days: COVER_DAYS }) },
            daysOfCover === undefined
              ? tr.t("dashboard-dash")
              : tr.t("dashboard-cover", { days: tr.number(daysOfCover, { maximumFractionDigits: 1 }) }),
          ),
          h(
            "td",
            { "data-sku-makeup": level.sku },
            bundle
              ? h(
                  "ul",
                  { class: "plain" },
                  ...bundle.components.map((c) =>
                    h(
                      "li",
                      {
                        "data-component": c.component,
                        class: c.component === bundle.binding ? "binding" : undefined,
                      },
                      tr.t("dashboard-bundle-part", {
                        qty: c.qty,
                        component: c.component,
                        available: c.available,
                        sets: c.sets,
                      }),
                    ),
                  ),
                  h(
                    "li",
                    { "data-binding": bundle.binding },
                    tr.t("dashboard-bundle-binding", { component: bundle.binding }),
                  ),
                )
              : locations.length
                ? h(
                    "ul",
                    { class: "plain" },
                    ...locations.map((l) =>
                      h(
                        "li",
                        { "data-location": l.location },
                        tr.t("dashboard-location", { location: l.location, qty: l.onHand }),
                      ),
                    ),
                  )
                : tr.t("dashboard-dash"),
          ),
          h(
            "td",
            null,
            publications.length
              ? publications.map(({ listing, publication }) =>
                  h(
                    "details",
                    null,
                    h(
                      "summary",
                      null,
                      publication.isListed
                        ? tr.t("dashboard-shows", { channel: listing.channelId, qty: publication.quantity })
                        : tr.t("dashboard-delisted", { channel: listing.channelId }),
                    ),
                    h("ul", null, ...publication.steps.map((step) => h("li", null, renderRef(tr, step)))),
                  ),
                )
              : tr.t("dashboard-not-listed"),
          ),
        ),
      ),
      tr.t("dashboard-no-skus"),
    ),
  ]);
}

/** Parcels: the late list and the carrier scorecard with its chart. */
export function parcelsPage(
  tr: Translator,
  viewer: Viewer,
  banner: string[],
  late: LateParcel[],
  carriers: CarrierRegionStats[],
): string {
  const kindText = (p: LateParcel) => (p.kind === "problem" ? p.shipment.status : tr.t(`dashboard-problem-${p.kind}`));
  const chart = {
    categories: carriers.map((c) => `${carrierName(c.carrier).byLocale[tr.locale]} · ${c.region}`),
    series: carriers.map((c) => c.p90Hours ?? 0),
    name: tr.t("dashboard-col-p90"),
  };
  return shell(tr, viewer, "parcels", banner, [
    h("h2", null, tr.t("dashboard-late")),
    table(
      [
        tr.t("dashboard-col-tracking"),
        tr.t("dashboard-col-carrier"),
        tr.t("dashboard-col-order"),
        tr.t("dashboard-col-problem"),
        tr.t("dashboard-col-hours"),
        tr.t("dashboard-col-apology"),
      ],
      late.map((p) =>
        h(
          "tr",
          { "data-parcel": p.shipment.trackingNo },
          h("td", null, p.shipment.trackingNo),
          h("td", null, carrierName(p.shipment.carrier).byLocale[tr.locale]),
          h("td", null, p.shipment.orderRef),
          h("td", null, kindText(p)),
          h("td", null, String(p.hours)),
          h(
            "td",
            { class: "apology" },
            h("p", { id: `apology-${p.shipment.id}`, class: "apology-text" }, p.apology),
            h(
              "button",
              {
                type: "button",
                class: "btn secondary",
                "data-copy": `apology-${p.shipment.id}`,
                "data-copied": tr.t("dashboard-copied"),
              },
              tr.t("dashboard-copy"),
            ),
          ),
        ),
      ),
      tr.t("dashboard-no-late"),
    ),
    h("h2", null, tr.t("dashboard-scorecard")),
    carriers.length ? h("div", { class: "chart", "data-chart": JSON.stringify(chart) }) : null,
    table(
      [
        tr.t("dashboard-col-carrier"),
        tr.t("dashboard-col-region"),
        tr.t("dashboard-col-parcels"),
        tr.t("dashboard-col-p90"),
        tr.t("dashboard-col-on-time"),
      ],
      carriers.map((c) =>
        h(
          "tr",
          null,
          h("td", null, carrierName(c.carrier).byLocale[tr.locale]),
          h("td", null, c.region),
          h("td", null, String(c.parcels)),
          h("td", null, c.p90Hours === null ? "–" : String(Math.round(c.p90Hours))),
          h("td", null, c.onTimeRate === null ? "–" : `${Math.round(c.onTimeRate * 100)}%`),
        ),
      ),
      tr.t("dashboard-no-carriers"),
    ),
  ]);
}

const OUTCOMES = ["approved", "rejected", "executed", "failed"] as const;

/** Money: pending refunds and price changes with Approve / Reject, and the breaker. */
export function moneyPage(
  tr: Translator,
  viewer: Viewer,
  banner: string[],
  m: {
    refunds: Refund[];
    prices: PriceRequest[];
    breaker: BreakerState;
    windowMinutes: number;
    totals: WindowTotal[];
    history: MoneyDecision[];
    historyDays: number;
  },
): string {
  const outcome = (d: MoneyDecision) =>
    d.state === "rejected" && d.rejectReason
      ? tr.t("dashboard-outcome-rejected-because", { reason: d.rejectReason })
      : OUTCOMES.includes(d.state as (typeof OUTCOMES)[number])
        ? tr.t(`dashboard-outcome-${d.state as (typeof OUTCOMES)[number]}`)
        : d.state;
  const totals = m.totals.length
    ? m.totals.map((t) => tr.money({ amountMinor: t.totalMinor, currency: t.currency })).join(" · ")
    : tr.t("dashboard-none");
  return shell(tr, viewer, "money", banner, [
    h("h2", null, tr.t("dashboard-refunds")),
    table(
      [
        tr.t("dashboard-col-id"),
        tr.t("dashboard-col-order"),
        tr.t("dashboard-col-amount"),
        tr.t("dashboard-col-reason"),
        tr.t("dashboard-col-by"),
        tr.t("dashboard-col-actions"),
      ],
      m.refunds.map((r) =>
        h(
          "tr",
          { "data-refund": r.id },
          h("td", null, r.id),
          h("td", null, `${r.channelId}:${r.orderId}`),
          h("td", null, tr.money(r.amount)),
          h("td", null, r.reason),
          h("td", null, r.requestedBy),
          h(
            "td",
            null,
            actionForm(viewer, { action: "approve-refund", id: r.id }, tr.t("dashboard-approve")),
            actionForm(viewer, { action: "reject-refund", id: r.id }, tr.t("dashboard-reject"), "btn secondary"),
          ),
        ),
      ),
      tr.t("dashboard-no-refunds"),
    ),
    h("h2", null, tr.t("dashboard-prices")),
    table(
      [
        tr.t("dashboard-col-id"),
        tr.t("dashboard-col-sku"),
        tr.t("dashboard-col-channel"),
        tr.t("dashboard-col-price"),
        tr.t("dashboard-col-move"),
        tr.t("dashboard-col-actions"),
      ],
      m.prices.map((p) =>
        h(
          "tr",
          { "data-price-request": String(p.id) },
          h("td", null, String(p.id)),
          h("td", null, p.sku),
          h("td", null, p.channelId || tr.t("dashboard-all-channels")),
          h("td", null, `${p.old ? `${tr.money(p.old)} → ` : ""}${tr.money(p.price)}`),
          h("td", null, `${p.movePct > 0 ? "+" : ""}${Math.round(p.movePct)}%`),
          h(
            "td",
            null,
            actionForm(viewer, { action: "approve-price", id: String(p.id) }, tr.t("dashboard-approve")),
            actionForm(viewer, { action: "reject-price", id: String(p.id) }, tr.t("dashboard-reject"), "btn secondary"),
          ),
        ),
      ),
      tr.t("dashboard-no-prices"),
    ),
    h("h2", null, tr.t("dashboard-breaker")),
    h(
      "p",
      { class: m.breaker.isOpen ? "bad" : "ok" },
      m.breaker.isOpen
        ? tr.t("dashboard-breaker-open", { since: tr.dateTime(new Date(m.breaker.openedAt ?? 0)) })
        : tr.t("dashboard-breaker-closed"),
    ),
    h("p", null, tr.t("dashboard-breaker-window", { minutes: m.windowMinutes, totals })),
    h("h2", null, tr.t("dashboard-history", { days: m.historyDays })),
    table(
      [
        tr.t("dashboard-col-kind"),
        tr.t("dashboard-col-id"),
        tr.t("dashboard-col-subject"),
        tr.t("dashboard-col-amount"),
        tr.t("dashboard-col-asked-by"),
        tr.t("dashboard-col-decided-by"),
        tr.t("dashboard-col-decided-at"),
        tr.t("dashboard-col-outcome"),
      ],
      m.history.map((d) =>
        h(
          "tr",
          { "data-history": `${d.kind}:${d.id}` },
          h("td", null, tr.t(`dashboard-kind-${d.kind}`)),
          h("td", null, d.id),
          h("td", null, d.subject),
          h("td", null, `${d.old ? `${tr.money(d.old)} → ` : ""}${tr.money(d.amount)}`),
          h("td", null, d.requestedBy),
          h("td", null, d.decidedBy ?? tr.t("dashboard-dash")),
          h("td", null, tr.dateTime(new Date(d.decidedAt))),
          h("td", { "data-outcome": d.state }, outcome(d)),
        ),
      ),
      tr.t("dashboard-no-history", { days: m.historyDays }),
    ),
  ]);
}

/**
 * Alerts: the live ones with Ack and Snooze. The table is always there (empty when nothing is live) so that
 * app.js can rebuild its rows from each SSE snapshot: an alert raised or resolved appears or goes without a reload.
 */
export function alertsPage(tr: Translator, viewer: Viewer, banner: string[], alerts: AlertView[]): string {
  return shell(tr, viewer, "alerts", banner, [
    h("h2", null, tr.t("dashboard-alerts-open")),
    h(
      "table",
      {
        id: "alerts",
        "data-ack-label": tr.t("dashboard-ack"),
        "data-snooze-label": tr.t("dashboard-snooze"),
      },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          ...[
            tr.t("dashboard-col-id"),
            tr.t("dashboard-col-raised"),
            tr.t("dashboard-col-alert"),
            tr.t("dashboard-col-actions"),
          ].map((c) => h("th", null, c)),
        ),
      ),
      h(
        "tbody",
        { id: "alerts-body" },
        ...alerts.map((a) =>
          h(
            "tr",
            { "data-alert": String(a.id), class: `sev-${a.severity}` },
            h("td", null, String(a.id)),
            h("td", null, a.raisedAt),
            h("td", null, a.text),
            h(
              "td",
              { "data-alert-status": String(a.id) },
              a.acked ?? [
                actionForm(viewer, { action: "ack", id: String(a.id) }, tr.t("dashboard-ack")),
                actionForm(viewer, { action: "snooze", id: String(a.id) }, tr.t("dashboard-snooze"), "btn secondary"),
              ],
            ),
          ),
        ),
      ),
    ),
    h("p", { class: "empty", id: "alerts-empty", hidden: alerts.length > 0 }, tr.t("dashboard-no-alerts")),
  ]);
}

/** What an action answered (the command's reply), with a Confirm form when it needs a confirmation. */
export function resultPage(
  tr: Translator,
  viewer: Viewer,
  reply: { text: string; buttons?: Button[] | undefined },
  outcome: string,
  back: string,
): string {
  const confirms = (reply.buttons ?? []).flatMap((b) => {
    const m = /^\/confirm ([A-Za-z0-9]{6})$/.exec(b.action);
    return m?.[1] ? [m[1]] : [];
  });
  return shell(
    tr,
    viewer,
    "overview",
    [],
    [
      h("h2", null, tr.t("dashboard-result-title")),
      h("pre", { class: `reply outcome-${outcome}`, id: "reply", "data-outcome": outcome }, reply.text),
      ...confirms.map((token) =>
        actionForm(viewer, { action: "confirm", id: token }, tr.t("dashboard-confirm-button")),
      ),
      h("p", null, h("a", { href: back }, tr.t("dashboard-back"))),
    ],
  );
}

/** The sign-in page a link opens: one button that posts the token (link previews in chat apps do not use it up). */
export function signInPage(tr: Translator, token: string): string {
  return document(
    tr,
    tr.t("dashboard-sign-in-title"),
    h(
      "main",
      { class: "narrow" },
      h("h1", null, tr.t("dashboard-sign-in-title")),
      h("p", null, tr.t("dashboard-sign-in-note")),
      h(
        "form",
        { method: "post", action: "/dashboard/login" },
        h("input", { type: "hidden", name: "t", value: token }),
        h("button", { type: "submit", class: "btn", id: "sign-in" }, tr.t("dashboard-sign-in-button")),
      ),
    ),
  );
}

/** A page that only says something (refused link, no session, signed out). */
export function messagePage(tr: Translator, text: string): string {
  return document(
    tr,
    tr.t("dashboard-title"),
    h("main", { class: "narrow" }, h("h1", null, tr.t("dashboard-title")), h("p", { id: "message" }, text)),
  );
}
