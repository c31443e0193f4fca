import type { AppError } from "../errors.js";
import { type RefArg, renderRef, type TextRef } from "./ref.js";
import { sharedI18n, type Translator } from "./translator.js";

/** Renders a stored message in English (UTC): the fallback text kept beside a {@link TextRef} for logs and old readers. */
export const english = (r: TextRef): string => renderRef(sharedI18n("UTC").translator("en"), r);

/** An AppError subclass's constructor. */
type AppErrorClass<E extends AppError> = new (
  code: string,
  userMessage: string,
  details?: Record<string, unknown>,
  options?: { cause?: unknown; i18n?: TextRef },
) => E;

/**
 * A typed error whose text comes from the catalog: `userMessage` holds the English, `i18n` the message the
 * dispatcher renders in the asker's language. `throw localized(NotFoundError, "unknown_sku", textRef("err-unknown-sku", { sku }))`.
 */
export function localized<E extends AppError>(
  Cls: AppErrorClass<E>,
  code: string,
  r: TextRef,
  details: Record<string, unknown> = {},
  opts: { cause?: unknown } = {},
): E {
  return new Cls(code, english(r), details, { ...opts, i18n: r });
}

/** An error's text as a stored-message variable: its catalog message when it has one, else its English `userMessage`. */
export const reasonOf = (err: AppError): RefArg => (err.i18n ? { ref: err.i18n } : err.userMessage);

/** An error's text for one reader: its catalog message in `tr`'s language when it has one, else its English `userMessage`. */
export const errorText = (err: AppError, tr: Translator): string =>
  err.i18n ? renderRef(tr, err.i18n) : err.userMessage;
