import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { type Config, loadConfig } from "./config.js";
import { DEFAULT_LOCALE, type Locale, parseLocale } from "./i18n/locales.js";
import { languageConfigOf, resolveLocale } from "./i18n/resolve.js";

/** The locale a POSIX locale variable names (`zh_CN.UTF-8` → zh-CN, `C` → none). */
export function envLocale(env: NodeJS.ProcessEnv): Locale | undefined {
  for (const v of [env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    if (!v) continue;
    const tag = v.split(/[.@]/)[0] ?? "";
    const l = parseLocale(tag) ?? (/^zh/i.test(tag) ? "zh-CN" : /^en/i.test(tag) ? "en" : undefined);
    if (l) return l;
  }
  return undefined;
}

/** The `language:` an unreadable or invalid config file still names, when its YAML parses that far. */
function rawLanguage(file: string | undefined, env: NodeJS.ProcessEnv, cwd: string): Locale | undefined {
  const path = file ?? env.STOCKRADAR_CONFIG ?? "stockradar.yaml";
  try {
    const full = resolve(cwd, path);
    if (!existsSync(full)) return undefined;
    const raw = parseYaml(readFileSync(full, "utf8")) as { language?: unknown } | null;
    return typeof raw?.language === "string" ? parseLocale(raw.language) : undefined;
  } catch {
    return undefined;
  }
}

/** The CLI's language once a config is loaded: `--lang` when given, else the config's (transport `cli`). */
export function configCliLocale(config: Config, lang?: string): Locale {
  return (lang && parseLocale(lang)) || resolveLocale({ config: languageConfigOf(config), transport: "cli" });
}

/**
 * The language of CLI lines printed before (or without) a valid config — `--help`, `init`, config errors.
 * One rule (docs/i18n.md): `--lang`; else the config's language when the config loads; else the `language:`
 * the config file names even if it is invalid; else LC_ALL / LC_MESSAGES / LANG; else en.
 */
export function earlyLocale(opts: {
  lang?: string | undefined;
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}): Locale {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const flag = opts.lang ? parseLocale(opts.lang) : undefined;
  if (flag) return flag;
  const file = opts.file ?? env.STOCKRADAR_CONFIG;
  const exists = existsSync(resolve(cwd, file ?? "stockradar.yaml"));
  if (exists) {
    try {
      return configCliLocale(loadConfig({ file, optionalEnv: ["chat.telegram", "chat.wecom"], cwd }).config);
    } catch {
      const named = rawLanguage(file, env, cwd);
      if (named) return named;
    }
  }
  return envLocale(env) ?? DEFAULT_LOCALE;
}
