import { existsSync } from "node:fs";
import type { Config } from "../config.js";
import type { Finding } from "../doctor.js";
import { languageConfigOf, resolveLocale } from "../i18n/resolve.js";
import { createI18n } from "../i18n/translator.js";
import { bindStore, createConnection } from "../ledger/context.js";
import { openDatabase } from "../ledger/db.js";
import * as unknownChats from "./unknown-chats-store.js";

/**
 * `doctor`'s list of chats and people not in the config that wrote to the bot recently (newest first), each a
 * hint that says what to add. Informational: they never fail the doctor. Empty for a new or unreadable ledger.
 */
export function unknownChatFindings(config: Config): Finding[] {
  if (config.database === ":memory:" || !existsSync(config.database)) return [];
  const tr = createI18n({ timeZone: config.timezone }).translator(
    resolveLocale({ config: languageConfigOf(config), transport: "cli" }),
  );
  let db: ReturnType<typeof openDatabase> | undefined;
  try {
    db = openDatabase(config.database, { readonly: true });
    const store = bindStore(createConnection(db, { settings: config.stock }), unknownChats);
    return store.recentUnknownChats().map((c) => ({
      ok: true,
      line: c.isChatKnown
        ? tr.t("first-doctor-unknown-user", {
            user: c.userId,
            transport: c.transport,
            chat: c.chatId,
            messages: c.messages,
            at: tr.dateTime(new Date(c.lastAt)),
          })
        : tr.t("first-doctor-unknown-chat", {
            transport: c.transport,
            chat: c.chatId,
            user: c.userId,
            messages: c.messages,
            at: tr.dateTime(new Date(c.lastAt)),
          }),
    }));
  } catch {
    // A ledger from before migration 8 (or one another process holds exclusively) has nothing to list.
    return [];
  } finally {
    db?.close();
  }
}
