import { z } from "zod";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "./locales.js";

/** A `language:` value in stockradar.yaml. */
export const LocaleSchema = z.enum(LOCALES, { message: `expected one of ${LOCALES.join(", ")}` });

/**
 * The language settings, as config will carry them (wire into ConfigSchema as `language` at the top and
 * `language` / `chatLanguages` under each `chat.<transport>`). No defaults in the schema on purpose:
 * "not set" must stay distinguishable so WeCom can default to zh-CN.
 */
export const LanguageConfigSchema = z.object({
  /** Every chat's language unless a transport or chat says otherwise. */
  language: LocaleSchema.optional(),
  /** Per transport ("telegram", "wecom", "console", "cli"): its language and per-chat overrides keyed by chat id. */
  transports: z
    .record(
      z.string(),
      z.object({ language: LocaleSchema.optional(), chats: z.record(z.string(), LocaleSchema).optional() }),
    )
    .optional(),
});

/** Validated language settings. */
export type LanguageConfig = z.infer<typeof LanguageConfigSchema>;

/** What a transport speaks when nothing is configured: WeCom's users are in China. */
export const TRANSPORT_DEFAULTS: Readonly<Record<string, Locale>> = { wecom: "zh-CN" };

/** Who asks where, and what they chose with /lang (`userPref`, from the language store). */
export interface LocaleQuery {
  config: LanguageConfig;
  transport: string;
  chatId?: string;
  userId?: string;
  userPref?: Locale | undefined;
}

/** Which rule decided, for /lang's answer and for logs. */
export type LocaleSource = "user" | "chat" | "transport" | "config" | "transport-default" | "default";

/**
 * The language for one reply, first match wins: the person's /lang choice, the chat's configured
 * language, the transport's, the global `language`, the transport's built-in default (WeCom: zh-CN), en.
 * Messages to a group (alerts, summaries) pass no `userPref`.
 */
export function resolveLocaleWithSource(q: LocaleQuery): { locale: Locale; source: LocaleSource } {
  if (q.userPref) return { locale: q.userPref, source: "user" };
  const t = q.config.transports?.[q.transport];
  const chat = q.chatId !== undefined ? t?.chats?.[q.chatId] : undefined;
  if (chat) return { locale: chat, source: "chat" };
  if (t?.language) return { locale: t.language, source: "transport" };
  if (q.config.language) return { locale: q.config.language, source: "config" };
  const builtIn = TRANSPORT_DEFAULTS[q.transport];
  if (builtIn) return { locale: builtIn, source: "transport-default" };
  return { locale: DEFAULT_LOCALE, source: "default" };
}

/** The language for one reply; see {@link resolveLocaleWithSource} for the order. */
export const resolveLocale = (q: LocaleQuery): Locale => resolveLocaleWithSource(q).locale;

/** The language settings out of a validated config (`language` and `languages.<transport>`). */
export function languageConfigOf(config: {
  language?: Locale | undefined;
  languages?: LanguageConfig["transports"];
}): LanguageConfig {
  return {
    ...(config.language ? { language: config.language } : {}),
    ...(config.languages ? { transports: config.languages } : {}),
  };
}
