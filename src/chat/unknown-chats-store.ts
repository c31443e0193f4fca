import { type LedgerCtx, nowIso } from "../ledger/context.js";

// Chats and people the config does not know yet who wrote to the bot; the only SQL on `unknown_chats`
// (src/chat/migrations.ts). Bounded: only the newest UNKNOWN_CHATS_KEPT rows stay.

/** How many unknown (chat, person) pairs are kept; older ones are dropped as new ones arrive. */
export const UNKNOWN_CHATS_KEPT = 20;

/** One chat (or person) not in the config that wrote to the bot. */
export interface UnknownChat {
  transport: string;
  chatId: string;
  userId: string;
  /** True when the chat is served and only the person is unknown (not on the access list). */
  isChatKnown: boolean;
  firstAt: string;
  lastAt: string;
  messages: number;
}

/** Records one message from an unknown chat or person (counting repeats), keeping the newest rows only. */
export function noteUnknownChat(
  ctx: LedgerCtx,
  m: { transport: string; chatId: string; userId: string; isChatKnown: boolean },
): void {
  const at = nowIso(ctx);
  ctx.db.transaction(() => {
    ctx
      .stmt<[string, string, string, number, string, string]>(
        `INSERT INTO unknown_chats (transport, chat_id, user_id, is_chat_known, first_at, last_at, messages)
         VALUES (?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT (transport, chat_id, user_id) DO UPDATE SET last_at = excluded.last_at, messages = messages + 1,
           is_chat_known = excluded.is_chat_known`,
      )
      .run(m.transport, m.chatId, m.userId, m.isChatKnown ? 1 : 0, at, at);
    ctx
      .stmt<[number]>(
        `DELETE FROM unknown_chats WHERE rowid NOT IN
           (SELECT rowid FROM unknown_chats ORDER BY last_at DESC, rowid DESC LIMIT ?)`,
      )
      .run(UNKNOWN_CHATS_KEPT);
  })();
}

/** The unknown chats and people that wrote most recently, newest first. */
export function recentUnknownChats(ctx: LedgerCtx, limit = UNKNOWN_CHATS_KEPT): UnknownChat[] {
  return ctx
    .stmt<
      [number],
      {
        transport: string;
        chat_id: string;
        user_id: string;
        is_chat_known: number;
        first_at: string;
        last_at: string;
        messages: number;
      }
    >("SELECT * FROM unknown_chats ORDER BY last_at DESC, rowid DESC LIMIT ?")
    .all(limit)
    .map((r) => ({
      transport: r.transport,
      chatId: r.chat_id,
      userId: r.user_id,
      isChatKnown: r.is_chat_known === 1,
      firstAt: r.first_at,
      lastAt: r.last_at,
      messages: r.messages,
    }));
}
