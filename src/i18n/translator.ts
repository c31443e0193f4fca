import { FluentBundle, FluentResource } from "@fluent/bundle";
import type { Money } from "../ids.js";
import { type Catalog, catalog, type MessageId } from "./catalog.js";
import type { VarsOf } from "./define.js";
import { formatDate, formatDateTime, formatMoney, formatNumber, formatTime, zoneLabel } from "./format.js";
import { DEFAULT_LOCALE, type Locale } from "./locales.js";

/** A value for a message variable: numbers stay numbers (Fluent groups them and selects plurals on them). */
export type MessageArg = string | number;

/** The variables message `Id` needs (from its English text; the compiler checks zh-CN uses the same). */
export type ArgsOf<Id extends MessageId> = VarsOf<Catalog[Id]["en"]>;

/** The rest parameters of `t(id, …)`: nothing for a message without variables, else every variable by name. */
export type ArgsParam<Id extends MessageId> = [ArgsOf<Id>] extends [never]
  ? [args?: undefined]
  : [args: { [K in ArgsOf<Id>]: MessageArg }];

/** Fluent source for one entry: `id = text`, continuation lines indented as Fluent requires. */
export const fluentEntry = (id: string, text: string): string => `${id} = ${text.replace(/\n/g, "\n    ")}\n`;

/** A problem formatting a message at run time (a missing variable, a broken translation). */
export interface TranslationProblem {
  locale: Locale;
  id: string;
  message: string;
}

/** Everything a reply needs in one language and one zone: messages, numbers, money, times. */
export interface Translator {
  readonly locale: Locale;
  readonly timeZone: string;
  /** The message `id` with its variables, in this translator's locale. */
  t<Id extends MessageId>(id: Id, ...args: ArgsParam<Id>): string;
  /** "12,345". */
  number(n: number, opts?: Intl.NumberFormatOptions): string;
  /** "¥1,234.50" from integer minor units. */
  money(m: Money): string;
  /** "19:04 UTC", "03:06 北京时间". */
  time(d: Date): string;
  /** "Dec 1, 19:04 UTC", "12月2日 03:06 北京时间". */
  dateTime(d: Date, opts?: { withYear?: boolean }): string;
  /** "Dec 1, 2026", "2026年12月2日". */
  date(d: Date): string;
  /** The zone's name alone ("UTC", "北京时间"). */
  zone(): string;
  /** "/stock or /set", "/stock或/set" ("or"); "a, b, and c", "a、b和c" ("and"). */
  list(items: readonly string[], kind: "and" | "or"): string;
}

/** The i18n kernel for one deployment: a bundle per locale, one configured time zone. */
export interface I18n {
  readonly timeZone: string;
  /** The message `id` in `locale`. */
  t<Id extends MessageId>(locale: Locale, id: Id, ...args: ArgsParam<Id>): string;
  /** A {@link Translator} bound to `locale` (cached). */
  translator(locale: Locale): Translator;
}

/**
 * Creates the kernel. Formatting never throws: a broken translation falls back to English, an unknown
 * id to the id itself, and each problem goes to `onProblem` (log it; the catalog test keeps it empty).
 */
export function createI18n(opts: { timeZone: string; onProblem?: (p: TranslationProblem) => void }): I18n {
  const { timeZone } = opts;
  // One bundle per locale, filled one entry at a time on first use: parsing the whole catalog up front cost a short
  // CLI run (`cmd`, `import`) about a tenth of its CPU, and most runs format a handful of messages. Entries never
  // refer to each other, so each parses on its own.
  const bundles = new Map<Locale, FluentBundle>();
  const texts = catalog as Record<string, Record<Locale, string> | undefined>;
  const messageOf = (l: Locale, id: string) => {
    let b = bundles.get(l);
    if (!b) {
      b = new FluentBundle(l, { useIsolating: false });
      bundles.set(l, b);
    }
    if (!b.hasMessage(id)) {
      const text = Object.hasOwn(texts, id) ? texts[id]?.[l] : undefined;
      if (text !== undefined) b.addResource(new FluentResource(fluentEntry(id, text)));
    }
    return { bundle: b, message: b.getMessage(id) };
  };

  function format(locale: Locale, id: string, args: Record<string, MessageArg> | undefined): string {
    for (const l of locale === DEFAULT_LOCALE ? [locale] : [locale, DEFAULT_LOCALE]) {
      const { bundle, message: m } = messageOf(l, id);
      if (!m?.value) {
        opts.onProblem?.({ locale: l, id, message: "message missing or unparsable" });
        continue;
      }
      const errors: Error[] = [];
      const text = bundle.formatPattern(m.value, args ?? null, errors);
      for (const e of errors) opts.onProblem?.({ locale: l, id, message: e.message });
      return text;
    }
    return id;
  }

  const t = <Id extends MessageId>(locale: Locale, id: Id, ...args: ArgsParam<Id>): string =>
    format(locale, id, args[0] as Record<string, MessageArg> | undefined);

  const translators = new Map<Locale, Translator>();
  function translator(locale: Locale): Translator {
    let tr = translators.get(locale);
    if (!tr) {
      tr = {
        locale,
        timeZone,
        t: (id, ...args) => t(locale, id, ...args),
        number: (n, o) => formatNumber(locale, n, o),
        money: (m) => formatMoney(locale, m),
        time: (d) => formatTime(locale, d, timeZone),
        dateTime: (d, o) => formatDateTime(locale, d, timeZone, o),
        date: (d) => formatDate(locale, d, timeZone),
        zone: () => zoneLabel(locale, timeZone),
        list: (items, kind) =>
          new Intl.ListFormat(locale, { type: kind === "or" ? "disjunction" : "conjunction" }).format(items),
      };
      translators.set(locale, tr);
    }
    return tr;
  }

  return { timeZone, t, translator };
}

const shared = new Map<string, I18n>();

/** One kernel per zone for code without a dispatcher (alert delivery, summaries, stored English fallbacks). */
export function sharedI18n(timeZone = "UTC"): I18n {
  let i = shared.get(timeZone);
  if (!i) {
    i = createI18n({ timeZone });
    shared.set(timeZone, i);
  }
  return i;
}
