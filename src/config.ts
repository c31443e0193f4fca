import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { AmazonConfigSchema } from "./channels/amazon.js";
import { EbayConfigSchema } from "./channels/ebay.js";
import { PinduoduoConfigSchema } from "./channels/pinduoduo.js";
import { ShopifyConfigSchema, shopifySellsFrom } from "./channels/shopify.js";
import { TaobaoConfigSchema } from "./channels/taobao.js";
import { WebhookConfigSchema } from "./channels/webhook.js";
import { isQueryAuthOverPlainHttp, WooConfigSchema } from "./channels/woocommerce.js";
import { XianyuConfigSchema } from "./channels/xianyu.js";
import { locationName, secret, url } from "./config-fields.js";
import { invalidConfigRef, issueProblem, missingEnvProblem, unknownKeyProblem } from "./config-problems.js";
import { unknownKeyList } from "./config-strict.js";
import { KdniaoConfigSchema } from "./couriers/kdniao.js";
import { Kuaidi100ConfigSchema } from "./couriers/kuaidi100.js";
import { SeventeenTrackConfigSchema } from "./couriers/seventeentrack.js";
import { ConfigError } from "./errors.js";
import { english, localized } from "./i18n/errors.js";
import { type TextRef, textRef } from "./i18n/ref.js";
import { LanguageConfigSchema, LocaleSchema } from "./i18n/resolve.js";
import { configSecrets } from "./upstream/redact.js";

const cron = z.string().regex(/^\S+(\s+\S+){4,5}$/, { message: "expected a cron expression such as */10 * * * *" });
const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: "expected an ISO 4217 currency code such as USD or CNY" });
const userKey = z
  .string()
  .regex(/^[a-z]+:[^\s]+$/, { message: 'expected a user key such as "tg:111" or "wecom:zhangsan"' });

/** One sales channel, by kind. */
export const ChannelConfigSchema = z.discriminatedUnion("kind", [
  ShopifyConfigSchema,
  WooConfigSchema,
  AmazonConfigSchema,
  EbayConfigSchema,
  TaobaoConfigSchema,
  PinduoduoConfigSchema,
  XianyuConfigSchema,
  WebhookConfigSchema,
]);
/** A validated channel config. */
export type ChannelConfig = z.infer<typeof ChannelConfigSchema>;

/** The publishing limits of a configured channel that the policy applies: cap, buffer, share, and the marketplace's maximum (Xianyu 9,999). */
export function channelPolicyOf(c: ChannelConfig): {
  cap?: number | undefined;
  bufferUnits?: number | undefined;
  sharePct?: number | undefined;
  maxQuantity?: number | undefined;
  locations?: string[] | undefined;
  riskBuffer?: boolean | undefined;
} {
  return {
    cap: c.cap,
    bufferUnits: c.bufferUnits,
    sharePct: c.sharePct,
    maxQuantity: c.kind === "xianyu" ? c.maxQuantity : undefined,
    locations: c.kind === "shopify" ? shopifySellsFrom(c) : c.locations,
    riskBuffer: c.riskBuffer,
  };
}

/** One courier-tracking provider, by kind. */
export const CourierConfigSchema = z.discriminatedUnion("kind", [
  Kuaidi100ConfigSchema,
  SeventeenTrackConfigSchema,
  KdniaoConfigSchema,
]);
/** A validated courier config. */
export type CourierConfig = z.infer<typeof CourierConfigSchema>;

