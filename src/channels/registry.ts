import type { Reply } from "../chat/types.js";
import type { Clock } from "../clock.js";
import type { ChannelConfig } from "../config.js";
import { asChannelId, type ChannelId } from "../ids.js";
import type { Ledger } from "../ledger/index.js";
import type { Logger } from "../log.js";
import type { Stores } from "../stores.js";
import { type BucketSpec, createRateLimiter, type RateLimiter, type Sleep } from "../sync/rate-limiter.js";
import { configSecrets, createRedactor, type Redactor, redactAdapter } from "../upstream/redact.js";
import type { RetryPolicy } from "../upstream/retry.js";
import { amazonBuckets, createAmazonChannel } from "./amazon.js";
import { createEbayChannel } from "./ebay.js";
import type { ChannelDeps, MakeHttp } from "./http.js";
import { createPinduoduoChannel } from "./pinduoduo.js";
import { createShopifyChannel } from "./shopify.js";
import { createTaobaoChannel } from "./taobao.js";
import type { SalesChannel } from "./types.js";
import { createWebhookChannel } from "./webhook.js";
import { createWooChannel } from "./woocommerce.js";
import { createXianyuChannel } from "./xianyu.js";

type ConfigOf<K extends ChannelConfig["kind"]> = Extract<ChannelConfig, { kind: K }>;

/** How to build one kind of channel: its factory and its limiter's starting buckets. */
export interface ChannelKind<K extends ChannelConfig["kind"]> {
  create(deps: ChannelDeps & { config: ConfigOf<K> }): SalesChannel;
  /** Starting buckets; adapters refine them from the provider's own throttle signals. */
  buckets(config: ConfigOf<K>): Record<string, BucketSpec>;
}

/**
 * Every channel kind stockradar can talk to, by `kind` in stockradar.yaml. Add a marketplace by writing
 * `src/channels/<kind>.ts` and one line here.
 */
export const channelKinds: { [K in ChannelConfig["kind"]]?: ChannelKind<K> } = {
  // Shopify's bucket is in cost points: the standard plan restores 100/s; start lower and learn.
  shopify: { create: createShopifyChannel, buckets: () => ({ default: { ratePerSec: 50, burst: 1000 } }) },
  // Core WooCommerce has no rate limit; the host does. Keep it gentle and let 429s slow it further.
  // Amazon plans are per operation; the adapter re-rates each from x-amzn-RateLimit-Limit.
  amazon: { create: createAmazonChannel, buckets: () => ({ ...amazonBuckets }) },
  // eBay limits are daily quotas per API; a modest steady rate keeps bursts off the 429 path.
  ebay: { create: createEbayChannel, buckets: () => ({ default: { ratePerSec: 5, burst: 10 } }) },
  woocommerce: {
    create: createWooChannel,
    buckets: (c) => ({
      default: { ratePerSec: c.requestsPerSecond, burst: Math.max(1, Math.ceil(c.requestsPerSecond)) },
    }),
  },
  // TOP quotas are per app and per API (sold separately); flow control (code 7) pauses the channel for the ban TOP names.
  taobao: { create: createTaobaoChannel, buckets: () => ({ default: { ratePerSec: 10, burst: 20 } }) },
  // Pinduoduo's per-shop limit on the order increment API is 3000/min; stock updates have a platform-wide quota.
  pinduoduo: { create: createPinduoduoChannel, buckets: () => ({ default: { ratePerSec: 20, burst: 40 } }) },
  // A receiver of our own making: a modest steady rate; its 429 + Retry-After slows it further.
  webhook: { create: createWebhookChannel, buckets: () => ({ default: { ratePerSec: 10, burst: 20 } }) },
};

/** What the registry needs from the composition root. */
export interface RegistryDeps {
  /** app.ts passes `(o) => ky.create(o)`. */
  makeHttp: MakeHttp;
  log: Logger;
  clock: Clock;
  retry?: RetryPolicy;
  sleep?: Sleep;
  /** The ledger: adapters raise operator alerts through `ledger.alerts`; checklist channels (Xianyu) keep their to-dos in it. */
  ledger?: Ledger;
  /** Checklist channels' to-dos (`src/channels/checklist-store.ts`); Xianyu needs it with `ledger`. */
  checklist?: Stores["checklist"];
  /** Shopify's last known quantity per (listing, Shopify location): its per-location compare values. */
  shopifyLevels?: Stores["shopifyLevels"];
  /** Posts to the ops group; checklist channels post their to-dos with it. */
  notify?: (reply: Reply) => Promise<void>;
  /** Removes secrets from whatever a channel returns or throws; by default built from the channels' own config. */
  redactor?: Redactor;
  /** The call counter of a channel with a call budget (src/budget/), handed to its adapter as `meter`. */
  meterOf?: (channelId: string) => (() => void) | undefined;
}

/** The channels built from config, with each one's limiter (for metrics and `/sync status`). */
export interface ChannelSet {
  channels: Map<ChannelId, SalesChannel>;
  limiters: Map<ChannelId, RateLimiter>;
  /** Configured channels whose kind has no adapter yet; the caller reports them. */
  unsupported: { id: ChannelId; kind: string }[];
}

/**
 * Builds every configured channel: one ky instance (no ky retries: ours go through the limiter), one
 * rate limiter and one child logger per channel.
 *
 * @example
 * const { channels } = buildChannels(config.channels, { makeHttp: (o) => ky.create(o), log, clock: systemClock });
 */
export function buildChannels(configs: readonly ChannelConfig[], deps: RegistryDeps): ChannelSet {
  const out: ChannelSet = { channels: new Map(), limiters: new Map(), unsupported: [] };
  const redactor = deps.redactor ?? createRedactor(configSecrets(configs));
  for (const config of configs) {
    const id = asChannelId(config.id);
    if (config.kind === "xianyu") {
      // A checklist channel makes no HTTP calls: its pushes become chat to-dos kept in the ledger.
      if (deps.ledger && deps.checklist && deps.notify)
        out.channels.set(
          id,
          redactAdapter(
            createXianyuChannel({
              config,
              ledger: deps.ledger,
              checklist: deps.checklist,
              notify: deps.notify,
              log: deps.log.child({ channel: id, kind: config.kind }),
            }),
            redactor,
          ),
        );
      else out.unsupported.push({ id, kind: config.kind });
      continue;
    }
    const kind = channelKinds[config.kind] as ChannelKind<typeof config.kind> | undefined;
    if (!kind) {
      out.unsupported.push({ id, kind: config.kind });
      continue;
    }
    const timeout = "timeoutMs" in config ? config.timeoutMs : 30_000;
    const limiter = createRateLimiter({
      clock: deps.clock,
      buckets: kind.buckets(config as never),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
    });
    const channel = kind.create({
      id,
      config: config as never,
      http: deps.makeHttp({
        retry: 0,
        timeout,
        throwHttpErrors: false,
        headers: { "user-agent": "stockradar/0.1 (Language=TypeScript; Platform=Node)" },
      }),
      log: deps.log.child({ channel: id, kind: config.kind }),
      clock: deps.clock,
      limiter,
      ...(deps.retry ? { retry: deps.retry } : {}),
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(deps.ledger ? { alerts: deps.ledger.alerts } : {}),
      meter: deps.meterOf?.(id),
      secrets: redactor,
      ...(deps.shopifyLevels ? { locationLevels: deps.shopifyLevels } : {}),
    });
    out.channels.set(id, redactAdapter(channel, redactor));
    out.limiters.set(id, limiter);
  }
  return out;
}
