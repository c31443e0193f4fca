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

/** Xianyu price to-dos (issue 14): at most one open per (channel, SKU); Done confirms the price the operator was shown. */
export const priceTodos = `
-- The open to-do follows the price outbox target in place (version, target); shown_* is the price the operator
-- was last told (the posted to-do, or the reply to a Done that came after the target moved). Done confirms
-- the shown price and removes the target only when it is still that price.
CREATE TABLE checklist_price_todos (
  id              TEXT PRIMARY KEY,
  channel_id      TEXT NOT NULL,
  sku             TEXT NOT NULL,
  ref             TEXT NOT NULL,
  version         INTEGER NOT NULL,
  target_minor    INTEGER NOT NULL CHECK (target_minor >= 0),
  currency        TEXT NOT NULL CHECK (length(currency) = 3),
  shown_minor     INTEGER CHECK (shown_minor >= 0),
  shown_currency  TEXT CHECK (shown_currency IS NULL OR length(shown_currency) = 3),
  status          TEXT NOT NULL CHECK (status IN ('open', 'done', 'superseded')),
  created_at      TEXT NOT NULL,
  posted_at       TEXT,
  closed_at       TEXT,
  closed_by       TEXT,
  CHECK ((shown_minor IS NULL) = (shown_currency IS NULL))
) STRICT;
CREATE UNIQUE INDEX checklist_price_todos_one_open ON checklist_price_todos(channel_id, sku) WHERE status = 'open';
CREATE INDEX checklist_price_todos_by_status ON checklist_price_todos(status, channel_id, created_at);
`;

/**
 * Shopify per location (issue 13): the last quantity we read or pushed for each (channel, inventory item, Shopify
 * location), the `changeFromQuantity` / `compareQuantity` of the next push there, kept across restarts.
 */
export const shopifyLocationLevels = `
CREATE TABLE shopify_location_levels (
  channel_id   TEXT NOT NULL,
  ref          TEXT NOT NULL,
  location_id  TEXT NOT NULL,
  quantity     INTEGER NOT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (channel_id, ref, location_id)
) STRICT, WITHOUT ROWID;
`;