/** The whole stockradar.yaml. Every key has a default, so an empty file is a valid config. */
export const ConfigSchema = z.object({
  timezone: z
    .string()
    .default("Asia/Shanghai")
    .refine(isTimeZone, { message: "expected an IANA time zone such as Asia/Shanghai" }),
  database: z.string().min(1).default("./data/stockradar.db"),
  /** Every chat's language (`en`, `zh-CN`); unset: WeCom speaks zh-CN, everything else en. */
  language: LocaleSchema.optional(),
  /** Per transport (telegram, wecom, console, cli): `language` and `chats: { <chatId>: zh-CN }`. */
  languages: LanguageConfigSchema.shape.transports,
  logLevel: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  http: z
    .object({
      enabled: z.boolean().default(true),
      host: z.string().default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(8787),
      publicUrl: url.optional(),
      apiToken: secret.optional(),
      bodyLimitBytes: z.number().int().positive().default(1_048_576),
      /** Whole request (headers and body) must arrive within this; a trickling upload gets 408 and is closed. */
      requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
      /** The request's headers must arrive within this (at most `requestTimeoutMs`). */
      headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
      /** A socket idle for this long is closed. */
      connectionTimeoutMs: z.number().int().min(100).max(600_000).default(60_000),
      /** An idle keep-alive connection is closed after this. */
      keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
      /** Open connections at once; the next one is closed on arrival. */
      maxConnections: z.number().int().min(1).max(100_000).default(512),
      /** Requests served on one keep-alive socket before it is closed. */
      maxRequestsPerSocket: z.number().int().min(1).max(1_000_000).default(1000),
      /** Per client IP on unauthenticated routes (/healthz, /metrics, unknown routes, API calls without the token). */
      rateLimit: z
        .object({
          max: z.number().int().min(1).max(1_000_000).default(120),
          windowSeconds: z.number().int().min(1).max(86_400).default(60),
          /** Local callers (monitors, health checks on this host) are not limited; a proxy's X-Forwarded-For client is. */
          exemptLoopback: z.boolean().default(true),
        })
        .prefault({}),
    })
    .refine((h) => h.headersTimeoutMs <= h.requestTimeoutMs, {
      message: "headersTimeoutMs must not exceed requestTimeoutMs",
      path: ["headersTimeoutMs"],
    })
    .prefault({}),
  /** The war-room page (`src/dashboard/`): off unless enabled; `/dashboard` in chat sends a one-time sign-in link. */
  dashboard: z
    .object({
      enabled: z.boolean().default(false),
      // The https address people open (a TLS proxy in front); links use it; doctor wants it when http.host is not loopback.
      publicUrl: url.optional(),
      /** Minutes a sign-in link stays valid (it works once). */
      linkMinutes: z.number().int().min(1).max(60).default(10),
      /** Hours a page session lasts; `/dashboard logout` ends it sooner. */
      sessionHours: z.number().min(0.1).max(720).default(12),
      /** Signs the session cookie; unset: generated once and kept in the ledger. */
      cookieSecret: secret.optional(),
    })
    .prefault({}),
  access: z
    .object({
      admins: z.array(userKey).default([]),
      approvers: z.array(userKey).default([]),
      operators: z.array(userKey).default([]),
      viewers: z.array(userKey).default([]),
    })
    .prefault({}),
  stock: z
    .object({
      lowStockThreshold: z.number().int().min(0).default(3),
      lowStockAction: z.enum(["cap", "delist", "split"]).default("cap"),
      lowStockCap: z.number().int().min(0).default(1),
      bufferUnits: z.number().int().min(0).default(0),
      /** Target chance that one push oversells, for channels with `riskBuffer: true` (issue 18). */
      oversellRisk: z.number().gt(0).lt(1).default(0.01),
      /** Hours of sales the risk buffer's sales rate is measured over. */
      riskWindowHours: z.number().positive().max(720).default(24),
      /** Flash-sale windows (`/flash`, issue 18): each listing of a flash SKU publishes at most `capPct` % of available. */
      flash: z.object({ capPct: z.number().int().min(1).max(100).default(100) }).prefault({}),
      holdTtlMinutes: z.number().int().min(1).max(10_080).default(15),
      maxAdjust: z.number().int().positive().default(1_000_000),
      /** Stock locations (issue 13); a ledger without them holds one location, `main`. */
      locations: z.array(locationName).optional(),
      /** Where changes without a location go and shipments draw first (default: the first of `locations`). */
      primaryLocation: locationName.optional(),
      /** The bulk-change breaker (issue 18): a batch of pushes this large waits for `/bulk release` (docs/safeguards.md). */
      bulkGuard: z
        .object({
          enabled: z.boolean().default(true),
          maxZeroed: z.number().int().min(0).default(50),
          maxShare: z.number().min(0).max(100).default(30),
          minSkus: z.number().int().min(1).default(10),
        })
        .prefault({}),
    })
    .prefault({}),
  chat: z
    .object({
      console: z.boolean().optional(),
      confirmTtlSeconds: z.number().int().min(10).default(120),
      alertResendMinutes: z.number().int().min(1).default(30),
      telegram: z
        .object({
          token: secret,
          chatId: z.union([
            z.number().int(),
            z
              .string()
              .regex(/^-?\d+$/)
              .transform(Number),
          ]),
          apiRoot: url.default("https://api.telegram.org"),
          mode: z.enum(["polling", "webhook"]).default("polling"),
          webhookSecret: z
            .string()
            .regex(/^[A-Za-z0-9_-]{1,256}$/)
            .optional(),
          maxRetryAttempts: z.number().int().min(0).default(5),
          maxRetryDelaySeconds: z.number().int().min(1).default(60),
        })
        // Without a secret anyone who can reach the route could post updates as any user.
        .refine((t) => t.mode !== "webhook" || t.webhookSecret !== undefined, {
          message:
            "webhook mode needs webhookSecret (1–256 of A-Z a-z 0-9 _ -), the same secret_token you give setWebhook",
          path: ["webhookSecret"],
        })
        .optional(),
      wecom: z
        .object({
          corpId: z.string().min(1),
          agentId: z.number().int(),
          secret: secret,
          token: secret,
          encodingAesKey: z.string().length(43, { message: "expected the 43-character EncodingAESKey" }),
          robotKey: secret.optional(),
          apiBase: url.default("https://qyapi.weixin.qq.com"),
          timestampWindowSeconds: z.number().int().positive().default(600),
          /** Path of the self-built app's callback URL (the one entered in the admin console). */
          callbackPath: z
            .string()
            .regex(/^\/[A-Za-z0-9/_-]*$/)
            .default("/wecom/callback"),
          /** Group-robot sends per minute; WeCom allows 20 per robot key and answers 45009 above that. */
          robotPerMinute: z.number().int().min(1).max(20).default(20),
          /** WeCom userids (or "@all") @mentioned when a group push needs someone to act (it carries buttons). */
          robotMentions: z.array(z.string().min(1)).default([]),
          /** WeCom userids that get the interactive card of a group push with buttons; default: every wecom: user in access. */
          cardTo: z.array(z.string().regex(/^[^\s|]+$/)).optional(),
          /** 智能机器人 (AI bot) in API mode with a URL callback: operators @mention it in the ops group. */
          aiBot: z
            .object({
              token: secret,
              encodingAesKey: z.string().length(43, { message: "expected the 43-character EncodingAESKey" }),
              path: z
                .string()
                .regex(/^\/[A-Za-z0-9/_-]*$/)
                .default("/wecom/aibot"),
              /** How long a card press may run before we answer WeCom's 5-second window without the result. */
              replyDeadlineMs: z.number().int().min(100).max(4500).default(3500),
            })
            .optional(),
        })
        .optional(),
    })
    .prefault({}),
  channels: z
    .array(ChannelConfigSchema)
    .default([])
    .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, {
      message: "channel ids must be unique",
    }),
  sync: z
    .object({
      /** Commits within this window become one push batch. */
      debounceMs: z.number().int().min(0).max(60_000).default(0),
      /** First retry of a failed push after about this long; doubles per attempt (with jitter) up to retryMaxMs. */
      retryBaseMs: z.number().int().min(10).default(2_000),
      retryMaxMs: z.number().int().min(100).default(600_000),
      /** Batches per drain pass before yielding to other work. */
      maxBatchesPerPass: z.number().int().min(1).default(1_000),
      /** How long webhook delivery ids are kept for de-duplication (channels redeliver for hours). */
      webhookDedupHours: z.number().int().min(1).default(72),
    })
    .prefault({}),
  couriers: z.array(CourierConfigSchema).default([]),
  backup: z
    .object({
      /** Directory for backup files; default `backups/` next to the ledger. */
      dir: z.string().min(1).optional(),
      /** How many backups to keep; older ones are deleted after each successful backup. */
      keep: z.number().int().min(1).default(14),
    })
    .prefault({}),
  alerts: z
    .object({
      noPickupHours: z.number().positive().default(48),
      stalledHours: z.number().positive().default(36),
      /** Parcel rules trust tracking data fetched within this many hours; older data raises "tracking data stale" instead. */
      trackingFreshHours: z.number().positive().default(6),
      /** A parcel we could not refresh for this long raises "tracking data stale". */
      staleDataHours: z.number().positive().default(12),
    })
    .prefault({}),
  /** Logistics radar: polling cadence and carrier analytics. */
  radar: z
    .object({
      /** Hours between polls of a parcel that gets no pushes (Kuaidi100 advises at most hourly). */
      pollEveryHours: z.number().positive().default(2),
      /** Stop watching a parcel this many days after it shipped. */
      maxTrackDays: z.number().int().positive().default(60),
      /** Promised transit (pickup → delivered) in hours, for the on-time rate; per-region overrides by region name. */
      promiseHours: z.number().positive().default(72),
      promiseHoursByRegion: z.record(z.string(), z.number().positive()).default({}),
      /** Rolling analytics window in days. */
      windowDays: z.number().int().positive().default(30),
      /** Parcels a carrier needs in a region before we compare or recommend it. */
      minSample: z.number().int().positive().default(30),
      /** Cost per parcel by carrier, in minor units (fen, cents), for "switching would cost …". */
      carrierCosts: z.record(z.string(), z.number().int().min(0)).default({}),
      currency: z.string().length(3).default("CNY"),
      /** Stall thresholds learned per carrier × lane from the seller's delivered parcels (issue 18; docs/couriers.md). */
      learnedStall: z
        .object({
          enabled: z.boolean().default(true),
          /** Delivered parcels a lane needs before its p90 scan-to-scan gap replaces `alerts.stalledHours`. */
          minParcels: z.number().int().min(1).default(10),
          /** A learned threshold is never below this many hours. */
          floorHours: z.number().positive().default(12),
          /** Parcels delivered within this many days are learned from. */
          windowDays: z.number().int().positive().default(90),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Money safety. Amounts here are in major units of the currency (200 = 200.00 USD, 200 CNY, 200 JPY). */
  money: z
    .object({
      /** Currency of `/refund` and `/price` amounts that name none (and of the limits below). */
      currency: currencyCode.default("CNY"),
      /** Refunds above this need an approver (at or below: any operator other than the requester). */
      refundApprovalAbove: z.number().min(0).default(200),
      /** A price change moving more than this percentage waits for an approver other than the requester (unset: none waits). */
      priceApprovalAbove: z.number().positive().optional(),
      breaker: z
        .object({
          windowMinutes: z.number().int().positive().default(60),
          /** Refunds approved or executed within the window, per currency; the refund that would pass it opens the breaker. */
          maxRefundTotal: z.number().positive().default(2000),
          /** While open, the group is paged (with mentions) this often until an admin resets it. */
          pageEveryMinutes: z.number().int().min(1).default(5),
        })
        .prefault({}),
      priceGuard: z
        .object({
          /** A price change moving more than this percentage of the current price is refused. */
          maxChangePct: z.number().positive().default(30),
          /** A price change taking the price more than this percentage away from its price 24 hours ago is refused. */
          maxDailyMovePct: z.number().positive().default(50),
          /** No price may go below this (major units). */
          floor: z.number().min(0).optional(),
          /** No price may go above this (major units). */
          ceiling: z.number().positive().optional(),
        })
        .prefault({}),
      /** A bulk price change (`import prices`) above either threshold waits as one request for an approver other than the requester. */
      priceBatchApproval: z
        .object({
          /** More prices than this in one file need an approval. */
          aboveCount: z.number().int().min(0).default(20),
          /** A file whose total value at the new prices is above this (major units, per currency) needs an approval. */
          aboveValue: z.number().positive().optional(),
        })
        .prefault({}),
      /** Holds an order line whose quantity is far above what its SKU normally sells per order ("buy one, get N"). */
      promotionGuard: z
        .object({
          isEnabled: z.boolean().default(true),
          /** Held when the quantity is more than this many times the SKU's usual (percentile) quantity per order line. */
          factor: z.number().positive().default(10),
          percentile: z.number().min(50).max(100).default(99),
          /** The history looked at, in days. */
          windowDays: z.number().int().positive().default(90),
          /** Order lines of the SKU needed in the window before the guard judges it. */
          minHistory: z.number().int().min(1).default(10),
        })
        .prefault({}),
      /** Per-currency overrides of the limits above, e.g. { JPY: { refundApprovalAbove: 30000, maxRefundTotal: 300000 } }. */
      currencies: z
        .record(
          currencyCode,
          z.object({
            refundApprovalAbove: z.number().min(0).optional(),
            maxRefundTotal: z.number().positive().optional(),
            floor: z.number().min(0).optional(),
            ceiling: z.number().positive().optional(),
          }),
        )
        .default({}),
      /** A refund attempt that has not finished after this long (crash, lost connection) may be retried with the same idempotency key. */
      staleAttemptMinutes: z.number().int().min(1).default(10),
    })
    .prefault({}),
  /** The daily summary (`schedule.dailySummary`, in `timezone`) and `/summary`. */
  summary: z
    .object({
      /** How many best-selling SKUs to list. */
      topSkus: z.number().int().min(1).max(20).default(5),
      /** Sales rate for "days of cover" is measured over this many days. */
      rateDays: z.number().int().min(1).max(90).default(14),
      /** SKUs with fewer days of cover than this (or at the low-stock threshold) are listed. */
      coverDays: z.number().positive().default(7),
      /** At most this many low-stock lines. */
      maxLowStock: z.number().int().min(1).max(50).default(8),
      /** The chart: units sold per channel over the last 14 days, or none. */
      chart: z.enum(["sales", "none"]).default("sales"),
    })
    .prefault({}),
  /** Cron overrides per job, by its scheduleKey (e.g. `stockSync`) or name; a job's default schedule lives in its declaration (jobs/*.ts). */
  /** How long what the audit does not need is kept (movements, money and audit are kept forever); docs/operations.md. */
  retention: z
    .object({
      /** Days of push log kept (each channel's newest 200 pushes always stay). */
      pushLogDays: z.number().int().min(1).default(90),
      /** Days after delivery a parcel's scan events are kept (the parcel and its delivered status stay). */
      deliveredTrackingDays: z.number().int().min(1).default(180),
    })
    .prefault({}),
  schedule: z.object({}).catchall(cron).prefault({}),
});

/** The validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Replaces `${VAR}` (and `${VAR:-default}`) in every string of a parsed YAML tree; missing variables are reported, not blanked. */
export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  path: string[] = [],
  missing: string[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
      (_m, name: string, fallback: string | undefined) => {
        const v = env[name];
        if (v !== undefined && v !== "") return v;
        if (fallback !== undefined) return fallback;
        missing.push(`${path.join(".") || "(root)"}: environment variable ${name} is not set`);
        return "";
      },
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, String(i)], missing));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...path, k], missing)]));
  }
  return value;
}

