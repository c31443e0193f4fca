import { DEFAULT_LOCALE } from "./locales.js";
import { createI18n, type Translator } from "./translator.js";

let tr: Translator | undefined;

/**
 * The default-locale translator for texts stored before anyone reads them (alerts, refusals raised below the
 * chat layer); texts without times only, since it formats in UTC.
 */
export function defaultTranslator(): Translator {
  tr ??= createI18n({ timeZone: "UTC" }).translator(DEFAULT_LOCALE);
  return tr;
}
