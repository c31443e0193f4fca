/** Chat (issue 12): the chats and people not yet in the config who wrote to the bot, for doctor and /whoami. */
export default `
CREATE TABLE unknown_chats (
  transport   TEXT NOT NULL,
  chat_id     TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  is_chat_known INTEGER NOT NULL CHECK (is_chat_known IN (0, 1)),
  first_at    TEXT NOT NULL,
  last_at     TEXT NOT NULL,
  messages    INTEGER NOT NULL,
  PRIMARY KEY (transport, chat_id, user_id)
) STRICT;
CREATE INDEX unknown_chats_last ON unknown_chats (last_at);
`;
