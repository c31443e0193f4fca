import { type LedgerCtx, nowIso } from "../ledger/context.js";
import { isLocale, type Locale } from "./locales.js";

// Each person's /lang choice; the only SQL on `user_language` (src/i18n/migrations.ts).

/** The person's chosen locale, or undefined when they never chose (or chose "auto"). */
export function getLanguage(ctx: LedgerCtx, userKey: string): Locale | undefined {
  const row = ctx
    .stmt<[string], { locale: string }>("SELECT locale FROM user_language WHERE user_key = ?")
    .get(userKey);
  return row && isLocale(row.locale) ? row.locale : undefined;
}

/** Records the choice; a second call replaces it. */
export function setLanguage(ctx: LedgerCtx, userKey: string, locale: Locale): void {
  ctx
    .stmt<[string, string, string]>(
      "INSERT INTO user_language (user_key, locale, updated_at) VALUES (?, ?, ?) ON CONFLICT(user_key) DO UPDATE SET locale = excluded.locale, updated_at = excluded.updated_at",
    )
    .run(userKey, locale, nowIso(ctx));
}

/** Forgets the choice, so the chat's language applies again. True when there was one. */
export function clearLanguage(ctx: LedgerCtx, userKey: string): boolean {
  return ctx.stmt<[string]>("DELETE FROM user_language WHERE user_key = ?").run(userKey).changes > 0;
}
