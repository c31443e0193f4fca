/** WeCom transport: inbound de-duplication, the group-robot send queue, and the template cards we sent. */
export default `
-- One row per inbound callback we acted on: MsgId (app), msgid (AI bot), or user+CreateTime for events.
-- WeCom retries a callback it did not see answered within 5 s; the key makes the retry a no-op.
CREATE TABLE wecom_inbound (
  dedupe_key   TEXT PRIMARY KEY,
  received_at  TEXT NOT NULL
) STRICT;
CREATE INDEX wecom_inbound_age ON wecom_inbound(received_at);

-- Group-robot messages waiting to be sent. A row is deleted only after WeCom answered errcode 0,
-- so a 45009 (over 20/min) or a crash never loses a message.
CREATE TABLE wecom_robot_queue (
  id               INTEGER PRIMARY KEY,
  robot            TEXT NOT NULL,
  msgtype          TEXT NOT NULL CHECK (msgtype IN ('text', 'markdown', 'image')),
  body             TEXT NOT NULL,
  enqueued_at      TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  TEXT,
  last_error       TEXT
) STRICT;
CREATE INDEX wecom_robot_queue_due ON wecom_robot_queue(robot, id);

-- Interactive template cards (button_interaction) we sent, keyed by task_id. One press resolves a card:
-- state moves open -> running -> done with a conditional UPDATE, so a retried or concurrent press runs nothing twice.
CREATE TABLE wecom_cards (
  task_id        TEXT PRIMARY KEY,
  surface        TEXT NOT NULL CHECK (surface IN ('app', 'aibot')),
  recipients     TEXT NOT NULL DEFAULT '[]',
  title          TEXT NOT NULL,
  body           TEXT NOT NULL DEFAULT '',
  buttons        TEXT NOT NULL DEFAULT '[]',
  state          TEXT NOT NULL CHECK (state IN ('open', 'running', 'done')),
  pressed_by     TEXT,
  pressed_key    TEXT,
  outcome_text   TEXT,
  created_at     TEXT NOT NULL,
  pressed_at     TEXT
) STRICT;
`;
