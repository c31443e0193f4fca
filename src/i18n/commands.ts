import type { z } from "zod";
import { isRest } from "../chat/args.js";
import type { CommandSpec } from "../chat/command.js";
import { must } from "../internal-error.js";
import type { MessageId } from "./catalog.js";
import type { Locale } from "./locales.js";
import type { ArgsParam, MessageArg, Translator } from "./translator.js";

/** A message id (with its variables) stored in a declaration and rendered later in the asker's language. */
export interface MessageRef<Id extends MessageId = MessageId> {
  readonly msg: Id;
  readonly args?: Record<string, MessageArg>;
}

/** Refers to a catalog message from a declaration: `summary: msg("cmd-stock-summary")`. The id and args are type-checked. */
export function msg<Id extends MessageId>(id: Id, ...args: ArgsParam<Id>): MessageRef<Id> {
  return args[0] ? { msg: id, args: args[0] as Record<string, MessageArg> } : { msg: id };
}

/** Text in a declaration: a catalog reference, or (until issue 15 converts them) a plain English string. */
export type LocalText = string | MessageRef;

/** Renders a {@link LocalText} for one reader. */
export function textOf(tr: Translator, s: LocalText): string {
  if (typeof s === "string") return s;
  return (tr.t as (id: MessageId, args?: Record<string, MessageArg>) => string)(s.msg, s.args);
}

/** Chinese (or other) names a command also answers to: `{ "zh-CN": ["库存"] }`. */
export type CommandAliases = { readonly [L in Locale]?: readonly string[] };

/** How one argument reads in a usage line and in /help: `name` replaces "SKU" ("货号"), `description` explains it. */
export interface ArgText {
  name?: MessageRef;
  description?: MessageRef;
}

/**
 * The localized parts of a command declaration, to be merged into `CommandSpec` by issue 15:
 *
 * @example
 * export default defineCommand({
 *   name: "stock", role: "viewer",
 *   summary: msg("cmd-stock-summary"),
 *   argText: { sku: { name: msg("arg-sku"), description: msg("arg-sku-help") } },
 *   aliases: { "zh-CN": ["库存"] },
 *   args: z.object({ sku: SkuSchema }), run: …,
 * });
 */
export interface CommandI18n<Keys extends string = string> {
  summary: LocalText;
  argText?: { readonly [K in Keys]?: ArgText };
  aliases?: CommandAliases;
}

/** A command declaration with localized text: today's `CommandSpec` with `summary` widened and the {@link CommandI18n} fields. */
export type LocalizedCommandSpec<A extends z.ZodObject = z.ZodObject> = Omit<CommandSpec<A>, "summary"> &
  CommandI18n<keyof z.infer<A> & string>;

/** What the alias index and the localized usage line read from a declaration (any CommandSpec fits). */
export interface CommandNaming {
  name: string;
  args: z.ZodObject;
  argText?: { readonly [key: string]: ArgText | undefined };
  aliases?: CommandAliases;
}

const isOptional = (s: z.ZodType): boolean => s.safeParse(undefined).success;

/** Argument texts shared by many declarations, by the name the schema gives (`.describe("CHANNEL")`). */
const SHARED_ARGS: Readonly<Record<string, ArgText>> = {
  SKU: { name: { msg: "arg-sku" }, description: { msg: "arg-sku-help" } },
  QTY: { name: { msg: "arg-qty" }, description: { msg: "arg-qty-help" } },
  N: { name: { msg: "arg-n" }, description: { msg: "arg-n-help" } },
  "±N": { name: { msg: "arg-delta" }, description: { msg: "arg-delta-help" } },
  REASON: { name: { msg: "arg-reason" }, description: { msg: "arg-reason-help" } },
  ID: { name: { msg: "arg-id" }, description: { msg: "arg-id-help" } },
  CHANNEL: { name: { msg: "arg-channel" }, description: { msg: "arg-channel-help" } },
  "CHANNEL|all": { name: { msg: "arg-channel-or-all" }, description: { msg: "arg-channel-or-all-help" } },
  REF: { name: { msg: "arg-ref" }, description: { msg: "arg-ref-help" } },
  FROM: { name: { msg: "arg-from" } },
  TO: { name: { msg: "arg-to" } },
  ORDER: { name: { msg: "arg-order" }, description: { msg: "arg-order-help" } },
  AMOUNT: { name: { msg: "arg-amount" }, description: { msg: "arg-amount-help" } },
  FILTER: { name: { msg: "arg-filter" } },
  CARRIER: { name: { msg: "arg-carrier" }, description: { msg: "arg-carrier-help" } },
  TRACKING: { name: { msg: "arg-tracking" } },
  REGION: { name: { msg: "arg-region" } },
  PHONE4: { name: { msg: "arg-phone4" }, description: { msg: "arg-phone4-help" } },
  DURATION: { name: { msg: "arg-duration" }, description: { msg: "arg-duration-help" } },
  DATE: { name: { msg: "arg-date" }, description: { msg: "arg-date-help" } },
  TODO: { name: { msg: "arg-todo" } },
  "ORDER|TRACKING": { name: { msg: "arg-order-or-tracking" } },
  "SKU|CHANNEL|status": { name: { msg: "arg-sync-target" } },
  "SKU|low": { name: { msg: "arg-sku-or-low" }, description: { msg: "arg-sku-or-low-help" } },
  reset: { name: { msg: "arg-reset" } },
  COMMAND: { name: { msg: "arg-command" } },
  TOKEN: { name: { msg: "arg-token" } },
  TITLE: { name: { msg: "arg-title" }, description: { msg: "arg-title-help" } },
  "@LOCATION": { name: { msg: "arg-at-location" }, description: { msg: "arg-at-location-help" } },
  "channel|min|max|keep": { name: { msg: "arg-import-rule" }, description: { msg: "arg-import-rule-help" } },
  "SKU|auto": { name: { msg: "arg-sku-or-auto" } },
};

