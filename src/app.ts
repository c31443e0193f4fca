import { timingSafeEqual } from "node:crypto";
import { dirname, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import ky from "ky";
import { commands } from "../commands/index.js";
import { jobs } from "../jobs/index.js";
import { type CallBudget, createCallBudget } from "./budget/budget.js";
import { buildChannels } from "./channels/registry.js";
import type { SalesChannel } from "./channels/types.js";
import { roleOf } from "./chat/access.js";
import { deliverDueAlerts } from "./chat/alert-sender.js";
import { createDispatcher, type Dispatcher } from "./chat/dispatch.js";
import { createConsoleTransport } from "./chat/transports/console.js";
import {
  checkWecom,
  createWecomTransport,
  type WecomCheck,
  wecomCardRecipients,
  wecomRefusedLine,
} from "./chat/transports/wecom.js";
import type { Reply, Transport, TransportHandlers } from "./chat/types.js";
import { createWecomApi, type WecomApi } from "./chat/wecom/api-client.js";
import { createRobotQueue } from "./chat/wecom/robot-queue.js";
import { type Clock, type Sleep, systemClock, type Timers } from "./clock.js";
import type { Config } from "./config.js";
import { channelPolicyOf, secretValues } from "./config.js";
import { createCourierRegistry } from "./couriers/registry.js";
import { dashboardRoutes } from "./dashboard/routes.js";
import type { Deps } from "./deps.js";
import { reportDiskFull, translatorFor } from "./disk-full.js";
import type { RouteModule } from "./http/body.js";
import { channelHealthViews } from "./http/health.js";
import { routeModules } from "./http/routes.js";
import { wecomRoutes } from "./http/wecom.js";
import { languageConfigOf, resolveLocale } from "./i18n/resolve.js";
import { sharedI18n, type Translator } from "./i18n/translator.js";
import { type Db, openDatabase } from "./ledger/db.js";
import { createConnection, createLedger } from "./ledger/index.js";
import { createLogger, type Logger } from "./log.js";
import { createMetrics, instrumentChannel } from "./metrics.js";
import { createPromotionGuard } from "./money/promotion-guard.js";
import { onChannelRefund } from "./money/refund-flow.js";
import { startScheduler } from "./scheduler.js";
import { createStores } from "./stores.js";
import { createSyncEngine } from "./sync/engine.js";
import { createRedactor, type Redactor } from "./upstream/redact.js";

/** Options for {@link createApp}; tests use them as seams (clock, streams, a quiet logger). */
export interface AppOptions {
  config: Config;
  log?: Logger;
  clock?: Clock;
  /** Channel retry and limiter waits and the chat transports' connection retries; default real sleep (tests pass one that steps a manual clock). */
  sleep?: Sleep;
  /** The sync engine's debounce and wake timers; default event-loop timers (tests pass manual ones). */
  timers?: Timers;
  /** Console streams; default stdin/stdout. */
  console?: { input?: Readable; output?: Writable; prompt?: boolean };
  /** Force the console transport on or off (default: on when no chat platform is configured, or chat.console). */
  withConsole?: boolean;
  /** An already opened ledger at `config.database` (tests set pragmas on it, e.g. `max_page_count` for a full disk). */
  db?: Db;
  /**
   * The process's one redactor (default: built from the config's secrets). Tokens learned at run time (Amazon LWA,
   * eBay OAuth, WeCom access tokens) are added to it, so the logger built on it and the stores redact them too.
   */
  redactor?: Redactor;
}

/** A built application: dependencies, dispatcher, transports; `start` begins serving, `stop` ends it cleanly. */
export interface App {
  deps: Deps;
  dispatcher: Dispatcher;
  transports: Transport[];
  /** Starts transports, the HTTP server and the scheduler. */
  start(opts?: { http?: boolean; scheduler?: boolean }): Promise<void>;
  /** The HTTP server once started. */
  http: FastifyInstance | undefined;
  /** Graceful stop: no new work, in-flight pushes get `graceMs` to finish (default 0), then the ledger closes. */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

/**
 * The composition root: the only place that opens the database, creates HTTP clients and builds the
 * Telegram bot. Everything else receives what it needs through `Deps`.
 */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const redactor = opts.redactor ?? createRedactor(secretValues(config));
  const log = opts.log ?? createLogger({ level: config.logLevel, redactor });
  const clock = opts.clock ?? systemClock;
  const db = opts.db ?? openDatabase(config.database);
  const channelConfigs = new Map(config.channels.map((c) => [c.id, c]));
  const conn = createConnection(db, {
    clock,
    // The second line behind the adapters' redactor: no stored error, alert or audit line keeps a configured secret.
    redact: (s) => redactor.text(s),
    settings: config.stock,
    channelPolicy: (id) => {
      const c = channelConfigs.get(id);
      return c ? channelPolicyOf(c) : undefined;
    },
    skuPolicy: (sku) => (stores.flash.isFlashSku(sku) ? { capPct: config.stock.flash.capPct } : undefined),
  });
  const ledger = createLedger(conn);
  const stores = createStores(conn);
  const transports: Transport[] = [];
  const notify = async (reply: Reply): Promise<void> => {
    if (!transports.length) {
      log.info({ text: reply.text }, "notification (no chat transport configured)");
      return;
    }
    // A localizable notice (alerts, pages, summaries) is rendered in the language of the chat each transport posts to
    // (`languages.<transport>.chats.<chatId>`, else the transport's, else the global one).
    const groupChatOf = (name: string): string | undefined =>
      name === "telegram" && config.chat.telegram
        ? String(config.chat.telegram.chatId)
        : name === "console"
          ? "console"
          : undefined;
    const inLanguageOf = async (t: Transport): Promise<Reply> => {
      if (!reply.localize) return reply;
      const chatId = groupChatOf(t.name);
      const locale = resolveLocale({
        config: languageConfigOf(config),
        transport: t.name,
        ...(chatId !== undefined ? { chatId } : {}),
      });
      const { localize: _, ...out } = await reply.localize(sharedI18n(config.timezone).translator(locale));
      return out;
    };
    const results = await Promise.allSettled(transports.map(async (t) => t.broadcast(await inLanguageOf(t))));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    for (const f of failed) log.warn({ err: f.reason }, "notification failed on a transport");
    if (failed.length === results.length) throw new Error("notification failed on every transport");
  };
  // A channel with a call budget counts every call on the wire in the ledger, per local day (src/budget/).
  const budgets = new Map<string, CallBudget>();
  for (const c of config.channels)
    if (c.callBudget)
      budgets.set(
        c.id,
        createCallBudget({
          channelId: c.id,
          settings: c.callBudget,
          store: stores.callBudgets,
          clock,
          timeZone: config.timezone,
          alerts: ledger.alerts,
        }),
      );
  // Adapters raise operator alerts through the ledger; checklist channels (Xianyu) post their to-dos with notify.
  const built = buildChannels(config.channels, {
    meterOf: (id) => budgets.get(id)?.meter,
    makeHttp: (o) => ky.create(o),
    log,
    clock,
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    ledger,
    checklist: stores.checklist,
    shopifyLevels: stores.shopifyLevels,
    notify,
    redactor,
  });
  for (const u of built.unsupported)
    log.warn({ channelId: u.id, kind: u.kind }, "channel kind has no adapter yet; it is not synced");
  // Every channel call is counted (adapters are wrapped before anyone holds them); ledger-backed figures are read per scrape.
  const metrics = createMetrics({
    ledger,
    ops: stores.ops,
    clock,
    config,
    jobs,
    channels: () => channelHealthViews(deps.sync),
    quotas: () =>
      [...built.limiters].flatMap(([id, l]) =>
        Object.entries(l.snapshot().buckets).map(([bucket, b]) => ({
          kind: "channel" as const,
          name: id,
          bucket,
          left: b.tokens,
          capacity: b.burst,
          isReported: b.isReported,
        })),
      ),
  });
  const channels: ReadonlyMap<string, SalesChannel> = new Map(
    [...built.channels].map(([id, c]) => [id, instrumentChannel(c, metrics)]),
  );
  const sync = createSyncEngine({
    ledger: {
      ...ledger,
      bulkHolds: stores.bulkHolds,
      channelState: stores.channelState,
      orders: stores.orders,
      shipments: stores.shipments,
    },
    clock,
    ...(opts.timers ? { timers: opts.timers } : {}),
    log: log.child({ component: "sync" }),
    channels: [...channels.values()],
    settings: config.sync,
    bulkGuard: config.stock.bulkGuard,
    callBudgets: {
      of: (id) => budgets.get(id),
      lowLineOf: (sku) => ledger.stock.findLevel(sku)?.lowThreshold ?? config.stock.lowStockThreshold,
    },
    channelSettings: (id) => channelConfigs.get(id) ?? { failureAlertAfter: 5, unhealthyAfterMinutes: 15 },
    prices: { outbox: stores.priceOutbox },
    // The promotion guard holds an order line far above what its SKU normally sells ("buy one, get N").
    orderGuard: createPromotionGuard({ config, holds: stores.holds, ledger }),
    // Flash-sale SKUs push at once even when sync.debounceMs batches other changes.
    isUrgent: (skus) => skus.some((sku) => stores.flash.isFlashSku(sku)),
    // Refunds a channel reports (Shopify refunds/create) count towards the breaker and are audited.
    // A background pass that stops on a full ledger disk: the one disk-full alert, never "stockradar bug".
    onDiskFull: (where) => void reportDiskFull(deps, where),
    onRefund: (channelId, refund) =>
      onChannelRefund(deps, channelId, refund).catch((err) =>
        log.warn({ err, channelId, refundId: refund.refundId }, "channel refund notice failed"),
      ),
  });
  // Adapters handle retries themselves (per-parcel backoff), so ky does not retry behind their back.
  const courierHttp = ky.create({ timeout: 30_000, retry: 0 });
  const couriers = createCourierRegistry(config.couriers, {
    http: courierHttp,
    log: log.child({ component: "couriers" }),
    clock,
    publicUrl: config.http.publicUrl,
  });
  const deps: Deps = {
    ...stores,
    config,
    ledger,
    clock,
    log,
    channels,
    sync,
    metrics,
    notify,
    couriers,
    chatStatus: () => transports.flatMap((t) => (t.status ? [t.status()] : [])),
    httpUrl: () => {
      const a = http?.server.address();
      return a && typeof a === "object"
        ? `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`
        : undefined;
    },
  };
  const dispatcher = createDispatcher({ commands, deps });

  const extraRoutes: RouteModule[] = [];
  if (config.dashboard.enabled) extraRoutes.push(dashboardRoutes(dispatcher));
  const tg = config.chat.telegram;
  if (tg) {
    // grammY and its plugins load only when Telegram is configured (a few hundred ms of start-up otherwise).
    const [{ Bot, webhookCallback }, { createTelegramTransport }] = await Promise.all([
      import("grammy"),
      import("./chat/transports/telegram.js"),
    ]);
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    transports.push(
      createTelegramTransport(bot, tg, {
        log: log.child({ transport: "telegram" }),
        storeButton: (action) => ledger.jobs.storeButtonAction(action),
        menu: (locale) => dispatcher.menu(locale),
        menuLocale: dispatcher.chatLocale("telegram", String(tg.chatId)),
        isKnownUser: (id) => roleOf(config.access, id) !== undefined,
        refusedLine: dispatcher.translator(dispatcher.chatLocale("cli")).t("first-telegram-refused"),
        clock,
        ...(opts.sleep ? { sleep: opts.sleep } : {}),
      }),
    );
    if (tg.mode === "webhook") {
      extraRoutes.push((app) => {
        const handle = webhookCallback(bot, "fastify", {
          secretToken: tg.webhookSecret,
          onTimeout: "return",
          timeoutMilliseconds: 9_000,
        });
        // The server keeps every body raw (nothing is parsed before auth): check the secret token on the
        // header first, then hand grammY the parsed update it expects.
        app.post("/telegram/webhook", async (req, reply) => {
          const given = Buffer.from(String(req.headers["x-telegram-bot-api-secret-token"] ?? ""));
          const want = Buffer.from(tg.webhookSecret ?? "");
          if (given.length !== want.length || !timingSafeEqual(given, want)) {
            return reply.code(401).send({ error: "unauthorized" });
          }
          try {
            req.body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString("utf8") : String(req.body));
          } catch {
            return reply.code(400).send({ error: "malformed_update" });
          }
          return handle(req, reply);
        });
      });
    }
  }
  const wc = config.chat.wecom;
  if (wc) {
    const wlog = log.child({ transport: "wecom" });
    const api = wecomApi(config, clock, wlog, redactor);
    const robot = wc.robotKey
      ? createRobotQueue({
          wecom: stores.wecom,
          api,
          robotKey: wc.robotKey,
          robotName: "ops",
          perMinute: wc.robotPerMinute,
          clock,
          log: wlog,
        })
      : undefined;
    const wecom = createWecomTransport({
      settings: wc,
      ledger,
      wecom: stores.wecom,
      api,
      robot,
      cardRecipients: wecomCardRecipients(config),
      clock,
      log: wlog,
      refusedLine: (errcode) => wecomRefusedLine(dispatcher.translator(dispatcher.chatLocale("cli")), errcode),
      downLine: dispatcher.translator(dispatcher.chatLocale("cli")).t("first-wecom-down"),
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
    transports.push(wecom);
    extraRoutes.push(wecomRoutes(wecom, { callbackPath: wc.callbackPath, aiBotPath: wc.aiBot?.path }));
  }
  const isConsole = opts.withConsole ?? config.chat.console ?? (!tg && !config.chat.wecom);
  if (isConsole) {
    transports.push(
      createConsoleTransport({
        log: log.child({ transport: "console" }),
        imageDir: resolve(dirname(config.database === ":memory:" ? "./data/x" : config.database), "charts"),
        ...opts.console,
      }),
    );
  }

  let http: FastifyInstance | undefined;
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  let unsubscribe: (() => void) | undefined;
  let alertTimer: NodeJS.Timeout | undefined;
  let started: Transport[] = [];

  const app: App = {
    deps,
    dispatcher,
    transports,
    get http() {
      return http;
    },
    async start(s = {}) {
      const handlers: TransportHandlers = {
        onMessage: async (m) => (await dispatcher.handle(m)).reply,
        onButton: async ({ messageId, ...p }) => {
          const r = await dispatcher.press({ ...p, ...(messageId ? { pressId: messageId } : {}) });
          return { ...r.reply, outcome: r.outcome };
        },
      };
      for (const t of transports) {
        await t.start(handlers);
        started.push(t);
      }
      // New alerts go out within a second of the change that raised them; the alert-resend job is the safety net.
      unsubscribe = ledger.onCommit(() => {
        if (alertTimer) return;
        alertTimer = setTimeout(() => {
          alertTimer = undefined;
          deliverDueAlerts(deps).catch((err) => log.warn({ err }, "alert delivery failed"));
        }, 500);
      });
      // Commits (orders, adjustments) now push to the channels at once on an idle lane (after sync.debounceMs when set).
      sync.start();
      if (s.http ?? config.http.enabled) {
        // Loaded here, not at the top: fastify and its validators are a third of the code, and `cmd` never serves.
        const { createHttpServer } = await import("./http/server.js");
        http = await createHttpServer(deps, [...routeModules, ...extraRoutes]);
        await http.listen({ host: config.http.host, port: config.http.port });
        log.info({ address: http.server.address() }, "http listening");
      }
      if (s.scheduler ?? true) scheduler = startScheduler(jobs, deps);
      await deliverDueAlerts(deps).catch((err) => log.warn({ err }, "alert delivery failed"));
    },
    async stop(o = {}) {
      // 1. Take no new work: chat transports, the HTTP server (requests in progress finish, new ones get 503)
      //    and the scheduler (running jobs see their abort signal).
      unsubscribe?.();
      if (alertTimer) clearTimeout(alertTimer);
      await Promise.allSettled([scheduler?.stop(), ...started.map((t) => t.stop()), http?.close()]);
      started = [];
      // 2. Pushes in flight finish within the grace period or are handed back to the outbox.
      await sync.stop({ graceMs: o.graceMs ?? 0 });
      // 3. Close the ledger: the last connection checkpoints the WAL into the database file.
      metrics.close();
      ledger.close();
    },
  };
  return app;
}

/** The WeCom API client for `chat.wecom` (HTTP client built here, like every other one). */
function wecomApi(config: Config, clock: Clock, log: Logger, secrets?: Redactor): WecomApi {
  const wc = config.chat.wecom;
  if (!wc) throw new Error("chat.wecom is not configured");
  return createWecomApi({
    http: ky.create({ timeout: 10_000, retry: 0 }),
    apiBase: wc.apiBase,
    corpId: wc.corpId,
    secret: wc.secret,
    agentId: wc.agentId,
    clock,
    log,
    ...(secrets ? { secrets } : {}),
  });
}

/** `doctor`'s WeCom checks (app token, robot key); empty when WeCom is not configured. */
export async function wecomDoctor(
  config: Config,
  log: Logger,
  tr: Translator = translatorFor(config, "cli"),
): Promise<WecomCheck[]> {
  const wc = config.chat.wecom;
  return wc ? checkWecom(wecomApi(config, systemClock, log), wc, tr) : [];
}
