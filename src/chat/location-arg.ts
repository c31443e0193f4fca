import type { Deps } from "../deps.js";
import { DEFAULT_LOCALE } from "../i18n/locales.js";
import { createI18n, type Translator } from "../i18n/translator.js";

/** Splits a leading `@location` off a command's free text: `"@3pl delivery"` → `{ location: "3pl", rest: "delivery" }`. */
export function splitLocation(text: string | undefined): { location: string | undefined; rest: string | undefined } {
  const m = /^@([a-z0-9][a-z0-9_-]{0,31})(?:\s+([\s\S]*))?$/.exec(text?.trim() ?? "");
  if (!m) return { location: undefined, rest: text };
  return { location: m[1], rest: m[2]?.trim() || undefined };
}

const memo = new WeakMap<Deps, Translator>();

/** The reply translator for inventory commands (the default locale until commands receive the asker's: TODO issue 15). */
export function inventoryTranslator(deps: Deps): Translator {
  let tr = memo.get(deps);
  if (!tr) {
    tr = createI18n({ timeZone: deps.config.timezone }).translator(DEFAULT_LOCALE);
    memo.set(deps, tr);
  }
  return tr;
}
