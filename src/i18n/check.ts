import type { Message } from "@fluent/bundle";
import { FluentResource } from "@fluent/bundle";
import type { LocalizedText } from "./define.js";
import { LOCALES, type Locale } from "./locales.js";
import { fluentEntry } from "./translator.js";

/** One thing wrong with a catalog entry. */
export interface CatalogProblem {
  id: string;
  locale?: Locale;
  problem: string;
}

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const FUNCTIONS = new Set(["NUMBER", "DATETIME"]);

type Pattern = NonNullable<Message["value"]>;
type Expr = Exclude<NonNullable<Extract<Pattern, unknown[]>[number]>, string>;

/** Walks a parsed pattern, collecting variable names, function names and message references. */
function walk(p: Pattern | null, found: { vars: Set<string>; funcs: Set<string>; refs: Set<string> }): void {
  if (p === null || typeof p === "string") return;
  const expr = (e: Expr | { type: "narg"; value: unknown }): void => {
    switch (e.type) {
      case "var":
        found.vars.add(e.name);
        break;
      case "func":
        found.funcs.add(e.name);
        for (const a of e.args) if (a.type !== "narg") expr(a);
        break;
      case "mesg":
        found.refs.add(e.name);
        break;
      case "term":
        found.refs.add(`-${e.name}`);
        break;
      case "select":
        expr(e.selector);
        for (const v of e.variants) walk(v.value, found);
        break;
      default:
        break;
    }
  };
  for (const el of p) if (typeof el !== "string") expr(el);
}

/**
 * Checks a catalog the way the compiler cannot: ids are kebab-case, every locale's text is non-empty
 * and parses as one Fluent message, both languages use the same variables, only NUMBER/DATETIME are
 * called, and references point at ids that exist. Returns every problem (empty when the catalog is sound).
 */
export function checkCatalog(catalog: Record<string, LocalizedText>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const [id, text] of Object.entries(catalog)) {
    if (!ID.test(id)) problems.push({ id, problem: "id must be kebab-case: lower-case words joined by -" });
    const varsBy = new Map<Locale, Set<string>>();
    for (const locale of LOCALES) {
      const src = text[locale];
      if (typeof src !== "string" || src.trim() === "") {
        problems.push({ id, locale, problem: "missing or empty text" });
        continue;
      }
      const body = new FluentResource(fluentEntry(id, src)).body;
      const msg = body.length === 1 && body[0]?.id === id ? (body[0] as Message) : undefined;
      if (!msg?.value) {
        problems.push({
          id,
          locale,
          problem: `not valid Fluent (parsed into ${body.length} entries): ${JSON.stringify(src)}`,
        });
        continue;
      }
      if (Object.keys(msg.attributes).length)
        problems.push({ id, locale, problem: "attributes (.name = …) are not used; make a separate id" });
      const found = { vars: new Set<string>(), funcs: new Set<string>(), refs: new Set<string>() };
      walk(msg.value, found);
      for (const f of found.funcs)
        if (!FUNCTIONS.has(f)) problems.push({ id, locale, problem: `unknown function ${f}()` });
      for (const r of found.refs)
        if (!(r in catalog)) problems.push({ id, locale, problem: `references unknown message ${r}` });
      varsBy.set(locale, found.vars);
    }
    const en = varsBy.get("en");
    for (const [locale, vars] of varsBy) {
      if (!en || locale === "en") continue;
      const onlyHere = [...vars].filter((v) => !en.has(v));
      const onlyEn = [...en].filter((v) => !vars.has(v));
      if (onlyHere.length || onlyEn.length) {
        problems.push({
          id,
          locale,
          problem: `variables differ from en: only in ${locale}: ${onlyHere.join(", ") || "-"}; only in en: ${onlyEn.join(", ") || "-"}`,
        });
      }
    }
  }
  return problems;
}

/** The variables one locale's text uses (for rendering every message in tests); undefined when it does not parse. */
export function variablesOf(id: string, src: string): string[] | undefined {
  const body = new FluentResource(fluentEntry(id, src)).body;
  const msg = body.length === 1 && body[0]?.id === id ? (body[0] as Message) : undefined;
  if (!msg?.value) return undefined;
  const found = { vars: new Set<string>(), funcs: new Set<string>(), refs: new Set<string>() };
  walk(msg.value, found);
  return [...found.vars];
}
