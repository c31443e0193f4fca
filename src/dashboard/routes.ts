import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyCookie from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";
import { roleOf } from "../chat/access.js";
import type { Role } from "../chat/command.js";
import type { Dispatcher } from "../chat/dispatch.js";
import type { Deps } from "../deps.js";
import type { RouteModule } from "../http/body.js";
import type { Locale } from "../i18n/locales.js";
import { languageConfigOf, resolveLocale } from "../i18n/resolve.js";
import type { Translator } from "../i18n/translator.js";
import {
  cookieSecretOf,
  csrfTokenOf,
  dashboardBase,
  hashToken,
  isCsrfValid,
  newToken,
  SESSION_COOKIE,
} from "./auth.js";
import { alertViews, bannerLines, carrierRows, channelRows, lateParcels, overviewFigures, stockRows } from "./data.js";
import {
  alertsPage,
  messagePage,
  moneyPage,
  overviewPage,
  parcelsPage,
  resultPage,
  signInPage,
  stockPage,
  type Viewer,
} from "./views.js";

/** Every page and asset answers with this: scripts, styles and data only from this server, no framing, no inline code. */
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** The page actions and the command line each one runs (through the dispatcher, as the signed-in person). */
const ACTIONS: Record<string, (id: string) => string> = {
  ack: (id) => `/ack ${id}`,
  snooze: (id) => `/snooze ${id} 2h`,
  "approve-refund": (id) => `/approve-refund ${id}`,
  "reject-refund": (id) => `/reject-refund ${id} rejected on the dashboard`,
  "approve-price": (id) => `/approve-price ${id}`,
  "reject-price": (id) => `/reject-price ${id} rejected on the dashboard`,
  confirm: (id) => `/confirm ${id}`,
};
const ID = /^[A-Za-z0-9-]{1,40}$/;
/** The Money page's history covers this many days of decisions. */
const HISTORY_DAYS = 30;

/** The transport a user key's chat is on (its language defaults follow it). */
const transportOf = (userKey: string): string =>
  ({ tg: "telegram", wecom: "wecom" })[userKey.split(":")[0] ?? ""] ?? userKey.split(":")[0] ?? "web";

/** The person's page language: their /lang, else their chat's, else config. */
export function localeFor(deps: Deps, userKey: string | undefined): Locale {
  return resolveLocale({
    config: languageConfigOf(deps.config),
    transport: userKey ? transportOf(userKey) : "web",
    ...(userKey ? { userPref: deps.languages.getLanguage(userKey) } : {}),
  });
}

/** Where the package's files are (src/ under tsx, dist/src/ compiled): the directory holding package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      readFileSync(join(dir, "package.json"));
      return dir;
    } catch {
      dir = dirname(dir);
    }
  }
  throw new Error("stockradar package root not found");
}

/** The files under /dashboard/assets/, each read once: our client script and style, and ECharts from node_modules. */
function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const root = packageRoot();
  const echartsDir = dirname(createRequire(import.meta.url).resolve("echarts"));
  return new Map([
    [
      "app.js",
      { type: "text/javascript; charset=utf-8", body: readFileSync(join(root, "src/dashboard/assets/app.js")) },
    ],
    ["app.css", { type: "text/css; charset=utf-8", body: readFileSync(join(root, "src/dashboard/assets/app.css")) }],
    [
      "echarts.min.js",
      { type: "text/javascript; charset=utf-8", body: readFileSync(join(echartsDir, "echarts.min.js")) },
    ],
  ]);
}

/** A signed-in page session. */
interface Session {
  hash: string;
  userKey: string;
  role: Role;
}

/** Parses an urlencoded form body (the server keeps every body raw). */
function formOf(req: FastifyRequest): URLSearchParams {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("application/x-www-form-urlencoded")) return new URLSearchParams();
  return new URLSearchParams(req.rawBody?.toString("utf8") ?? "");
}

/**
 * The war-room page routes (on only when `dashboard.enabled`): sign-in by one-time link, the five pages, live
 * updates by SSE, and actions that run through the dispatcher as the signed-in person.
 */
