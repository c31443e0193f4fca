import type { Locale } from "./locales.js";

/** One message in every locale: Fluent pattern source (the text after `id =`), e.g. `"{ $sku }: { $available } available"`. */
export type LocalizedText = { readonly [L in Locale]: string };

type IdentChar =
  | "a"
  | "b"
  | "c"
  | "d"
  | "e"
  | "f"
  | "g"
  | "h"
  | "i"
  | "j"
  | "k"
  | "l"
  | "m"
  | "n"
  | "o"
  | "p"
  | "q"
  | "r"
  | "s"
  | "t"
  | "u"
  | "v"
  | "w"
  | "x"
  | "y"
  | "z"
  | "A"
  | "B"
  | "C"
  | "D"
  | "E"
  | "F"
  | "G"
  | "H"
  | "I"
  | "J"
  | "K"
  | "L"
  | "M"
  | "N"
  | "O"
  | "P"
  | "Q"
  | "R"
  | "S"
  | "T"
  | "U"
  | "V"
  | "W"
  | "X"
  | "Y"
  | "Z"
  | "0"
  | "1"
  | "2"
  | "3"
  | "4"
  | "5"
  | "6"
  | "7"
  | "8"
  | "9"
  | "_"
  | "-";

type TakeIdent<S extends string, Acc extends string = ""> = S extends `${infer C}${infer R}`
  ? C extends IdentChar
    ? TakeIdent<R, `${Acc}${C}`>
    : Acc
  : Acc;

/**
 * The variable names a Fluent pattern uses (`{ $sku }`, `{ $n -> …}`, `{ NUMBER($n) }` all give the name
 * without `$`). A literal `$` in text counts too: write money through a `$amount` variable instead.
 */
export type VarsOf<S extends string, Acc extends string = never> = string extends S
  ? string
  : S extends `${string}$${infer Rest}`
    ? VarsOf<Rest, Acc | Exclude<TakeIdent<Rest>, "">>
    : Acc;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Maps each entry to itself when it is complete, or to an explanation the compiler shows as the error. */
type Checked<T> = {
  [K in keyof T]: T[K] extends { readonly en: infer E extends string; readonly "zh-CN": infer Z extends string }
    ? E extends ""
      ? { en: "the English text is empty"; "zh-CN": Z }
      : Z extends ""
        ? { en: E; "zh-CN": "the Chinese text is empty" }
        : Same<VarsOf<E>, VarsOf<Z>> extends true
          ? T[K]
          : {
              en: E;
              "zh-CN": Z;
              variables: `en and zh-CN must use the same variables (en: ${VarsOf<E> & string}; zh-CN: ${VarsOf<Z> & string})`;
            }
    : LocalizedText;
};

/**
 * Declares a feature's messages. Every id needs non-empty text in every locale and both languages must
 * use the same `$variables`, or the file does not compile; the ids then type `t()` and its arguments.
 *
 * @example
 * export const stockMessages = defineMessages({
 *   "stock-level": { en: "{ $sku }: { $available } available", "zh-CN": "{ $sku }：可售 { $available } 件" },
 * });
 */
export function defineMessages<const T extends Record<string, LocalizedText>>(messages: T & Checked<T>): T {
  return messages;
}