/** Where a config came from, for `doctor` and the start-up log. */
export interface LoadedConfig {
  config: Config;
  source: string;
}

/**
 * Loads the config: `--config FILE`, else `$STOCKRADAR_CONFIG`, else `./stockradar.yaml` if present, else
 * built-in defaults. Loads `.env` first. Throws ConfigError listing one line per problem.
 */
export function loadConfig(
  opts: {
    file?: string | undefined;
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** Config blocks (e.g. "chat.telegram") this command never uses: their unset ${VAR}s are not errors. */
    optionalEnv?: readonly string[];
  } = {},
): LoadedConfig {
  const cwd = opts.cwd ?? process.cwd();
  if (!opts.env) loadDotenv({ path: resolve(cwd, ".env"), quiet: true });
  const env = opts.env ?? process.env;
  const explicit = opts.file ?? env.STOCKRADAR_CONFIG;
  const file = explicit
    ? resolve(cwd, explicit)
    : existsSync(resolve(cwd, "stockradar.yaml"))
      ? resolve(cwd, "stockradar.yaml")
      : undefined;
  if (!file) return { config: parseConfig({}, env), source: "built-in defaults" };
  if (!existsSync(file)) throw new ConfigError("config_missing", `Config file not found: ${file}`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8")) ?? {};
  } catch (err) {
    throw new ConfigError("config_yaml", `${file}: not valid YAML (${(err as Error).message.split("\n")[0]})`);
  }
  return { config: parseConfig(raw, env, file, { optionalEnv: opts.optionalEnv ?? [] }), source: file };
}

