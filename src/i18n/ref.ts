import type { Money } from "../ids.js";
import type { MessageId } from "./catalog.js";
import type { Locale } from "./locales.js";
import type { ArgsOf, MessageArg, Translator } from "./translator.js";

/**
 * A variable of a stored message: a plain value, or one formatted when the message is rendered, in the
 * reader's language and zone (money, an ISO instant as a time or a day-time, another message).
 */
export type RefArg =
  | MessageArg
  | { readonly money: Money }
  | { readonly time: string }
  | { readonly dateTime: string }
  | { readonly ref: TextRef }
  | { readonly byLocale: { readonly [L in Locale]: string } };

/** A message id with its variables, stored (alerts, errors) and rendered later for each reader. */
export interface TextRef {
  readonly msg: MessageId;
  readonly args?: Readonly<Record<string, RefArg>>;
}

type RefArgsParam<Id extends MessageId> = [ArgsOf<Id>] extends [never]
  ? [args?: undefined]
  : [args: { [K in ArgsOf<Id>]: RefArg }];

/** A type-checked {@link TextRef}: `textRef("alert-stalled", { hours: 40, since: { time: iso } })`. */
export function textRef<Id extends MessageId>(id: Id, ...args: RefArgsParam<Id>): TextRef {
  return args[0] ? { msg: id, args: args[0] as Record<string, RefArg> } : { msg: id };
}

function argValue(tr: Translator, a: RefArg): MessageArg {
  if (typeof a === "string" || typeof a === "number") return a;
  if ("money" in a) return tr.money(a.money);
  if ("time" in a) return tr.time(new Date(a.time));
  if ("dateTime" in a) return tr.dateTime(new Date(a.dateTime));
  if ("byLocale" in a) return a.byLocale[tr.locale];
  return renderRef(tr, a.ref);
}

/** Renders a stored message for one reader. */
export function renderRef(tr: Translator, r: TextRef): string {
  const args = r.args ? Object.fromEntries(Object.entries(r.args).map(([k, v]) => [k, argValue(tr, v)])) : undefined;
  return (tr.t as (id: MessageId, args?: Record<string, MessageArg>) => string)(r.msg, args);
}

/** True when `v` parsed from storage looks like a {@link TextRef}. */
export function isTextRef(v: unknown): v is TextRef {
  return typeof v === "object" && v !== null && typeof (v as { msg?: unknown }).msg === "string";
}