/** How argument `key` of `cmd` reads: its declared `argText`, else the shared text for its schema name, else nothing. */
export function argTextOf(cmd: CommandNaming, key: string): ArgText | undefined {
  const declared = cmd.argText?.[key];
  const schema = (cmd.args.shape as Record<string, z.ZodType>)[key];
  const shared = schema ? SHARED_ARGS[schema.description ?? key.toUpperCase()] : undefined;
  return declared?.name ? { ...shared, ...declared } : (shared ?? declared);
}

/** The usage line in the reader's language, e.g. "/stock SKU" / "/stock 货号" (alias shown first when `viaAlias`). */
export function localizedUsage(cmd: CommandNaming, tr: Translator, opts: { viaAlias?: boolean } = {}): string {
  const parts = Object.entries(cmd.args.shape as Record<string, z.ZodType>).map(([key, schema]) => {
    const ref = argTextOf(cmd, key)?.name;
    const n = (ref ? textOf(tr, ref) : (schema.description ?? key.toUpperCase())) + (isRest(schema) ? "…" : "");
    return isOptional(schema) ? `[${n}]` : n;
  });
  const alias = opts.viaAlias ? cmd.aliases?.[tr.locale]?.[0] : undefined;
  return [alias ?? `/${cmd.name}`, ...parts].join(" ");
}

/** A command line typed with an alias, rewritten to the canonical name. */
export interface AliasMatch {
  /** The canonical command name ("stock"). */
  name: string;
  /** The alias as declared ("库存"). */
  alias: string;
  /** The argument text after the alias, trimmed. */
  rest: string;
}

/** Looks aliases up; built once from the command registry. */
export interface AliasIndex {
  /** `库存 A-1`, `/库存 A-1`, `／库存 A-1`, `库存A-1` → { name: "stock", rest: "A-1" }; undefined when the line starts with no alias. */
  match(text: string): AliasMatch | undefined;
  /** The same line as the dispatcher parses it ("/stock A-1"), or undefined when it starts with no alias. */
  canonical(text: string): string | undefined;
  /** The aliases of `name` in `locale`, as declared. */
  aliasesOf(name: string, locale: Locale): readonly string[];
}

const ALIAS_FORBIDDEN = /[\s/／@]/u;
const isCjk = (ch: string): boolean => /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u.test(ch);
const fold = (s: string): string => s.normalize("NFKC").toLowerCase();

/**
 * Indexes every declared alias. Throws at startup (like a duplicate command name) when an alias is
 * empty, contains a space, `/` or `@`, equals a command name, or belongs to two commands.
 */
export function buildAliasIndex(commands: readonly CommandNaming[]): AliasIndex {
  const names = new Set(commands.map((c) => fold(c.name)));
  const byAlias = new Map<string, { name: string; alias: string }>();
  for (const c of commands) {
    for (const list of Object.values(c.aliases ?? {})) {
      for (const alias of list ?? []) {
        const key = fold(alias);
        if (!key || ALIAS_FORBIDDEN.test(key))
          throw new Error(`command ${c.name}: alias ${JSON.stringify(alias)} must be one word without / or @`);
        if (names.has(key)) throw new Error(`command ${c.name}: alias ${alias} is already a command name`);
        const prev = byAlias.get(key);
        if (prev && prev.name !== c.name)
          throw new Error(`alias ${alias} is declared by both ${prev.name} and ${c.name}`);
        byAlias.set(key, { name: c.name, alias });
      }
    }
  }
  // Longest first, so 批准退款 wins over 退款.
  const keys = [...byAlias.keys()].sort((a, b) => b.length - a.length);

  function match(text: string): AliasMatch | undefined {
    const original = text.trim().replace(/^[/／]/u, "");
    const line = fold(original);
    for (const key of keys) {
      if (!line.startsWith(key)) continue;
      const next = line.charAt(key.length);
      // After a Chinese alias the argument may follow without a space (库存A-1); after a Latin one it may not.
      if (next && !/\s/u.test(next) && !isCjk(key.charAt(key.length - 1))) continue;
      const hit = must(byAlias.get(key), "keys come from byAlias");
      return { name: hit.name, alias: hit.alias, rest: original.slice(prefixLength(original, key)).trim() };
    }
    return undefined;
  }

  return {
    match,
    canonical(text) {
      const m = match(text);
      return m ? `/${m.name}${m.rest ? ` ${m.rest}` : ""}` : undefined;
    },
    aliasesOf(name, locale) {
      return commands.find((c) => c.name === name)?.aliases?.[locale] ?? [];
    },
  };
}

/** How many UTF-16 units of `original` fold to `foldedKey` (NFKC may change lengths, e.g. full-width letters). */
function prefixLength(original: string, foldedKey: string): number {
  for (let i = foldedKey.length; i <= original.length; i++) if (fold(original.slice(0, i)) === foldedKey) return i;
  for (let i = 1; i < foldedKey.length; i++) if (fold(original.slice(0, i)) === foldedKey) return i;
  return foldedKey.length;
}
