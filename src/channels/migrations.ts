/** Checklist channels (Xianyu): one to-do per outbox target that an operator applies by hand and confirms with Done. */
export default `
-- A to-do mirrors exactly one outbox version (channel, sku, version, target). Done confirms that version
-- only; a newer target supersedes the open to-do and gets its own.
CREATE TABLE checklist_todos (
  id          TEXT PRIMARY KEY,
  channel_id  TEXT NOT NULL,
  sku         TEXT NOT NULL,
  ref         TEXT NOT NULL,
  version     INTEGER NOT NULL,
  target_qty  INTEGER NOT NULL CHECK (target_qty >= 0),
  is_listed   INTEGER NOT NULL CHECK (is_listed IN (0, 1)),
  status      TEXT NOT NULL CHECK (status IN ('open', 'done', 'superseded')),
  replaces    TEXT,
  created_at  TEXT NOT NULL,
  posted_at   TEXT,
  closed_at   TEXT,
  closed_by   TEXT
) STRICT;
CREATE UNIQUE INDEX checklist_todos_one_open ON checklist_todos(channel_id, sku) WHERE status = 'open';
CREATE INDEX checklist_todos_by_status ON checklist_todos(status, channel_id, created_at);
`;