/** Validates an already-parsed config object; throws ConfigError with one line per problem. */
export function parseConfig(
  raw: unknown,
  env: NodeJS.ProcessEnv = process.env,
  source = "config",
  opts: { optionalEnv?: readonly string[] } = {},
): Config {
  let missing: string[] = [];
  let expanded = interpolate(raw, env, [], missing);
  // A block whose secrets are unset is dropped for commands that never use it (cmd and import need no chat token).
  for (const block of opts.optionalEnv ?? []) {
    if (!missing.some((m) => m.startsWith(`${block}.`) || m.startsWith(`${block}:`))) continue;
    missing = missing.filter((m) => !(m.startsWith(`${block}.`) || m.startsWith(`${block}:`)));
    expanded = dropPath(expanded, block.split("."));
  }
  const result = ConfigSchema.safeParse(expanded);
  const problems: TextRef[] = [
    ...unknownKeyList(ConfigSchema, expanded).map(unknownKeyProblem),
    ...missing.map(missingEnvProblem),
  ];
  if (result.success) problems.push(...transportProblems(result.data));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join(".") || "(root)";
      if (!missing.some((m) => m.startsWith(`${path}:`))) problems.push(issueProblem(path, issue));
    }
  }
  if (problems.length || !result.success) {
    throw localized(ConfigError, "config_invalid", invalidConfigRef(source, problems), {
      problems: problems.map(english),
    });
  }
  return result.data;
}

/** Settings that are valid alone but would leak a secret on the wire (issue 19): WooCommerce keys in plain-http URLs. */
function transportProblems(config: Config): TextRef[] {
  return config.channels.flatMap((ch, index) =>
    ch.kind === "woocommerce" && isQueryAuthOverPlainHttp(ch)
      ? [textRef("hard-config-query-auth-http", { index, base: ch.apiBase })]
      : [],
  );
}

function dropPath(value: unknown, path: string[]): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value) || path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const obj = value as Record<string, unknown>;
  if (!(head in obj)) return value;
  if (rest.length === 0) return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== head));
  return { ...obj, [head]: dropPath(obj[head], rest) };
}

/** Every secret value in a config, for log scrubbing (the same rule the upstream redactor uses). */
export function secretValues(config: Config): string[] {
  return configSecrets(config);
}
