/** The languages the bot speaks; every message is written in all of them. */
export const LOCALES = ["en", "zh-CN"] as const;

/** One of {@link LOCALES}: a BCP 47 tag that Intl and Fluent both accept. */
export type Locale = (typeof LOCALES)[number];

/** The language used when nothing else decides (and the fallback when a translation fails to format). */
export const DEFAULT_LOCALE: Locale = "en";

/** True when `s` is exactly one of the supported locale tags. */
export const isLocale = (s: unknown): s is Locale =>
  typeof s === "string" && (LOCALES as readonly string[]).includes(s);

const SPOKEN: Record<string, Locale> = {
  en: "en",
  "en-us": "en",
  "en-gb": "en",
  english: "en",
  英文: "en",
  英语: "en",
  zh: "zh-CN",
  "zh-cn": "zh-CN",
  "zh-hans": "zh-CN",
  cn: "zh-CN",
  chinese: "zh-CN",
  中文: "zh-CN",
  简体中文: "zh-CN",
};

/** What a person typed after /lang ("zh", "中文", "en", "zh_CN" …) as a locale; undefined when it is none we speak. */
export function parseLocale(input: string): Locale | undefined {
  return SPOKEN[input.trim().toLowerCase().replace(/_/g, "-")];
}