export function dashboardRoutes(dispatcher: Dispatcher): RouteModule {
  return async (server, deps) => {
    const assets = loadAssets();
    const secret = cookieSecretOf(deps);
    const isSecure = dashboardBase(deps).startsWith("https:");
    const trFor = (userKey?: string): Translator => dispatcher.translator(localeFor(deps, userKey));

    await server.register(async (app) => {
      await app.register(fastifyCookie, { secret, hook: "onRequest" });

      const html = (reply: FastifyReply, status: number, body: string) =>
        reply
          .code(status)
          .header("content-type", "text/html; charset=utf-8")
          .header("content-security-policy", CSP)
          .header("x-content-type-options", "nosniff")
          .header("referrer-policy", "no-referrer")
          .header("cache-control", "no-store")
          .send(body);

      /** The live session behind the request's signed cookie, re-checked against config `access`. */
      const sessionOf = (req: FastifyRequest): Session | undefined => {
        const raw = req.cookies[SESSION_COOKIE];
        if (!raw) return undefined;
        const u = req.unsignCookie(raw);
        if (!u.valid || !u.value) return undefined;
        const hash = hashToken(u.value);
        const s = deps.dashboard.findSession(hash);
        const role = s ? roleOf(deps.config.access, s.userKey) : undefined;
        return s && role ? { hash, userKey: s.userKey, role } : undefined;
      };
      const viewerOf = (s: Session): Viewer => ({
        userKey: s.userKey,
        role: s.role,
        csrf: csrfTokenOf(secret, s.hash),
      });
      const page =
        (render: (s: Session, tr: Translator, req: FastifyRequest) => string) =>
        async (req: FastifyRequest, reply: FastifyReply) => {
          const s = sessionOf(req);
          if (!s) return html(reply, 401, messagePage(trFor(), trFor().t("dashboard-no-session")));
          return html(reply, 200, render(s, trFor(s.userKey), req));
        };

      app.get("/dashboard/assets/:name", async (req, reply) => {
        const a = assets.get((req.params as { name: string }).name);
        if (!a) return reply.code(404).send({ error: "not_found", message: "No such asset." });
        return reply
          .header("content-type", a.type)
          .header("cache-control", "public, max-age=3600")
          .header("x-content-type-options", "nosniff")
          .send(a.body);
      });

      app.get("/dashboard/login", { onRequest: app.unauthenticatedLimit }, async (req, reply) => {
        const t = (req.query as { t?: unknown }).t;
        const tr = trFor();
        if (typeof t !== "string" || !/^[A-Za-z0-9_-]{20,100}$/.test(t))
          return html(reply, 400, messagePage(tr, tr.t("dashboard-link-unknown")));
        return html(reply, 200, signInPage(tr, t));
      });

      app.post("/dashboard/login", { onRequest: app.unauthenticatedLimit }, async (req, reply) => {
        const t = formOf(req).get("t") ?? "";
        const used = deps.dashboard.consumeLink(hashToken(t));
        if ("refused" in used) {
          const tr = trFor();
          req.log.info({ refused: used.refused }, "dashboard sign-in refused");
          return html(reply, 403, messagePage(tr, tr.t(`dashboard-link-${used.refused}`)));
        }
        const role = roleOf(deps.config.access, used.userKey);
        if (!role) return html(reply, 403, messagePage(trFor(), trFor().t("dashboard-no-session")));
        const token = newToken();
        deps.dashboard.createSession(
          hashToken(token),
          { userKey: used.userKey, role },
          deps.config.dashboard.sessionHours,
        );
        req.log.info({ user: used.userKey }, "dashboard session opened");
        return reply
          .setCookie(SESSION_COOKIE, token, {
            signed: true,
            httpOnly: true,
            sameSite: "strict",
            secure: isSecure,
            path: "/dashboard",
            maxAge: Math.round(deps.config.dashboard.sessionHours * 3600),
          })
          .code(303)
          .header("location", "/dashboard")
          .send();
      });

      app.post("/dashboard/logout", async (req, reply) => {
        const s = sessionOf(req);
        const tr = trFor(s?.userKey);
        if (!s) return html(reply, 401, messagePage(tr, tr.t("dashboard-no-session")));
        if (!isCsrfValid(secret, s.hash, formOf(req).get("csrf") ?? undefined))
          return html(reply, 403, messagePage(tr, tr.t("dashboard-bad-csrf")));
        deps.dashboard.revokeSessions(s.userKey);
        return html(
          reply.clearCookie(SESSION_COOKIE, { path: "/dashboard" }),
          200,
          messagePage(tr, tr.t("dashboard-signed-out")),
        );
      });

      app.get(
        "/dashboard",
        page((s, tr) => overviewPage(tr, viewerOf(s), overviewFigures(deps, tr), channelRows(deps))),
      );
      app.get(
        "/dashboard/stock",
        page((s, tr, req) => {
          const raw = (req.query as { q?: unknown }).q;
          const q = typeof raw === "string" && raw.trim() ? raw.trim().slice(0, 64) : undefined;
          return stockPage(tr, viewerOf(s), bannerLines(deps, tr), q, stockRows(deps, q));
        }),
      );
      app.get(
        "/dashboard/parcels",
        page((s, tr) => parcelsPage(tr, viewerOf(s), bannerLines(deps, tr), lateParcels(deps), carrierRows(deps))),
      );
      app.get(
        "/dashboard/money",
        page((s, tr) => {
          const windowMinutes = deps.config.money.breaker.windowMinutes;
          return moneyPage(tr, viewerOf(s), bannerLines(deps, tr), {
            refunds: deps.refunds.listRefunds({ states: ["pending"], limit: 100 }),
            prices: deps.priceRequests.pendingPriceRequests(),
            breaker: deps.breaker.breakerState(),
            windowMinutes,
            totals: deps.breaker.windowTotals(windowMinutes),
            history: deps.dashboard.moneyDecisionsSince(
              new Date(deps.clock.now().getTime() - HISTORY_DAYS * 86_400_000).toISOString(),
            ),
            historyDays: HISTORY_DAYS,
          });
        }),
      );
      app.get(
        "/dashboard/alerts",
        page((s, tr) => alertsPage(tr, viewerOf(s), bannerLines(deps, tr), alertViews(deps, tr))),
      );

      app.post("/dashboard/action", async (req, reply) => {
        const s = sessionOf(req);
        const tr = trFor(s?.userKey);
        if (!s) return html(reply, 401, messagePage(tr, tr.t("dashboard-no-session")));
        const form = formOf(req);
        if (!isCsrfValid(secret, s.hash, form.get("csrf") ?? undefined)) {
          req.log.warn({ user: s.userKey }, "dashboard action without a valid CSRF token");
          return html(reply, 403, messagePage(tr, tr.t("dashboard-bad-csrf")));
        }
        const make = ACTIONS[form.get("action") ?? ""];
        const id = form.get("id") ?? "";
        if (!make || !ID.test(id)) return html(reply, 400, messagePage(tr, tr.t("dashboard-bad-action")));
        // The same declarations, role checks, confirmations and audit as chat: the page can do no more than chat.
        const r = await dispatcher.handle({ transport: "web", chatId: "dashboard", userId: s.userKey, text: make(id) });
        const back = /refund|price/.test(form.get("action") ?? "") ? "/dashboard/money" : "/dashboard/alerts";
        return html(reply, r.outcome === "ok" ? 200 : 403, resultPage(tr, viewerOf(s), r.reply, r.outcome, back));
      });

      const streams = new Set<FastifyReply>();
      app.get("/dashboard/events", async (req, reply) => {
        const s = sessionOf(req);
        if (!s) return reply.code(401).send({ error: "unauthorized", message: "Sign in with /dashboard first." });
        const tr = trFor(s.userKey);
        reply.hijack();
        reply.raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        const send = () => {
          // A session revoked or expired since the stream opened gets nothing more.
          if (!deps.dashboard.findSession(s.hash)) return reply.raw.end();
          reply.raw.write(`event: figures\ndata: ${JSON.stringify(overviewFigures(deps, tr))}\n\n`);
        };
        send();
        let pending: NodeJS.Timeout | undefined;
        const soon = () => {
          pending ??= setTimeout(() => {
            pending = undefined;
            send();
          }, 50);
        };
        // Stock commits and alerts raised or resolved on their own (the radar, a channel going unhealthy) both push.
        const offCommit = deps.ledger.onCommit(soon);
        const offAlerts = deps.ledger.onAlertChange(soon);
        // A comment line now and then keeps proxies from closing an idle stream.
        const keepAlive = setInterval(() => reply.raw.write(": keep-alive\n\n"), 15_000);
        keepAlive.unref();
        streams.add(reply);
        reply.raw.on("close", () => {
          offCommit();
          offAlerts();
          clearInterval(keepAlive);
          if (pending) clearTimeout(pending);
          streams.delete(reply);
        });
      });
      // Open streams would hold the server's close forever: end them first.
      app.addHook("preClose", async () => {
        for (const r of streams) r.raw.end();
      });
    });
  };
}
