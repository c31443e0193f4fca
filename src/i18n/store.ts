import type { Clock } from "../clock.js";
import type { Db } from "../ledger/db.js";
import { isLocale, type Locale } from "./locales.js";

/** Each person's /lang choice; the only SQL on `user_language` (migration 007-i18n). */
export interface LanguageStore {
  /** The person's chosen locale, or undefined when they never chose (or chose "auto"). */
  get(userKey: string): Locale | undefined;
  /** Records the choice; a second call replaces it. */
  set(userKey: string, locale: Locale): void;
  /** Forgets the choice, so the chat's language applies again. True when there was one. */
  clear(userKey: string): boolean;
}

/** Builds the store on the shared connection. */
export function createLanguageStore(deps: { db: Db; clock: Clock }): LanguageStore {
  const { db, clock } = deps;
  const getStmt = db.prepare<[string], { locale: string }>("SELECT locale FROM user_language WHERE user_key = ?");
  const setStmt = db.prepare<[string, string, string]>(
    "INSERT INTO user_language (user_key, locale, updated_at) VALUES (?, ?, ?) ON CONFLICT(user_key) DO UPDATE SET locale = excluded.locale, updated_at = excluded.updated_at",
  );
  const clearStmt = db.prepare<[string]>("DELETE FROM user_language WHERE user_key = ?");
  return {
    get(userKey) {
      const row = getStmt.get(userKey);
      return row && isLocale(row.locale) ? row.locale : undefined;
    },
    set(userKey, locale) {
      setStmt.run(userKey, locale, clock.now().toISOString());
    },
    clear(userKey) {
      return clearStmt.run(userKey).changes > 0;
    },
  };
}
