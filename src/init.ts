import { existsSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { ConfigError, InvalidInputError } from "./errors.js";
import type { Locale } from "./i18n/locales.js";
import type { Translator } from "./i18n/translator.js";

/** The channel kinds `init --channels` can write a block for. */
export const INIT_CHANNELS = ["shopify", "woocommerce", "amazon", "ebay", "taobao", "pinduoduo", "xianyu"] as const;
/** The chat platforms `init --chat` can write a block for. */
export const INIT_CHATS = ["telegram", "wecom", "console"] as const;

type Block = { yaml: string; env: string[] };

const CHANNEL_BLOCKS: Record<(typeof INIT_CHANNELS)[number], Block> = {
  shopify: {
    yaml: `  # Shopify: a custom app's Admin API token (write_inventory, read_orders, read_products).
  - id: shop1
    kind: shopify
    shop: your-shop            # the part before .myshopify.com
    accessToken: \${SHOPIFY_TOKEN}
    webhookSecret: \${SHOPIFY_WEBHOOK_SECRET}
    locationId: "gid://shopify/Location/1"   # the location stockradar sets quantities at`,
    env: ["SHOPIFY_TOKEN", "SHOPIFY_WEBHOOK_SECRET"],
  },
  woocommerce: {
    yaml: `  # WooCommerce: REST API keys with read/write access (WooCommerce → Settings → Advanced → REST API).
  - id: woo
    kind: woocommerce
    apiBase: https://shop.example.com/wp-json/wc/v3
    consumerKey: \${WOO_CONSUMER_KEY}
    consumerSecret: \${WOO_CONSUMER_SECRET}
    webhookSecret: \${WOO_WEBHOOK_SECRET}`,
    env: ["WOO_CONSUMER_KEY", "WOO_CONSUMER_SECRET", "WOO_WEBHOOK_SECRET"],
  },
  amazon: {
    yaml: `  # Amazon SP-API: a self-authorized app's LWA credentials and refresh token.
  - id: amazon
    kind: amazon
    region: eu                 # na, eu or fe
    sellerId: YOUR_SELLER_ID
    marketplaceIds: [A1PA6795UKMFR9]
    lwaClientId: \${LWA_CLIENT_ID}
    lwaClientSecret: \${LWA_CLIENT_SECRET}
    refreshToken: \${LWA_REFRESH}`,
    env: ["LWA_CLIENT_ID", "LWA_CLIENT_SECRET", "LWA_REFRESH"],
  },
  ebay: {
    yaml: `  # eBay: an app's client id and secret and a user refresh token (about 18 months; re-consent before it lapses).
  - id: ebay
    kind: ebay
    clientId: \${EBAY_CLIENT_ID}
    clientSecret: \${EBAY_CLIENT_SECRET}
    refreshToken: \${EBAY_REFRESH}`,
    env: ["EBAY_CLIENT_ID", "EBAY_CLIENT_SECRET", "EBAY_REFRESH"],
  },
  taobao: {
    yaml: `  # Taobao / Tmall (TOP): app key and secret and the shop's session key.
  - id: taobao
    kind: taobao
    appKey: \${TAOBAO_APP_KEY}
    appSecret: \${TAOBAO_APP_SECRET}
    session: \${TAOBAO_SESSION}`,
    env: ["TAOBAO_APP_KEY", "TAOBAO_APP_SECRET", "TAOBAO_SESSION"],
  },
  pinduoduo: {
    yaml: `  # Pinduoduo: the open platform app's client id and secret and the shop's access token.
  - id: pdd
    kind: pinduoduo
    clientId: \${PDD_CLIENT_ID}
    clientSecret: \${PDD_CLIENT_SECRET}
    accessToken: \${PDD_ACCESS_TOKEN}`,
    env: ["PDD_CLIENT_ID", "PDD_CLIENT_SECRET", "PDD_ACCESS_TOKEN"],
  },
  xianyu: {
    yaml: `  # Xianyu has no stock API: stockradar posts a checklist to the chat; /xianyu-done ticks it off.
  - id: xianyu
    kind: xianyu`,
    env: [],
  },
};

const CHAT_BLOCKS: Record<(typeof INIT_CHATS)[number], Block> = {
  telegram: {
    yaml: `  # Telegram: a bot from @BotFather, added to your ops group. /whoami in the group shows its chat id.
  telegram:
    token: \${TELEGRAM_BOT_TOKEN}
    chatId: -1001234567890     # replace with your group's id`,
    env: ["TELEGRAM_BOT_TOKEN"],
  },
  wecom: {
    yaml: `  # WeCom: a self-built app (corp id, agent id, secret, callback token and AES key) and optionally a group robot.
  wecom:
    corpId: \${WECOM_CORP_ID}
    agentId: 1000002           # replace with your app's AgentId
    secret: \${WECOM_SECRET}
    token: \${WECOM_TOKEN}
    encodingAesKey: \${WECOM_AES_KEY}
    robotKey: \${WECOM_ROBOT_KEY}`,
    env: ["WECOM_CORP_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_AES_KEY", "WECOM_ROBOT_KEY"],
  },
  console: { yaml: "  console: true               # the terminal is the chat", env: [] },
};

/** Splits `--channels shopify,woo…`; unknown names are a usage error naming the known ones. */
export function parseInitChannels(list: string | undefined, tr: Translator): (typeof INIT_CHANNELS)[number][] {
  const names = (list ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(INIT_CHANNELS as readonly string[]).includes(n));
  if (unknown.length)
    throw new InvalidInputError(
      "init_usage",
      tr.t("first-init-unknown", { what: "--channels", given: unknown.join(", "), known: INIT_CHANNELS.join(", ") }),
    );
  return [...new Set(names)] as (typeof INIT_CHANNELS)[number][];
}

/**
 * The commented `stockradar.yaml` and `.env` template for the named channels and chat: every secret is a
 * `${VAR}` in the YAML and an empty `VAR=` line in the template (KEY=VALUE lines that systemd and `sh` both read).
 */
export function initFiles(opts: {
  channels: readonly (typeof INIT_CHANNELS)[number][];
  chat: string;
  /** Written uncommented when it is not English (the language `init` itself spoke). */
  language?: Locale;
}): {
  yaml: string;
  env: string;
} {
  const chat = CHAT_BLOCKS[opts.chat as (typeof INIT_CHATS)[number]];
  const channels = opts.channels.map((c) => CHANNEL_BLOCKS[c]);
  const yaml = `# stockradar.yaml — written by \`stockradar init\`. Every key with its default: examples/stockradar.yaml.
# Secrets stay out of this file: each \${VAR} is read from the environment or from .env next to it.

# Every time in replies and summaries is in this zone.
timezone: Asia/Shanghai
# The ledger: one SQLite file (back it up with the built-in backup job).
database: ./data/stockradar.db
# en or zh-CN; unset: WeCom speaks Chinese, everything else English.
${opts.language && opts.language !== "en" ? `language: ${opts.language}` : "# language: zh-CN"}

http:
  # Webhooks, the reservation API, the health check and the metrics. Put a TLS proxy in front for the internet.
  host: 127.0.0.1
  port: 8787
  # apiToken: \${STOCKRADAR_API_TOKEN}

# Who may do what: tg:<telegram user id> or wecom:<UserID>; /whoami tells each person theirs.
access:
  admins: []
  approvers: []
  operators: []
  viewers: []

chat:
${chat.yaml}

channels:${channels.length ? `\n${channels.map((c) => c.yaml).join("\n\n")}` : " []"}
`;
  const vars = [...chat.env, ...channels.flatMap((c) => c.env)];
  const env = `# .env — secrets for stockradar.yaml's \${VAR} references (written by \`stockradar init\`).
# KEY=VALUE lines only: systemd's EnvironmentFile= and \`set -a; . ./.env; set +a\` both read this file.
# Keep it out of version control: chmod 600 .env
${vars.map((v) => `${v}=`).join("\n")}${vars.length ? "\n" : ""}`;
  return { yaml, env };
}

/** Writes stockradar.yaml and .env into `dir`; refuses (ConfigError, nothing written) when either exists. */
export function runInit(
  dir: string,
  opts: { channels: readonly (typeof INIT_CHANNELS)[number][]; chat: string },
  tr: Translator,
): string[] {
  const files = initFiles({ ...opts, language: tr.locale });
  const yamlFile = resolve(dir, "stockradar.yaml");
  const envFile = resolve(dir, ".env");
  const targets = [yamlFile, envFile];
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length)
    throw new ConfigError(
      "init_exists",
      tr.t("first-init-exists", { files: existing.map((f) => basename(f)).join(", ") }),
    );
  writeFileSync(yamlFile, files.yaml, { flag: "wx" });
  writeFileSync(envFile, files.env, { flag: "wx", mode: 0o600 });
  return targets;
}
